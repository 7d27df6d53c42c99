# Reductions over slices: sum, prod, max and min, over every dimension and along an axis, of
# floats and of small integers (whose sums NumPy accumulates in int64).
import numpy as np
import parpy


@parpy.jit
def reductions(x, small, sums, stats, isums, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        sums[i] = parpy.operators.sum(x[i, :])
        parpy.label('M')
        stats[i, 0] = parpy.operators.max(x[i, :])
        parpy.label('M')
        stats[i, 1] = parpy.operators.min(x[i, :])
        parpy.label('M')
        stats[i, 2] = parpy.operators.prod(x[i, 0:4] * 0.5 + 1.0)
        parpy.label('M')
        isums[i] = parpy.operators.sum(small[i, :])


def inputs(rng):
    n, m = 700, 333
    return dict(
        x=rng.standard_normal((n, m)),
        small=rng.integers(-100, 100, (n, m)).astype(np.int8),
        sums=np.zeros(n),
        stats=np.zeros((n, 3)),
        isums=np.zeros(n, np.int64),
        N=n,
        M=m,
    )
