# Reductions into one array element across the whole grid (`reduce = true` on the outermost
# parallel loop): counts, sums, a maximum, and a sum of row sums over two parallel levels.
import numpy as np
import parpy


@parpy.jit
def grid_reductions(x, count, total, biggest, N):
    parpy.label('N')
    for i in range(N):
        count[0] += 1 if x[i] > 0.0 else 0
    parpy.label('N')
    for i in range(N):
        total[0] += x[i] * x[i]
    parpy.label('N')
    for i in range(N):
        biggest[0] = parpy.operators.max(biggest[0], x[i])


@parpy.jit
def sum_of_rows(y, out, R):
    parpy.label('R')
    for r in range(R):
        parpy.label('C')
        s = parpy.operators.sum(y[r, :])
        out[1] += s


def inputs(rng):
    n = 100000
    r, c = 300, 129
    return {
        "grid_reductions": dict(x=rng.standard_normal(n), count=np.array([5], np.int64), total=np.zeros(1), biggest=np.array([-np.inf]), N=n),
        "sum_of_rows": dict(y=rng.standard_normal((r, c)).astype(np.float32), out=np.zeros(2, np.float32), R=r),
    }
