# Integer `**`, shifts, `//` and `%` mixing signed and unsigned widths under NumPy 2 promotion:
# int8 ** uint8 is int16, uint16 // int8 is int32 (floor, also for negative divisors), uint32 %
# int16 is int64, uint64 // int64 and % are float64 (floored), int16 << uint8 and uint8 >> int8
# are int16, uint32 ** 2 wraps at 32 bits, int64 ** 30 wraps at 64 bits, Python ints with
# negative divisors (`x // -3`, `x % -7`), a power by a loop variable, `**` of a negative
# base by an odd exponent, and unary `-` and `~` of uint8, uint16 and int8 elements, which keep
# the element's type and wrap at its width (-uint8(5) is 251, ~uint16(5) is 65530, -int8(-128)
# is -128).
import numpy as np
import parpy


@parpy.jit
def int_mixes(i8, u8, i16, u16, u32, i64, u64, out, fout, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = (i8[i] % 4) ** (u8[i] % 5)
        out[i, 1] = u16[i] // i8[i] if i8[i] != 0 else 0
        out[i, 2] = u16[i] % i8[i] if i8[i] != 0 else 0
        out[i, 3] = u32[i] % i16[i] if i16[i] != 0 else 0
        out[i, 4] = (i16[i] % 64) << (u8[i] % 8)
        out[i, 5] = u8[i] >> (i8[i] & 7)
        out[i, 6] = u32[i] ** 2
        out[i, 7] = i64[i] ** 30
        out[i, 8] = i64[i] // -3 + i64[i] % -7
        out[i, 9] = (i16[i] - 100) ** 3
        out[i, 10] = -(i8[i] // 8) ** (i % 4)
        out[i, 11] = (i16[i] // u8[i] if u8[i] != 0 else 0) + (i16[i] % (u8[i] % 200 + 1))
        out[i, 12] = (u16[i] >> 3) ^ (i8[i] << 2)
        out[i, 13] = i % 3 - (i - 7) // 4 + (-i) % 5
        out[i, 14] = -u8[i]
        out[i, 15] = ~u16[i]
        out[i, 16] = -i8[i]
        out[i, 17] = ~u8[i] >> 4
        fout[i, 0] = u64[i] // i64[i] if i64[i] != 0 else 0.0
        fout[i, 1] = u64[i] % i64[i] if i64[i] != 0 else 0.0


def inputs(rng):
    n = 2000
    return dict(
        i8=rng.integers(-128, 128, n).astype(np.int8),
        u8=rng.integers(0, 256, n).astype(np.uint8),
        i16=rng.integers(-32768, 32768, n).astype(np.int16),
        u16=rng.integers(0, 65536, n).astype(np.uint16),
        u32=rng.integers(0, 1 << 32, n).astype(np.uint32),
        i64=rng.integers(-50, 50, n).astype(np.int64),
        u64=rng.integers(0, 1 << 20, n).astype(np.uint64),
        out=np.zeros((n, 18), np.int64),
        fout=np.zeros((n, 2)),
        N=n,
    )
