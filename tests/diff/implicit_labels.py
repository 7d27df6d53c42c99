# ParPy 0.3's implicit shape labels: without any parpy.label call, a loop whose bounds name a
# shape symbol of the annotations, or a slice statement that names one, takes the symbol as its
# label, so the spec's `N` and `M` parallelize them. Where the symbol appears in a statement
# with nothing to parallelize (`+ N`), the label is unused, and a loop inside the loop labelled
# `N` that also runs to `N` stays sequential.
import numpy as np
import parpy
from parpy.types import F32, F64, buffer

N = parpy.types.symbol()
M = parpy.types.symbol()


@parpy.jit
def add_into(x: buffer(F32, [N]), y: buffer(F32, [N])):
    x[:N] += y[:N]


@parpy.jit
def row_sums(x: buffer(F64, [N, M]), out: buffer(F64, [N])):
    for i in range(N):
        s = parpy.reduce.sum(x[i, :M])
        out[i] = s + N


@parpy.jit
def scale_rows(x: buffer(F64, [N, M]), out: buffer(F64, [N, M])):
    for i in range(N):
        for j in range(M):
            out[i, j] = x[i, j] * 2.0 + j


@parpy.jit
def square_matmul(a: buffer(F64, [N, N]), b: buffer(F64, [N, N]), c: buffer(F64, [N, N])):
    for i in range(N):
        for j in range(N):
            s = 0.0
            for k in range(N):
                s += a[i, k] * b[k, j]
            c[i, j] = s


def inputs(rng):
    n, m = 300, 129
    return {
        "add_into": dict(x=rng.standard_normal(5000).astype(np.float32), y=rng.standard_normal(5000).astype(np.float32)),
        "row_sums": dict(x=rng.standard_normal((n, m)), out=np.zeros(n)),
        "scale_rows": dict(x=rng.standard_normal((n, m)), out=np.zeros((n, m))),
        "square_matmul": dict(a=rng.standard_normal((40, 40)), b=rng.standard_normal((40, 40)), c=np.zeros((40, 40))),
    }
