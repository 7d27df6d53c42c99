# Comparisons of Python scalars give Python bools, which add as ints (`(i > 0) + (i < N - 1)`
# is 2 in the middle), and so does `not`; comparisons of NumPy scalars give NumPy bools, whose
# `+` is a logical or. `-c` and `~c` of a Python bool are -1 and -2.
import numpy as np
import parpy


@parpy.jit
def python_bools(x, out, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = (i > 0) + (i < N - 1)
        out[i, 1] = (x[i] > 0.0) + (x[i] > 1.0)
        out[i, 2] = (not x[i]) + (not x[i])
        c = i > 0
        out[i, 3] = ~c + -c


def inputs(rng):
    n = 200
    x = rng.standard_normal(n)
    x[::7] = 0.0
    return dict(x=x, out=np.zeros((n, 4), np.int64), N=n)
