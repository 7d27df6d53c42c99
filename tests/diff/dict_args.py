# Dict arguments: a sparse matrix in CSR form passed as one dict, indexed by string keys, also
# passed on to helpers (which may pass it on again).
import numpy as np
import parpy


@parpy.jit
def spmv(A, x, y, N):
    parpy.label('N')
    for row in range(N):
        s = 0.0
        for k in range(A["rows"][row], A["rows"][row + 1]):
            s += A["vals"][k] * x[A["cols"][k]]
        y[row] = s * A["scale"]


@parpy.jit
def row_nnz(M, row):
    return M["rows"][row + 1] - M["rows"][row]


@parpy.jit
def row_dot(M, v, row):
    s = 0.0
    for k in range(M["rows"][row], M["rows"][row] + row_nnz(M, row)):
        s += M["vals"][k] * v[M["cols"][k]]
    return s * M["scale"]


@parpy.jit
def spmv_helpers(A, x, y, N):
    parpy.label('N')
    for row in range(N):
        y[row] = row_dot(A, x, row)


def inputs(rng):
    n, m = 300, 200
    dense = rng.standard_normal((n, m)) * (rng.random((n, m)) < 0.05)
    rows = np.concatenate([[0], np.cumsum((dense != 0).sum(axis=1))]).astype(np.int64)
    cols = np.nonzero(dense)[1].astype(np.int64)
    vals = dense[dense != 0].astype(np.float32)
    A = {"rows": rows, "cols": cols, "vals": vals, "scale": 2.0}
    return dict(A=A, x=rng.standard_normal(m).astype(np.float32), y=np.zeros(n, np.float32), N=n)
