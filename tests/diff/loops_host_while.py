# Loops with Python's meaning: nested while loops where an inner `break` leaves only the inner
# loop and an outer `continue` skips the rest, `while True` with a counter, a for loop whose body
# `continue`s from inside an if/elif chain, ranges with negative steps given by a unary minus and
# by expressions of the loop variable (`range(i, -1, -(1 + 1))`, `range(N - 1, i, -3)`), a
# sequential host loop over a negative-step range launching a kernel per step, a host while loop
# with a counter launching kernels, and negative literal indices (`x[-1]`, `m[i, -2]`, `m[-1][-1]`).
import numpy as np
import parpy


@parpy.jit
def nested_while(a, out, N, M):
    parpy.label('N')
    for i in range(N):
        found = -1
        r = 0
        hits = 0
        while r < M:
            c = 0
            while True:
                if c >= M:
                    break
                if a[i, r * M + c] > 2.0:
                    found = r * M + c
                    break
                c += 1
            r += 1
            if found < 0:
                continue
            hits += 1
            if hits >= 2:
                break
            found = -1
        out[i, 0] = found
        out[i, 1] = r
        s = 0
        for j in range(i % 17, -1, -(1 + 1)):
            if j % 3 == 0:
                continue
            elif j % 3 == 1:
                s += j
            else:
                s -= 1
        out[i, 2] = s
        t = 0
        for j in range(M * M - 1, i % 5, -3):
            t += j
        out[i, 3] = t
        out[i, 4] = a[i, -1] > a[i, -2]
        out[i, 5] = parpy.int64(a[-1][-1] * 1000)


@parpy.jit
def host_steps(x, log, N, S):
    for s in range(S - 1, -1, -1):
        parpy.label('N')
        for i in range(N):
            x[i] = x[i] * 0.5 + s
        with parpy.gpu:
            log[s] = x[0] + x[-1]
    k = 0
    while k < 3:
        parpy.label('N')
        for i in range(1, N):
            x[i] = x[i] - x[0]
        k += 1


def inputs(rng):
    n, m = 1500, 12
    return {
        "nested_while": dict(a=rng.standard_normal((n, m * m)), out=np.zeros((n, 6), np.int64),
                             N=n, M=m),
        "host_steps": dict(x=rng.standard_normal(4000), log=np.zeros(7), N=4000, S=7),
    }
