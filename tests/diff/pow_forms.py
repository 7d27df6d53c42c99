# `**` in every form NumPy 2 gives a meaning: float64 and float32 bases with Python int exponents
# (0, 1, 2, 3, -1, -2), with Python float exponents (0.0, 0.5, -0.5, 1.5, -1.0), with array
# exponents (negative bases with fractional exponents give nan, 0 ** negative gives inf, nan ** 0
# is 1), integer bases with non-negative integer exponents (int32 wraps, uint8 wraps at 8 bits),
# a Python int base with an array exponent (`2 ** k` has the array's type), a Python float base
# (`0.5 ** k` is float64), int ** float (float64), and `**=`.
import numpy as np
import parpy


@parpy.jit
def pow_floats(x, y, x32, k, f64, f32, N):
    parpy.label('N')
    for i in range(N):
        f64[i, 0] = x[i] ** 0
        f64[i, 1] = x[i] ** 1
        f64[i, 2] = x[i] ** 2
        f64[i, 3] = x[i] ** 3
        f64[i, 4] = x[i] ** -1
        f64[i, 5] = x[i] ** -2
        f64[i, 6] = x[i] ** 0.0
        f64[i, 7] = x[i] ** 0.5
        f64[i, 8] = x[i] ** -0.5
        f64[i, 9] = x[i] ** 1.5
        f64[i, 10] = x[i] ** -1.0
        f64[i, 11] = x[i] ** y[i]
        f64[i, 12] = 0.5 ** k[i]
        f64[i, 13] = k[i] ** 0.5
        f64[i, 14] = 2.0 ** y[i]
        f64[i, 15] = (-x[i]) ** k[i]
        t = x[i]
        t **= 2
        f64[i, 16] = t
        f32[i, 0] = x32[i] ** 2
        f32[i, 1] = x32[i] ** 0.0
        f32[i, 2] = x32[i] ** -1
        f32[i, 3] = x32[i] ** 0.5
        f32[i, 4] = x32[i] ** k[i]
        f32[i, 5] = 2 ** x32[i]


@parpy.jit
def pow_ints(a, k, u, ku, o32, o8, o64, N):
    parpy.label('N')
    for i in range(N):
        o32[i, 0] = a[i] ** k[i]
        o32[i, 1] = a[i] ** 2
        o32[i, 2] = 2 ** k[i]
        o32[i, 3] = (-2) ** k[i]
        o32[i, 4] = a[i] ** 0
        o32[i, 5] = k[i] ** k[i]
        o8[i, 0] = u[i] ** ku[i]
        o8[i, 1] = u[i] ** 3
        o8[i, 2] = 3 ** ku[i]
        o64[i, 0] = i ** 2
        o64[i, 1] = (i % 13) ** (i % 5)
        o64[i, 2] = parpy.int64(a[i]) ** 3


def inputs(rng):
    n = 2500
    x = rng.standard_normal(n) * 2
    x[::17] = 0.0
    x[3::19] = np.nan
    x[7::23] = -np.inf
    y = rng.standard_normal(n) * 3
    y[::5] = np.round(y[::5])
    y[1::29] = 0.0
    x32 = (rng.standard_normal(n) * 2).astype(np.float32)
    x32[::31] = 0.0
    k = rng.integers(0, 12, n).astype(np.int32)
    return {
        "pow_floats": dict(x=x, y=y, x32=x32, k=k, f64=np.zeros((n, 17)),
                           f32=np.zeros((n, 6), np.float32), N=n),
        "pow_ints": dict(a=rng.integers(-3000, 3000, n).astype(np.int32), k=k,
                         u=rng.integers(0, 256, n).astype(np.uint8),
                         ku=rng.integers(0, 9, n).astype(np.uint8),
                         o32=np.zeros((n, 6), np.int32), o8=np.zeros((n, 3), np.uint8),
                         o64=np.zeros((n, 3), np.int64), N=n),
    }
