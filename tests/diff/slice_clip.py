# Literal slice bounds beyond a dimension known only at run time are clipped as Python clips
# them: `x[i, 0:4]` of rows of 3 elements has 3, `x[i, -6:]` starts at 0, `x[i, 5::-1]` starts
# at the last element and `x[i, :-9:-1]` stops before the first; windows whose stop reaches
# past the end (`x[i, 2:8]` of 5 columns), in reductions, slice statements and loops over
# their elements, with constant-size dimensions folded and symbolic ones clipped at run time.
import numpy as np
import parpy


@parpy.jit
def clip_rows(x, s, out, N):
    parpy.label('N')
    for i in range(N):
        s[i, 0] = parpy.operators.sum(x[i, 0:4])
        s[i, 1] = parpy.operators.sum(x[i, -6:])
        s[i, 2] = parpy.operators.max(x[i, 5::-1])
        s[i, 3] = parpy.operators.sum(x[i, :-9:-1])
        s[i, 4] = parpy.operators.sum(x[i, 2:8])
        s[i, 5] = parpy.operators.min(x[i, 1:100:2])
        s[i, 6] = parpy.operators.sum(x[i, -2:100])
        out[i, 0:4] = x[i, 0:4] * 2.0


@parpy.jit
def clip_const(y, s, N):
    parpy.label('N')
    for i in range(N):
        s[i, 0] = parpy.operators.sum(y[i, 0:9])
        s[i, 1] = parpy.operators.sum(y[i, -9:2])
        s[i, 2] = parpy.operators.sum(y[i, 9::-2])


def inputs(rng):
    n = 40
    return {
        "clip_rows": dict(
            x=rng.standard_normal((n, 3)),
            s=np.zeros((n, 7)),
            out=np.zeros((n, 3)),
            N=n,
        ),
        "clip_const": dict(y=rng.standard_normal((n, 5)), s=np.zeros((n, 3)), N=n),
    }
