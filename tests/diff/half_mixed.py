# float16 mixed with float32: a sequential f32 accumulator over f16 elements (f32 + f16 is f32),
# an f16 max over a slice, f16 times a Python float staying f16, f16 + f32 arrays giving f32,
# `parpy.float16` of an f32 slice expression, f16 comparisons stored in a bool array, an f16
# scalar argument, and `parpy.math.exp` of f16 values (computed in f16 as NumPy does).
import numpy as np
import parpy


@parpy.jit
def half_mixed(x, y32, s32, mx, mix, back, pos, ex, h, N, M):
    parpy.label('N')
    for i in range(N):
        s = parpy.float32(0.0)
        for j in range(M):
            s += x[i, j]
        s32[i] = s
        parpy.label('M')
        mx[i] = parpy.max(x[i, :])
        parpy.label('M')
        mix[i, :] = x[i, :] * 0.5 + y32[i, :]
        parpy.label('M')
        back[i, :] = parpy.float16(y32[i, :] * 2.0) + x[i, :] * h
        parpy.label('M')
        pos[i, :] = x[i, :] > h
        parpy.label('M')
        for j in range(M):
            ex[i, j] = parpy.math.exp(x[i, j] * 0.25)


def inputs(rng):
    n, m = 80, 120
    return dict(
        x=rng.standard_normal((n, m)).astype(np.float16),
        y32=rng.standard_normal((n, m)).astype(np.float32),
        s32=np.zeros(n, np.float32),
        mx=np.zeros(n, np.float16),
        mix=np.zeros((n, m), np.float32),
        back=np.zeros((n, m), np.float16),
        pos=np.zeros((n, m), np.bool_),
        ex=np.zeros((n, m), np.float16),
        h=float(np.float16(0.125)),
        N=n,
        M=m,
    )
