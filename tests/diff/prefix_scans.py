# Prefix-like sequential loops inside parallel ones: an inclusive cumulative sum of int32 rows
# into int64 (a local started from `parpy.int64(0)`), a suffix maximum with a negative-step
# range and a negative literal index, a segmented scan restarting at bool flags, and a
# Hillis-Steele scan: a host `while` loop doubling its stride around two kernels; suffix sums
# and a reversal that rebind the loop variable (`j = M - 1 - j`, in a sequential loop and in a
# parallel one): in Python the next iteration still takes the next value of the range.
import numpy as np
import parpy


@parpy.jit
def row_scans(x, flags, cums, sufmax, seg, N, M):
    parpy.label('N')
    for i in range(N):
        acc = parpy.int64(0)
        for j in range(M):
            acc += x[i, j]
            cums[i, j] = acc
        m = x[i, -1]
        for j in range(M - 1, -1, -1):
            m = max(m, x[i, j])
            sufmax[i, j] = m
        run = 0
        for j in range(M):
            if flags[i, j]:
                run = 0
            run = run + x[i, j]
            seg[i, j] = run


@parpy.jit
def hillis_steele(a, tmp, N):
    s = 1
    while s < N:
        parpy.label('I')
        for i in range(N):
            if i >= s:
                tmp[i] = a[i] + a[i - s]
            else:
                tmp[i] = a[i]
        parpy.label('I')
        for i in range(N):
            a[i] = tmp[i]
        s *= 2


@parpy.jit
def reverse_scans(x, suf, flipped, N, M):
    parpy.label('N')
    for i in range(N):
        acc = 0.0
        for j in range(M):
            j = M - 1 - j
            acc += x[i, j]
            suf[i, j] = acc
    parpy.label('N')
    for i in range(N):
        i = N - 1 - i
        flipped[i] = x[N - 1 - i, 0] * 2.0


def inputs(rng):
    n, m = 130, 301
    big = 5000
    return {
        "row_scans": dict(
            x=rng.integers(-(1 << 30), 1 << 30, (n, m)).astype(np.int32),
            flags=rng.random((n, m)) < 0.1,
            cums=np.zeros((n, m), np.int64),
            sufmax=np.zeros((n, m), np.int32),
            seg=np.zeros((n, m), np.int64),
            N=n,
            M=m,
        ),
        "reverse_scans": dict(x=rng.standard_normal((n, m)), suf=np.zeros((n, m)), flipped=np.zeros(n), N=n, M=m),
        "hillis_steele": dict(
            a=rng.integers(-1000, 1000, big).astype(np.int64),
            tmp=np.zeros(big, np.int64),
            N=big,
        ),
    }
