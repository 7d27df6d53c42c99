# 0-d arrays as device scalars (read by name and as `x[()]`, written as `x[()]`), grid-wide
# reductions into 0-d arrays (sum, max and min starting from `-math.inf` and `float('inf')` set
# in a `with parpy.gpu:` block), dict arguments mixing 0-d arrays and arrays, and a host loop
# around two kernels whose rate lives on the device, calling a helper defined after its caller.
import math
import numpy as np
import parpy


@parpy.jit
def scalar_cells(x, scale, offset, cfg, total, hi, lo, out, N):
    parpy.label('N')
    for i in range(N):
        out[i] = x[i] * scale[()] + offset + cfg["bias"][()] * cfg["w"][i % 4]
    parpy.label('R')
    for i in range(N):
        total[()] += out[i]
    with parpy.gpu:
        hi[()] = -math.inf
        lo[()] = float('inf')
    parpy.label('R')
    for i in range(N):
        hi[()] = max(hi[()], out[i])
    parpy.label('R')
    for i in range(N):
        lo[()] = min(lo[()], out[i] * scale)


@parpy.jit
def decay(x, y, rate, steps, N):
    for s in range(steps):
        parpy.label('N')
        for i in range(N):
            y[i] = x[i] * rate[()] + (1.0 - rate[()]) * neighbour_mean(x, i, N)
        parpy.label('N')
        for i in range(N):
            x[i] = y[i]


@parpy.jit
def neighbour_mean(x, i, N):
    left = x[i - 1] if i > 0 else x[i]
    right = x[i + 1] if i < N - 1 else x[i]
    return (left + right) * 0.5


def inputs(rng):
    n = 3000
    return {
        "scalar_cells": dict(
            x=rng.standard_normal(n),
            scale=np.array(1.5),
            offset=0.25,
            cfg={"bias": np.array(-0.5), "w": rng.standard_normal(4)},
            total=np.array(10.0),
            hi=np.array(0.0),
            lo=np.array(0.0),
            out=np.zeros(n),
            N=n,
        ),
        "decay": dict(x=rng.standard_normal(200).astype(np.float32), y=np.zeros(200, np.float32), rate=np.array(0.9, np.float32), steps=5, N=200),
    }
