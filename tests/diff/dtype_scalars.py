# Every dtype with Python scalars under NumPy 2: a Python int or float next to an element takes
# the element's type (u8 * 2 wraps at 8 bits, u32 - 1 wraps at 32, i8 * -1 of -128 stays -128,
# u64 >> 3, u16 + True), int elements with Python floats are float64, f16 with Python scalars
# stays f16 (rounded after each operation) and with int8/uint8 elements f16, with int16 f32;
# bool elements: `+` is or, `*` is and, bool times a Python int is int64, `~` is not, bool with
# float32 is float32; unsigned comparisons with negative Python ints; mixed unsigned/signed
# elements (u8 + i8 is i16, u16 * i16 is i32, u32 + i32 is i64, u64 + i64 is f64).
import numpy as np
import parpy


@parpy.jit
def unsigned(u8, u16, u32, u64, o8, o16, o32, o64, N):
    parpy.label('N')
    for i in range(N):
        o8[i, 0] = u8[i] * 2
        o8[i, 1] = u8[i] + 200
        o8[i, 2] = u8[i] - 1
        o8[i, 3] = -u8[i]
        o8[i, 4] = ~u8[i]
        o8[i, 5] = u8[i] // 3 + u8[i] % 5
        o16[i, 0] = u16[i] * 3 + True
        o16[i, 1] = u16[i] << 2
        o16[i, 2] = (u16[i] ^ 0xFFFF) >> 3
        o32[i, 0] = u32[i] - 1
        o32[i, 1] = u32[i] * 3
        o32[i, 2] = u32[i] // 7 - u32[i] % 7
        o32[i, 3] = u32[i] > -1
        o64[i, 0] = u64[i] >> 3
        o64[i, 1] = u64[i] * 5 + 1
        o64[i, 2] = u64[i] % 1000
        o64[i, 3] = (u64[i] >= 0) + (u64[i] < 2 ** 63)


@parpy.jit
def signed_mixed(i8, u8, i16, u16, i32, u32, i64, u64, o16, o32, o64, f64, N):
    parpy.label('N')
    for i in range(N):
        o16[i, 0] = u8[i] + i8[i]
        o16[i, 1] = i8[i] * -1
        o16[i, 2] = -i8[i]
        o16[i, 3] = i8[i] * 100
        o32[i, 0] = u16[i] * i16[i]
        o32[i, 1] = i16[i] * 3 - u16[i]
        o64[i, 0] = u32[i] + i32[i]
        o64[i, 1] = u32[i] * i32[i]
        o64[i, 2] = i64[i] * 1000003
        o64[i, 3] = i32[i] * 65537
        f64[i, 0] = u64[i] + i64[i]
        f64[i, 1] = u64[i] * 0.5
        f64[i, 2] = i8[i] * 0.25 + u16[i] / 3
        f64[i, 3] = i32[i] + 0.5


@parpy.jit
def halfs_bools(h, i8, u8, i16, b, c, f32, oh, of, ob, oi, N):
    parpy.label('N')
    for i in range(N):
        oh[i, 0] = h[i] + 1
        oh[i, 1] = h[i] * 0.1
        oh[i, 2] = h[i] + i8[i]
        oh[i, 3] = h[i] * u8[i]
        oh[i, 4] = h[i] / 3 - 2.5
        oh[i, 5] = -h[i] + h[i] * h[i]
        of[i, 0] = h[i] + i16[i]
        of[i, 1] = h[i] * f32[i]
        of[i, 2] = b[i] * f32[i]
        of[i, 3] = f32[i] + c[i]
        ob[i, 0] = b[i] + c[i]
        ob[i, 1] = b[i] * c[i]
        ob[i, 2] = ~b[i]
        ob[i, 3] = b[i] ^ c[i]
        ob[i, 4] = h[i] > 0.5
        oi[i, 0] = b[i] * 3
        oi[i, 1] = b[i] + 1
        oi[i, 2] = b[i] + i8[i]
        oi[i, 3] = (b[i] & c[i]) | (b[i] < c[i])


def inputs(rng):
    n = 2048
    i8 = rng.integers(-128, 128, n).astype(np.int8)
    i8[::97] = -128
    u64 = rng.integers(0, 2**63, n, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, n, dtype=np.uint64)
    return {
        "unsigned": dict(u8=rng.integers(0, 256, n).astype(np.uint8),
                         u16=rng.integers(0, 65536, n).astype(np.uint16),
                         u32=rng.integers(0, 2**32, n).astype(np.uint32),
                         u64=u64, o8=np.zeros((n, 6), np.uint8), o16=np.zeros((n, 3), np.uint16),
                         o32=np.zeros((n, 4), np.uint32), o64=np.zeros((n, 4), np.uint64), N=n),
        "signed_mixed": dict(i8=i8, u8=rng.integers(0, 256, n).astype(np.uint8),
                             i16=rng.integers(-2**15, 2**15, n).astype(np.int16),
                             u16=rng.integers(0, 65536, n).astype(np.uint16),
                             i32=rng.integers(-2**31, 2**31, n).astype(np.int32),
                             u32=rng.integers(0, 2**32, n).astype(np.uint32),
                             i64=rng.integers(-2**62, 2**62, n).astype(np.int64), u64=u64,
                             o16=np.zeros((n, 4), np.int16), o32=np.zeros((n, 2), np.int32),
                             o64=np.zeros((n, 4), np.int64), f64=np.zeros((n, 4)), N=n),
        "halfs_bools": dict(h=(rng.standard_normal(n) * 4).astype(np.float16), i8=i8,
                            u8=rng.integers(0, 20, n).astype(np.uint8),
                            i16=rng.integers(-2**15, 2**15, n).astype(np.int16),
                            b=rng.random(n) < 0.5, c=rng.random(n) < 0.5,
                            f32=rng.standard_normal(n).astype(np.float32),
                            oh=np.zeros((n, 6), np.float16), of=np.zeros((n, 4), np.float32),
                            ob=np.zeros((n, 5), np.bool_), oi=np.zeros((n, 4), np.int64), N=n),
    }
