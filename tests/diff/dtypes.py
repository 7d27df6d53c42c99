# Every integer width, unsigned arithmetic, booleans, and NumPy 2 promotion between them.
import numpy as np
import parpy


@parpy.jit
def dtypes(a8, b16, c32, d64, flags, out_u16, out_i32, out_f64, out_b, N):
    parpy.label('N')
    for i in range(N):
        out_u16[i] = b16[i] * 3 + 7
        out_i32[i] = a8[i] + b16[i]
        out_f64[i] = d64[i] + c32[i] * 0.5
        out_b[i] = flags[i] and a8[i] > 0
        if flags[i]:
            out_i32[i] = out_i32[i] * 2


def inputs(rng):
    n = 1500
    return dict(
        a8=rng.integers(-100, 100, n).astype(np.int8),
        b16=rng.integers(0, 1000, n).astype(np.uint16),
        c32=rng.integers(0, 1 << 30, n).astype(np.uint32),
        d64=rng.integers(-(1 << 40), 1 << 40, n).astype(np.int64),
        flags=rng.integers(0, 2, n).astype(np.bool_),
        out_u16=np.zeros(n, np.uint16),
        out_i32=np.zeros(n, np.int32),
        out_f64=np.zeros(n, np.float64),
        out_b=np.zeros(n, np.bool_),
        N=n,
    )
