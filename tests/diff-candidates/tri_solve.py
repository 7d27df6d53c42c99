# Batched triangular solves, one block per system: back substitution walking rows with a
# negative-step range and a parallel reduction (`reduce = true`) over the already-solved tail
# into a local used in a division, forward substitution whose parallel reduction itself runs
# over a negative-step range, and U @ x recomputed as a slice reduction of a row with x.
import numpy as np
import parpy


@parpy.jit
def back_sub(U, y, x, resid, NB, N):
    parpy.label('B')
    for b in range(NB):
        for i in range(N - 1, -1, -1):
            s = 0.0
            parpy.label('J')
            for j in range(i + 1, N):
                s += U[b, i, j] * x[b, j]
            x[b, i] = (y[b, i] - s) / U[b, i, i]
        for i in range(N):
            parpy.label('J')
            r = parpy.sum(U[b, i, :] * x[b, :])
            resid[b, i] = r * 2.0


@parpy.jit
def forward_sub(L, y, x, NB, N):
    parpy.label('B')
    for b in range(NB):
        for i in range(N):
            s = 0.0
            parpy.label('J')
            for j in range(i - 1, -1, -1):
                s += L[b, i, j] * x[b, j]
            x[b, i] = (y[b, i] - s) / L[b, i, i]


def inputs(rng):
    nb, n = 12, 90
    U = np.triu(rng.standard_normal((nb, n, n))) * 0.1
    L = np.tril(rng.standard_normal((nb, n, n))) * 0.1
    for b in range(nb):
        U[b] += np.eye(n) * 2.0
        L[b] += np.eye(n) * 2.0
    return {
        "back_sub": dict(U=U, y=rng.standard_normal((nb, n)), x=np.zeros((nb, n)), resid=np.ones((nb, n)), NB=nb, N=n),
        "forward_sub": dict(L=L, y=rng.standard_normal((nb, n)), x=np.zeros((nb, n)), NB=nb, N=n),
    }
