# A chained comparison evaluates its later operands only where the comparisons before them
# hold, as Python does: `0.0 < x[i] < h(out, i)` calls `h` (which counts its calls into `out`)
# only where `x[i]` is positive.
import numpy as np
import parpy


@parpy.jit
def h(out, i):
    out[i, 1] += 1.0
    return 2.0


@parpy.jit
def lazy_chains(x, out, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = 0.0 < x[i] < h(out, i)
        out[i, 2] = 0 <= i < N - 1


def inputs(rng):
    n = 300
    return dict(x=rng.standard_normal(n) * 2.0, out=np.zeros((n, 3)), N=n)
