# Convolutions and pooling: a 1-d valid convolution whose window is a slice starting at the loop
# variable (`x[b, i:i + K] * w[:]`), a 2-d convolution with ReLU (`max(v, 0.0)`) from nested
# sequential loops over the kernel, strided max pooling over pairs `x[b, 0:L:2]` and
# `x[b, 1:L:2]` with parpy.builtin.maximum on slices, average pooling dividing by K, and
# moving-window sums `x[b, max(j - 2, 0):j + W]` whose last windows run past the row's end (a
# Python slice stops at the end of the array, so they are shorter).
import numpy as np
import parpy


@parpy.jit
def conv1d(x, w, y, B, L, K):
    parpy.label('B')
    for b in range(B):
        parpy.label('I')
        for i in range(L - K + 1):
            parpy.label('K')
            y[b, i] = parpy.sum(x[b, i:i + K] * w[:])


@parpy.jit
def conv2d_relu(img, ker, out, H, W, KH, KW):
    parpy.label('H')
    for i in range(H - KH + 1):
        parpy.label('W')
        for j in range(W - KW + 1):
            acc = 0.0
            for a in range(KH):
                for c in range(KW):
                    acc += img[i + a, j + c] * ker[a, c]
            out[i, j] = max(acc, 0.0)


@parpy.jit
def pools(x, mx, avg, B, L, K):
    parpy.label('B')
    for b in range(B):
        parpy.label('I')
        mx[b, :] = parpy.builtin.maximum(x[b, 0:L:2], x[b, 1:L:2])
        parpy.label('I')
        for i in range(L // K):
            s = 0.0
            for k in range(K):
                s += x[b, i * K + k]
            avg[b, i] = s / K


@parpy.jit
def window_sums(x, ws, B, L, W):
    parpy.label('B')
    for b in range(B):
        parpy.label('I')
        for j in range(L):
            parpy.label('K')
            ws[b, j] = parpy.sum(x[b, parpy.builtin.maximum(j - 2, 0):j + W])


def inputs(rng):
    b, l, k = 16, 500, 9
    return {
        "conv1d": dict(
            x=rng.standard_normal((b, l)).astype(np.float32),
            w=rng.standard_normal(k).astype(np.float32),
            y=np.zeros((b, l - k + 1), np.float32),
            B=b, L=l, K=k,
        ),
        "conv2d_relu": dict(
            img=rng.standard_normal((50, 61)),
            ker=rng.standard_normal((5, 3)),
            out=np.zeros((46, 59)),
            H=50, W=61, KH=5, KW=3,
        ),
        "window_sums": dict(x=rng.standard_normal((b, 300)), ws=np.zeros((b, 300)), B=b, L=300, W=6),
        "pools": dict(
            x=rng.standard_normal((b, 600)).astype(np.float32),
            mx=np.zeros((b, 300), np.float32),
            avg=np.zeros((b, 600 // 7), np.float32),
            B=b, L=600, K=7,
        ),
    }
