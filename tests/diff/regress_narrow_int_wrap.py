# Arithmetic on u8/i8/u16 elements has the element's type (NumPy 2) and wraps at that width.
import numpy as np
import parpy


@parpy.jit
def narrow_int_wrap(u8, i8, u16, out, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = u8[i] << 1          # NumPy: uint8, 200 << 1 == 144
        out[i, 1] = u8[i] + u8[i]       # NumPy: uint8, 200 + 200 == 144
        out[i, 2] = i8[i] + 1           # NumPy: int8, 127 + 1 == -128
        out[i, 3] = u16[i] * 2          # NumPy: uint16, 40000 * 2 == 14464
        out[i, 4] = (u8[i] << 1) >> 1   # NumPy: 72


def inputs(rng):
    return dict(u8=np.array([200], np.uint8), i8=np.array([127], np.int8), u16=np.array([40000], np.uint16), out=np.zeros((1, 5), np.int64), N=1)
