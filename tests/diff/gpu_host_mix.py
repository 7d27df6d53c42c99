# `with parpy.gpu:` blocks combined with host loops: a power iteration whose host loop launches a
# matrix-vector kernel, then normalizes on one GPU thread (a sequential sum of squares, `sqrt`,
# a division) writing a 0-d array that the next iteration's kernel reads; a host loop whose
# trip count is computed on the host from arguments (`steps // 2 + 1`); a `with parpy.gpu:`
# block inside the host loop that writes a history row indexed by the host loop variable; and a
# gpu block with its own `while` loop and `if`/`else` before any kernel.
import numpy as np
import parpy


@parpy.jit
def power_iter(A, v, w, nrm, hist, N, steps):
    with parpy.gpu:
        s = 0.0
        for i in range(N):
            s += v[i] * v[i]
        nrm[()] = parpy.operators.sqrt(s)
    for t in range(steps):
        parpy.label('N')
        for i in range(N):
            parpy.label('M')
            d = parpy.operators.sum(A[i, :] * v[:])
            w[i] = d / nrm
        with parpy.gpu:
            s2 = 0.0
            for i in range(N):
                s2 += w[i] * w[i]
            nrm[()] = parpy.operators.sqrt(s2)
            hist[t] = nrm[()]
            if t % 2 == 1:
                hist[t] = -hist[t]
        parpy.label('N')
        for i in range(N):
            v[i] = w[i]


@parpy.jit
def host_trip(x, log, cnt, N, steps):
    rounds = steps // 2 + 1
    with parpy.gpu:
        k = 0
        while k < N and x[k] >= 0.0:
            k += 1
        if k == N:
            cnt[0] = -1
        else:
            cnt[0] = k
    for r in range(rounds):
        parpy.label('N')
        for i in range(N):
            x[i] = x[i] * 0.5 + r
        with parpy.gpu:
            log[r, 0] = x[0]
            log[r, 1] = x[N - 1]
            m = x[0]
            for i in range(1, N):
                if x[i] > m:
                    m = x[i]
            log[r, 2] = m


def inputs(rng):
    n, m = 48, 48
    A = rng.standard_normal((n, m)) / np.sqrt(m)
    return {
        "power_iter": dict(
            A=A + A.T,
            v=rng.standard_normal(m),
            w=np.zeros(n),
            nrm=np.zeros(()),
            hist=np.zeros(6),
            N=n,
            steps=6,
        ),
        "host_trip": dict(x=rng.standard_normal(200), log=np.zeros((4, 3)), cnt=np.zeros(1, np.int64), N=200, steps=7),
    }
