# Integer dtypes and casts: FNV-1a over uint8 rows in a uint32 local (the multiply wraps at 32
# bits), a xorshift64 generator on uint64 state advanced in a sequential loop, quantization of
# float32 to int8 with round-half-away-from-zero and saturation, uint16 differences wrapping,
# int16 floor division and modulo by negative divisors, an int16 array compared with an i64
# scalar argument outside int16's range (NumPy 2 compares by value), and a generic clamp helper
# with a negative lower bound applied to uint16 values (Python's max(v, -5) is v).
import numpy as np
import parpy
from parpy.types import U32, U64


@parpy.jit
def fnv1a(data, hashes, N, L):
    parpy.label('N')
    for i in range(N):
        h = parpy.builtin.convert(2166136261, U32)
        for k in range(L):
            h = (h ^ data[i, k]) * parpy.builtin.convert(16777619, U32)
        hashes[i] = h


@parpy.jit
def xorshift(seeds, outs, N, S):
    parpy.label('N')
    for i in range(N):
        s = seeds[i]
        for t in range(S):
            s ^= s << 13
            s ^= s >> 7
            s ^= s << 17
            outs[i, t] = s % parpy.builtin.convert(1000003, U64)


@parpy.jit
def quantize(x, scale, q, N):
    parpy.label('N')
    for i in range(N):
        v = x[i] * scale
        r = parpy.int32(v + 0.5) if v >= 0.0 else -parpy.int32(0.5 - v)
        r = min(max(r, -128), 127)
        q[i] = parpy.int8(r)


@parpy.jit
def clamp(v, lo, hi):
    return min(max(v, lo), hi)


@parpy.jit
def small_ints(a, b, s, d, ints, flags, big, N):
    parpy.label('N')
    for i in range(N):
        ints[i, 0] = a[i] - b[i]
        ints[i, 1] = parpy.uint16(b[i] - a[i]) >> 3
        ints[i, 2] = s[i] // d[i]
        ints[i, 3] = s[i] % d[i]
        ints[i, 4] = parpy.int16(s[i] * 300)
        ints[i, 5] = -s[i] // 7
        ints[i, 6] = clamp(a[i], -5, 1000)
        ints[i, 7] = clamp(s[i], -5, 1000)
        flags[i, 0] = s[i] < big
        flags[i, 1] = s[i] > -big
        flags[i, 2] = s[i] == big - 65536


def inputs(rng):
    n = 256
    d = rng.integers(-9, 9, n).astype(np.int16)
    d[d == 0] = -3
    return {
        "fnv1a": dict(data=rng.integers(0, 256, (n, 40)).astype(np.uint8), hashes=np.zeros(n, np.uint32), N=n, L=40),
        "xorshift": dict(
            seeds=rng.integers(1, 1 << 63, n, dtype=np.uint64) | np.uint64(1 << 63),
            outs=np.zeros((n, 16), np.uint64),
            N=n,
            S=16,
        ),
        "quantize": dict(x=(rng.standard_normal(5000) * 2).astype(np.float32), scale=40.0, q=np.zeros(5000, np.int8), N=5000),
        "small_ints": dict(
            a=rng.integers(0, 65536, n).astype(np.uint16),
            b=rng.integers(0, 65536, n).astype(np.uint16),
            s=rng.integers(-32768, 32768, n).astype(np.int16),
            d=d,
            ints=np.zeros((n, 8), np.int64),
            flags=np.zeros((n, 3), np.bool_),
            big=40000,
            N=n,
        ),
    }
