# Math functions in float32 and float64, true division of integers, float floor division and
# modulo, powers, and conditional expressions.
import numpy as np
import parpy


@parpy.jit
def float_math(x, y, out, k, N):
    parpy.label('N')
    for i in range(N):
        out[i, 0] = parpy.operators.exp(x[i]) + parpy.operators.log(y[i])
        out[i, 1] = parpy.operators.sin(x[i]) * parpy.operators.cos(y[i])
        out[i, 2] = parpy.operators.sqrt(y[i]) - parpy.operators.tanh(x[i])
        out[i, 3] = parpy.operators.atan2(x[i], y[i]) + abs(x[i])
        out[i, 4] = x[i] // 0.75 + x[i] % 0.75
        out[i, 5] = y[i] ** 1.5 + x[i] ** 2
        out[i, 6] = i / k
        out[i, 7] = x[i] if x[i] > 0.0 else -2.0 * x[i]
        out[i, 8] = parpy.operators.max(x[i], y[i]) - parpy.operators.min(x[i], 0.5)


def inputs(rng):
    n = 2048
    x = rng.standard_normal(n)
    y = rng.uniform(0.1, 3.0, n)
    return dict(x=x, y=y, out=np.zeros((n, 9)), k=7, N=n)
