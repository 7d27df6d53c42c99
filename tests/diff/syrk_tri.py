# Symmetric rank-k updates on the lower triangle: a parallel loop whose range depends on the
# outer loop variable (`range(i + 1)`), a sequential k loop updating C[i, j] in place, the same
# with a parallel reduction over k into a local, and a syr2k variant (scaling the row with a
# negative-step parallel loop) with slice reductions of products of row slices
# (`A[i, :] * B[j, :]`); alpha and beta are Python scalars.
import numpy as np
import parpy


@parpy.jit
def syrk_seq(alpha, beta, C, A, N, M):
    parpy.label('i')
    for i in range(N):
        parpy.label('j')
        for j in range(i + 1):
            C[i, j] = C[i, j] * beta
            for k in range(M):
                C[i, j] = C[i, j] + alpha * A[i, k] * A[j, k]


@parpy.jit
def syrk_red(alpha, beta, C, A, N, M):
    parpy.label('i')
    for i in range(N):
        for j in range(i + 1):
            acc = 0.0
            parpy.label('k')
            for k in range(M):
                acc += A[i, k] * A[j, k]
            C[i, j] = C[i, j] * beta + alpha * acc


@parpy.jit
def syr2k(alpha, beta, C, A, B, N):
    parpy.label('i')
    for i in range(N):
        parpy.label('j')
        for j in range(i, -1, -1):
            C[i, j] *= beta
        for j in range(i + 1):
            parpy.label('k')
            ab = parpy.reduce.sum(A[i, :] * B[j, :])
            parpy.label('k')
            ba = parpy.reduce.sum(B[i, :] * A[j, :])
            C[i, j] += alpha * (ab + ba)


def inputs(rng):
    n, m = 60, 45
    C = np.fromfunction(lambda i, j: ((i * j + 2) % n) / m, (n, n), dtype=np.float64)
    A = rng.standard_normal((n, m))
    B = rng.standard_normal((n, m))
    return {
        "syrk_seq": dict(alpha=1.5, beta=1.2, C=C.astype(np.float32), A=A.astype(np.float32), N=n, M=m),
        "syrk_red": dict(alpha=0.5, beta=-2.0, C=C.copy(), A=A, N=n, M=m),
        "syr2k": dict(alpha=1.25, beta=0.75, C=C.copy(), A=A, B=B, N=n),
    }
