# Thread-block clusters (use_cuda_thread_block_clusters): rows that want more threads than a
# block holds run over the blocks of one cluster, whose barriers and reductions span it.
import numpy as np
import parpy


@parpy.jit
def normalize(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        m = parpy.operators.max(x[i, :])
        parpy.label('M')
        out[i, :] = parpy.operators.exp(x[i, :] - m)
        parpy.label('M')
        s = parpy.operators.sum(out[i, :])
        parpy.label('M')
        out[i, :] = out[i, :] / s


@parpy.jit
def shift_rows(x, y, B, N, M):
    parpy.label('B')
    for b in range(B):
        parpy.label('N')
        for i in range(N):
            parpy.label('M')
            for j in range(M):
                y[b, i, j] = x[b, i, j] + 1.0
            parpy.label('M')
            for j in range(M):
                x[b, i, j] = y[b, i, M - 1 - j] * 2.0


@parpy.jit
def total(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            out[0] += x[i, j]


@parpy.jit
def row_norms(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        s = parpy.operators.sum(x[i, :] * x[i, :])
        out[i] = parpy.operators.sqrt(s)


def inputs(rng):
    n, m = 5, 30000
    return {
        "normalize": dict(x=rng.standard_normal((n, m)).astype(np.float32), out=np.zeros((n, m), np.float32), N=n, M=m),
        "shift_rows": dict(x=rng.standard_normal((2, 3, m)), y=np.zeros((2, 3, m)), B=2, N=3, M=m),
        "total": dict(x=rng.standard_normal((n, m)), out=np.zeros(1), N=n, M=m),
        "row_norms": dict(x=rng.standard_normal((n, m)).astype(np.float32), out=np.zeros(n, np.float32), N=n, M=m),
    }
