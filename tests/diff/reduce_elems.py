# Hand-written parallel reductions (`reduce = true`) into array elements and 0-d arrays with
# every operator: a product `p[0] *= ...`, `out[r, 0] = max(out[r, 0], ...)` and
# `out[r, 1] = min(out[r, 1], ...)` per row at the thread level, an integer maximum and an
# unsigned minimum into 1-element arrays across the whole grid, a 0-d accumulator (`acc[()]`)
# summed over a negative-step range, a product over int64 values, and a block-level max into
# an element that starts from a value written in a `with parpy.gpu:` block.
import numpy as np
import parpy


@parpy.jit
def row_extremes(x, out, N, M):
    parpy.label('N')
    for r in range(N):
        parpy.label('M')
        for j in range(M):
            out[r, 0] = max(out[r, 0], x[r, j])
        parpy.label('M')
        for j in range(M):
            out[r, 1] = min(out[r, 1], x[r, j] * 2.0)
        parpy.label('M')
        for j in range(M):
            out[r, 2] *= 1.0 + x[r, j] * 0.01


@parpy.jit
def grid_extremes(a, u, x, imax, umin, p, acc, ip, N):
    parpy.label('G')
    for i in range(N):
        imax[0] = max(imax[0], a[i])
    parpy.label('G')
    for i in range(N):
        umin[0] = min(umin[0], u[i])
    parpy.label('G')
    for i in range(N):
        p[0] *= 1.0 + x[i] * 0.001
    parpy.label('G')
    for i in range(N - 1, -1, -3):
        acc[()] += x[i]
    parpy.label('G')
    for i in range(0, N, 1000):
        ip[0] *= a[i] % 3 + 1


@parpy.jit
def gpu_then_max(x, best, N):
    with parpy.gpu:
        best[0] = x[0] * 0.5
        best[1] = x[N - 1]
    parpy.label('G')
    for i in range(N):
        best[0] = parpy.builtin.maximum(best[0], x[i])
    parpy.label('G')
    for i in range(N):
        best[1] = parpy.builtin.minimum(best[1], x[i] - 1.0)


def inputs(rng):
    n, m = 64, 300
    big = 50000
    return {
        "row_extremes": dict(
            x=rng.standard_normal((n, m)),
            out=np.stack([np.full(n, -np.inf), np.full(n, 0.5), np.ones(n)], axis=1),
            N=n,
            M=m,
        ),
        "grid_extremes": dict(
            a=rng.integers(-(1 << 40), 1 << 40, big),
            u=rng.integers(1000, 1 << 32, big).astype(np.uint32),
            x=rng.standard_normal(big),
            imax=np.array([-(1 << 62)], np.int64),
            umin=np.array([4000000000], np.uint32),
            p=np.array([1.0]),
            acc=np.array(2.5),
            ip=np.array([3], np.int64),
            N=big,
        ),
        "gpu_then_max": dict(x=rng.standard_normal(big), best=np.zeros(2), N=big),
    }
