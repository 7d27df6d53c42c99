# NumPy 2 promotion between array elements of different types, made observable exactly: an
# int32 plus a float32 is computed in float64 (exact above 2**24), uint32 with int32 in int64,
# uint64 with int64 in float64, int8 with uint8 in int16 (also for // and % with Python's
# signs), bool with int32 in int32, Python scalars adapt to the array's type, and casts
# (0.1 `parpy.int16`, 0.3 `convert`) wrap integers and truncate floats toward zero.
import numpy as np
import parpy
from parpy.types import I64, U8


@parpy.jit
def promotion(a32, z32, u32, n32, u64, n64, i8, u8, flags, g, ints, floats, N):
    parpy.label('N')
    for i in range(N):
        ints[i, 0] = parpy.builtin.convert(a32[i] + z32[i], I64) - a32[i]
        ints[i, 1] = u32[i] + n32[i]
        ints[i, 2] = parpy.builtin.convert(u64[i] + n64[i], I64) - 1000000000000000000
        ints[i, 3] = i8[i] + u8[i]
        ints[i, 4] = u8[i] // i8[i] if i8[i] != 0 else 0
        ints[i, 5] = u8[i] % i8[i] if i8[i] != 0 else 0
        ints[i, 6] = (flags[i] and not flags[N - 1 - i]) + n32[i]
        ints[i, 7] = flags[i] * n32[i] + (i8[i] // 2 + 1)
        ints[i, 8] = ((u8[i] >> 2) << 1) + (u8[i] >> 3)
        ints[i, 9] = parpy.int16(ints[i, 1] + 70000)
        ints[i, 10] = parpy.builtin.convert(i * 37, U8)
        ints[i, 11] = parpy.int32(g[i] * 10.0)
        ints[i, 12] = parpy.builtin.convert(g[i], parpy.types.Bool)
        floats[i, 0] = i8[i] * 1.5
        floats[i, 1] = z32[i] / n32[i] if n32[i] != 0 else 0.0
        floats[i, 2] = a32[i] / 7
        floats[i, 3] = n64[i] // 2.5
        floats[i, 4] = parpy.float32(a32[i]) - parpy.float64(a32[i])


def inputs(rng):
    n = 1024
    g = rng.standard_normal(n) * 3
    g[::17] = 0.0
    flags = rng.integers(0, 2, n).astype(np.bool_)
    return dict(
        a32=(rng.integers(1 << 24, 1 << 26, n) | 1).astype(np.int32),
        z32=rng.integers(-4, 4, n).astype(np.float32) * 0.25,
        u32=rng.integers(3 << 30, (1 << 32) - 1, n).astype(np.uint32),
        n32=rng.integers(-1000, 1000, n).astype(np.int32),
        u64=np.full(n, 10**18, np.uint64),
        n64=rng.integers(-9, 9, n).astype(np.int64),
        i8=rng.integers(-128, 128, n).astype(np.int8),
        u8=rng.integers(0, 256, n).astype(np.uint8),
        flags=flags,
        g=g,
        ints=np.zeros((n, 13), np.int64),
        floats=np.zeros((n, 5)),
        N=n,
    )
