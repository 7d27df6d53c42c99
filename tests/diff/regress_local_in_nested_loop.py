# A local assigned in a nested sequential loop (or both branches of an if) and read after it
# is private to each iteration of the parallel loop, not a race.
import numpy as np
import parpy


@parpy.jit
def lastval(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        for t in range(M):
            s = x[i, t]
        out[i] = s


@parpy.jit
def lastval_if(x, out, N):
    parpy.label('N')
    for i in range(N):
        if x[i, 0] > 0.0:
            s = x[i, 1]
        else:
            s = x[i, 2]
        out[i] = s


def inputs(rng):
    n, m = 50, 7
    return dict(x=rng.standard_normal((n, m)), out=np.zeros(n), N=n, M=m)
