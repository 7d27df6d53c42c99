# Helpers calling helpers: device functions with parpy.types annotations, a helper with a while
# loop assigning its parameters, one breaking out of a search loop, a helper used with int and
# with float arguments, a statement helper (0.1) whose inlined body holds a parallel slice
# statement and a parallel reduction, and the same helper through parpy.builtin.inline (0.3).
import numpy as np
import parpy
from parpy.types import F64, I64


@parpy.jit
def gcd(a: I64, b: I64) -> I64:
    while b != 0:
        r = a % b
        a = b
        b = r
    return a


@parpy.jit
def first_above(x, i, M, t):
    found = -1
    for j in range(M):
        if x[i, j] > t:
            found = j
            break
    return found


@parpy.jit
def smoothstep(v: F64) -> F64:
    c = parpy.builtin.minimum(parpy.builtin.maximum(v, 0.0), 1.0)
    return c * c * (3.0 - 2.0 * c)


@parpy.jit
def lerp(a, b, t):
    return a + (b - a) * smoothstep(t)


@parpy.jit
def scale_row(x, out, i, f):
    parpy.label('M')
    out[i, :] = x[i, :] * f
    parpy.label('M')
    out[i, 0] = parpy.operators.sum(x[i, :] * x[i, :])


@parpy.jit
def helper_chain(x, p, q, out, idx, g, N, M):
    parpy.label('N')
    for i in range(N):
        g[i] = gcd(p[i], q[i]) + gcd(q[i] * 3, 12)
        idx[i] = first_above(x, i, M, 1.5)
        if i % 2 == 0:
            scale_row(x, out, i, lerp(1, 3, x[i, 0]))
        else:
            parpy.builtin.inline(scale_row(x, out, i, lerp(-1.0, -2.0, x[i, 1] * 0.5)))


def inputs(rng):
    n, m = 300, 40
    return dict(
        x=rng.standard_normal((n, m)),
        p=rng.integers(1, 10000, n).astype(np.int64),
        q=rng.integers(1, 10000, n).astype(np.int64),
        out=np.zeros((n, m)),
        idx=np.zeros(n, np.int32),
        g=np.zeros(n, np.int64),
        N=n,
        M=m,
    )
