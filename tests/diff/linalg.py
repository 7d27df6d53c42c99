# Dense linear algebra as users write it: GEMM with alpha/beta where i and j are parallel and a
# `reduce = true` loop over k accumulates into a local, a batched int16 product accumulated in
# int64 (the product widened with `parpy.int64` before multiplying, so int16 never overflows),
# A @ B.T as a slice reduction of two rows, A.T @ x as a reduction over a column slice, and
# batched triangular solves with one block per system: back substitution walking rows with a
# negative-step range and a parallel reduction over the solved tail into a local used in a
# division, forward substitution whose parallel reduction runs over a negative-step range, and
# U @ x recomputed as a slice reduction of a row with x.
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


@parpy.jit
def back_sub(U, y, x, resid, NB, N):
    parpy.label('B')
    for b in range(NB):
        for i in range(N - 1, -1, -1):
            s = 0.0
            parpy.label('J')
            for j in range(i + 1, N):
                s += U[b, i, j] * x[b, j]
            x[b, i] = (y[b, i] - s) / U[b, i, i]
        for i in range(N):
            parpy.label('J')
            r = parpy.sum(U[b, i, :] * x[b, :])
            resid[b, i] = r * 2.0


@parpy.jit
def forward_sub(L, y, x, NB, N):
    parpy.label('B')
    for b in range(NB):
        for i in range(N):
            s = 0.0
            parpy.label('J')
            for j in range(i - 1, -1, -1):
                s += L[b, i, j] * x[b, j]
            x[b, i] = (y[b, i] - s) / L[b, i, i]


def inputs(rng):
    ts, tn = 12, 90
    U = np.triu(rng.standard_normal((ts, tn, tn))) * 0.1
    L = np.tril(rng.standard_normal((ts, tn, tn))) * 0.1
    for b in range(ts):
        U[b] += np.eye(tn) * 2.0
        L[b] += np.eye(tn) * 2.0
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
        "back_sub": dict(U=U, y=rng.standard_normal((ts, tn)), x=np.zeros((ts, tn)), resid=np.ones((ts, tn)), NB=ts, N=tn),
        "forward_sub": dict(L=L, y=rng.standard_normal((ts, tn)), x=np.zeros((ts, tn)), NB=ts, N=tn),
    }
