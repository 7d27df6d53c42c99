# ParPy 0.3 normalization layers: LayerNorm with shape symbols and buffer annotations,
# parpy.reduce.sum / parpy.math.sqrt, gamma/beta broadcast over rows, an f32 scalar eps; and an
# RMSNorm over f16 rows accumulating in f32 through parpy.builtin.convert on a slice.
import numpy as np
import parpy
from parpy.types import F16, F32

N = parpy.types.symbol()
M = parpy.types.symbol()


@parpy.jit
def layernorm(x: parpy.types.buffer(F32, [N, M]), gamma: parpy.types.buffer(F32, [M]),
              beta: parpy.types.buffer(F32, [M]), out: parpy.types.buffer(F32, [N, M]),
              stats: parpy.types.buffer(F32, [N, 2]), eps: F32):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        total = parpy.reduce.sum(x[i, :])
        mean = total / M
        parpy.label('M')
        sq = parpy.reduce.sum((x[i, :] - mean) * (x[i, :] - mean))
        var = sq / M
        rstd = 1.0 / parpy.math.sqrt(var + eps)
        parpy.label('M')
        out[i, :] = (x[i, :] - mean) * rstd * gamma[:] + beta[:]
        stats[i, 0] = mean
        stats[i, 1] = rstd


@parpy.jit
def rmsnorm_f16(x: parpy.types.buffer(F16, [N, M]), w: parpy.types.buffer(F16, [M]),
                out: parpy.types.buffer(F16, [N, M]), rms: parpy.types.buffer(F32, [N])):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        ss = parpy.reduce.sum(parpy.builtin.convert(x[i, :], F32) * parpy.builtin.convert(x[i, :], F32))
        r = parpy.math.sqrt(ss / M + 1e-6)
        rms[i] = r
        parpy.label('M')
        out[i, :] = parpy.builtin.convert(parpy.builtin.convert(x[i, :], F32) / r, F16) * w[:]


def inputs(rng):
    n, m = 96, 384
    return {
        "layernorm": dict(
            x=(rng.standard_normal((n, m)) * 3 + 1).astype(np.float32),
            gamma=rng.standard_normal(m).astype(np.float32),
            beta=rng.standard_normal(m).astype(np.float32),
            out=np.zeros((n, m), np.float32),
            stats=np.zeros((n, 2), np.float32),
            eps=1e-5,
        ),
        "rmsnorm_f16": dict(
            x=rng.standard_normal((n, 200)).astype(np.float16),
            w=(rng.random(200) + 0.5).astype(np.float16),
            out=np.zeros((n, 200), np.float16),
            rms=np.zeros(n, np.float32),
        ),
    }
