# NumPy booleans: `+` is a logical or (np.True_ + np.True_ is np.True_).
import numpy as np
import parpy


@parpy.jit
def bool_add(a, b, out, N):
    parpy.label('N')
    for i in range(N):
        out[i] = a[i] + b[i]


def inputs(rng):
    return dict(a=np.array([True, True, False, False]), b=np.array([True, False, True, False]), out=np.zeros(4, np.int32), N=4)
