# Stencils: a 2-d Jacobi step as one slice statement over x[1:-1, 1:-1] with four shifted
# views (two labels for the two dimensions) inside a host time loop copying back with a slice,
# a periodic 1-d stencil indexing with `(i - 1) % N` (Python's floor modulo wraps -1 to N - 1),
# and a 3x3 box blur with clamped borders from nested sequential loops over range(-1, 2).
import numpy as np
import parpy


@parpy.jit
def jacobi(x, y, steps):
    for t in range(steps):
        parpy.label('R')
        parpy.label('C')
        y[1:-1, 1:-1] = 0.25 * (x[0:-2, 1:-1] + x[2:, 1:-1] + x[1:-1, 0:-2] + x[1:-1, 2:])
        parpy.label('R')
        parpy.label('C')
        x[1:-1, 1:-1] = y[1:-1, 1:-1]


@parpy.jit
def periodic(u, lap, N):
    parpy.label('I')
    for i in range(N):
        lap[i] = u[(i - 1) % N] - 2.0 * u[i] + u[(i + 1) % N]
        lap[N + i] = u[(i - 3) % N] * u[(i + N - 5) % N]


@parpy.jit
def box_blur(img, out, H, W):
    parpy.label('H')
    for i in range(H):
        parpy.label('W')
        for j in range(W):
            acc = 0.0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    ii = min(max(i + di, 0), H - 1)
                    jj = min(max(j + dj, 0), W - 1)
                    acc += img[ii, jj]
            out[i, j] = acc / 9.0


def inputs(rng):
    n = 67
    x = rng.random((n, n)).astype(np.float32)
    return {
        "jacobi": dict(x=x, y=x.copy(), steps=7),
        "periodic": dict(u=rng.standard_normal(1000), lap=np.zeros(2000), N=1000),
        "box_blur": dict(img=rng.random((45, 70)).astype(np.float32), out=np.zeros((45, 70), np.float32), H=45, W=70),
    }
