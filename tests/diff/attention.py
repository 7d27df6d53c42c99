# Single-head causal attention in the 0.1 spelling (`from parpy.operators import ...`): scores
# as slice reductions of two rows times a scale from `sqrt`, a causal mask writing `-inf` above
# the diagonal, a softmax per row in place with max/sum reductions into locals and `exp` over a
# slice, and the output as reductions over a column slice of V (`P[i, :] * V[:, d]`).
import numpy as np
import parpy
from parpy.operators import exp, inf, max, sqrt, sum


@parpy.jit
def attention(Q, K, V, P, out, T, D):
    scale = 1.0 / sqrt(D * 1.0)
    parpy.label('I')
    for i in range(T):
        parpy.label('J')
        for j in range(T):
            if j <= i:
                parpy.label('D')
                s = sum(Q[i, :] * K[j, :])
                P[i, j] = s * scale
            else:
                P[i, j] = -inf
    parpy.label('I')
    for i in range(T):
        parpy.label('J')
        m = max(P[i, :])
        parpy.label('J')
        P[i, :] = exp(P[i, :] - m)
        parpy.label('J')
        z = sum(P[i, :])
        parpy.label('J')
        P[i, :] = P[i, :] / z
    parpy.label('I')
    for i in range(T):
        parpy.label('J')
        for d in range(D):
            parpy.label('D')
            out[i, d] = sum(P[i, :] * V[:, d])


def inputs(rng):
    t, d = 70, 24
    return dict(
        Q=rng.standard_normal((t, d)).astype(np.float32),
        K=rng.standard_normal((t, d)).astype(np.float32),
        V=rng.standard_normal((t, d)).astype(np.float32),
        P=np.zeros((t, t), np.float32),
        out=np.zeros((t, d), np.float32),
        T=t,
        D=d,
    )
