# Scalar annotations convert, as ParPy and the reference do: a helper parameter annotated
# `parpy.types.F32` receives a float64 argument rounded to float32, `v: I8` makes `v * 3` wrap at
# 8 bits, `-> I16` converts the returned value, a type variable on a scalar parameter takes the
# type of the buffer argument bound to it (a Python float argument adapts to it), and exported
# scalars annotated with an element type are NumPy scalars of that type (an I16 `k` times an
# int8 element is int16, where an unannotated Python int would keep int8).
import numpy as np
import parpy
from parpy.types import F32, I8, I16, I64

T = parpy.types.type_var()
N = parpy.types.symbol()


@parpy.jit
def round32(v: F32) -> F32:
    return v * 3.0


@parpy.jit
def wrap8(v: I8):
    return v * 3


@parpy.jit
def narrow(v) -> I16:
    return v * 7


@parpy.jit
def axpy(x: parpy.types.buffer(T, [N]), i, a: T):
    return x[i] * a + a


@parpy.jit
def annotated(x: parpy.types.buffer(parpy.types.F64, [N]), y: parpy.types.buffer(F32, [N]),
              a8: parpy.types.buffer(I8, [N]), out: parpy.types.buffer(parpy.types.F64, [N, 5]),
              iout: parpy.types.buffer(I64, [N, 4]), k: I16, s: F32, plain):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = round32(x[i])
        out[i, 1] = axpy(x, i, 0.1)
        out[i, 2] = axpy(y, i, 0.1)
        out[i, 3] = x[i] * s
        out[i, 4] = y[i] * 0.1 - parpy.float64(y[i]) * s
        iout[i, 0] = wrap8(a8[i] + 0)
        iout[i, 1] = narrow(x[i] * 100.0)
        iout[i, 2] = a8[i] * k
        iout[i, 3] = a8[i] * plain


def inputs(rng):
    n = 2000
    return dict(x=rng.standard_normal(n) * 3, y=rng.standard_normal(n).astype(np.float32),
                a8=rng.integers(-128, 128, n).astype(np.int8), out=np.zeros((n, 5)),
                iout=np.zeros((n, 4), np.int64), k=300, s=0.1, plain=3)
