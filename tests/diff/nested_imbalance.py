# Loops at one depth that ask for different thread counts without being siblings: each `M`
# loop holds one `K` loop, with 32 and 64 threads. The nest runs as one kernel per `M` loop
# (fission), which computes what sequential Python does since `N`'s iterations are independent
# and nothing but the arrays passes between the parts.
import numpy as np
import parpy


@parpy.jit
def sum_exp_3d(x, N, M, out):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            parpy.label('K_1')
            x[i, j, :] = parpy.operators.exp(x[i, j, :])
        parpy.label('M')
        for j in range(M):
            parpy.label('K_2')
            out[i, j] = parpy.operators.sum(x[i, j, :])


def inputs(rng):
    n, m, k = 10, 20, 30
    return dict(x=rng.standard_normal((n, m, k)).astype(np.float32), N=n, M=m, out=np.zeros((n, m), np.float32))
