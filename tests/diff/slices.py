# Slice statements: broadcasting aligned from the right, offsets and steps, negative bounds,
# an axis reduction, and a stencil over x[1:-1].
import numpy as np
import parpy


@parpy.jit
def slices(x, y, out, mid, colmax, evens, N, M):
    parpy.label('N')
    parpy.label('M')
    out[:, :] = x[:, :] * 2.0 + y[:]
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        mid[i, 1:-1] = x[i, 0:-2] + x[i, 2:] - 2.0 * x[i, 1:-1]
    parpy.label('Rows')
    parpy.label('Cols')
    colmax[:] = parpy.operators.max(x[:, :], axis=0)
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        evens[i, :] = x[i, 0:M:2]


def inputs(rng):
    n, m = 300, 64
    return dict(
        x=rng.standard_normal((n, m)).astype(np.float32),
        y=rng.standard_normal(m).astype(np.float32),
        out=np.zeros((n, m), np.float32),
        mid=np.zeros((n, m), np.float32),
        colmax=np.zeros(m, np.float32),
        evens=np.zeros((n, m // 2), np.float32),
        N=n,
        M=m,
    )
