# Conway's game of life on a torus of bools: a host loop of generations ping-ponging between two
# grids, neighbours counted with `(i + di) % N` wrap-around (di = -1 included) and
# `parpy.int32` of bools, the rule as a boolean expression stored into a bool array, the number
# of live cells as a sum over a 2-d bool slice with both dimensions labelled (int64, as NumPy
# sums bools), and per-row `max`/`min` of bool slices (any / all).
import numpy as np
import parpy


@parpy.jit
def step(src, dst, N, M):
    parpy.label('R')
    for i in range(N):
        parpy.label('C')
        for j in range(M):
            n = 0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    if di != 0 or dj != 0:
                        n += parpy.int32(src[(i + di) % N, (j + dj) % M])
            dst[i, j] = n == 3 or (src[i, j] and n == 2)


@parpy.jit
def life(A, B, alive, rows_any, rows_all, gens, N, M):
    for g in range(gens):
        step(A, B, N, M)
        step(B, A, N, M)
    parpy.label('R')
    parpy.label('C')
    alive[0] = parpy.sum(A[:, :])
    parpy.label('R')
    for i in range(N):
        parpy.label('C')
        rows_any[i] = parpy.max(A[i, :])
        parpy.label('C')
        rows_all[i] = parpy.min(A[i, :])


def inputs(rng):
    n, m = 40, 70
    A = rng.random((n, m)) < 0.35
    A[3, :] = True
    return dict(A=A, B=np.zeros((n, m), np.bool_), alive=np.zeros(1, np.int64),
                rows_any=np.zeros(n, np.bool_), rows_all=np.zeros(n, np.bool_), gens=6, N=n, M=m)
