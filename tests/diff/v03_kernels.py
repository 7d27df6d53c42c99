# A ParPy 0.3 module: types only in the source for some functions (shape symbols, a type variable,
# buffer annotations with a literal dimension, scalar annotations), and from the spec for others
# (the spec binds the type variable to f32 in one function and to i32 in another); 0.3 operator
# spellings (parpy.reduce.*, parpy.math.*, parpy.builtin.maximum/minimum/convert/inline); a
# type-generic helper choosing its arithmetic with `static_types_eq`, including the integer
# branch; `static_backend_eq` folding a branch that holds `static_fail`; a boolean result type.
import numpy as np
import parpy
import parpy.types as types
from parpy.types import F32, F64, I32, Bool

N = types.symbol()
M = types.symbol()
T = types.type_var()


@parpy.jit
def halve(v: T) -> T:
    if parpy.builtin.static_types_eq(T, I32):
        return v // 2
    elif parpy.builtin.static_types_eq(T, F32):
        return v * parpy.builtin.convert(0.5, T)
    else:
        parpy.builtin.static_fail("halve: unsupported type")


@parpy.jit
def row_stats(x: types.buffer(T, [N, M]), out: types.buffer(T, [N, 3]), i):
    parpy.label('M')
    out[i, 0] = parpy.reduce.max(x[i, :])
    parpy.label('M')
    out[i, 1] = parpy.reduce.min(x[i, :])
    parpy.label('M')
    out[i, 2] = parpy.reduce.sum(x[i, :])


@parpy.jit
def generic(x: types.buffer(T, [N, M]), y: types.buffer(T, [N, M]), out: types.buffer(T, [N, 3])):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            y[i, j] = halve(x[i, j]) + parpy.builtin.maximum(x[i, j], parpy.builtin.convert(1, T))
        parpy.builtin.inline(row_stats(y, out, i))


@parpy.jit
def generic_f32(x: types.buffer(F32, [N, M]), y: types.buffer(F32, [N, M]), out: types.buffer(F32, [N, 3])):
    parpy.builtin.inline(generic(x, y, out))


@parpy.jit
def generic_i32(x, y, out):
    generic(x, y, out)


@parpy.jit
def typed_in_source(a: types.buffer(F64, [N]), b: types.buffer(F64, [N]), flags: types.buffer(Bool, [N]), out: types.buffer(F64, [N, 2]), alpha: F64, k: types.I64):
    parpy.label('N')
    for i in range(N):
        t = parpy.math.exp(a[i] * alpha) - parpy.math.sqrt(parpy.math.abs(b[i]))
        out[i, 0] = parpy.builtin.minimum(t, parpy.math.tanh(b[i]) * k)
        flags[i] = out[i, 0] > 0.0 and a[i] < b[i]
        if parpy.builtin.static_backend_eq(parpy.CompileBackend.Cuda):
            out[i, 1] = parpy.math.atan2(a[i], b[i]) + parpy.math.log(1.0 + parpy.math.cos(a[i]) ** 2)
        else:
            parpy.builtin.static_fail("CUDA only")


def inputs(rng):
    n, m = 160, 40
    a = rng.standard_normal(n)
    return {
        "generic_f32": dict(x=rng.standard_normal((n, m)).astype(F32.to_numpy()),
                            y=np.zeros((n, m), F32.to_numpy()), out=np.zeros((n, 3), np.float32)),
        "generic_i32": dict(x=rng.integers(-1000, 1000, (n, m)).astype(I32.to_numpy()),
                            y=np.zeros((n, m), np.int32), out=np.zeros((n, 3), np.int32)),
        "typed_in_source": dict(a=a, b=rng.standard_normal(n), flags=np.zeros(n, np.bool_),
                                out=np.zeros((n, 2)), alpha=0.75, k=3),
    }

