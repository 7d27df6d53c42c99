# Reductions over two parallel levels into one array element: the element starts at the
# reduction's neutral element, and every block combines its part into it atomically. (The loop
# form sums f64: CPython adds a float32 array's elements one by one in float32, whose rounding
# over 77,000 elements exceeds the comparison's tolerance.)
import numpy as np
import parpy


@parpy.jit
def total(x, out, N, M):
    parpy.label('N')
    parpy.label('M')
    out[0] = parpy.operators.sum(x[:, :])


@parpy.jit
def total_loops(xd, outd, N, M):
    s = 0.0
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            s += xd[i, j]
    outd[0] = s


@parpy.jit
def largest(x, out, N, M):
    parpy.label('N')
    parpy.label('M')
    out[2] = parpy.operators.max(x[:, :])


@parpy.jit
def count_positive(x, counts, N, M):
    c = 0
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            if x[i, j] > 0.0:
                c += 1
    counts[0] = c


def inputs(rng):
    n, m = 77, 1001
    return dict(
        x=rng.standard_normal((n, m)).astype(np.float32),
        out=np.full(3, 7.0, np.float32),
        xd=rng.standard_normal((n, m)),
        outd=np.zeros(1),
        counts=np.zeros(1, np.int32),
        N=n,
        M=m,
    )
