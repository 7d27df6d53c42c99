# Row normalization in place and a softmax with mixed parallelism: float32 locals from casts
# (`parpy.float32(0.0)`, `parpy.builtin.convert`), a parallel reduction into a local with a
# label used on two loops, augmented slice assignment (`t[i, :] /= s`), sequential loops next to
# parallel slice statements in the same block, a column-wise L2 normalization, and a while loop
# and a sequential loop with `break` around parallel loops, their conditions reduced in parallel.
import numpy as np
import parpy


@parpy.jit
def normalize_l1(t, nrows, ncols):
    parpy.label('i')
    for i in range(nrows):
        s = parpy.float32(0.0)
        parpy.label('j1')
        for j1 in range(ncols):
            s = s + parpy.abs(t[i, j1])
        parpy.label('j2')
        for j2 in range(ncols):
            t[i, j2] = t[i, j2] / s


@parpy.jit
def softmax_mixed(x, out, nrows, ncols):
    parpy.label('outer')
    for i in range(nrows):
        m = parpy.builtin.convert(-parpy.builtin.inf, parpy.types.F32)
        for j in range(ncols):
            m = parpy.builtin.maximum(m, x[i, j])
        parpy.label('inner_map')
        out[i, :] = parpy.math.exp(x[i, :] - m)
        s = parpy.builtin.convert(0.0, parpy.types.F32)
        for j in range(ncols):
            s = s + out[i, j]
        parpy.label('inner_map')
        out[i, :] /= s


@parpy.jit
def normalize_cols(x, norms, N, M):
    parpy.label('col')
    for j in range(M):
        parpy.label('row')
        sq = parpy.operators.sum(x[:, j] * x[:, j])
        norms[j] = parpy.sqrt(sq)
        parpy.label('row')
        x[:, j] = x[:, j] / norms[j]


@parpy.jit
def halve_until_small(x, iters, final, N, M):
    parpy.label('row')
    for i in range(N):
        err = parpy.builtin.inf
        k = 0
        while err > 1e-3 and k < 60:
            parpy.label('col')
            for j in range(M):
                x[i, j] = x[i, j] * 0.5
            parpy.label('col')
            err = parpy.reduce.max(parpy.math.abs(x[i, :]))
            k += 1
        iters[i] = k
        total = 0.0
        for t in range(100):
            parpy.label('col')
            total = parpy.reduce.sum(x[i, :])
            if total > 1.0:
                break
            parpy.label('col')
            for j in range(M):
                x[i, j] = x[i, j] + 0.001 * (j % 3)
        final[i] = total


def inputs(rng):
    n, m = 200, 300
    return {
        "normalize_l1": dict(t=rng.standard_normal((n, m)).astype(np.float32), nrows=n, ncols=m),
        "softmax_mixed": dict(x=rng.standard_normal((n, 52)).astype(np.float32) * 3, out=np.zeros((n, 52), np.float32), nrows=n, ncols=52),
        "normalize_cols": dict(x=rng.standard_normal((m, n)), norms=np.zeros(n), N=m, M=n),
        "halve_until_small": dict(x=rng.standard_normal((n, 90)) * rng.uniform(0.1, 100.0, (n, 1)), iters=np.zeros(n, np.int64), final=np.zeros(n), N=n, M=90),
    }
