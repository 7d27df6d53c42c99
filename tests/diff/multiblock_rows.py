# Rows whose thread level asks for more threads than a block holds, with block-level code
# between the row's loops: the second loop reads what other threads of the row wrote in the
# first (a barrier across every thread of the row), a store by the row's first thread, and
# reductions that combine the parts of every block of the row.
import numpy as np
import parpy


@parpy.jit
def reverse_rows(x, y, z, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            y[i, j] = x[i, j] * 2.0
        parpy.label('M')
        for j in range(M):
            z[i, j] = y[i, M - 1 - j]


@parpy.jit
def count_rows(x, counts, N, M):
    parpy.label('N')
    for i in range(N):
        counts[i] = counts[i] + 1
        parpy.label('M')
        for j in range(M):
            x[i, j] = x[i, j] + counts[i]


@parpy.jit
def softmax_wide(x, out, N, M):
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
def smooth_rows(x, tmp, N, M, T):
    parpy.label('N')
    for i in range(N):
        for t in range(T):
            parpy.label('M')
            for j in range(1, M - 1):
                tmp[i, j] = (x[i, j - 1] + x[i, j] + x[i, j + 1]) / 3.0
            parpy.label('M')
            for j in range(1, M - 1):
                x[i, j] = tmp[i, j] + t
        x[i, 0] = T


@parpy.jit
def branch_rows(x, out, flags, N, M):
    parpy.label('N')
    for i in range(N):
        scale = 2.0
        if flags[i] > 0:
            parpy.label('M')
            m = parpy.operators.max(x[i, :])
            parpy.label('M')
            out[i, :] = x[i, :] - m * scale
        else:
            parpy.label('M')
            s = parpy.operators.sum(x[i, :])
            scale = s / M
            parpy.label('M')
            out[i, :] = x[i, :] * scale
        out[i, 0] = scale


def inputs(rng):
    n, m = 6, 20000
    return {
        "reverse_rows": dict(x=rng.standard_normal((n, m)).astype(np.float32), y=np.zeros((n, m), np.float32),
                             z=np.zeros((n, m), np.float32), N=n, M=m),
        "count_rows": dict(x=rng.standard_normal((n, m)), counts=rng.integers(0, 5, n).astype(np.int64), N=n, M=m),
        "softmax_wide": dict(x=rng.standard_normal((n, m)).astype(np.float32), out=np.zeros((n, m), np.float32), N=n, M=m),
        "smooth_rows": dict(x=rng.standard_normal((n, 3000)), tmp=np.zeros((n, 3000)), N=n, M=3000, T=5),
        "branch_rows": dict(x=rng.standard_normal((n, m)), out=np.zeros((n, m)), flags=np.array([1, 0, 0, 1, 1, 0], np.int32),
                            N=n, M=m),
    }
