# Slices of whole dimensions passed to helpers: a row, a column, a plane of a 3-d array, a view
# passed on from one helper to the next, and a helper with a labelled reduction over its view.
import numpy as np
import parpy


@parpy.jit
def dot(a, b, n):
    s = 0.0
    for j in range(n):
        s += a[j] * b[j]
    return s


@parpy.jit
def row_total(r):
    parpy.label('M')
    t = parpy.operators.sum(r[:])
    return t


@parpy.jit
def plane_trace(p, n):
    s = 0.0
    for k in range(n):
        s += p[k, k]
    return s


@parpy.jit
def twice(v, n):
    return dot(v, v, n)


@parpy.jit
def mv(A, x, out, N, M):
    parpy.label('N')
    for i in range(N):
        out[i] = dot(A[i, :], x, M)


@parpy.jit
def column_norms(A, cols, N, M):
    parpy.label('M')
    for j in range(M):
        cols[j] = twice(A[:, j], N)


@parpy.jit
def row_totals(A, out, N, M):
    parpy.label('N')
    for i in range(N):
        out[i] = row_total(A[i, :])


@parpy.jit
def traces(C, tr, K, L):
    parpy.label('K')
    for i in range(K):
        tr[i] = plane_trace(C[i, :, :], L)


def inputs(rng):
    n, m, k, l = 40, 33, 12, 9
    return dict(
        A=rng.standard_normal((n, m)),
        x=rng.standard_normal(m),
        out=np.zeros(n),
        cols=np.zeros(m),
        C=rng.standard_normal((k, l, l)).astype(np.float32),
        tr=np.zeros(k, np.float32),
        N=n,
        M=m,
        K=k,
        L=l,
    )
