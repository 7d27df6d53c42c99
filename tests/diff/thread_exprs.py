# Thread counts given by expressions in the spec ("N * 2", "(N + 1) // 2", "M - 3", "K + 5",
# "M * 2" with a small `tpb`) over integer arguments and 0.3 shape symbols, on parallel loops
# with negative steps, with more threads than iterations and fewer, two labelled loops with
# different steps under one parallel row loop (same count), and a stepped loop whose bound is
# a host-computed local.
import numpy as np
import parpy
from parpy.types import F64

R = parpy.types.symbol()
C = parpy.types.symbol()


@parpy.jit
def thread_exprs(x, y, z, w, N, M, K):
    parpy.label('A')
    for i in range(N - 1, -1, -1):
        y[i] = x[i] * 2.0 + i
    parpy.label('B')
    for i in range(N - 2, 0, -3):
        y[i] = y[i] - 1.0
    parpy.label('Rows')
    for r in range(M):
        parpy.label('Cols')
        for c in range(M - 1, -1, -2):
            z[r, c] = r * 1000 + c
        parpy.label('Cols')
        for c in range(0, M, 4):
            z[r, c] = -z[r, c]
    kk = K * 3 - 1
    parpy.label('E')
    for k in range(kk, 0, -2):
        w[k] = k * k


@parpy.jit
def sym_threads(a: parpy.types.buffer(F64, [R, C]), out: parpy.types.buffer(F64, [R, C])):
    parpy.label('SR')
    for i in range(R - 1, -1, -1):
        parpy.label('SC')
        for j in range(C - 1, -1, -1):
            out[i, j] = a[i, C - 1 - j] + i


def inputs(rng):
    n, m, k = 1000, 45, 20
    return {
        "thread_exprs": dict(x=rng.standard_normal(n), y=np.zeros(n), z=np.zeros((m, m), np.int64), w=np.zeros(3 * k, np.int64), N=n, M=m, K=k),
        "sym_threads": dict(a=rng.standard_normal((33, 130)), out=np.zeros((33, 130))),
    }
