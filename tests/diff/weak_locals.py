# Locals holding Python scalars stay Python scalars after a rebinding: `t = 0.5` then `t = 100`
# makes the second `t` a Python int, so `a8[i] * t` is an int8 product that wraps (not a float
# product), and `a = b = 3` binds two Python ints; a Python float local times a float32 element
# stays float32.
import numpy as np
import parpy


@parpy.jit
def weak(x, a8, out, o8, N):
    parpy.label('N')
    for i in range(N):
        t = 0.5
        out[i, 0] = t * x[i]
        t = 100
        o8[i, 0] = a8[i] * t
        a = b = 3
        o8[i, 1] = a8[i] * a + b
        u = 1.1
        u = u * 2
        out[i, 1] = x[i] * u
        k = i % 7
        k = k - 3
        o8[i, 2] = a8[i] * k


def inputs(rng):
    n = 3000
    return dict(x=rng.standard_normal(n).astype(np.float32),
                a8=rng.integers(-128, 128, n).astype(np.int8),
                out=np.zeros((n, 2), np.float32), o8=np.zeros((n, 3), np.int64), N=n)
