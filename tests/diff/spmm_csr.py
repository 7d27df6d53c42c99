# Sparse times dense in CSR form, with the sparse matrix and the dense one passed as dicts whose
# scalar entries bound the loops: one block per (row, column) with a parallel reduction over the
# row's nonzeros (`reduce = true`), and a sparse matrix-vector product per row whose inner loop
# over nonzeros accumulates into a local with a stepped parallel reduction.
import numpy as np
import parpy


@parpy.jit
def spmm_csr(A, B, C):
    parpy.label('row')
    for i in range(A["nrows"]):
        parpy.label('col')
        for j in range(B["ncols"]):
            parpy.label('nz')
            for k in range(A["rowptr"][i], A["rowptr"][i + 1]):
                C[i, j] += A["vals"][k] * B["vals"][A["cols"][k], j]


@parpy.jit
def spmv_csr(A, x, y, absrow, N):
    parpy.label('row')
    for i in range(N):
        s = 0.0
        parpy.label('nz')
        for k in range(A["rowptr"][i], A["rowptr"][i + 1]):
            s += A["vals"][k] * x[A["cols"][k]]
        y[i] = s
        t = 0.0
        parpy.label('nz')
        for k in range(A["rowptr"][i + 1] - 1, A["rowptr"][i] - 1, -1):
            t += parpy.operators.abs(A["vals"][k])
        absrow[i] = t


def csr(rng, n, m, density):
    dense = rng.standard_normal((n, m)) * (rng.random((n, m)) < density)
    dense[3, :] = 0.0  # an empty row
    rowptr = np.concatenate([[0], np.cumsum((dense != 0).sum(axis=1))]).astype(np.int64)
    cols = np.nonzero(dense)[1].astype(np.int32)
    vals = dense[dense != 0].astype(np.float32)
    return rowptr, cols, vals


def inputs(rng):
    n, m, k = 70, 300, 40
    rowptr, cols, vals = csr(rng, n, m, 0.08)
    A = {"rowptr": rowptr, "cols": cols, "vals": vals, "nrows": n}
    B = {"vals": rng.standard_normal((m, k)).astype(np.float32), "ncols": k}
    return {
        "spmm_csr": dict(A=A, B=B, C=np.zeros((n, k), np.float32)),
        "spmv_csr": dict(A=A, x=rng.standard_normal(m).astype(np.float32), y=np.zeros(n, np.float32), absrow=np.zeros(n, np.float32), N=n),
    }
