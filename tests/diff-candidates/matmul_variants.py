# Matrix products as users write them: GEMM with alpha/beta where i and j are parallel and a
# `reduce = true` loop over k accumulates into a local, a batched int16 product accumulated in
# int64 (the product widened with `parpy.int64` before multiplying, so int16 never overflows),
# A @ B.T as a slice reduction of two rows, and A.T @ x as a reduction over a column slice.
import numpy as np
import parpy


@parpy.jit
def gemm(A, B, C, alpha, beta, M, N, K):
    parpy.label('I')
    for i in range(M):
        parpy.label('J')
        for j in range(N):
            s = 0.0
            parpy.label('K')
            for k in range(K):
                s += A[i, k] * B[k, j]
            C[i, j] = alpha * s + beta * C[i, j]


@parpy.jit
def batched_int(A, B, C, NB, M, N, K):
    parpy.label('B')
    for b in range(NB):
        parpy.label('I')
        for i in range(M):
            parpy.label('J')
            for j in range(N):
                s = parpy.int64(0)
                for k in range(K):
                    s += parpy.int64(A[b, i, k]) * B[b, k, j]
                C[b, i, j] = s


@parpy.jit
def abt_atx(A, Bt, C, x, y, M, N):
    parpy.label('I')
    for i in range(M):
        parpy.label('J')
        for j in range(M):
            parpy.label('K')
            C[i, j] = parpy.operators.sum(A[i, :] * Bt[j, :])
    parpy.label('J')
    for j in range(N):
        parpy.label('K')
        y[j] = parpy.sum(A[:, j] * x[:])


def inputs(rng):
    m, n, k = 40, 56, 300
    nb = 6
    return {
        "gemm": dict(
            A=rng.standard_normal((m, k)),
            B=rng.standard_normal((k, n)),
            C=rng.standard_normal((m, n)),
            alpha=1.5,
            beta=-0.5,
            M=m, N=n, K=k,
        ),
        "batched_int": dict(
            A=rng.integers(-30000, 30000, (nb, 20, 33)).astype(np.int16),
            B=rng.integers(-30000, 30000, (nb, 33, 17)).astype(np.int16),
            C=np.zeros((nb, 20, 17), np.int64),
            NB=nb, M=20, N=17, K=33,
        ),
        "abt_atx": dict(
            A=rng.standard_normal((m, n)).astype(np.float32),
            Bt=rng.standard_normal((m, n)).astype(np.float32),
            C=np.zeros((m, m), np.float32),
            x=rng.standard_normal(m).astype(np.float32),
            y=np.zeros(n, np.float32),
            M=m, N=n,
        ),
    }
