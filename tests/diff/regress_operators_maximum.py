# `from parpy.operators import maximum, minimum`, as ParPy's HMM forward test writes.
import numpy as np
import parpy
from parpy.operators import maximum, minimum


@parpy.jit
def operators_maximum(x, y, out, N):
    parpy.label('N')
    for i in range(N):
        out[i] = maximum(x[i], y[i]) - minimum(x[i], y[i])


def inputs(rng):
    return dict(x=rng.standard_normal(64), y=rng.standard_normal(64), out=np.zeros(64), N=64)
