# Booleans: bool arrays read and written, and/or/not with short-circuit guards protecting an
# index, comparison chains, bitwise & | ^ on bools, bool results of comparisons stored in bool
# and int arrays, counting with `sum` over a boolean slice expression (int64, as in NumPy) and
# over a comparison of slices, `max` of a bool slice (any), and 0.1 `parpy.min` of ints.
import numpy as np
import parpy


@parpy.jit
def bool_ops(a, b, x, out, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = a[i] and b[i]
        out[i, 1] = a[i] or not b[i]
        out[i, 2] = a[i] ^ b[i]
        out[i, 3] = (a[i] & b[i]) | (not a[i] and not b[i])
        out[i, 4] = -1.0 < x[i] <= 1.0
        out[i, 5] = i + 1 < N and x[i + 1] > x[i]
        out[i, 6] = i > 0 and (x[i - 1] < 0.0 or b[i - 1])
        out[i, 7] = not (x[i] == x[i]) or x[i] != 0.0


@parpy.jit
def bool_counts(x, lim, mask, counts, anyneg, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        counts[i, 0] = parpy.sum(mask[i, :])
        parpy.label('M')
        counts[i, 1] = parpy.sum(x[i, :] > lim[:])
        parpy.label('M')
        counts[i, 2] = parpy.min(parpy.int64(x[i, :] * 4.0))
        parpy.label('M')
        anyneg[i] = parpy.max(x[i, :] < -2.5)
        n = 0
        for j in range(3):
            if counts[i, j] > 0 and counts[i, j] % 2 == 1:
                n += 1
        counts[i, 3] = n


def inputs(rng):
    n, m = 400, 150
    return {
        "bool_ops": dict(
            a=rng.integers(0, 2, n).astype(np.bool_),
            b=rng.integers(0, 2, n).astype(np.bool_),
            x=rng.standard_normal(n) * 1.5,
            out=np.zeros((n, 8), np.bool_),
            N=n,
        ),
        "bool_counts": dict(
            x=rng.standard_normal((n, m)).astype(np.float32),
            lim=rng.standard_normal(m).astype(np.float32),
            mask=rng.random((n, m)) < 0.3,
            counts=np.zeros((n, 4), np.int64),
            anyneg=np.zeros(n, np.bool_),
            N=n,
        ),
    }
