# Reductions over long rows, which take the batched turns of the vector loops (several steps'
# loads issued before their arithmetic): one row (`sums`, f32), three rows (`dot3`, f64), rows
# whose length leaves steps and elements over, and rows not on 16-byte boundaries (odd rows of
# a length that is not a multiple of 4), which take the scalar loop.
import numpy as np
import parpy


@parpy.jit
def sums(x, out, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        out[i] = parpy.operators.sum(x[i, :])


@parpy.jit
def dot3(a, b, c, out, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        out[i] = parpy.operators.sum(a[i, :] * b[i, :] * c[i, :])


def inputs(rng):
    def rows(n, m, dt):
        return rng.standard_normal((n, m)).astype(dt)

    return {
        "sums": [dict(x=rows(n, m, np.float32), out=np.zeros(n, np.float32), N=n) for n, m in ((64, 40000), (33, 40002), (8, 70001))],
        "dot3": [
            dict(a=rows(n, m, np.float64), b=rows(n, m, np.float64), c=rows(n, m, np.float64), out=np.zeros(n, np.float64), N=n)
            for n, m in ((48, 20000), (9, 20003))
        ],
    }
