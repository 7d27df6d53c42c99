# Every form of range on parallel and sequential loops: stop only, start/stop, positive and
# negative constant steps (also steps that do not divide the length), empty ranges, bounds
# from expressions of loop variables, a parallel reduction over a negative-step range, and a
# 0.3 `parpy.builtin.sum` over a stepped slice.
import numpy as np
import parpy


@parpy.jit
def range_forms(x, y, z, w, tri, rev, N, M):
    parpy.label('a')
    for i in range(N):
        x[i] = i
    parpy.label('a')
    for i in range(1, N, 3):
        y[i] = i * 2
    parpy.label('b')
    for i in range(N - 1, -1, -2):
        z[i] = N - i
    parpy.label('b')
    for i in range(N - 2, 0, -5):
        z[i] = -i
    parpy.label('a')
    for i in range(N, 0):
        x[i] = 12345
    parpy.label('rows')
    for r in range(M):
        total = 0
        parpy.label('cols')
        for c in range(M - 1, r - 1, -3):
            total += c * (r + 1)
        tri[r, 0] = total
        parpy.label('cols')
        for c in range(r, r + 7, 2):
            tri[r, 1 + (c - r) // 2] = c
        acc = 0
        for c in range(r, -1, -1):
            if c % 4 == 3:
                continue
            acc = acc * 3 % 1000003 + c
        tri[r, 5] = acc
    parpy.label('rows')
    for r in range(M):
        parpy.label('cols')
        rev[r] = parpy.builtin.sum(w[r, 1:M] * w[r, 0:M - 1])
        parpy.label('cols')
        w[r, 0:M:3] = w[r, 0:M:3] * 2.0


def inputs(rng):
    n, m = 1000, 90
    return dict(
        x=np.zeros(n, np.int64),
        y=np.full(n, -1, np.int32),
        z=np.zeros(n, np.int64),
        w=rng.standard_normal((m, m)),
        tri=np.zeros((m, 6), np.int64),
        rev=np.zeros(m),
        N=n,
        M=m,
    )
