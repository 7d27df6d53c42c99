# u64 against i64 (and narrower signed integers) compares exactly, as NumPy does, not through
# float64: 2^53 + 1 is not 2^53, 2^63 + 1 is above 2^63 - 1, and every u64 is above -1, also
# a Python int argument whose value only the call knows (`k`, negative here).
import numpy as np
import parpy


@parpy.jit
def exact_compares(u, s, t, out, N, k):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = u[i] == s[i]
        out[i, 1] = u[i] < s[i]
        out[i, 2] = u[i] >= s[i]
        out[i, 3] = s[i] < u[i]
        out[i, 4] = t[i] != u[i]
        out[i, 5] = u[i] <= t[i]
        out[i, 6] = u[i] > k
        out[i, 7] = k == u[i]


def inputs(rng):
    u = np.array([2**53 + 1, 2**63 + 1, 5, 0, 2**64 - 1, 7], np.uint64)
    s = np.array([2**53, 2**63 - 1, -1, 0, -(2**63), 7], np.int64)
    t = np.array([1, -1, 5, -128, 127, 7], np.int8)
    return dict(u=u, s=s, t=t, out=np.zeros((6, 8), np.bool_), N=6, k=-3)
