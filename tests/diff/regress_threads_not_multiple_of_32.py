# Thread counts that are not a multiple of 32 (here 100): blocks hold 128 threads, and the
# threads past the count must take no iterations, at the outer and the inner level.
import numpy as np
import parpy


@parpy.jit
def outer_level(x, out, total, N):
    parpy.label('N')
    for i in range(N):
        out[i] += x[i]
    parpy.label('R')
    for i in range(N):
        total[0] += x[i]


@parpy.jit
def inner_level(x, out, s, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            out[i, j] += x[i, j]
        parpy.label('K')
        for j in range(M):
            s[i] += x[i, j]


def inputs(rng):
    return {
        "outer_level": dict(x=np.ones(1000), out=np.zeros(1000), total=np.zeros(1), N=1000),
        "inner_level": dict(x=np.ones((50, 300)), out=np.zeros((50, 300)), s=np.zeros(50), N=50, M=300),
    }
