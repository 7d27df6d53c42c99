# Python statement forms: docstrings, annotated assignments (`acc: float = 0.0`), chained
# assignment (`a[i] = b[i] = v`, the value computed once even when a target is something it
# reads), augmented assignment with every operator on array elements and locals (`/=` on an int32
# element truncates toward zero, as NumPy stores a float into an int array), an early `return`
# in the exported function's host code, and `import parpy as pp` / `from parpy import ...`.
import numpy as np
import parpy as pp
from parpy import gpu, jit, label


@jit
def forms(x, ia, fa, out, io, N, skip):
    """Every element goes through each operator once."""
    if skip > 0:
        return
    label('N')
    for i in range(N):
        acc: float = 0.0
        t: int = ia[i]
        t += 3
        t -= 1
        t *= 5
        t //= 4
        t %= 1000
        t **= 2
        t <<= 1
        t >>= 2
        t &= 0x7FF
        t |= 0x100
        t ^= 0x55
        io[i, 0] = t
        io[i, 1] = ia[i]
        io[i, 1] //= -7
        io[i, 2] = ia[i]
        io[i, 2] %= -7
        io[i, 3] = ia[i]
        io[i, 3] /= 4
        acc += x[i]
        acc *= 2.5
        acc -= fa[i]
        acc /= 3.0
        acc **= 2
        acc //= 0.7
        acc %= 5.0
        out[i, 0] = acc
        fa[i] = out[i, 1] = fa[i] * 2.0 + 1.0
        out[i, 2] = x[i] = x[i] - 1.0
    if N < 2:
        return
    with gpu:
        out[0, 3] = out[N - 1, 0] + 1.0


def inputs(rng):
    n = 3000
    return dict(x=rng.standard_normal(n), ia=rng.integers(-5000, 5000, n).astype(np.int32),
                fa=rng.standard_normal(n), out=np.zeros((n, 4)), io=np.zeros((n, 4), np.int32),
                N=n, skip=0)
