# One k-means iteration: assignment of each point to its nearest centroid (sequential loops over
# clusters and dimensions, strict `<` so ties keep the first cluster) writing an int32 label and
# the squared distance, then per-cluster counts and coordinate sums as parallel reductions over
# all points under `if labels[i] == c` (a block per cluster, or per cluster and dimension), and
# the new centroids as a true division guarded against empty clusters.
import numpy as np
import parpy


@parpy.jit
def assign(X, cent, labels, dist, N, K, D):
    parpy.label('P')
    for i in range(N):
        best = 0
        bd = parpy.operators.inf
        for c in range(K):
            d2 = 0.0
            for d in range(D):
                diff = X[i, d] - cent[c, d]
                d2 += diff * diff
            if d2 < bd:
                bd = d2
                best = c
        labels[i] = best
        dist[i] = bd


@parpy.jit
def update(X, labels, cent, counts, newcent, N, K, D):
    parpy.label('C')
    for c in range(K):
        n = 0
        parpy.label('P')
        for i in range(N):
            if labels[i] == c:
                n += 1
        counts[c] = n
    parpy.label('C')
    for c in range(K):
        parpy.label('D')
        for d in range(D):
            s = 0.0
            parpy.label('P')
            for i in range(N):
                s += X[i, d] if labels[i] == c else 0.0
            newcent[c, d] = s / counts[c] if counts[c] > 0 else cent[c, d]


def inputs(rng):
    n, k, d = 3000, 7, 5
    X = np.round(rng.standard_normal((n, d)) * 4) / 2
    cent = np.round(rng.standard_normal((k, d)) * 4) / 2
    cent[6] = 100.0
    return {
        "assign": dict(X=X, cent=cent, labels=np.zeros(n, np.int32), dist=np.zeros(n), N=n, K=k, D=d),
        "update": dict(X=X, labels=rng.integers(0, k - 1, n).astype(np.int32), cent=cent,
                       counts=np.zeros(k, np.int64), newcent=np.zeros((k, d)), N=n, K=k, D=d),
    }
