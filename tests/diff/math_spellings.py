# Math functions in every spelling (parpy.operators, top-level parpy, parpy.math, np., math.,
# Python's abs/min/max), on float16, float32 and float64 elements and on integers (np.exp of an
# int32 is float64, math.sqrt of an int is a float), two-argument maximum/minimum in every
# spelling with NaN (NumPy's propagate it) and mixed types, abs of every signed width and of
# floats, casts in every spelling (parpy.float32, parpy.operators.int16, np.float32, np.int8,
# convert with parpy.types, Python's int/float/bool), and infinity in every spelling. Python's
# max(a, b) is `b if b > a else a`, so with a NaN it keeps whichever operand the comparison
# keeps; `math.exp` of a float32 computes in float64 (no overflow at exp(100)).
import math

import numpy as np
import parpy
import parpy.operators
from parpy import math as pm
from parpy.types import F32, I16


@parpy.jit
def unary(x, x32, h, k, f64, f32, f16, N):
    parpy.label('N')
    for i in range(N):
        f64[i, 0] = parpy.operators.exp(x[i]) + parpy.exp(-x[i])
        f64[i, 1] = pm.log(abs(x[i]) + 1.0) + np.log(abs(x[i]) + 2.0)
        f64[i, 2] = math.sin(x[i]) + np.cos(x[i]) + parpy.math.tan(x[i] * 0.1)
        f64[i, 3] = math.sqrt(abs(x[i])) + np.sqrt(k[i]) + math.sqrt(i)
        f64[i, 4] = np.tanh(x[i]) + parpy.operators.tanh(k[i])
        f64[i, 5] = math.atan2(x[i], 1.5) + np.arctan2(k[i], x[i]) + parpy.atan2(-1.0, x[i])
        f64[i, 6] = np.exp(k[i]) - math.exp(k[i] % 5)
        f64[i, 7] = np.abs(x[i]) + math.fabs(k[i]) + np.absolute(-x[i])
        f32[i, 0] = parpy.operators.exp(x32[i])
        f32[i, 1] = pm.sqrt(abs(x32[i])) + np.log(abs(x32[i]) + 1.0)
        f32[i, 2] = np.sin(x32[i]) * parpy.math.cos(x32[i])
        f32[i, 3] = parpy.operators.atan2(x32[i], 0.5) + np.tanh(x32[i])
        f32[i, 4] = np.float32(k[i]) / 3 + parpy.float32(x[i])
        f64[i, 8] = math.exp(x32[i] * 50.0) - math.sqrt(abs(x32[i]))
        f16[i, 0] = np.exp(h[i] * 0.1)
        f16[i, 1] = pm.sqrt(abs(h[i])) + parpy.operators.sin(h[i])
        f16[i, 2] = abs(h[i]) - np.cos(h[i])


@parpy.jit
def pairs(x, y, a8, b16, c32, d64, fo, io, N):
    parpy.label('N')
    for i in range(N):
        fo[i, 0] = parpy.operators.max(x[i], y[i])
        fo[i, 1] = parpy.operators.min(x[i], y[i])
        fo[i, 2] = parpy.math.max(x[i], 0.5) + pm.min(y[i], -0.5)
        fo[i, 3] = parpy.builtin.maximum(x[i], y[i]) - parpy.builtin.minimum(x[i], y[i])
        fo[i, 4] = np.maximum(x[i], a8[i]) + np.minimum(b16[i], y[i])
        fo[i, 5] = max(x[i], 0.0) + min(y[i], 0.0)
        fo[i, 7] = max(0.0, x[i]) - min(-1.0, y[i])
        fo[i, 8] = max(x[i], y[i]) + min(y[i], x[i]) * 0.5
        fo[i, 6] = parpy.max(a8[i], x[i]) * parpy.min(c32[i], 2.5)
        io[i, 0] = max(a8[i], b16[i])
        io[i, 1] = min(a8[i], -3)
        io[i, 2] = parpy.operators.maximum(c32[i], d64[i])
        io[i, 3] = parpy.operators.minimum(i, c32[i])
        io[i, 4] = abs(a8[i]) + abs(c32[i])
        io[i, 5] = abs(d64[i]) - np.abs(b16[i])
        io[i, 6] = max(max(a8[i], 5), min(c32[i], 9))


@parpy.jit
def casts_infs(x, k, fo, io, N):
    parpy.label('N')
    for i in range(N):
        io[i, 0] = parpy.operators.int16(k[i] * 1000)
        io[i, 1] = np.int8(k[i] * 7)
        io[i, 2] = parpy.int32(x[i] * 100.0)
        io[i, 3] = parpy.builtin.convert(x[i] * -1000.0, I16)
        io[i, 4] = np.uint8(k[i])
        io[i, 5] = parpy.uint16(x[i] * 1000.0) if x[i] > 0.0 else 0
        io[i, 6] = int(x[i] * 10.0) + int(k[i] > 0) + bool(x[i]) * 100
        fo[i, 0] = parpy.builtin.convert(k[i], F32) / 3
        fo[i, 1] = float(k[i]) / 7 + parpy.operators.float64(k[i])
        fo[i, 2] = parpy.float64(parpy.float32(x[i]))
        fo[i, 3] = parpy.operators.float16(x[i])
        fo[i, 4] = x[i] if x[i] < 1.0 else np.inf
        fo[i, 5] = x[i] if x[i] > -1.0 else -math.inf
        fo[i, 6] = float('inf') if k[i] > 0 else float('-inf')
        fo[i, 7] = parpy.inf if k[i] % 3 == 0 else -parpy.operators.inf
        fo[i, 8] = min(x[i], parpy.builtin.inf) + max(-np.inf, x[i])
        fo[i, 9] = (x[i] < math.inf) + (x[i] * np.inf > 0.0) * 2
        fo[i, 10] = -float("inf") if x[i] < -1.5 else x[i] * 2


def inputs(rng):
    n = 1024
    x = rng.standard_normal(n) * 2
    y = rng.standard_normal(n) * 2
    y[::13] = np.nan
    x[5::17] = np.nan
    x2 = rng.standard_normal(n) * 2
    return {
        "unary": dict(x=x2, x32=(rng.standard_normal(n) * 2).astype(np.float32),
                      h=(rng.standard_normal(n) * 2).astype(np.float16),
                      k=rng.integers(0, 20, n).astype(np.int32),
                      f64=np.zeros((n, 9)), f32=np.zeros((n, 5), np.float32),
                      f16=np.zeros((n, 3), np.float16), N=n),
        "pairs": dict(x=x, y=y, a8=rng.integers(-128, 128, n).astype(np.int8),
                      b16=rng.integers(0, 300, n).astype(np.uint16),
                      c32=rng.integers(-10**6, 10**6, n).astype(np.int32),
                      d64=rng.integers(-10**12, 10**12, n).astype(np.int64),
                      fo=np.zeros((n, 9)), io=np.zeros((n, 7), np.int64), N=n),
        "casts_infs": dict(x=x2, k=rng.integers(-100, 100, n).astype(np.int32),
                           fo=np.zeros((n, 11)), io=np.zeros((n, 7), np.int64), N=n),
    }
