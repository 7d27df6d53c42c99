# `with parpy.gpu:` runs a sequential block on the GPU; `convert` casts (ParPy 0.3).
import numpy as np
import parpy


@parpy.jit
def gpu_context(x, out, N):
    with parpy.gpu:
        s = 0.0
        for i in range(N):
            s += x[i] * x[i]
        out[0] = s
        out[1] = parpy.builtin.convert(N, parpy.types.F64) / 2
        out[2] = parpy.builtin.convert(x[3], parpy.types.I32)


def inputs(rng):
    n = 50
    return dict(x=rng.standard_normal(n) * 10, out=np.zeros(3), N=n)
