# Reductions whose label asks for more threads than one block holds: a constant count above
# `tpb`, a count given by the row length (3001 at run time), and a small `tpb`. A block-wide
# reduction runs with at most a block of threads per row, each taking several iterations.
import numpy as np
import parpy


@parpy.jit
def mv_wide(A, b, out, N):
    parpy.label('N')
    for row in range(N):
        parpy.label('M')
        out[row] = sum(A[row, :] * b[:])


@parpy.jit
def max_by_length(A, out, N):
    parpy.label('N')
    for row in range(N):
        parpy.label('M')
        out[row] = parpy.operators.max(A[row, :])


@parpy.jit
def sum_small_blocks(A, out, N):
    parpy.label('N')
    for row in range(N):
        parpy.label('M')
        out[row] = parpy.operators.sum(A[row, :])


def inputs(rng):
    n, m = 23, 3001
    return dict(
        A=rng.standard_normal((n, m)).astype(np.float32),
        b=rng.standard_normal(m).astype(np.float32),
        out=np.zeros(n, np.float32),
        N=n,
    )
