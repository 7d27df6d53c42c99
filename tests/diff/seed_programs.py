# The seed tutorial's programs at small sizes: matrix-vector product (both spellings), row sums
# and a row-wise softmax.
import numpy as np
import parpy


@parpy.jit
def mv(A, b, out, N):
    parpy.label('N')
    for row in range(N):
        parpy.label('M')
        out[row] = sum(A[row, :] * b[:])


@parpy.jit
def sum_rows(A, sums, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        sums[i] = parpy.operators.sum(A[i, :])


@parpy.jit
def softmax(A, sm, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        m = parpy.operators.max(A[i, :])
        parpy.label('M')
        sm[i, :] = parpy.operators.exp(A[i, :] - m)
        parpy.label('M')
        s = parpy.operators.sum(sm[i, :])
        parpy.label('M')
        sm[i, :] = sm[i, :] / s


def inputs(rng):
    n, m = 257, 1000
    return dict(
        A=rng.standard_normal((n, m)).astype(np.float32),
        b=rng.standard_normal(m).astype(np.float32),
        out=np.zeros(n, np.float32),
        sums=np.zeros(n, np.float32),
        sm=np.zeros((n, m), np.float32),
        N=n,
    )
