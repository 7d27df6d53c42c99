# float16 arrays with float16 scalars (NumPy 2 keeps them float16): an f16 local accumulator
# started from `parpy.float16(0.0)` that rounds after every addition, an f16 scale from
# `convert(0.1, F16)`, f16 `**` by a Python int and by 0.5, f16 floor division and modulo, an f16
# max from `-inf` kept in an f16 local, comparisons of f16 elements with Python floats (the
# float is converted to float16 first, so float16(0.1) == 0.1), promotion of f16 with int8 and
# uint8 (float16), int16 (float32) and int32 (float64), and an f16 product reduction and an
# axis sum of an f16 slice.
import math
import numpy as np
import parpy
from parpy.types import F16


@parpy.jit
def half_scalars(x, i8, u8, i16, i32, out, wide, flags, N, M):
    parpy.label('N')
    for i in range(N):
        s = parpy.float16(0.0)
        m = parpy.builtin.convert(-math.inf, F16)
        for j in range(M):
            s += x[i, j]
            m = max(m, x[i, j] * 0.5)
        h = parpy.builtin.convert(0.1, F16)
        out[i, 0] = s
        out[i, 1] = m
        out[i, 2] = x[i, 0] * h
        out[i, 3] = x[i, 1] ** 2 + abs(x[i, 2]) ** 0.5
        out[i, 4] = x[i, 3] // 0.75
        out[i, 5] = x[i, 3] % 0.75
        out[i, 6] = x[i, 4] + i8[i]
        out[i, 7] = x[i, 4] * u8[i]
        wide[i, 0] = x[i, 5] + i16[i]
        wide[i, 1] = x[i, 5] * i32[i]
        flags[i, 0] = x[i, 6] == 0.1
        flags[i, 1] = x[i, 6] < 0.1
        flags[i, 2] = x[i, 7] >= 3.0001
        flags[i, 3] = s > 100.0


@parpy.jit
def half_reduce(x, p, cs, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        p[i] = parpy.operators.prod(x[i, 0:6] * 0.25 + 1.0)
    parpy.label('A')
    parpy.label('B')
    cs[:] = parpy.operators.sum(x[:, :], axis=0)


def inputs(rng):
    n, m = 120, 40
    x = (rng.standard_normal((n, m)) * 3).astype(np.float16)
    xs = np.abs(x) + np.float16(2.0)
    xs[::3, 6] = np.float16(0.1)
    xs[::4, 7] = np.float16(3.0)
    return {
        "half_scalars": dict(
            x=xs,
            i8=rng.integers(-128, 128, n).astype(np.int8),
            u8=rng.integers(0, 256, n).astype(np.uint8),
            i16=rng.integers(-30000, 30000, n).astype(np.int16),
            i32=rng.integers(-(1 << 30), 1 << 30, n).astype(np.int32),
            out=np.zeros((n, 8), np.float16),
            wide=np.zeros((n, 2)),
            flags=np.zeros((n, 4), np.bool_),
            N=n,
            M=m,
        ),
        "half_reduce": dict(x=x, p=np.zeros(n, np.float16), cs=np.zeros(m, np.float16), N=n),
    }
