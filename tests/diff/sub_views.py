# Views sliced again inside helpers, with Python's meaning: `w[1:3]` of `w = x[i, 2:8]` is
# `x[i, 3:5]`; open, negative, out-of-range and run-time bounds (`w[1:]`, `w[:-1]`, `w[-3:]`,
# `w[1:100]`, `w[k:k + 2]`), steps (`w[::2]` of a stepped view `x[i, 1::3]`), a sub-slice passed
# on to another helper that indexes it, and a sub-slice on the right of a slice statement in a
# statement helper. Rows are shorter than some of the bounds (7 columns).
import numpy as np
import parpy


@parpy.jit
def first_two(v):
    return v[0] * 10.0 + v[1]


@parpy.jit
def parts(w, k):
    a = parpy.operators.sum(w[1:3])
    b = parpy.operators.sum(w[1:])
    c = parpy.operators.sum(w[:-1])
    d = parpy.operators.max(w[-3:])
    e = parpy.operators.sum(w[1:100])
    f = parpy.operators.sum(w[k:k + 2])
    g = parpy.operators.sum(w[::2])
    return a + b * 2.0 + c * 3.0 + d * 4.0 + e * 5.0 + f * 6.0 + g * 7.0


@parpy.jit
def nested(w):
    return first_two(w[1:4]) + first_two(w[2:])


@parpy.jit
def stepped(w):
    a = parpy.operators.sum(w[1:])
    b = parpy.operators.sum(w[::2])
    return a + b * 10.0


@parpy.jit
def copy_part(dst, w):
    dst[0:2] = w[1:3] * 2.0


@parpy.jit
def sub_views(x, out, cp, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = parts(x[i, 2:8], i % 4)
        out[i, 1] = nested(x[i, 1:6])
        out[i, 2] = stepped(x[i, 1::3])
        copy_part(cp[i, :], x[i, 2:8])


def inputs(rng):
    n = 24
    return dict(
        x=rng.standard_normal((n, 7)),
        out=np.zeros((n, 3)),
        cp=np.zeros((n, 2)),
        N=n,
    )
