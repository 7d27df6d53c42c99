# A NaN in an f16 row makes its maximum and minimum NaN, as in NumPy, also where the threads of a
# block combine their parts.
import numpy as np
import parpy


@parpy.jit
def row_extremes(h, hi, lo, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        hi[i] = parpy.operators.max(h[i, :])
        parpy.label('M')
        lo[i] = parpy.operators.min(h[i, :])


def inputs(rng):
    n, m = 64, 300
    h = rng.standard_normal((n, m)).astype(np.float16)
    h[3, 7] = np.nan
    h[10, 299] = np.nan
    h[20, 0] = np.nan
    return dict(h=h, hi=np.zeros(n, np.float16), lo=np.zeros(n, np.float16), N=n)
