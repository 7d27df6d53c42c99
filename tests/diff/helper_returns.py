# Helpers that return before their end (from inside loops and branches), a helper called in a
# `while` condition, and a statement call whose returned value is dropped.
import numpy as np
import parpy


@parpy.jit
def first_negative(x, i, M):
    for j in range(M):
        if x[i, j] < 0.0:
            return j
    return -1


@parpy.jit
def classify(v):
    if v < -1.0:
        return -1
    if v > 1.0:
        return 1
    return 0


@parpy.jit
def step(v):
    return v // 2 if v % 2 == 0 else 3 * v + 1


@parpy.jit
def bump(out, i):
    out[i, 3] = out[i, 3] + 1
    return out[i, 3]


@parpy.jit
def helper_returns(x, n0, out, N, M):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = first_negative(x, i, M)
        out[i, 1] = classify(x[i, 0])
        v = n0[i]
        steps = 0
        while step(v) != 1 and steps < 200:
            v = step(v)
            steps += 1
        out[i, 2] = steps
        bump(out, i)


def inputs(rng):
    n, m = 400, 12
    x = rng.standard_normal((n, m)) + 1.2
    return dict(x=x, n0=rng.integers(2, 10000, n).astype(np.int64), out=np.zeros((n, 4), np.int64), N=n, M=m)
