# Block-level code making several passes over one row, which parpyc may keep in registers:
# softmax in place (the same array passed as input and output), a normalization reading its
# row three times, a pass writing two rows of one type, and f64 rows. Rows of 2051 elements:
# most start unaligned (the passes then run as written) and the aligned ones end in a remainder.
import numpy as np
import parpy


@parpy.jit
def softmax_alias(xs, ys, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        m = parpy.operators.max(xs[i, :])
        parpy.label('M')
        ys[i, :] = parpy.operators.exp(xs[i, :] - m)
        parpy.label('M')
        s = parpy.operators.sum(ys[i, :])
        parpy.label('M')
        ys[i, :] = ys[i, :] / s


@parpy.jit
def normalize(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        total = parpy.operators.sum(x[i, :])
        mean = total / M
        parpy.label('M')
        sq = parpy.operators.sum((x[i, :] - mean) * (x[i, :] - mean))
        var = sq / M
        parpy.label('M')
        out[i, :] = (x[i, :] - mean) / parpy.operators.sqrt(var + 1e-5)


@parpy.jit
def two_outputs(x, out, out2, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        out[i, :] = x[i, :] * 2.0
        parpy.label('M')
        out2[i, :] = x[i, :] + out[i, :]
        parpy.label('M')
        t = parpy.operators.sum(out2[i, :])
        parpy.label('M')
        out[i, :] = out[i, :] - t


@parpy.jit
def softmax64(xd, yd, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        m = parpy.operators.max(xd[i, :])
        parpy.label('M')
        yd[i, :] = parpy.operators.exp(xd[i, :] - m)
        parpy.label('M')
        s = parpy.operators.sum(yd[i, :])
        parpy.label('M')
        yd[i, :] = yd[i, :] / s


def inputs(rng):
    n, m = 19, 2051
    shared = rng.standard_normal((n, m)).astype(np.float32)
    return dict(
        xs=shared,
        ys=shared,
        x=rng.standard_normal((n, m)).astype(np.float32),
        out=np.zeros((n, m), np.float32),
        out2=np.zeros((n, m), np.float32),
        xd=rng.standard_normal((n, m)),
        yd=np.zeros((n, m)),
        N=n,
        M=m,
    )
