# Writes to one element that are no race: under a condition that one iteration alone meets
# (`i + 1 == N`, `i - 2 == K`), or of a value that is the same in every iteration (`y[0]`, an
# array the loop does not write), under a condition that many meet.
import numpy as np
import parpy


@parpy.jit
def pinned(x, y, out, flag, N, K):
    parpy.label('N')
    for i in range(N):
        out[i + 2] = x[i]
        if i + 1 == N:
            out[0] = x[i]
        if i - 2 == K:
            out[1] = x[i] * 3.0
        if x[i] > 0.0:
            flag[0] = y[0]


def inputs(rng):
    n = 1000
    return dict(x=rng.standard_normal(n), y=rng.standard_normal(2), out=np.zeros(n + 2), flag=np.zeros(1), N=n, K=17)
