# Helper calls as ParPy 0.1 programs write them: a scalar helper applied to slices in a slice
# statement (`y[:] = add_mul(x[:], y[:], x[:])`, element by element, as NumPy applies the same
# arithmetic to whole arrays), also inside a reduction (`sum(sq(x[i, :]))`) and with a scalar
# argument; rows passed as `x[i]` (a 2-d array indexed once is its row) to statement helpers with
# labelled slice statements, two levels deep over a 3-d array; and annotations that are not
# ParPy types (`x: parpy.float32` of 0.1, `n: int`, `a: np.ndarray`), which change nothing.
import numpy as np
import parpy


@parpy.jit
def add(x: parpy.float32, y: parpy.float32):
    return x + y


@parpy.jit
def add_mul(x, y, z):
    return add(x, y) * z


@parpy.jit
def sq(v):
    return v * v


@parpy.jit
def clip_scale(v, lo, s):
    w = parpy.operators.maximum(v, lo)
    w *= s
    return w + (v > 1.0) * 0.5


@parpy.jit
def elementwise(x, y, z, sums, N, M):
    parpy.label('N')
    y[:] = add_mul(x[:], y[:], x[:])
    parpy.label('N')
    z[:] = clip_scale(x[:], -0.5, 2.0) + sq(y[:])
    parpy.label('R')
    for i in range(N // M):
        parpy.label('M')
        sums[i] = parpy.operators.sum(sq(x[i * M:(i + 1) * M]))


@parpy.jit
def add_inplace(x: np.ndarray, y: np.ndarray, m: int):
    parpy.label('1d')
    y[:] += x[:] * m


@parpy.jit
def add_2d_inplace(x, y, N, M):
    parpy.label('2d')
    for i in range(N):
        add_inplace(x[i], y[i], M)


@parpy.jit
def add_3d_inplace(x, y, N, M, K):
    parpy.label('3d')
    for i in range(N):
        add_2d_inplace(x[i], y[i], M, K)


def inputs(rng):
    n, m = 4000, 50
    a, b, c = 40, 30, 20
    return {
        "elementwise": dict(x=rng.standard_normal(n).astype(np.float32),
                            y=rng.standard_normal(n).astype(np.float32),
                            z=np.zeros(n, np.float32), sums=np.zeros(n // m, np.float32),
                            N=n, M=m),
        "add_2d_inplace": dict(x=rng.standard_normal((a, b)), y=rng.standard_normal((a, b)),
                               N=a, M=b),
        "add_3d_inplace": dict(x=rng.standard_normal((a, b, c)), y=rng.standard_normal((a, b, c)),
                               N=a, M=b, K=c),
    }
