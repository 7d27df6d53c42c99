# if/elif/else, while, break and continue in sequential loops inside a parallel loop, chained
# comparisons, boolean operators, and a local assigned in both branches of an if.
import numpy as np
import parpy


@parpy.jit
def control_flow(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        if x[i, 0] < -1.0:
            sign = -1
        elif -1.0 <= x[i, 0] < 1.0:
            sign = 0
        else:
            sign = 1
        out[i, 0] = sign
        count = 0
        for j in range(M):
            if x[i, j] < 0.0:
                continue
            if x[i, j] > 2.0:
                break
            count += 1
        out[i, 1] = count
        k = 0
        total = 0.0
        while k < M and total < 3.0:
            total += abs(x[i, k])
            k += 1
        out[i, 2] = k
        out[i, 3] = 1 if (x[i, 1] > 0.0 or x[i, 2] > 0.0) and not x[i, 3] > 0.0 else 0
        for j in range(M - 1, -1, -2):
            if j < 4:
                pass
            else:
                out[i, 4] = out[i, 4] + j


def inputs(rng):
    n, m = 500, 16
    return dict(x=rng.standard_normal((n, m)) * 1.5, out=np.zeros((n, 5), np.int64), N=n, M=m)
