# Slice statements and reductions in many spellings: stepped and reversed 1-d assignments
# (`out[::2] = x[1::2]`, `d[:-1] = x[1:] - x[:-1]`, `r[::-1] = x[:]`), a scalar assigned to a
# slice, augmented slice assignment, steps in both dimensions of a 2-d slice, broadcasting a row
# and a length-1 column, axis reductions (0, 1 and -1) in the 0.1, 0.3 and NumPy spellings, and
# reductions over integer and bool rows: np.sum of bool counts in int64, of uint8 in uint64, prod
# of int8 in int64, max/min keep the dtype (bool too); Python's own `sum` adds from the int 0 one
# element at a time, so over int8 it wraps at 8 bits and over bool it counts.
import numpy as np
import parpy
from parpy.operators import sum as osum


@parpy.jit
def one_d(x, out, d, r, z, acc, N):
    parpy.label('A')
    out[::2] = x[1::2] * 2.0
    parpy.label('A')
    out[1::2] = -x[0:N - 1:2]
    parpy.label('A')
    d[:-1] = x[1:] - x[:-1]
    with parpy.gpu:
        d[-1] = 0.0
    parpy.label('A')
    r[::-1] = x[:]
    parpy.label('A')
    z[:] = 1.5
    parpy.label('A')
    z[-100:] = x[:100]
    parpy.label('A')
    acc[:] += x[:] * x[:]
    parpy.label('A')
    acc[3:-3:3] -= 1.0


@parpy.jit
def two_d(x, w, c, o1, o2, colsum, rowmax, rowmin, lastmin, N, M):
    parpy.label('N')
    parpy.label('M')
    o1[:, :] = x[:, :] * w[:] + c[:, 0:1]
    parpy.label('N')
    parpy.label('M')
    o2[0:N:2, ::3] = x[1::2, 0:M:3] - 1.0
    parpy.label('N')
    parpy.label('M')
    colsum[:] = parpy.reduce.sum(x[:, :], axis=0)
    parpy.label('N')
    parpy.label('M')
    rowmax[:] = np.max(x[:, :], axis=1)
    parpy.label('N')
    parpy.label('M')
    rowmin[:] = parpy.operators.min(x[:, :], axis=-1)
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        lastmin[i] = parpy.builtin.min(x[i, -10:])


@parpy.jit
def int_rows(flags, u8, i8, u16, cnt, su, pr, mx, mn, bmax, bmin, pysum8, pysumb, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        cnt[i] = np.sum(flags[i, :])
        parpy.label('M')
        su[i] = parpy.sum(u8[i, :])
        parpy.label('M')
        p3 = osum(i8[i, 0:3])
        parpy.label('M')
        p5 = parpy.reduce.prod(i8[i, 0:5])
        pr[i] = p3 + p5
        parpy.label('M')
        mx[i] = parpy.operators.max(i8[i, :])
        parpy.label('M')
        mn[i] = parpy.builtin.min(u16[i, :])
        parpy.label('M')
        bmax[i] = parpy.reduce.max(flags[i, :])
        parpy.label('M')
        bmin[i] = np.min(flags[i, 1:])
        s8 = sum(i8[i, :])
        pysum8[i] = s8
        parpy.label('M')
        pysumb[i] = sum(flags[i, :])


def inputs(rng):
    n, m = 400, 190
    nn = 3000
    flags = rng.random((n, m)) < 0.3
    flags[::7, :] = False
    flags[::11, :] = True
    x = rng.standard_normal(nn)
    x2 = rng.standard_normal((n, m))
    return {
        "one_d": dict(x=x, out=np.zeros(nn), d=np.zeros(nn - 0), r=np.zeros(nn),
                      z=np.zeros(nn), acc=rng.standard_normal(nn), N=nn),
        "two_d": dict(x=x2, w=rng.standard_normal(m), c=rng.standard_normal((n, 1)),
                      o1=np.zeros((n, m)), o2=np.zeros((n, m)), colsum=np.zeros(m),
                      rowmax=np.zeros(n), rowmin=np.zeros(n), lastmin=np.zeros(n), N=n, M=m),
        "int_rows": dict(flags=flags, u8=rng.integers(0, 256, (n, m)).astype(np.uint8),
                         i8=rng.integers(-128, 128, (n, m)).astype(np.int8),
                         u16=rng.integers(0, 65536, (n, m)).astype(np.uint16),
                         cnt=np.zeros(n, np.int64), su=np.zeros(n, np.uint64),
                         pr=np.zeros(n, np.int64), mx=np.zeros(n, np.int8),
                         mn=np.zeros(n, np.uint16), bmax=np.zeros(n, np.bool_),
                         bmin=np.zeros(n, np.bool_), pysum8=np.zeros(n, np.int64),
                         pysumb=np.zeros(n, np.int64), N=n),
    }
