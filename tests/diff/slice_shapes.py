# Slice statements over 3-d and 4-d arrays: integer indices interspersed with slices
# (`x[:, 0, :] * y[1, :, :]`), a matrix product as a slice reduction of a row and a column
# (`sum(a[i, :] * b[:, j])`), reductions over every dimension of 2-d and interspersed slices,
# a Jacobi smoother whose host loop launches slice statements, a negative index selecting the
# last row, and broadcasting a 1-d slice over the rows of a 2-d one.
import numpy as np
import parpy


@parpy.jit
def mul_interspersed(x, y, out):
    parpy.label('N')
    parpy.label('M')
    out[:, :] = x[:, 0, :] * y[1, :, :] + x[:, 2, :]


@parpy.jit
def matmul_slices(a, b, c, M, N):
    for i in range(M):
        parpy.label('N')
        for j in range(N):
            parpy.label('K')
            c[i, j] = parpy.builtin.sum(a[i, :] * b[:, j])


@parpy.jit
def block_sums(x, q, out, B):
    parpy.label('B')
    for b in range(B):
        parpy.label('R')
        out[b, 0] = parpy.reduce.sum(x[b, :, :])
        parpy.label('R')
        out[b, 1] = parpy.reduce.max(q[b, :, 1, :])
        parpy.label('R')
        out[b, 2] = parpy.reduce.min(q[b, 2, :, 0:6] * x[b, 0:7, 1:7])


@parpy.jit
def jacobi_1d(steps, A, B):
    for t in range(1, steps):
        parpy.label('N')
        B[1:-1] = (A[:-2] + A[1:-1] + A[2:]) / 3.0
        parpy.label('N')
        A[1:-1] = (B[:-2] + B[1:-1] + B[2:]) / 3.0


@parpy.jit
def last_row(x, v):
    parpy.label('M')
    x[-1, :] = 0.0
    parpy.label('N')
    parpy.label('M')
    x[0:-1, :] = x[0:-1, :] - v[:] * 0.5


def inputs(rng):
    f32 = lambda *s: rng.standard_normal(s).astype(np.float32)
    return {
        "mul_interspersed": dict(x=f32(40, 4, 33), y=f32(3, 40, 33), out=np.zeros((40, 33), np.float32)),
        "matmul_slices": dict(a=f32(30, 45), b=f32(45, 50), c=np.zeros((30, 50), np.float32), M=30, N=50),
        "block_sums": dict(x=f32(12, 64, 70), q=f32(12, 6, 7, 8), out=np.zeros((12, 3), np.float32), B=12),
        "jacobi_1d": dict(steps=25, A=f32(500), B=f32(500)),
        "last_row": dict(x=f32(20, 96), v=f32(96)),
    }
