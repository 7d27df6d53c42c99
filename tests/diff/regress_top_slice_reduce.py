# A slice reduction into one element at the top level of a function: one block of threads
# reduces and one thread stores (upstream test_reduce sum_2d, test_slicing slice_multi_dim_sum).
# Positive data: a sum that cancels to nearly zero would compare float32 rounding, not code.
import numpy as np
import parpy


@parpy.jit
def sum1(v, out):
    parpy.label('R')
    out[0] = parpy.reduce.sum(v[:])


@parpy.jit
def sum2(x, out):
    parpy.label('R')
    out[0] = parpy.reduce.sum(x[:, :])


def inputs(rng):
    return {
        "sum1": dict(v=(rng.random(5000) + 0.5).astype(np.float32), out=np.zeros(3, np.float32)),
        "sum2": dict(x=(rng.random((300, 70)) + 0.5).astype(np.float32), out=np.zeros(3, np.float32)),
    }
