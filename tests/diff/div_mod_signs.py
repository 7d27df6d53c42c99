# `/`, `//` and `%` with Python's meaning for every sign combination: int8, int16, int32, int64
# and uint8/uint32 elements with Python int literals on either side (`-7 // x`, `x % -3`),
# int arrays with Python floats (`x // 2.5` is float64), float32 and float64 floor division and
# modulo of negative operands and by zero (inf and nan as NumPy gives them), and true division of
# integers (float64) and of an integer by zero. Float floor division is NumPy's (from fmod, as
# Python's): `(i * 0.1) // 0.1` is often i - 1, where floor(a / b) would give i.
import numpy as np
import parpy


@parpy.jit
def int_signs(a8, b8, a16, a32, b32, a64, b64, u8, u32, o8, o16, o32, o64, ou, N):
    parpy.label('N')
    for i in range(N):
        o8[i, 0] = a8[i] // b8[i]
        o8[i, 1] = a8[i] % b8[i]
        o8[i, 2] = a8[i] // -3
        o8[i, 3] = a8[i] % -3
        o8[i, 4] = -7 // b8[i]
        o8[i, 5] = -7 % b8[i]
        o16[i, 0] = a16[i] // b8[i]
        o16[i, 1] = a16[i] % b8[i]
        o16[i, 2] = 1000 % a16[i] if a16[i] != 0 else 1
        o32[i, 0] = a32[i] // b32[i]
        o32[i, 1] = a32[i] % b32[i]
        o32[i, 2] = a32[i] // 16
        o32[i, 3] = a32[i] % 16
        o32[i, 4] = (a32[i] - 100) // -16
        o32[i, 5] = (a32[i] - 100) % -16
        o64[i, 0] = a64[i] // b64[i]
        o64[i, 1] = a64[i] % b64[i]
        o64[i, 2] = a64[i] // b32[i]
        o64[i, 3] = -a64[i] % b32[i]
        o64[i, 4] = i // -5
        o64[i, 5] = i % -5
        o64[i, 6] = (i - N // 2) // 7
        o64[i, 7] = (i - N // 2) % 7
        ou[i, 0] = u8[i] // 7
        ou[i, 1] = u8[i] % 7
        ou[i, 2] = u32[i] // (u8[i] + 1)
        ou[i, 3] = u32[i] % (u8[i] + 1)


@parpy.jit
def float_signs(a32, b32, a64, b64, n32, f32, f64, N):
    parpy.label('N')
    for i in range(N):
        f32[i, 0] = a32[i] // b32[i]
        f32[i, 1] = a32[i] % b32[i]
        f32[i, 2] = a32[i] / b32[i]
        f32[i, 3] = a32[i] // -0.75
        f32[i, 4] = a32[i] % -0.75
        f32[i, 5] = -2.5 % b32[i]
        f64[i, 0] = a64[i] // b64[i]
        f64[i, 1] = a64[i] % b64[i]
        f64[i, 2] = a64[i] / b64[i]
        f64[i, 3] = n32[i] // 2.5
        f64[i, 4] = n32[i] % -2.5
        f64[i, 5] = n32[i] / 4
        f64[i, 6] = 7 / n32[i]
        f64[i, 7] = n32[i] / n32[N - 1 - i]
        f64[i, 8] = -a64[i] // 1.0
        f64[i, 9] = a64[i] % 1.0
        f64[i, 10] = (i * 0.1) // 0.1
        f64[i, 11] = (i * 0.1) % 0.1
        f64[i, 12] = (i % 50 - 25.0) // -0.3 + (i % 50 - 25.0) % -0.3
        f32[i, 6] = (a32[i] * 0.0 + (i % 40) * 0.1) // 0.1


def inputs(rng):
    n = 3000
    b8 = rng.integers(-9, 10, n).astype(np.int8)
    b8[b8 == 0] = 3
    b32 = rng.integers(-40, 40, n).astype(np.int32)
    b32[b32 == 0] = -1
    b64 = rng.integers(-10**6, 10**6, n).astype(np.int64)
    b64[b64 == 0] = 5
    fb32 = (rng.integers(-8, 9, n) * 0.5).astype(np.float32)
    fb64 = rng.standard_normal(n) * 2
    fb64[::11] = 0.0
    fa64 = rng.standard_normal(n) * 10
    fa64[::13] = 0.0
    fa64[5::17] = -0.0
    n32 = rng.integers(-50, 50, n).astype(np.int32)
    return {
        "int_signs": dict(
            a8=rng.integers(-128, 128, n).astype(np.int8), b8=b8,
            a16=rng.integers(-30000, 30000, n).astype(np.int16),
            a32=rng.integers(-10**9, 10**9, n).astype(np.int32), b32=b32,
            a64=rng.integers(-10**15, 10**15, n).astype(np.int64), b64=b64,
            u8=rng.integers(0, 255, n).astype(np.uint8),
            u32=rng.integers(0, 2**32, n).astype(np.uint32),
            o8=np.zeros((n, 6), np.int8), o16=np.zeros((n, 3), np.int16),
            o32=np.zeros((n, 6), np.int32), o64=np.zeros((n, 8), np.int64),
            ou=np.zeros((n, 4), np.uint32), N=n),
        "float_signs": dict(
            a32=(rng.standard_normal(n) * 5).astype(np.float32), b32=fb32,
            a64=fa64, b64=fb64, n32=n32,
            f32=np.zeros((n, 7), np.float32), f64=np.zeros((n, 13), np.float64), N=n),
    }
