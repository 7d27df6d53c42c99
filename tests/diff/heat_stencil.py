# Time stepping on a grid: a host loop launching a 2-d stencil kernel per step and ping-ponging
# between two arrays, interior loops with offsets (range(1, N - 1)), a Floyd-Warshall relaxation
# whose host loop variable indexes the kernel, and `with parpy.gpu:` computing a summary on one
# GPU thread afterwards.
import numpy as np
import parpy


@parpy.jit
def heat_2d(steps, A, B, stats, N):
    for t in range(steps):
        parpy.label('i')
        for i in range(1, N - 1):
            parpy.label('j')
            for j in range(1, N - 1):
                B[i, j] = 0.125 * (A[i + 1, j] - 2.0 * A[i, j] + A[i - 1, j]) \
                    + 0.125 * (A[i, j + 1] - 2.0 * A[i, j] + A[i, j - 1]) + A[i, j]
        parpy.label('i')
        for i in range(1, N - 1):
            parpy.label('j')
            for j in range(1, N - 1):
                A[i, j] = 0.125 * (B[i + 1, j] - 2.0 * B[i, j] + B[i - 1, j]) \
                    + 0.125 * (B[i, j + 1] - 2.0 * B[i, j] + B[i, j - 1]) + B[i, j]
    with parpy.gpu:
        hottest = A[0, 0]
        total = 0.0
        for i in range(N):
            for j in range(N):
                total += A[i, j]
                if A[i, j] > hottest:
                    hottest = A[i, j]
        stats[0] = total / (N * N)
        stats[1] = hottest


@parpy.jit
def floyd_warshall(paths, N):
    for k in range(N):
        parpy.label('i')
        for i in range(N):
            parpy.label('j')
            for j in range(N):
                if i != k and j != k:
                    paths[i, j] = min(paths[i, j], paths[i, k] + paths[k, j])


def inputs(rng):
    n = 48
    A = rng.random((n, n))
    A[n // 3:n // 2, n // 3:n // 2] += 10.0
    m = 60
    paths = rng.integers(1, 100, (m, m)).astype(np.int32)
    paths[rng.random((m, m)) < 0.7] = 999
    np.fill_diagonal(paths, 0)
    return {
        "heat_2d": dict(steps=20, A=A, B=A.copy(), stats=np.zeros(2), N=n),
        "floyd_warshall": dict(paths=paths, N=m),
    }
