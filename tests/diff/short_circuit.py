# Short-circuit evaluation with helper calls: `k < M and probe(...)` in a `while` condition, in
# an `if` and in a conditional expression, `or` guarding a helper, where the helper has a side
# effect (it counts its calls in an array) and indexes with the value the guard protects, and a
# helper reading `table[j]` only when `idx[i] >= 0` (a huge negative index otherwise). Python
# never calls the helper when the left operand decides the result.
import numpy as np
import parpy


@parpy.jit
def probe(x, calls, i, k, t):
    calls[i] += 1
    return x[i, k] > t


@parpy.jit
def safe_ratio(a, b):
    return a / b


@parpy.jit
def short_circuit(x, calls, first, flags, ratio, N, M):
    parpy.label('N')
    for i in range(N):
        k = 0
        while k < M and not probe(x, calls, i, k, 1.0):
            k += 1
        first[i] = k
        if i % 3 == 0 or probe(x, calls, i, 0, 0.0):
            flags[i] = 1
        else:
            flags[i] = 0
        ratio[i] = safe_ratio(x[i, 1], x[i, 2]) if x[i, 2] != 0.0 and probe(x, calls, i, 2, -5.0) else 0.0


@parpy.jit
def lookup(table, j):
    return table[j]


@parpy.jit
def guarded_lookup(table, idx, out, N):
    parpy.label('N')
    for i in range(N):
        if idx[i] >= 0 and lookup(table, idx[i]) > 0.5:
            out[i] = 1.0
        else:
            out[i] = 0.0


def inputs(rng):
    n, m = 200, 12
    x = rng.standard_normal((n, m))
    x[::7, 2] = 0.0
    idx = rng.integers(0, 64, 500).astype(np.int64)
    idx[::3] = -(1 << 40)
    return {
        "short_circuit": dict(
            x=x,
            calls=np.zeros(n, np.int64),
            first=np.zeros(n, np.int64),
            flags=np.zeros(n, np.int32),
            ratio=np.zeros(n),
            N=n,
            M=m,
        ),
        "guarded_lookup": dict(table=rng.random(64), idx=idx, out=np.zeros(500), N=500),
    }
