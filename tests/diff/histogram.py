# Histogram-like counting: one block per bin with a parallel count into a local (`reduce = true`)
# under an `if` and with a conditional expression, bins from floor division of negative int32
# values (Python's floor, not C's truncation), a weighted float64 histogram, a per-row histogram
# built by a sequential loop incrementing `h[r, b]`, and counts of a comparison over a slice.
import numpy as np
import parpy


@parpy.jit
def bin_counts(x, w, hist, whist, lo, width, NB, N):
    parpy.label('B')
    for b in range(NB):
        c = 0
        parpy.label('I')
        for i in range(N):
            if (x[i] - lo) // width == b:
                c += 1
        hist[b, 0] = c
        c2 = 0
        parpy.label('I')
        for i in range(N):
            c2 += 1 if x[i] // width == b - NB // 2 else 0
        hist[b, 1] = c2
        s = 0.0
        parpy.label('I')
        for i in range(N):
            s += w[i] if (x[i] - lo) // width == b else 0.0
        whist[b] = s


@parpy.jit
def row_histograms(v, h, below, R, C, NB):
    parpy.label('R')
    for r in range(R):
        for c in range(C):
            k = v[r, c] % NB
            h[r, k] += 1
        parpy.label('C')
        below[r] = parpy.sum(v[r, :] < NB * 2)


def inputs(rng):
    n, nb = 20000, 24
    return {
        "bin_counts": dict(
            x=rng.integers(-300, 300, n).astype(np.int32),
            w=rng.random(n),
            hist=np.zeros((nb, 2), np.int64),
            whist=np.zeros(nb),
            lo=-240,
            width=20,
            NB=nb,
            N=n,
        ),
        "row_histograms": dict(
            v=rng.integers(-50, 100, (150, 77)).astype(np.int16),
            h=np.zeros((150, 9), np.int32),
            below=np.zeros(150, np.int64),
            R=150,
            C=77,
            NB=9,
        ),
    }
