# A local rebound to a value of another type: each plain reassignment in straight-line code is a
# new value with its own type (an integer index, then a float), as in Python; where values meet
# (a branch or a loop assigning the local), the local holds the common type.
import numpy as np
import parpy


@parpy.jit
def halves(x, out, N):
    parpy.label('N')
    for i in range(N):
        v = i
        out[v] = x[v]
        v = v / 2
        out[i] = out[i] + v
        v = N - 1 - i
        out[i] = out[i] * 2.0 + x[v]


@parpy.jit
def helper_rebind(i, x):
    k = i + 1
    k = k * 0.25
    return x[i] - k


@parpy.jit
def through_helper(x, out, N):
    parpy.label('N')
    for i in range(N):
        out[i] = helper_rebind(i, x)


@parpy.jit
def host_scale(x, out, N):
    s = N
    s = s / 4
    parpy.label('N')
    for i in range(N):
        out[i] = x[i] * s


@parpy.jit
def merged(x, out, N):
    parpy.label('N')
    for i in range(N):
        v = 0
        if x[i] > 0.0:
            v = 1.5
        w = i
        for k in range(3):
            w = w / 2
        out[i] = v + w


def inputs(rng):
    n = 300
    return dict(x=rng.standard_normal(n).astype(np.float32), out=np.zeros(n, np.float32), N=n)
