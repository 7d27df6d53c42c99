# Casts between widths, in both spellings (0.1 `parpy.operators.uint16(x)`, top-level
# `parpy.int8(x)`, 0.3 `parpy.builtin.convert(x, T)`): int64 to every narrower signed and
# unsigned width (wrapping), int8 to uint64 (sign extension then wrap), uint64 to int16, uint32
# to int8, int to bool (non-zero), floats to bool (NaN is True), float64 to int8/uint16/int32
# truncating toward zero (values in range), integers to float16/float32 (rounding), float64 to
# float16 and float32, float16 to float64 and int16, bool to float16, and casts of a Python int
# literal and of a loop variable.
import numpy as np
import parpy
from parpy.types import I8, I16, I32, U8, U16, U32, U64, F16, F32, Bool


@parpy.jit
def casts_int(a64, b8, c64u, d32u, ints, bools, N):
    parpy.label('N')
    for i in range(N):
        ints[i, 0] = parpy.int8(a64[i])
        ints[i, 1] = parpy.operators.uint8(a64[i])
        ints[i, 2] = parpy.builtin.convert(a64[i], I16)
        ints[i, 3] = parpy.builtin.convert(a64[i], U16)
        ints[i, 4] = parpy.int32(a64[i] * 4099)
        ints[i, 5] = parpy.builtin.convert(a64[i] * 4099, U32)
        ints[i, 6] = parpy.builtin.convert(parpy.builtin.convert(b8[i], U64) >> 60, I32)
        ints[i, 7] = parpy.int16(c64u[i])
        ints[i, 8] = parpy.builtin.convert(d32u[i], I8)
        ints[i, 9] = parpy.operators.uint8(i * 37 + 200)
        ints[i, 10] = parpy.builtin.convert(300, U8) + parpy.builtin.convert(-1, U8)
        bools[i, 0] = parpy.builtin.convert(a64[i] % 3, Bool)
        bools[i, 1] = parpy.builtin.convert(b8[i], Bool)


@parpy.jit
def casts_float(f, g, h, a64, u64, fl, hf, bools, ints, N):
    parpy.label('N')
    for i in range(N):
        ints[i, 0] = parpy.int8(f[i] * 100.0)
        ints[i, 1] = parpy.operators.uint16(f[i] * 100.0 + 200.0)
        ints[i, 2] = parpy.builtin.convert(f[i] * -1000.5, I32)
        ints[i, 3] = parpy.int16(h[i] * 10.0)
        fl[i, 0] = parpy.float32(a64[i])
        fl[i, 1] = parpy.builtin.convert(u64[i], F32)
        fl[i, 2] = parpy.float64(h[i]) * 3.0
        fl[i, 3] = parpy.float32(f[i]) - f[i]
        hf[i, 0] = parpy.float16(f[i])
        hf[i, 1] = parpy.builtin.convert(a64[i] % 2000, F16)
        hf[i, 2] = parpy.float16(bools[i, 0]) + h[i]
        hf[i, 3] = parpy.float16(f[i] * 1.0e5)
        bools[i, 1] = parpy.builtin.convert(g[i], Bool)
        bools[i, 2] = parpy.builtin.convert(h[i], Bool)


def inputs(rng):
    n = 1500
    a64 = rng.integers(-(1 << 40), 1 << 40, n)
    a64[:5] = [0, -1, 255, 256, -129]
    b8 = rng.integers(-128, 128, n).astype(np.int8)
    b8[:3] = [0, -1, -128]
    f = rng.uniform(-1.2, 1.2, n)
    f[:4] = [0.0, -0.0, 0.999, -0.999]
    g = rng.standard_normal(n)
    g[:3] = [0.0, -0.0, np.nan]
    h = (rng.standard_normal(n) * 100).astype(np.float16)
    h[:2] = [0.0, -0.0]
    bools = rng.random((n, 3)) < 0.5
    return {
        "casts_int": dict(
            a64=a64,
            b8=b8,
            c64u=rng.integers(0, 1 << 63, n, dtype=np.uint64) * np.uint64(2),
            d32u=rng.integers(0, 1 << 32, n).astype(np.uint32),
            ints=np.zeros((n, 11), np.int64),
            bools=np.zeros((n, 2), np.bool_),
            N=n,
        ),
        "casts_float": dict(
            f=f,
            g=g,
            h=h,
            a64=a64,
            u64=rng.integers(0, 1 << 63, n, dtype=np.uint64) * np.uint64(2) + np.uint64(1),
            fl=np.zeros((n, 4), np.float32),
            hf=np.zeros((n, 4), np.float16),
            bools=bools,
            ints=np.zeros((n, 4), np.int64),
            N=n,
        ),
    }
