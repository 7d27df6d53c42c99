# A sequential host loop launching kernels, a hand-written parallel reduction, and scalars
# computed on the host.
import numpy as np
import parpy


@parpy.jit
def host_loops(x, out, N, M, R):
    half = M // 2
    for r in range(R):
        parpy.label('N')
        for i in range(N):
            s = 0.0
            parpy.label('M')
            for j in range(half):
                s += x[i, j] * (r + 1)
            out[i] = out[i] + s


def inputs(rng):
    n, m = 200, 100
    return dict(x=rng.standard_normal((n, m)), out=np.zeros(n), N=n, M=m, R=3)
