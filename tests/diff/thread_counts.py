# Thread counts that the arguments make zero or negative: a level with no threads still runs
# the code around its loops (`out[i] = 1.0` where rows are empty), and a loop whose count leaves
# it no threads still runs every iteration (`threads = "K"` with K = 0 or K = -3; `threads =
# "N - 5"` for `range(N - 5)`).
import numpy as np
import parpy


@parpy.jit
def around_empty_rows(x, out, N, M):
    parpy.label('N')
    for i in range(N):
        out[i] = 1.0
        parpy.label('M')
        for j in range(M):
            x[i, j] = x[i, j] + out[i]


@parpy.jit
def given_threads(x, out, N, K):
    parpy.label('N')
    for i in range(N):
        out[i] = x[i] * 2.0


@parpy.jit
def shifted(x, out, N):
    parpy.label('S')
    for i in range(N - 5):
        out[i] = x[i + 5]


def inputs(rng):
    return {
        "around_empty_rows": [
            dict(x=np.zeros((40, 0)), out=np.zeros(40), N=40, M=0),
            dict(x=rng.standard_normal((40, 3)), out=np.zeros(40), N=40, M=3),
        ],
        "given_threads": [
            dict(x=rng.standard_normal(1000), out=np.zeros(1000), N=1000, K=k) for k in (0, -3, 7)
        ],
        "shifted": [dict(x=rng.standard_normal(n), out=np.zeros(n), N=n) for n in (3, 5, 300)],
    }
