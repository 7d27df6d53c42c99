# Segmented reductions over CSR-style offsets: one block per segment with parallel reductions
# (`reduce = true`) whose bounds come from the offsets array (`range(off[s], off[s + 1])`), a
# max starting from `-math.inf` (empty segments keep it), a sum of squares, an integer count of
# positives, the mean with a conditional expression guarding empty segments, and a sequential
# argmin with ties broken towards the first index; `math.inf` and `float('inf')` both appear.
import math

import numpy as np
import parpy


@parpy.jit
def segments(vals, off, seg_max, seg_sq, seg_pos, seg_mean, seg_argmin, S):
    parpy.label('S')
    for s in range(S):
        lo = off[s]
        hi = off[s + 1]
        m = -math.inf
        parpy.label('E')
        for k in range(lo, hi):
            m = max(m, vals[k])
        seg_max[s] = m
        q = 0.0
        parpy.label('E')
        for k in range(lo, hi):
            q += vals[k] * vals[k]
        seg_sq[s] = q
        c = 0
        parpy.label('E')
        for k in range(lo, hi):
            if vals[k] > 0.0:
                c += 1
        seg_pos[s] = c
        t = 0.0
        parpy.label('E')
        for k in range(lo, hi):
            t += vals[k]
        n = hi - lo
        seg_mean[s] = t / n if n > 0 else 0.0
        best = -1
        bv = float('inf')
        for k in range(lo, hi):
            if vals[k] < bv:
                bv = vals[k]
                best = k - lo
        seg_argmin[s] = best


def inputs(rng):
    s = 150
    lens = rng.integers(0, 400, s)
    lens[::13] = 0
    off = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    vals = np.round(rng.standard_normal(int(off[-1])) * 8) / 4
    return dict(
        vals=vals,
        off=off,
        seg_max=np.zeros(s),
        seg_sq=np.zeros(s),
        seg_pos=np.zeros(s, np.int32),
        seg_mean=np.zeros(s),
        seg_argmin=np.zeros(s, np.int64),
        S=s,
    )
