# Each function is a bug of upstream ParPy that parpyc must not copy.
import numpy as np
import parpy


@parpy.jit
def broadcast_from_right(x, y, out):
    # NumPy aligns y with the last dimension of x (upstream aligned it with the first).
    parpy.label('N')
    parpy.label('M')
    out[:, :] = x[:, :] + y[:]


@parpy.jit
def local_in_if(x, out, N):
    # `v` is first assigned inside an `if` and used after it (upstream declared it inside).
    parpy.label('N')
    for i in range(N):
        if x[i] > 0:
            v = x[i] * 2
        else:
            v = -x[i]
        out[i] = v


@parpy.jit
def int_max_min(a, out, N):
    # Integer max/min reductions need the type's own extremes as neutral elements.
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        out[i, 0] = parpy.operators.max(a[i, :])
        parpy.label('M')
        out[i, 1] = parpy.operators.min(a[i, :])


@parpy.jit
def sync_in_branch(x, out, N):
    # A parallel loop under a branch: every thread of the block takes the same branch.
    parpy.label('N')
    for i in range(N):
        if x[i, 0] > 0.0:
            parpy.label('M')
            out[i, :] = x[i, :] * 2.0
        else:
            parpy.label('M')
            s = parpy.operators.sum(x[i, :])
            out[i, 0] = s


@parpy.jit
def aliased(x, y, N):
    # The same array passed for both parameters: no __restrict__ may be assumed.
    parpy.label('N')
    for i in range(N):
        y[i] = x[i] + 1.0


@parpy.jit
def cuda_names(x, out, N):
    # Python names that are CUDA types or functions.
    parpy.label('N')
    for half in range(N):
        float2 = x[half] * 0.5
        threadIdx = float2 + 1.0
        out[half] = threadIdx


@parpy.jit
def python_division(a, b, q, r, t):
    # `/` is true division, `//` and `%` floor, also for negative operands.
    parpy.label('N')
    for i in range(8):
        q[i] = a[i] // b[i]
        r[i] = a[i] % b[i]
        t[i] = a[i] / b[i]


@parpy.jit
def pow_zero(x, out, N):
    # x ** 0.0 is 1.0, also for NaN and infinities (upstream folded it to x).
    parpy.label('N')
    for i in range(N):
        out[i] = x[i] ** 0.0


def inputs(rng):
    n, m = 100, 70
    x2 = rng.standard_normal((n, m)).astype(np.float32)
    x2[::3, 0] = -1.0
    x1 = rng.standard_normal(n)
    x1[:3] = [np.nan, np.inf, -np.inf]
    same = rng.standard_normal(n)
    return {
        "broadcast_from_right": dict(x=x2, y=rng.standard_normal(m).astype(np.float32), out=np.zeros((n, m), np.float32)),
        "local_in_if": dict(x=rng.integers(-50, 50, n).astype(np.int32), out=np.zeros(n, np.int32), N=n),
        "int_max_min": dict(a=rng.integers(-(1 << 62), 1 << 62, (n, m)).astype(np.int64), out=np.zeros((n, 2), np.int64), N=n),
        "sync_in_branch": dict(x=x2, out=np.zeros((n, m), np.float32), N=n),
        "aliased": dict(x=same, y=same, N=n),
        "cuda_names": dict(x=rng.standard_normal(n), out=np.zeros(n), N=n),
        "python_division": dict(
            a=np.array([7, -7, 7, -7, 0, 5, -5, 9], np.int64),
            b=np.array([2, 2, -2, -2, 3, 5, 3, -4], np.int64),
            q=np.zeros(8, np.int64),
            r=np.zeros(8, np.int64),
            t=np.zeros(8),
        ),
        "pow_zero": dict(x=x1, out=np.zeros(n), N=n),
    }
