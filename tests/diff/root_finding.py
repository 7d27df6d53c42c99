# Iterative root finding in helpers: Newton's method for square roots in a `while` loop with an
# iteration cap and an early `return` on convergence, bisection for cube roots returning from
# inside the loop when the midpoint is exact, a helper called in a `while` condition, iteration
# counts written to int32, and 0.3 annotations (parpy.types.F64 / I32) on helper parameters.
import numpy as np
import parpy
from parpy.types import F64, I32


@parpy.jit
def newton_sqrt(v: F64, tol: F64) -> F64:
    if v == 0.0:
        return 0.0
    g = v if v > 1.0 else 1.0
    it = 0
    while it < 100:
        nxt = 0.5 * (g + v / g)
        if parpy.math.abs(nxt - g) <= tol * nxt:
            return nxt
        g = nxt
        it += 1
    return g


@parpy.jit
def newton_steps(v: F64, tol: F64) -> I32:
    g = v if v > 1.0 else 1.0
    n = 0
    while True:
        nxt = 0.5 * (g + v / g)
        n += 1
        if parpy.math.abs(nxt - g) <= tol * nxt or n >= 100:
            break
        g = nxt
    return n


@parpy.jit
def cbrt_bisect(v: F64) -> F64:
    lo = 0.0
    hi = v if v > 1.0 else 1.0
    for k in range(200):
        mid = 0.5 * (lo + hi)
        c = mid * mid * mid
        if c == v:
            return mid
        if c < v:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13:
            break
    return 0.5 * (lo + hi)


@parpy.jit
def above(x, i, k, t):
    return x[i, k] > t


@parpy.jit
def roots(x, sq, cb, steps, firstbig, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            sq[i, j] = newton_sqrt(x[i, j], 1e-12)
            cb[i, j] = cbrt_bisect(x[i, j])
            steps[i, j] = newton_steps(x[i, j] + 1.0, 1e-9)
        k = 0
        while k < M and not above(x, i, k, 50.0):
            k += 1
        firstbig[i] = k if k < M else -1


def inputs(rng):
    n, m = 60, 50
    x = rng.random((n, m)) * 100.0
    x[:, 0] = 0.0
    x[:, 1] = 8.0
    x[:, 2] = 0.25
    x[5, :] = 1.0
    return dict(
        x=x,
        sq=np.zeros((n, m)),
        cb=np.zeros((n, m)),
        steps=np.zeros((n, m), np.int32),
        firstbig=np.zeros(n, np.int64),
        N=n,
        M=m,
    )
