# ParPy 0.3 annotations on helpers, and `maximum`/`minimum` of booleans. A device helper whose
# parameter is annotated with a type variable (`x: parpy.types.buffer(T, [N, M])`, as exported
# functions annotate theirs) branches on the bound type with `static_types_eq`, converts with
# `convert(k, T)`, and loops over its shape symbol (`range(M)`); a scalar helper is annotated
# `v: T -> T`. Exported functions call them at f32, f64 and u8, so T and M are bound per call,
# as in CPython where each jit call binds the type variables and symbols of its own annotations.
# Two-argument `max`/`min` (and 0.3 `maximum`/`minimum`) of bool elements are NumPy's
# logical or/and.
import numpy as np
import parpy
from parpy.types import F32, F64, U8

N = parpy.types.symbol()
M = parpy.types.symbol()
T = parpy.types.type_var()


@parpy.jit
def pick(x: parpy.types.buffer(T, [N, M]), i, j):
    if parpy.builtin.static_types_eq(T, F32):
        return x[i, j] * 0.5 + parpy.builtin.convert(i + j, T)
    elif parpy.builtin.static_types_eq(T, F64):
        return x[i, j] * 0.25 - parpy.builtin.convert(i + j, T)
    elif parpy.builtin.static_types_eq(T, U8):
        return x[i, j] // 3 + parpy.builtin.convert((i + j) % 7, T)
    else:
        return x[i, j] * 3 - parpy.builtin.convert(i + j, T)


@parpy.jit
def row_max(x: parpy.types.buffer(T, [N, M]), i):
    m = x[i, 0]
    for j in range(1, M):
        m = max(m, x[i, j])
    return m


@parpy.jit
def twice(v: T) -> T:
    if parpy.builtin.static_types_eq(T, U8):
        return v // 2
    else:
        return v + v


@parpy.jit
def rows_f32(x: parpy.types.buffer(F32, [N, M]), out: parpy.types.buffer(F32, [N, M]), mx: parpy.types.buffer(F32, [N])):
    parpy.label('N')
    for i in range(N):
        for j in range(M):
            out[i, j] = twice(pick(x, i, j))
        mx[i] = row_max(x, i)


@parpy.jit
def rows_f64(x: parpy.types.buffer(F64, [N, M]), out: parpy.types.buffer(F64, [N, M]), mx: parpy.types.buffer(F64, [N])):
    parpy.label('N')
    for i in range(N):
        for j in range(M):
            out[i, j] = twice(pick(x, i, j))
        mx[i] = row_max(x, i)


@parpy.jit
def rows_u8(x: parpy.types.buffer(U8, [N, M]), out: parpy.types.buffer(U8, [N, M]), mx: parpy.types.buffer(U8, [N])):
    parpy.label('N')
    for i in range(N):
        for j in range(M):
            out[i, j] = twice(pick(x, i, j))
        mx[i] = row_max(x, i)


@parpy.jit
def bool_extremes(a, b, out, n):
    parpy.label('N')
    for i in range(n):
        out[i, 0] = max(a[i], b[i])
        out[i, 1] = min(a[i], b[i])
        out[i, 2] = parpy.builtin.maximum(a[i], b[i])
        out[i, 3] = parpy.builtin.minimum(a[i], not b[i])


def inputs(rng):
    n, m = 30, 45
    return {
        "rows_f32": dict(x=rng.standard_normal((n, m)).astype(np.float32), out=np.zeros((n, m), np.float32), mx=np.zeros(n, np.float32)),
        "rows_f64": dict(x=rng.standard_normal((n, m)), out=np.zeros((n, m)), mx=np.zeros(n)),
        "rows_u8": dict(x=rng.integers(0, 256, (n, m)).astype(np.uint8), out=np.zeros((n, m), np.uint8), mx=np.zeros(n, np.uint8)),
        "bool_extremes": dict(a=rng.random(64) < 0.5, b=rng.random(64) < 0.5, out=np.zeros((64, 4), np.bool_), n=64),
    }
