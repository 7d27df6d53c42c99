# Reductions over slices with steps and negative steps: a sum over every third element from an
# offset, a max over a reversed row (`x[i, ::-1]`), a min over `x[i, M - 2:0:-2]`, a product over
# a short strided window, a dot product of a row with the same row reversed, a sum over a
# stepped slice whose bounds come from a loop variable (clipped as Python clips them), a max over
# `x[i, -1:-M:-5]` (the stop -M counts from the end: index 0, excluded), whole-array sum and max
# over 2-d slices with steps in both dimensions (`x[::2, 1::3]`, `x[::-3, ::-2]`), and int32
# reductions over reversed and stepped slices.
import numpy as np
import parpy


@parpy.jit
def stepped(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        out[i, 0] = parpy.operators.sum(x[i, 1::3])
        parpy.label('M')
        out[i, 1] = parpy.operators.max(x[i, ::-1] * 0.5)
        parpy.label('M')
        out[i, 2] = parpy.operators.min(x[i, M - 2:0:-2])
        parpy.label('M')
        out[i, 3] = parpy.operators.prod(x[i, 2:11:4] + 2.0)
        parpy.label('M')
        out[i, 4] = parpy.operators.sum(x[i, :] * x[i, ::-1])
        parpy.label('M')
        out[i, 5] = parpy.operators.sum(x[i, i:2 * i + 5:2])
        parpy.label('M')
        out[i, 6] = parpy.operators.max(x[i, -1:-M:-5])


@parpy.jit
def stepped_2d(x, tot):
    parpy.label('R')
    parpy.label('C')
    tot[0] = parpy.reduce.sum(x[::2, 1::3])
    parpy.label('R')
    parpy.label('C')
    tot[1] = parpy.reduce.max(x[::-3, ::-2])


@parpy.jit
def stepped_ints(a, s, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        s[i, 0] = parpy.sum(a[i, ::-1])
        parpy.label('M')
        s[i, 1] = parpy.min(a[i, 3::7])
        parpy.label('M')
        s[i, 2] = parpy.max(a[i, 10:2:-1] * 3)


def inputs(rng):
    n, m = 60, 101
    return {
        "stepped": dict(x=rng.standard_normal((n, m)), out=np.zeros((n, 7)), N=n, M=m),
        "stepped_2d": dict(x=rng.standard_normal((40, 50)).astype(np.float32) + 1.0, tot=np.zeros(2, np.float32)),
        "stepped_ints": dict(a=rng.integers(-1000, 1000, (n, m)).astype(np.int32), s=np.zeros((n, 3), np.int32), N=n),
    }
