# Axis reductions on 3-d arrays: sum/max/min/prod along axis 0, 1 and 2 of a whole 3-d slice
# with two or three stacked labels (0.1 and 0.3 spellings), an axis reduction of a 2-d plane
# `x[b, :, :]` inside a parallel loop, and an axis reduction of an expression of two 3-d
# slices (a product), of int16 values (NumPy sums them in int64).
import numpy as np
import parpy


@parpy.jit
def axis_whole(x, s0, m1, n2):
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    s0[:, :] = parpy.operators.sum(x[:, :, :], axis=0)
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    m1[:, :] = parpy.reduce.max(x[:, :, :], axis=1)
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    n2[:, :] = parpy.builtin.min(x[:, :, :] * 2.0 - 1.0, axis=2)


@parpy.jit
def axis_planes(x, y, p, colsum, B):
    parpy.label('B')
    for b in range(B):
        parpy.label('R')
        parpy.label('C')
        colsum[b, :] = parpy.operators.sum(x[b, :, :] * y[b, :, :], axis=0)
        parpy.label('R')
        parpy.label('C')
        p[b, :] = parpy.operators.prod(y[b, :, 0:3] * 0.5 + 1.0, axis=1)


@parpy.jit
def axis_ints(a, isum, imax):
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    isum[:, :] = parpy.sum(a[:, :, :], axis=2)
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    imax[:, :] = parpy.max(a[:, :, :], axis=0)


def inputs(rng):
    a, b, c = 12, 17, 23
    return {
        "axis_whole": dict(
            x=rng.standard_normal((a, b, c)),
            s0=np.zeros((b, c)),
            m1=np.zeros((a, c)),
            n2=np.zeros((a, b)),
        ),
        "axis_planes": dict(
            x=rng.standard_normal((a, b, c)).astype(np.float32),
            y=rng.standard_normal((a, b, c)).astype(np.float32),
            p=np.zeros((a, b), np.float32),
            colsum=np.zeros((a, c), np.float32),
            B=a,
        ),
        "axis_ints": dict(
            a=rng.integers(-30000, 30000, (a, b, c)).astype(np.int16),
            isum=np.zeros((a, b), np.int64),
            imax=np.zeros((b, c), np.int16),
        ),
    }
