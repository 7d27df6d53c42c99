# Sequential code between two parallel loops reads what the second loop overwrites: every
# thread must finish reading before any thread writes (a barrier before the second loop).
import numpy as np
import parpy


@parpy.jit
def missing_barrier_war(x, out, nrows, ncols):
    parpy.label('outer')
    for i in range(nrows):
        parpy.label('inner')
        out[i, :] = x[i, :]
        s = 0.0
        for j in range(ncols - 1, -1, -1):
            s = s + out[i, j]
        parpy.label('inner')
        out[i, :] = out[i, :] / s


def inputs(rng):
    n, m = 64, 8192
    return dict(x=rng.uniform(0.5, 1.5, (n, m)).astype(np.float32), out=np.zeros((n, m), np.float32), nrows=n, ncols=m)
