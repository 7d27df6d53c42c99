# Booleans in arithmetic and as masks, with NumPy 2 types: bool times float32 stays float32, bool
# plus an int8 element is int8, bool plus a Python int is int64, bool arrays multiplied into a
# slice statement (`x[i, :] * m[i, :]`), a bool mask selecting with a conditional expression, a
# sum of products of a mask and values (a masked mean), bool arithmetic mixed with uint8 (uint8),
# `-` of a bool converted to int, `~` of an int8, `max`/`min` of bools converted to ints,
# comparisons of bools (False < True), `abs` of a bool-derived int, and counting with a
# `reduce = true` loop into an int32 element.
import numpy as np
import parpy


@parpy.jit
def bool_arith(m, x, s8, u8, ints, flts, N):
    parpy.label('N')
    for i in range(N):
        flts[i, 0] = m[i, 0] * x[i, 0]
        flts[i, 1] = x[i, 1] if m[i, 1] else -x[i, 1]
        flts[i, 2] = (m[i, 0] + 0.5) * 2.0
        ints[i, 0] = m[i, 0] + s8[i]
        ints[i, 1] = m[i, 1] + 7
        ints[i, 2] = m[i, 2] * u8[i] + m[i, 3]
        ints[i, 3] = -parpy.int32(m[i, 0]) + parpy.int32(m[i, 1]) * 10
        ints[i, 4] = ~s8[i]
        ints[i, 5] = max(parpy.int32(m[i, 0]), parpy.int32(m[i, 1])) + 2 * min(m[i, 2] + 0, m[i, 3] + 0)
        ints[i, 6] = (m[i, 0] < m[i, 1]) + (m[i, 2] >= m[i, 3]) * 4
        ints[i, 7] = abs(parpy.int8(m[i, 2]) - 3)
        ints[i, 8] = (m[i, 0] ^ m[i, 1]) + (m[i, 2] | m[i, 3]) * 2 + (m[i, 0] & m[i, 3]) * 4


@parpy.jit
def bool_masks(m, x, out, msum, cnt, N):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        out[i, :] = x[i, :] * m[i, :]
        parpy.label('M')
        msum[i, 0] = parpy.operators.sum(x[i, :] * m[i, :])
        parpy.label('M')
        k = parpy.operators.sum(m[i, :])
        msum[i, 1] = msum[i, 0] / k if k > 0 else 0.0
    parpy.label('R')
    for i in range(N):
        cnt[0] += m[i, 0] + m[i, 1]


def inputs(rng):
    n, m = 300, 40
    mask = rng.random((n, m)) < 0.4
    mask[0, :] = False
    return {
        "bool_arith": dict(
            m=mask,
            x=rng.standard_normal((n, m)).astype(np.float32),
            s8=rng.integers(-128, 127, n).astype(np.int8),
            u8=rng.integers(0, 256, n).astype(np.uint8),
            ints=np.zeros((n, 9), np.int64),
            flts=np.zeros((n, 3), np.float32),
            N=n,
        ),
        "bool_masks": dict(
            m=mask,
            x=rng.standard_normal((n, m)),
            out=np.zeros((n, m)),
            msum=np.zeros((n, 2)),
            cnt=np.zeros(1, np.int32),
            N=n,
        ),
    }
