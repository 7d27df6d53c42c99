# Operands are evaluated from left to right, also where a later one calls a helper that writes
# what an earlier one reads: `x[i] + bump(x, i)` adds the element as it was before the call,
# also in a helper's arguments and in the later comparisons of a chain.
import numpy as np
import parpy


@parpy.jit
def bump(x, i):
    x[i] = x[i] + 1.0
    return x[i]


@parpy.jit
def add(a, b):
    return a + b


@parpy.jit
def operand_order(x, out, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = x[i, 0] + bump(x[i], 0)
        out[i, 1] = max(x[i, 1], bump(x[i], 1) - 0.5)
        out[i, 2] = 1.0 if x[i, 2] < bump(x[i], 2) else 0.0
        out[i, 3] = bump(x[i], 3) * x[i, 3]
        out[i, 4] = add(x[i, 4], bump(x[i], 4))
        out[i, 5] = 1.0 if -100.0 < x[i, 5] < bump(x[i], 5) else 0.0


@parpy.jit
def slice_order(x, out, total, N):
    parpy.label('N')
    for i in range(N):
        # NumPy: `x[i, :]` is a view, read by `+` after `bump` wrote its first element; `bump`
        # runs once per statement, not once per element.
        out[i, :] = x[i, :] + bump(x[i], 0)
        total[i] = parpy.operators.sum(x[i, :] * bump(x[i], 1))


def inputs(rng):
    n = 500
    return {
        "operand_order": dict(x=rng.standard_normal((n, 6)), out=np.zeros((n, 6)), N=n),
        "slice_order": dict(x=rng.standard_normal((n, 4)), out=np.zeros((n, 4)), total=np.zeros(n), N=n),
    }
