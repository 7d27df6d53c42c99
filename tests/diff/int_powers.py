# `**` of Python ints to a negative power known when compiling is a float (`2 ** -3` is 0.125),
# to a non-negative one an int.
import numpy as np
import parpy


@parpy.jit
def int_powers(x, out, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = x[i] * 2 ** -3
        out[i, 1] = 10 ** -2 + (i % 4) ** 3
        out[i, 2] = 3 ** (i % 5)


def inputs(rng):
    n = 100
    return dict(x=rng.standard_normal(n), out=np.zeros((n, 3)), N=n)
