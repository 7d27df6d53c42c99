# Slices with bounds and steps passed to helpers (views): a window `x[i, j:j + W]` summed with
# an index loop, a reversed row `x[i, ::-1]` read with a negative literal index (`w[-1]` is the
# view's last element), a stepped column `A[1::2, j]`, a 2-d block `A[r:r + 2, 1:M - 1]`, a view
# passed on to another helper and reduced whole (`parpy.operators.sum(w[:])`), a view used in a
# slice statement inside a statement helper with a label, and an annotated helper whose shape
# symbol is bound to the view's length. Helpers take keyword arguments and defaults.
import numpy as np
import parpy
from parpy.types import F64

K = parpy.types.symbol()


@parpy.jit
def window_sum(w, n, scale=1.0):
    s = 0.0
    for j in range(n):
        s += w[j] * scale
    return s


@parpy.jit
def ends(w, n):
    return w[0] * 10.0 + w[-1] - w[n - 1] * 0.5


@parpy.jit
def total(w):
    parpy.label('T')
    t = parpy.operators.sum(w[:])
    return t


@parpy.jit
def total_of(w):
    return total(w)


@parpy.jit
def block_trace(b, n):
    s = 0.0
    for k in range(n):
        s += b[0, k] - b[1, k]
    return s


@parpy.jit
def annotated_len(v: parpy.types.buffer(F64, [K])):
    c = 0
    for k in range(K):
        if v[k] > 0.0:
            c += 1
    return c * 100 + K


@parpy.jit
def scale_into(dst, src, factor):
    parpy.label('S')
    dst[:] = src[:] * factor


@parpy.jit
def views(x, A, out, wide, N, M, W):
    parpy.label('N')
    for i in range(N):
        j = i % (M - W)
        out[i, 0] = window_sum(x[i, j:j + W], W)
        out[i, 1] = window_sum(scale=0.5, n=W, w=x[i, 1:W + 1])
        out[i, 2] = ends(x[i, ::-1], M)
        out[i, 3] = ends(x[i, 2:M:3], (M - 2 + 2) // 3)
        out[i, 4] = total_of(x[i, 3:-3])
        out[i, 5] = block_trace(A[i % (N - 1):i % (N - 1) + 2, 1:M - 1], M - 2)
        out[i, 6] = annotated_len(x[i, M - 1:0:-2])
        out[i, 7] = window_sum(A[1::2, i % M], N // 2, 2.0)
        scale_into(wide[i, 0:M // 2], x[i, M - 1:M // 2 - 1:-1], 3.0)


def inputs(rng):
    n, m, w = 700, 40, 6
    return dict(x=rng.standard_normal((n, m)), A=rng.standard_normal((n, m)),
                out=np.zeros((n, 8)), wide=np.zeros((n, m)), N=n, M=m, W=w)
