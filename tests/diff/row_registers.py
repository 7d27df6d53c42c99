# Rows kept in registers across passes: softmax-like row programs at lengths that take that
# form (multiples of the vector width, up to 32768 f32 per row) and lengths that do not (an odd
# length, a row too long for one block's registers), in f32, f64 and i32, and in place (the
# same array passed twice, which must take the ordinary form). f64 rows of 8192 take a block of
# 1024 threads, of which one fits on a multiprocessor: with more rows than multiprocessors, the
# rows go to blocks of 256 threads that keep them in shared memory instead (`softmax64`, and
# `standardize`, whose rows `x` and `out` both stay, and `gathered`, whose row is chosen through
# an index the block writes first).
import numpy as np
import parpy


@parpy.jit
def softmax(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        m = parpy.operators.max(x[i, :])
        parpy.label('M')
        out[i, :] = parpy.operators.exp(x[i, :] - m)
        parpy.label('M')
        s = parpy.operators.sum(out[i, :])
        parpy.label('M')
        out[i, :] = out[i, :] / s


@parpy.jit
def softmax64(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        m = parpy.operators.max(x[i, :])
        parpy.label('M')
        out[i, :] = parpy.operators.exp(x[i, :] - m)
        parpy.label('M')
        s = parpy.operators.sum(out[i, :])
        parpy.label('M')
        out[i, :] = out[i, :] / s


@parpy.jit
def softmax_in_place(x, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        m = parpy.operators.max(x[i, :])
        parpy.label('M')
        x[i, :] = parpy.operators.exp(x[i, :] - m)
        parpy.label('M')
        s = parpy.operators.sum(x[i, :])
        parpy.label('M')
        x[i, :] = x[i, :] / s


@parpy.jit
def center(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        s = parpy.operators.sum(x[i, :])
        mean = s / M
        parpy.label('M')
        out[i, :] = x[i, :] - mean
        parpy.label('M')
        v = parpy.operators.sum(out[i, :] * out[i, :])
        parpy.label('M')
        out[i, :] = out[i, :] * v


@parpy.jit
def standardize(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        s = parpy.operators.sum(x[i, :])
        mean = s / M
        parpy.label('M')
        out[i, :] = x[i, :] - mean
        parpy.label('M')
        v = parpy.operators.sum(out[i, :] * out[i, :])
        parpy.label('M')
        out[i, :] = out[i, :] / v + x[i, :]


@parpy.jit
def gathered(x, idx, out, N, M):
    parpy.label('N')
    for i in range(N):
        idx[i] = N - 1 - i
        parpy.label('M')
        m = parpy.operators.max(x[idx[i], :])
        parpy.label('M')
        out[i, :] = parpy.operators.exp(x[idx[i], :] - m)
        parpy.label('M')
        s = parpy.operators.sum(out[i, :])
        parpy.label('M')
        out[i, :] = out[i, :] / s


@parpy.jit
def int_rows(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        hi = parpy.operators.max(x[i, :])
        parpy.label('M')
        for j in range(M):
            out[i, j] = hi - x[i, j]
        parpy.label('M')
        lo = parpy.operators.min(out[i, :])
        parpy.label('M')
        for j in range(M):
            out[i, j] = out[i, j] * 3 + lo


def inputs(rng):
    def rows(n, m, dt):
        return rng.standard_normal((n, m)).astype(dt)

    x2 = rows(300, 1024, np.float64)
    return {
        # Rows in registers; a length that is not a multiple of the vector width; rows too long
        # for one block (over a cluster where the GPU has them: five blocks of 256 threads, the
        # last partly idle, and seven of 512).
        "softmax": [
            dict(x=rows(n, m, np.float32), out=np.zeros((n, m), np.float32), N=n, M=m)
            for n, m in ((40, 8192), (20, 3001), (4, 40000), (2, 100000))
        ],
        # Rows in shared memory (more rows than register blocks that fit at once), and too few
        # rows for that.
        "softmax64": [
            dict(x=rows(n, 8192, np.float64), out=np.zeros((n, 8192), np.float64), N=n, M=8192)
            for n in (300, 5)
        ],
        "standardize": [
            dict(x=rows(n, 4096, np.float64), out=np.zeros((n, 4096), np.float64), N=n, M=4096)
            for n in (300, 7)
        ],
        "gathered": dict(x=rows(300, 8192, np.float64), idx=np.zeros(300, np.int64), out=np.zeros((300, 8192), np.float64),
                         N=300, M=8192),
        "softmax_in_place": dict(x=rows(50, 512, np.float32), N=50, M=512),
        "center": dict(x=x2, out=x2, N=300, M=1024),
        "int_rows": dict(x=rng.integers(-1000, 1000, (64, 2048)).astype(np.int32), out=np.zeros((64, 2048), np.int32),
                         N=64, M=2048),
    }
