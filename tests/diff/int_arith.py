# Integer arithmetic with Python's meaning: floor division and modulo of negative operands,
# powers, shifts and bitwise operators, on int32 and int64 arrays.
import numpy as np
import parpy


@parpy.jit
def int_arith(a, b, out32, out64, N):
    parpy.label('N')
    for i in range(N):
        out32[i, 0] = a[i] // b[i]
        out32[i, 1] = a[i] % b[i]
        out32[i, 2] = (a[i] & 255) | (b[i] ^ 7)
        out32[i, 3] = (a[i] << 2) >> 1
        out32[i, 4] = -a[i] // 3
        out32[i, 5] = ~a[i]
        out64[i, 0] = a[i] * 100000 // 7
        out64[i, 1] = (b[i] % 5) ** 3
        out64[i, 2] = i % 7 - i // 3


def inputs(rng):
    n = 1000
    a = rng.integers(-10000, 10000, n).astype(np.int32)
    b = rng.integers(1, 50, n).astype(np.int32) * rng.choice([-1, 1], n).astype(np.int32)
    return dict(a=a, b=b, out32=np.zeros((n, 6), np.int32), out64=np.zeros((n, 3), np.int64), N=n)
