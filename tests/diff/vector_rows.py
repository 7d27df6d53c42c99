# Thread-level loops over rows that take 16-byte vector steps: rows of odd length (so most rows
# start unaligned and every row has a remainder), f64/i32/i64 rows, a row read and written in
# one iteration, a store followed by a read of the same element, a stencil that reads a row at
# shifted positions, and loops that fuse (an elementwise pass followed by a reduction of what
# it wrote).
import numpy as np
import parpy


@parpy.jit
def scale_rows(x, y, k, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            y[i, j] = y[i, j] * 2.0 + x[i, j] * k[j]


@parpy.jit
def store_then_read(x, y, s, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            y[i, j] = x[i, j] + 1.0
            s[i, j] = y[i, j] * y[i, j]


@parpy.jit
def stencil(x, y, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        y[i, 1:M - 1] = x[i, 0:M - 2] + x[i, 2:M] - 2.0 * x[i, 1:M - 1]


@parpy.jit
def fused_norm(x, y, out, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        y[i, :] = x[i, :] * x[i, :]
        parpy.label('M')
        t = parpy.operators.sum(y[i, :])
        parpy.label('M')
        y[i, :] = y[i, :] / t
        out[i] = t


@parpy.jit
def int_rows(a, b, total, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        b[i, :] = a[i, :] * 3 - 1
        parpy.label('M')
        total[i] = parpy.operators.sum(b[i, :])


@parpy.jit
def long_sums(a64, total64, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        hi = parpy.operators.max(a64[i, :])
        parpy.label('M')
        lo = parpy.operators.min(a64[i, :])
        total64[i] = hi + lo


@parpy.jit
def f64_rows(xd, yd, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            yd[i, j] = xd[i, j] * 0.5 + yd[i, j]


def inputs(rng):
    n, m = 37, 1003
    f = lambda *s: rng.standard_normal(s)
    return dict(
        x=f(n, m).astype(np.float32),
        y=f(n, m).astype(np.float32),
        s=np.zeros((n, m), np.float32),
        k=f(m).astype(np.float32),
        out=np.zeros(n, np.float32),
        xd=f(n, m),
        yd=np.zeros((n, m)),
        a=rng.integers(-1000, 1000, (n, m)).astype(np.int32),
        b=np.zeros((n, m), np.int32),
        total=np.zeros(n, np.int32),
        a64=rng.integers(-(2**40), 2**40, (n, 4097)),
        total64=np.zeros(n, np.int64),
        N=n,
        M=m,
    )
