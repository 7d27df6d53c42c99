# The forward algorithm of a hidden Markov model in log space, as in ParPy's HMM benchmark: dict
# arguments (arrays and scalars), one block per sequence, a sequential time loop around a
# parallel loop over states, log-sum-exp over predecessors with `maximum`, int8 observations
# used as indices, per-sequence lengths with if/elif, and max/sum slice reductions at the end.
import numpy as np
import parpy
from parpy.operators import exp, log
from parpy.builtin import maximum


@parpy.jit
def hmm_forward(hmm, seqs, alpha, result):
    parpy.label('inst')
    for inst in range(seqs["count"]):
        o = seqs["obs"][inst, 0]
        parpy.label('state')
        for s in range(hmm["S"]):
            alpha[inst, 0, s] = hmm["init"][s] + hmm["emit"][s, o]
        for t in range(1, seqs["T"]):
            o = seqs["obs"][inst, t]
            parpy.label('state')
            for s in range(hmm["S"]):
                if t < seqs["lens"][inst]:
                    # Each state has K predecessors: (s + k * stride) % S.
                    m = -np.inf
                    for k in range(hmm["K"]):
                        p = (s + k * hmm["stride"]) % hmm["S"]
                        m = maximum(m, alpha[inst, t - 1, p] + hmm["trans"][s, k])
                    if m == -np.inf:
                        alpha[inst, t, s] = m
                    else:
                        acc = 0.0
                        for k in range(hmm["K"]):
                            p = (s + k * hmm["stride"]) % hmm["S"]
                            acc += exp(alpha[inst, t - 1, p] + hmm["trans"][s, k] - m)
                        alpha[inst, t, s] = m + log(acc) + hmm["emit"][s, o]
                elif t >= seqs["lens"][inst]:
                    alpha[inst, t, s] = alpha[inst, t - 1, s]
        parpy.label('state')
        mx = parpy.operators.max(alpha[inst, seqs["T"] - 1, :])
        parpy.label('state')
        total = parpy.operators.sum(exp(alpha[inst, seqs["T"] - 1, :] - mx))
        result[inst] = mx + log(total)


def inputs(rng):
    S, K, V, T, count = 96, 4, 12, 40, 24
    trans = np.log(rng.dirichlet(np.ones(K), S)).astype(np.float32)
    emit = np.log(rng.dirichlet(np.ones(V), S)).astype(np.float32)
    init = np.full(S, -np.log(S), np.float32)
    init[S // 2:] = -np.inf
    hmm = {"init": init, "trans": trans, "emit": emit, "S": S, "K": K, "stride": 7}
    lens = rng.integers(T // 2, T + 1, count).astype(np.int64)
    seqs = {"obs": rng.integers(0, V, (count, T)).astype(np.int8), "lens": lens, "T": T, "count": count}
    return dict(hmm=hmm, seqs=seqs, alpha=np.zeros((count, T, S), np.float32), result=np.zeros(count, np.float32))
