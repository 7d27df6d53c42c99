# 0-d arrays (`f64[]`): written as `total[()]`, read by name, and a loop variable name reused
# by a sequential loop and a later parallel one.
import numpy as np
import parpy


@parpy.jit
def zero_dim(x, total, scale, N):
    with parpy.gpu:
        total[()] = 0.0
        for i in range(N):
            total[()] = total[()] + x[i] * scale
    parpy.label('N')
    for i in range(N):
        x[i] = x[i] / total


def inputs(rng):
    return dict(x=rng.random(10) + 0.5, total=np.zeros((), np.float64), scale=np.array(2.0), N=10)
