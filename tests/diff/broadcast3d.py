# Broadcasting across three dimensions in slice statements (NumPy aligns from the right): a 3-d
# slice plus a 2-d plane plus a 1-d row with three stacked labels, the same with only the two
# outer dimensions labelled (the innermost runs sequentially), a 2-d result broadcast into a
# plane of a 3-d array inside a parallel loop (`out[b, :, :] = a[:, :] - v[:]`), integer
# broadcasting with promotion (int16 plane plus uint8 row gives int16), in-place augmented
# slice updates of a 3-d array by a 1-d slice and of rows 1: of a plane by its row 0, and a
# dimension of length 1 (`x[:, :, 0:1]`) stretched over the last dimension.
import numpy as np
import parpy


@parpy.jit
def bcast3(x, p, r, out, out2):
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    out[:, :, :] = x[:, :, :] * p[:, :] + r[:]
    parpy.label('A')
    parpy.label('B')
    out2[:, :, :] = (x[:, :, :] - r[:]) / (p[:, :] * p[:, :] + 1.0)


@parpy.jit
def plane_bcast(a, v, out, B):
    parpy.label('B')
    for b in range(B):
        parpy.label('R')
        parpy.label('C')
        out[b, :, :] = a[:, :] - v[:] * b


@parpy.jit
def int_bcast(q, u, res):
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    res[:, :, :] = q[:, :] + u[:] * res[:, :, :]


@parpy.jit
def inplace_bcast(x, r, A):
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    x[:, :, :] += r[:]
    parpy.label('A')
    for a in range(A):
        parpy.label('B')
        parpy.label('C')
        x[a, 1:, :] -= x[a, 0, :] * 0.5


@parpy.jit
def stretch(x, y):
    # A dimension of length 1 stretches, as in NumPy: `x[:, :, 0:1]` has shape (A, B, 1).
    parpy.label('A')
    parpy.label('B')
    parpy.label('C')
    y[:, :, :] = x[:, :, :] * x[:, :, 0:1]


def inputs(rng):
    a, b, c = 9, 14, 37
    return {
        "bcast3": dict(
            x=rng.standard_normal((a, b, c)).astype(np.float32),
            p=rng.standard_normal((b, c)).astype(np.float32),
            r=rng.standard_normal(c).astype(np.float32),
            out=np.zeros((a, b, c), np.float32),
            out2=np.zeros((a, b, c), np.float32),
        ),
        "plane_bcast": dict(a=rng.standard_normal((b, c)), v=rng.standard_normal(c), out=np.zeros((a, b, c)), B=a),
        "int_bcast": dict(
            q=rng.integers(-3000, 3000, (b, c)).astype(np.int16),
            u=rng.integers(0, 4, c).astype(np.uint8),
            res=rng.integers(-5, 5, (a, b, c)).astype(np.int16),
        ),
        "inplace_bcast": dict(x=rng.standard_normal((a, b, c)), r=rng.standard_normal(c), A=a),
        "stretch": dict(x=rng.standard_normal((a, b, c)), y=np.zeros((a, b, c))),
    }
