# `use_cuda_graphs = true`: each call captures its launches into a CUDA graph and launches it.
# A host loop launches two kernels per step; the number of steps differs between calls, so a
# later call cannot reuse the previous graph as it is and makes a new one; a reduction
# combines blocks atomically inside the graph.
import numpy as np
import parpy


@parpy.jit
def relax(a, b, N, T):
    for t in range(T):
        parpy.label('N')
        for i in range(1, N - 1):
            b[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0
        parpy.label('N')
        for i in range(1, N - 1):
            a[i] = b[i]


@parpy.jit
def total(a, out, N):
    parpy.label('N')
    for i in range(N):
        out[0] += a[i]


def inputs(rng):
    n = 5000
    return dict(
        a=rng.standard_normal(n),
        b=np.zeros(n),
        out=np.zeros(1),
        N=n,
        T=int(rng.integers(3, 9)),
    )
