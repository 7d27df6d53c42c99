# float32 stays float32: literals and Python scalars adapt to the array's type (NumPy 2).
import numpy as np
import parpy


@parpy.jit
def float32_math(x, out, scale, N):
    parpy.label('N')
    for i in range(N):
        t = x[i] * 2.5 + scale
        out[i, 0] = parpy.operators.exp(t * 0.1)
        out[i, 1] = t / 3
        out[i, 2] = parpy.operators.float32(i) * 0.5
        out[i, 3] = parpy.operators.sqrt(abs(t))


def inputs(rng):
    n = 4096
    return dict(x=rng.standard_normal(n).astype(np.float32), out=np.zeros((n, 4), np.float32), scale=1.25, N=n)
