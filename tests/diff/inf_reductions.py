# Infinities as starting values of max/min reductions whose ranges may be empty: a parallel
# `reduce = true` loop over `range(lo[i], hi[i])` into a local started from `-math.inf` (an
# empty row keeps it), a min from `math.inf` over a negative-step range, the same with
# `float('-inf')`, `-np.inf` and `parpy.inf`, a sequential max over an empty range, the
# infinities stored into float32 and float64, `parpy.builtin.maximum` with an infinite
# operand, a product reduction started from 1.0 over an empty range, and a sum of an empty
# stepped slice (`x[i, j:j]`, zero).
import math
import numpy as np
import parpy


@parpy.jit
def inf_reduce(x, lo, hi, out, out32, N):
    parpy.label('N')
    for i in range(N):
        m = -math.inf
        parpy.label('R')
        for j in range(lo[i], hi[i]):
            m = max(m, x[i, j])
        out[i, 0] = m
        n = math.inf
        parpy.label('R')
        for j in range(hi[i] - 1, lo[i] - 1, -1):
            n = min(n, x[i, j])
        out[i, 1] = n
        a = float('-inf')
        parpy.label('R')
        for j in range(lo[i], hi[i], 2):
            a = parpy.builtin.maximum(a, x[i, j] * 2.0)
        out32[i, 0] = a
        b = parpy.inf
        parpy.label('R')
        for j in range(lo[i], hi[i]):
            b = parpy.builtin.minimum(b, -x[i, j])
        out32[i, 1] = b
        p = 1.0
        parpy.label('R')
        for j in range(lo[i], hi[i]):
            p = p * (1.0 + x[i, j] * 0.01)
        out[i, 2] = p
        c = -np.inf
        for j in range(hi[i], lo[i]):
            c = max(c, x[i, j])
        out[i, 3] = max(c, -1.0e300)
        out[i, 4] = parpy.builtin.maximum(-np.inf, x[i, 0]) + parpy.builtin.minimum(np.inf, x[i, 1])
        parpy.label('R')
        out[i, 5] = parpy.operators.sum(x[i, lo[i]:lo[i]])


def inputs(rng):
    n, m = 200, 64
    lo = rng.integers(0, m, n).astype(np.int64)
    hi = np.minimum(lo + rng.integers(-3, 40, n), m).astype(np.int64)
    lo[:3] = [5, 10, 0]
    hi[:3] = [5, 2, m]
    return dict(
        x=rng.standard_normal((n, m)),
        lo=lo,
        hi=hi,
        out=np.zeros((n, 6)),
        out32=np.zeros((n, 2), np.float32),
        N=n,
    )
