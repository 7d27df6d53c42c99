# Classification losses in ParPy 0.3 spelling: a numerically stable log-softmax per row with
# parpy.reduce.max / parpy.reduce.sum / parpy.math.exp / parpy.math.log, the loss gathered at an
# int32 label index (`logp[i, labels[i]]`), the mean loss and the number of correct argmax
# predictions as grid-wide reductions (`reduce = true`) into 1-element arrays, an argmax helper
# returning the first maximal index, and a hinge loss with parpy.builtin.maximum.
import numpy as np
import parpy
from parpy.types import I64


@parpy.jit
def argmax_row(x, i: I64, C: I64) -> I64:
    best = 0
    for c in range(1, C):
        if x[i, c] > x[i, best]:
            best = c
    return best


@parpy.jit
def log_softmax(x, labels, logp, loss, N, C):
    parpy.label('N')
    for i in range(N):
        parpy.label('C')
        m = parpy.reduce.max(x[i, :])
        parpy.label('C')
        z = parpy.reduce.sum(parpy.math.exp(x[i, :] - m))
        lz = parpy.math.log(z) + m
        parpy.label('C')
        logp[i, :] = x[i, :] - lz
        loss[i] = -logp[i, labels[i]]


@parpy.jit
def summarize(loss, x, labels, mean_loss, correct, hinge, N, C):
    parpy.label('R')
    for i in range(N):
        mean_loss[0] += loss[i] / N
    parpy.label('R')
    for i in range(N):
        correct[0] += 1 if argmax_row(x, i, C) == labels[i] else 0
    parpy.label('N')
    for i in range(N):
        h = 0.0
        for c in range(C):
            if c != labels[i]:
                h += parpy.builtin.maximum(0.0, 1.0 + x[i, c] - x[i, labels[i]])
        hinge[i] = h


def inputs(rng):
    n, c = 300, 37
    x = rng.standard_normal((n, c)) * 4
    x[3, 5] = x[3, 6] = 100.0
    return dict(
        x=x,
        labels=rng.integers(0, c, n).astype(np.int32),
        logp=np.zeros((n, c)),
        loss=rng.random(n),
        mean_loss=np.zeros(1),
        correct=np.zeros(1, np.int64),
        hinge=np.zeros(n),
        N=n,
        C=c,
    )
