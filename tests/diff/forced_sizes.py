# `force_int_size = "i32"` and `force_float_size = "f32"` (a JSON spec): Python int literals,
# int scalars and loop variables are 32-bit and Python float literals and scalars 32-bit, as in
# ParPy, where CPython computes them exactly or in float64. The values here stay within 32 bits
# and the float results within float32 rounding, so both agree: an f32 accumulation of literal
# steps, int32 loop arithmetic stored into int64, float64 arrays (which stay float64 next to a
# literal), and a host scalar computed from an int argument.
import numpy as np
import parpy


@parpy.jit
def forced(x, k, out, iout, N, scale):
    step = 1.0 / N
    parpy.label('N')
    for i in range(N):
        acc = 0.0
        for j in range(8):
            acc += 0.125 * j
        out[i, 0] = acc + x[i] * 0.5
        out[i, 1] = i * step * scale
        out[i, 2] = x[i] / 3 + 1e-3
        iout[i, 0] = i * 1000 + k[i]
        iout[i, 1] = (i - N // 2) // 7 + (i % 13) ** 2
        iout[i, 2] = k[i] * 3 - i


def inputs(rng):
    n = 3000
    return dict(x=rng.standard_normal(n), k=rng.integers(-1000, 1000, n).astype(np.int32),
                out=np.zeros((n, 3)), iout=np.zeros((n, 3), np.int64), N=n, scale=2.0)
