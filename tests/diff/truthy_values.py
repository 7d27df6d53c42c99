# `and`, `or` and `not` on non-bool operands, as Python evaluates them: `a or b` is `a` when `a`
# is truthy and `b` otherwise (the value, not a bool), `a and b` is `a` when `a` is falsy; floats
# (0.0, -0.0 and nan: nan is truthy), int8/uint16 elements, a Python int and a float mixed, long
# chains mixing both operators, `not` of floats and ints; chained comparisons with mixed types
# (`0 <= k < n`, `a < b > c`, `x == y == z`, `a < b < c < d`), where a middle operand is read
# once even when it calls a helper, and helpers in `or`/`and` operands run only when Python calls
# them; conditional expressions nested and with operands of different types.
import numpy as np
import parpy


@parpy.jit
def bump(cnt, i, v):
    cnt[i] += 1
    return v * 2


@parpy.jit
def truthy(f, g, a8, b16, fo, io, bo, cnt, N):
    parpy.label('N')
    for i in range(N):
        fo[i, 0] = f[i] or g[i]
        fo[i, 1] = f[i] and g[i]
        fo[i, 2] = a8[i] or 2.5
        fo[i, 3] = f[i] or a8[i] or -1
        fo[i, 4] = (f[i] and a8[i]) or g[i]
        fo[i, 5] = f[i] and g[i] or b16[i]
        fo[i, 6] = 3.0 if not f[i] else f[i] * 2
        fo[i, 7] = (a8[i] or b16[i]) * 0.5
        fo[i, 8] = f[i] or bump(cnt, i, g[i])
        fo[i, 9] = a8[i] and bump(cnt, i, 1.5) or bump(cnt, i, -g[i])
        io[i, 0] = a8[i] or b16[i]
        io[i, 1] = a8[i] and b16[i]
        io[i, 2] = not a8[i]
        io[i, 3] = (not f[i]) + (not g[i]) * 2
        io[i, 4] = i and a8[i]
        io[i, 5] = (i % 3) or 7
        bo[i, 0] = not (f[i] or a8[i])
        bo[i, 1] = bool_of(f[i] and b16[i])
        bo[i, 2] = f[i] != f[i] or (a8[i] > 0 and not b16[i])


@parpy.jit
def bool_of(v):
    if v:
        return True
    return False


@parpy.jit
def chains(a, b, c, k, lo, hi, bo, cnt, io, N, M):
    parpy.label('N')
    for i in range(N):
        bo[i, 0] = 0 <= k[i] < M
        bo[i, 1] = a[i] < b[i] > c[i]
        bo[i, 2] = a[i] == b[i] == c[i]
        bo[i, 3] = a[i] < b[i] < c[i] < 0.5
        bo[i, 4] = lo[i] <= k[i] <= hi[i] != 3
        bo[i, 5] = lo[i] < bump(cnt, i, k[i]) < hi[i]
        bo[i, 6] = -1 < a[i] <= 1 < b[i]
        bo[i, 7] = not lo[i] < k[i]
        io[i, 0] = k[i] if lo[i] < k[i] else (hi[i] if hi[i] > 5 else -k[i])
        io[i, 1] = (1 if a[i] > b[i] else 0) + (1 if b[i] > c[i] else 0)
        io[i, 2] = lo[i] if k[i] < lo[i] else hi[i] if k[i] > hi[i] else k[i]


def inputs(rng):
    n = 2000
    f = rng.standard_normal(n)
    f[::3] = 0.0
    f[1::7] = -0.0
    f[2::11] = np.nan
    g = rng.standard_normal(n)
    g[::4] = 0.0
    a8 = rng.integers(-3, 4, n).astype(np.int8)
    b16 = rng.integers(0, 3, n).astype(np.uint16)
    a = np.round(rng.standard_normal(n), 1)
    b = np.round(rng.standard_normal(n), 1)
    c = np.round(rng.standard_normal(n), 1)
    k = rng.integers(-3, 14, n).astype(np.int32)
    lo = rng.integers(-2, 6, n).astype(np.int32)
    hi = lo + rng.integers(0, 9, n).astype(np.int32)
    return {
        "truthy": dict(f=f, g=g, a8=a8, b16=b16, fo=np.zeros((n, 10)),
                       io=np.zeros((n, 6), np.int32), bo=np.zeros((n, 3), np.bool_),
                       cnt=np.zeros(n, np.int32), N=n),
        "chains": dict(a=a, b=b, c=c, k=k, lo=lo, hi=hi, bo=np.zeros((n, 8), np.bool_),
                       cnt=np.zeros(n, np.int32), io=np.zeros((n, 3), np.int64), N=n, M=10),
    }
