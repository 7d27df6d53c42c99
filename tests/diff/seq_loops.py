# Sequential loops inside parallel ones, with Python's meaning. `while` loops with `break` and
# `continue` at the thread level of a two-level nest: `while True` left by `break`, a `continue`
# that skips the rest of an iteration after advancing the counter, a `while` whose condition
# reads the array, a `break` out of an inner `for` inside a `while` (leaving only the inner
# loop), a `continue` in a `for` nested in a `while`, and a loop variable reused by a later loop.
# And `for` semantics: the loop variable read after its loop holds the last value taken (not one
# step past it), also for a negative step; an empty range leaves the variable's earlier value;
# `range(n)` evaluates `n` once, so a body that changes `n` does not change the trip count (a
# `while` loop, by contrast, re-reads its condition); the same in a `with parpy.gpu:` block.
import numpy as np
import parpy

@parpy.jit
def while_par(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            v = x[i, j]
            steps = 0
            while True:
                if v == 1:
                    break
                steps += 1
                if v % 2 == 0:
                    v = v // 2
                    continue
                v = 3 * v + 1
            out[i, j, 0] = steps
            k = 0
            odd = 0
            while k < 20:
                k += 1
                if (x[i, j] + k) % 3 == 0:
                    continue
                odd += k
            out[i, j, 1] = odd
            w = x[i, j]
            found = -1
            while w > 0:
                for d in range(2, 10):
                    if w % d == 0:
                        found = d
                        break
                if found > 0:
                    break
                w -= 1
            out[i, j, 2] = found * 1000 + w
            t = 0
            r = 0
            while t < 4:
                for d in range(6):
                    if d == t:
                        continue
                    if d > t + 2:
                        break
                    r = r * 7 + d
                t += 1
            out[i, j, 3] = r % 1000003


@parpy.jit
def loop_vars(x, out, N):
    parpy.label('N')
    for i in range(N):
        d = -5
        for d in range(x[i] % 4):
            pass
        out[i, 0] = d
        e = 100
        for e in range(x[i] % 7, 0, -2):
            out[i, 5] += e
        out[i, 1] = e
        n = x[i] % 9
        c = 0
        for j in range(n):
            n -= 1
            c += 1
        out[i, 2] = c * 100 + n
        m = x[i] % 9
        w = 0
        while w < m:
            m -= 1
            w += 1
        out[i, 3] = w * 100 + m
        lim = x[i] % 5 + 2
        c2 = 0
        for j in range(1, lim, 1):
            lim = 0
            c2 += j
        out[i, 4] = c2


@parpy.jit
def gpu_loop_vars(x, out, N):
    with parpy.gpu:
        t = 0
        for k in range(N):
            t += x[k]
        out[0] = k
        cnt = N
        s = 0
        for k in range(cnt):
            cnt = cnt - 2
            s += 1
        out[1] = s
        out[2] = k


def inputs(rng):
    n, m = 40, 50
    x = rng.integers(0, 1000, 500).astype(np.int64)
    return {
        "while_par": dict(x=rng.integers(1, 3000, (n, m)).astype(np.int64), out=np.zeros((n, m, 4), np.int64), N=n, M=m),
        "loop_vars": dict(x=x, out=np.zeros((500, 6), np.int64), N=500),
        "gpu_loop_vars": dict(x=x[:20].copy(), out=np.zeros(3, np.int64), N=20),
    }
