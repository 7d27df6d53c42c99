# Helper functions: device functions returning values (also from both branches of an if),
# statement calls whose bodies (with labels and parallel loops) are inlined, and
# parpy.builtin.inline (ParPy 0.3).
import numpy as np
import parpy

@parpy.jit
def sq(v):
    return v * v

@parpy.jit
def clamp(v, lo, hi):
    if v < lo:
        return lo
    elif v > hi:
        return hi
    else:
        return v

@parpy.jit
def fill_row(out, i, M, value):
    parpy.label('M')
    for j in range(M):
        out[i, j] = value + sq(j)

@parpy.jit
def norm_sq(x, i):
    parpy.label('M')
    s = parpy.operators.sum(x[i, :] * x[i, :])
    return s

@parpy.jit
def helpers(x, out, n2, N, M):
    parpy.label('N')
    for i in range(N):
        fill_row(out, i, M, clamp(x[i, 0], -1.0, 1.0))
        n2[i] = norm_sq(x, i)
        parpy.builtin.inline(fill_row(out, i, 2, sq(x[i, 1])))


def inputs(rng):
    n, m = 90, 40
    return dict(x=rng.standard_normal((n, m)) * 2, out=np.zeros((n, m)), n2=np.zeros(n), N=n, M=m)
