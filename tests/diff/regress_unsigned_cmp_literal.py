# NumPy 2 compares an unsigned element with an out-of-range Python int by value:
# np.uint32(5) > -1, np.uint64(5) >= -5 and np.uint32(0) < 2**32 are all True.
import numpy as np
import parpy


@parpy.jit
def unsigned_cmp_literal(u32, u64, out, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = u32[i] > -1
        out[i, 1] = u64[i] >= -5
        out[i, 2] = u32[i] < 4294967296


def inputs(rng):
    return dict(u32=np.array([5, 0], np.uint32), u64=np.array([5, 0], np.uint64), out=np.zeros((2, 3), np.bool_), N=2)
