# Integer arithmetic that overflows wraps at the declared width, as NumPy's does: int32 and
# int64 + - * and negation (FNV-style hashes, a linear congruential generator in a sequential
# loop, products of large values), int8/int16 products, uint16 * uint16 (which overflows C's
# `int`), abs of the minimum, the minimum // -1 and % -1, // and % by zero (0, as in NumPy);
# shifts by counts of at least the width and by negative counts (left: 0; right: 0 or -1, as
# NumPy computes them), also of int8 and uint32 values; float to int conversions of values out
# of range, of infinities and of NaN (NumPy on x86-64: wrapping through int32/int64, and the
# minimum of that type beyond it); and a parallel int32 sum that wraps.
import numpy as np
import parpy
from parpy.types import I8, I16, I32, I64, U8, U16, U64


@parpy.jit
def wrap_arith(a32, b32, a64, b64, a8, a16, u16, o32, o64, o8, o16, ou16, N):
    parpy.label('N')
    for i in range(N):
        o32[i, 0] = a32[i] + b32[i]
        o32[i, 1] = a32[i] * b32[i]
        o32[i, 2] = a32[i] - b32[i]
        o32[i, 3] = -a32[i]
        o32[i, 4] = a32[i] * 65537 + 7
        o32[i, 5] = abs(a32[i])
        o32[i, 6] = a32[i] // b32[i]
        o32[i, 7] = a32[i] % b32[i]
        o64[i, 0] = a64[i] * b64[i]
        o64[i, 1] = a64[i] + b64[i] - a64[i] * 3
        h = a64[i]
        for k in range(8):
            h = (h ^ b64[i]) * 1099511628211
        o64[i, 2] = h
        x = a32[i]
        for k in range(20):
            x = x * 1103515245 + 12345
        o64[i, 3] = x
        o64[i, 4] = -a64[i] - 1
        o64[i, 5] = a64[i] // b64[i]
        o8[i, 0] = a8[i] * a8[i]
        o8[i, 1] = -a8[i]
        o8[i, 2] = a8[i] * 3 + a8[i]
        o16[i, 0] = a16[i] * a16[i]
        o16[i, 1] = a16[i] + a16[i]
        ou16[i, 0] = u16[i] * u16[i]
        ou16[i, 1] = u16[i] * 65535


@parpy.jit
def wrap_shifts(a32, c32, a64, c64, a8, c8, w32, d32, o32, o64, o8, ow32, N):
    parpy.label('N')
    for i in range(N):
        o32[i, 0] = a32[i] << c32[i]
        o32[i, 1] = a32[i] >> c32[i]
        o32[i, 2] = a32[i] << 3
        o32[i, 3] = a32[i] >> 31
        o64[i, 0] = a64[i] << c64[i]
        o64[i, 1] = a64[i] >> c64[i]
        o64[i, 2] = a64[i] << 62
        o8[i, 0] = a8[i] << c8[i]
        o8[i, 1] = a8[i] >> c8[i]
        o8[i, 2] = a8[i] << 7
        ow32[i, 0] = w32[i] << d32[i]
        ow32[i, 1] = w32[i] >> d32[i]


@parpy.jit
def wrap_casts(f, h, o8, ou8, o16, o32, o64, ou64, N):
    parpy.label('N')
    for i in range(N):
        o8[i, 0] = parpy.builtin.convert(f[i], I8)
        o8[i, 1] = parpy.int8(h[i])
        ou8[i] = parpy.builtin.convert(f[i], U8)
        o16[i] = parpy.builtin.convert(f[i], I16)
        o32[i, 0] = parpy.builtin.convert(f[i], I32)
        o32[i, 1] = parpy.int32(h[i])
        o64[i] = parpy.builtin.convert(f[i], I64)
        ou64[i] = parpy.builtin.convert(f[i], U64)


@parpy.jit
def wrap_sum(a32, total, N):
    parpy.label('N')
    for i in range(N):
        total[0] += a32[i] * 3


def inputs(rng):
    n = 600
    i32 = np.iinfo(np.int32)
    i64 = np.iinfo(np.int64)
    a32 = rng.integers(i32.min, i32.max, n, endpoint=True).astype(np.int32)
    b32 = rng.integers(i32.min, i32.max, n, endpoint=True).astype(np.int32)
    a32[:6] = [i32.min, i32.max, i32.min, 5, -7, 0]
    b32[:6] = [-1, 1, 0, 0, -1, 3]
    a64 = rng.integers(i64.min, i64.max, n, endpoint=True)
    b64 = rng.integers(i64.min, i64.max, n, endpoint=True)
    a64[:3] = [i64.min, i64.max, i64.min]
    b64[:3] = [-1, 1, 0]
    b64[3:] = np.where(b64[3:] == 0, 1, b64[3:])
    a8 = rng.integers(-128, 128, n).astype(np.int8)
    a8[:2] = [-128, 127]
    a16 = rng.integers(-(1 << 15), 1 << 15, n).astype(np.int16)
    u16 = rng.integers(0, 1 << 16, n).astype(np.uint16)
    u16[:2] = [65535, 40000]
    # Shift counts from -70 to 70: negative ones and ones past the width.
    c32 = rng.integers(-70, 71, n).astype(np.int32)
    c64 = rng.integers(-70, 71, n)
    c8 = rng.integers(-20, 21, n).astype(np.int8)
    w32 = rng.integers(0, 1 << 32, n, dtype=np.uint64).astype(np.uint32)
    d32 = rng.integers(0, 70, n).astype(np.uint32)
    f = rng.uniform(-3e3, 3e3, n)
    f[:14] = [np.nan, np.inf, -np.inf, 1e20, -1e20, 300.7, -300.7, 3e9, -3e9, 70000.5, -1.5,
              5e18, 1.5e19, -0.5]
    f[14:40] = rng.uniform(-1e10, 1e10, 26)
    h = rng.uniform(-3e4, 3e4, n).astype(np.float16)
    h[:4] = [np.nan, np.inf, -np.inf, 200.5]
    return {
        "wrap_arith": dict(
            a32=a32, b32=b32, a64=a64, b64=b64, a8=a8, a16=a16, u16=u16,
            o32=np.zeros((n, 8), np.int32), o64=np.zeros((n, 6), np.int64),
            o8=np.zeros((n, 3), np.int8), o16=np.zeros((n, 2), np.int16),
            ou16=np.zeros((n, 2), np.uint16), N=n,
        ),
        "wrap_shifts": dict(
            a32=a32, c32=c32, a64=a64, c64=c64, a8=a8, c8=c8, w32=w32, d32=d32,
            o32=np.zeros((n, 4), np.int32), o64=np.zeros((n, 3), np.int64),
            o8=np.zeros((n, 3), np.int8), ow32=np.zeros((n, 2), np.uint32), N=n,
        ),
        "wrap_casts": dict(
            f=f, h=h, o8=np.zeros((n, 2), np.int8), ou8=np.zeros(n, np.uint8),
            o16=np.zeros(n, np.int16), o32=np.zeros((n, 2), np.int32),
            o64=np.zeros(n, np.int64), ou64=np.zeros(n, np.uint64), N=n,
        ),
        "wrap_sum": dict(a32=a32, total=np.zeros(1, np.int32), N=n),
    }
