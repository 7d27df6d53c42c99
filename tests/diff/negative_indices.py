# Indices that are negative at run time count from the end, as in Python: `x[i - 1]` at i = 0
# reads the last element, `x[-1 - i]` walks backwards, `x[i - N]` is `x[i]`, a store through
# `out[-1 - i]`, 2-d indices `m[i - 1, j - 2]` in a nested loop, a negative-step loop reading
# `x[j - 3]`, and negative literal indices on loads and stores (`m[-1, -2]`, `out2[i, -1]`);
# also through locals (`j = i - 1; x[j]`) and a local a loop decrements past zero.
import numpy as np
import parpy


@parpy.jit
def negative(x, m, out, out2, out3, rev, N, M):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = x[i - 1]
        out[i, 1] = x[-1 - i]
        out[i, 2] = x[i - N] - x[i]
        out[i, 3] = x[(i - 1) % N] + x[i - 2] * 0.5
        s = 0.0
        for j in range(M):
            s += m[i - 1, j - 2] * (j + 1)
        out[i, 4] = s
        t = 0.0
        for j in range(2, -1, -1):
            t = t * 10.0 + x[j - 3]
        out[i, 5] = t + m[-1, -2]
        out2[i, -1] = x[i] * 2.0
        out2[i, -2] = -x[i]
        rev[-1 - i] = x[i]
        j = i - 1
        k = 1
        u = 0.0
        for r in range(3):
            u = u * 10.0 + x[k]
            k -= 1
        out3[i, 0] = x[j] + u


def inputs(rng):
    n, m = 2500, 12
    return dict(x=rng.standard_normal(n), m=rng.standard_normal((n, m)), out=np.zeros((n, 6)),
                out2=np.zeros((n, 3)), out3=np.zeros((n, 1)), rev=np.zeros(n), N=n, M=m)
