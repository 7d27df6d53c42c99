# Compile-time branches in ParPy 0.3 style: one generic body, inlined with
# `parpy.builtin.inline` into exported functions whose type variable the spec binds to
# different element types (f64, f32, i32, u16, i8). The body's `static_types_eq` chain picks
# the computation for the bound type (also under `not` and nested), `convert(.., T)` casts to
# it, a `static_types_eq` on a shape-less type compares two type variables, and a
# `static_backend_eq` branch selects the CUDA path.
import numpy as np
import parpy
from parpy.types import F32, F64, I32, U16, I8

N = parpy.types.symbol()
M = parpy.types.symbol()
T = parpy.types.type_var()
U = parpy.types.type_var()


@parpy.jit
def body(x, out, acc, n, m):
    parpy.label('N')
    for i in range(n):
        parpy.label('M')
        for j in range(m):
            if parpy.builtin.static_types_eq(T, F64):
                out[i, j] = x[i, j] * 0.25 - parpy.builtin.convert(i + j, T)
            elif parpy.builtin.static_types_eq(T, F32):
                out[i, j] = x[i, j] * 0.5 + parpy.builtin.convert(j, T)
            elif not parpy.builtin.static_types_eq(T, I32):
                if parpy.builtin.static_types_eq(T, U16):
                    out[i, j] = x[i, j] // 3 + parpy.builtin.convert(i % 7, T)
                else:
                    out[i, j] = x[i, j] % 5 - parpy.builtin.convert(j % 3, T)
            else:
                out[i, j] = x[i, j] * 3 - parpy.builtin.convert(i, T)
        if parpy.builtin.static_types_eq(T, U):
            acc[i] = out[i, 0]
        else:
            acc[i] = parpy.builtin.convert(out[i, m - 1], U)
    if parpy.builtin.static_backend_eq(parpy.CompileBackend.Metal):
        parpy.builtin.static_fail("CUDA only")


@parpy.jit
def gen_f64(x: parpy.types.buffer(T, [N, M]), out: parpy.types.buffer(T, [N, M]), acc: parpy.types.buffer(U, [N])):
    parpy.builtin.inline(body(x, out, acc, N, M))


@parpy.jit
def gen_f32(x: parpy.types.buffer(T, [N, M]), out: parpy.types.buffer(T, [N, M]), acc: parpy.types.buffer(U, [N])):
    parpy.builtin.inline(body(x, out, acc, N, M))


@parpy.jit
def gen_i32(x: parpy.types.buffer(T, [N, M]), out: parpy.types.buffer(T, [N, M]), acc: parpy.types.buffer(U, [N])):
    parpy.builtin.inline(body(x, out, acc, N, M))


@parpy.jit
def gen_u16(x: parpy.types.buffer(T, [N, M]), out: parpy.types.buffer(T, [N, M]), acc: parpy.types.buffer(U, [N])):
    parpy.builtin.inline(body(x, out, acc, N, M))


@parpy.jit
def gen_i8(x: parpy.types.buffer(T, [N, M]), out: parpy.types.buffer(T, [N, M]), acc: parpy.types.buffer(U, [N])):
    parpy.builtin.inline(body(x, out, acc, N, M))


def inputs(rng):
    n, m = 40, 70
    return {
        "gen_f64": dict(x=rng.standard_normal((n, m)), out=np.zeros((n, m)), acc=np.zeros(n)),
        "gen_f32": dict(x=rng.standard_normal((n, m)).astype(np.float32), out=np.zeros((n, m), np.float32), acc=np.zeros(n, np.int16)),
        "gen_i32": dict(x=rng.integers(-5000, 5000, (n, m)).astype(np.int32), out=np.zeros((n, m), np.int32), acc=np.zeros(n, np.float32)),
        "gen_u16": dict(x=rng.integers(0, 65536, (n, m)).astype(np.uint16), out=np.zeros((n, m), np.uint16), acc=np.zeros(n, np.uint16)),
        "gen_i8": dict(x=rng.integers(-128, 128, (n, m)).astype(np.int8), out=np.zeros((n, m), np.int8), acc=np.zeros(n, np.int64)),
    }
