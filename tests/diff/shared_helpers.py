# Several exported functions sharing helpers: a device helper with several `return`s inside a
# loop (a bucket search), a helper taking a dict argument and a row slice `x[i, :]` and indexing
# the row `r[j]` and the dict's 2-d table with `t[a][b]`, a helper reading negative literal
# indices of its row (`r[-1]`, `r[-2]`), a statement helper (0.1) with a labelled parallel loop
# that calls another statement helper with its own labelled slice statement (nested inlining),
# and the same chain through `parpy.builtin.inline` from a second exported function.
import numpy as np
import parpy


@parpy.jit
def bucket(edges, v, K):
    if v < edges[0]:
        return -1
    for k in range(K - 1):
        if v < edges[k + 1]:
            return k
        if v == edges[k + 1]:
            return k + 100
    return K - 1


@parpy.jit
def ends(r):
    return r[-1] * 2.0 - r[-2]


@parpy.jit
def table_score(cfg, r, M):
    s = 0.0
    for j in range(M):
        b = bucket(cfg["edges"], r[j], cfg["K"])
        if b >= 0 and b < 100:
            s += cfg["table"][b][j % 3]
        elif b >= 100:
            s -= 1.0
    return s + ends(r) * cfg["w"]


@parpy.jit
def scale_cols(out, i, f):
    parpy.label('M')
    out[i, :] = out[i, :] * f


@parpy.jit
def fill_and_scale(x, out, i, M, f):
    parpy.label('M')
    for j in range(M):
        out[i][j] = x[i][j] + x[i][-1]
    scale_cols(out, i, f)


@parpy.jit
def scores(x, cfg, res, N, M):
    parpy.label('N')
    for i in range(N):
        res[i] = table_score(cfg, x[i, :], M)


@parpy.jit
def scaled_rows(x, cfg, out, N, M):
    parpy.label('N')
    for i in range(N):
        fill_and_scale(x, out, i, M, cfg["w"] + ends(x[i, :]))


@parpy.jit
def scaled_rows_03(x, cfg, out, N, M):
    parpy.label('N')
    for i in range(N):
        parpy.builtin.inline(fill_and_scale(x, out, i, M, cfg["table"][1][2]))
        out[i, 0] = bucket(cfg["edges"], x[i, 0], cfg["K"])


def inputs(rng):
    n, m, k = 120, 33, 6
    x = np.round(rng.standard_normal((n, m)) * 4) / 4
    edges = np.array([-2.0, -1.0, -0.25, 0.0, 0.75, 1.5], np.float64)
    cfg = {"edges": edges, "table": rng.standard_normal((k, 3)), "K": k, "w": 0.5}
    return {
        "scores": dict(x=x, cfg=cfg, res=np.zeros(n), N=n, M=m),
        "scaled_rows": dict(x=x, cfg=cfg, out=np.zeros((n, m)), N=n, M=m),
        "scaled_rows_03": dict(x=x, cfg=cfg, out=np.zeros((n, m)), N=n, M=m),
    }
