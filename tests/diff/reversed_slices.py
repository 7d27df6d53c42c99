# Slices with negative steps, as Python reads them: `x[::-1]`, `x[M - 1:0:-1]`, `x[-1:-6:-2]`.
import numpy as np
import parpy


@parpy.jit
def reversed_slices(w, rev, flipped, tail, M):
    parpy.label('rows')
    for r in range(M):
        parpy.label('cols')
        rev[r] = parpy.builtin.sum(w[r, M - 1:0:-1] * w[r, 0:M - 1])
        parpy.label('cols')
        flipped[r, :] = w[r, ::-1]
        parpy.label('cols')
        tail[r, :] = w[r, -1:-6:-2] * 2.0


def inputs(rng):
    m = 40
    w = rng.standard_normal((m, m))
    return dict(w=w, rev=np.zeros(m), flipped=np.zeros((m, m)), tail=np.zeros((m, 3)), M=m)
