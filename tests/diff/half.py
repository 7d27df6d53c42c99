# float16 arrays: arithmetic rounds to half precision after each operation, as NumPy's does.
# An f16 scalar argument crosses the C ABI as its bits.
import numpy as np
import parpy


@parpy.jit
def half(x, y, out, sums, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        out[i, :] = x[i, :] * 2.0 + y[i, :]
        parpy.label('M')
        sums[i] = parpy.operators.sum(out[i, :] * 0.25)


@parpy.jit
def half_scale(x, out, h, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        out[i, :] = x[i, :] * h


def inputs(rng):
    n, m = 64, 48
    return dict(
        x=rng.standard_normal((n, m)).astype(np.float16),
        y=rng.standard_normal((n, m)).astype(np.float16),
        out=np.zeros((n, m), np.float16),
        sums=np.zeros(n, np.float16),
        h=float(np.float16(0.3)),
        N=n,
    )
