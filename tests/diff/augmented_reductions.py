# A reduction on the right of an augmented assignment (`s += sum(x[i, k, :])`): the reduction
# runs into a temporary, then `s = s + tmp`.
import numpy as np
import parpy


@parpy.jit
def augmented_reductions(x, out, N, K):
    parpy.label('N')
    for i in range(N):
        s = 0.0
        for k in range(K):
            parpy.label('M')
            s += parpy.operators.sum(x[i, k, :])
        out[i, 0] = s
        m = 1.0
        parpy.label('M')
        m *= parpy.operators.max(x[i, 0, :])
        out[i, 1] = m


def inputs(rng):
    n, k, m = 50, 4, 100
    return dict(x=rng.standard_normal((n, k, m)), out=np.zeros((n, 2)), N=n, K=k)
