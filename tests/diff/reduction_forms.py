# Forms of reductions: accumulators that do not start at the neutral element (a local set
# before a parallel reduction and stored after it: `s = 1.5`, `s = 3.0` with a maximum, a start
# computed from an argument, two reducing levels); updates into an array element under a
# condition (`if c: out[k] += ...`, at the thread level and across the grid); `-=` and the
# accumulator on the right (`out[k] = e + out[k]`); an update of an element that also reads
# the array where the loop's range keeps the reads apart from it (`trmm`: `B[i, j] += A[k, i] *
# B[k, j]` for `k` in `range(i + 1, M)`). A write that a condition gives to one iteration only
# (`if i == 0:`) is no race.
import numpy as np
import parpy


@parpy.jit
def starts(x, out, N):
    s = 1.5
    parpy.label('N')
    for i in range(N):
        s += x[i]
    out[0] = s
    m = 3.0
    parpy.label('N')
    for i in range(N):
        m = max(m, x[i])
    out[1] = m
    h = N * 0.5
    parpy.label('N')
    for i in range(N):
        h += x[i]
    out[2] = h


@parpy.jit
def start_before_loop(x, y, out, N):
    # The start is what `t` and `y` hold before the loop, which changes both.
    t = N * 0.25
    s = t
    parpy.label('N')
    for i in range(N):
        t = x[i] * 2.0
        s += t
    out[0] = s
    r = y[3]
    parpy.label('N')
    for i in range(N):
        y[i] = y[i] * 2.0
        r += y[i]
    out[1] = r


@parpy.jit
def nested_start(y, out, R, C):
    s = 2.0
    parpy.label('R')
    for r in range(R):
        parpy.label('C')
        for c in range(C):
            s += y[r, c]
    out[0] = s


@parpy.jit
def guarded(y, rows, biggest, R, C):
    parpy.label('R')
    for r in range(R):
        parpy.label('C')
        for c in range(C):
            if y[r, c] > 0.0:
                rows[r] += y[r, c]
    parpy.label('R')
    for r in range(R):
        if y[r, 0] < 0.5:
            biggest[0] = max(biggest[0], y[r, 1])
    parpy.label('F')
    for r in range(R):
        if r == 0:
            biggest[1] = y[r, 2]


@parpy.jit
def other_sides(x, y, out, N, M):
    parpy.label('N')
    for i in range(N):
        out[0] -= x[i]
    parpy.label('R')
    for r in range(N):
        s = 10.0
        parpy.label('M')
        for c in range(M):
            s -= y[r, c]
        out[r + 2] = s
    parpy.label('N')
    for i in range(N):
        out[1] = x[i] * 2.0 + out[1]


@parpy.jit
def trmm(alpha, A, B, M, N):
    for i in range(M):
        parpy.label('j')
        for j in range(N):
            parpy.label('k')
            for k in range(i + 1, M):
                B[i, j] += A[k, i] * B[k, j]
            B[i, j] = B[i, j] * alpha


def inputs(rng):
    n = 50000
    r, c = 300, 517
    return {
        # Quarters, so that every sum is exact in float32 in any order; every value below 3, so
        # that the maximum's start decides.
        "starts": dict(x=(rng.integers(-4, 10, n) / 4).astype(np.float32), out=np.zeros(3, np.float32), N=n),
        "start_before_loop": dict(x=(rng.integers(-4, 10, 5000) / 4).astype(np.float32), y=(rng.integers(-4, 10, 5000) / 4).astype(np.float32), out=np.zeros(2, np.float32), N=5000),
        "nested_start": dict(y=rng.standard_normal((r, c)), out=np.zeros(1), R=r, C=c),
        "other_sides": dict(x=rng.standard_normal(r), y=rng.standard_normal((r, c)), out=np.full(r + 2, 0.5), N=r, M=c),
        "trmm": dict(alpha=1.5, A=rng.standard_normal((60, 60)), B=rng.standard_normal((60, 70)), M=60, N=70),
        "guarded": dict(y=rng.standard_normal((r, c)), rows=rng.standard_normal(r), biggest=np.array([-7.0, 0.0]), R=r, C=c),
    }
