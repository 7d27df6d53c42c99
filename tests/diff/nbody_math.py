# Float math in physics kernels: n-body accelerations as parallel reductions (`reduce = true`)
# of a helper's value inside a sequential loop over the dimensions, a max-reduction into an
# array element, softened distances with `** -1.5`, `** 2` and `sqrt`, haversine distances with
# `np.sin`/`np.cos` and `parpy.math.atan2`, and `tanh`, `exp`, `log`, `tan`, `abs` spelled three
# ways (0.1 `parpy.operators`, 0.3 `parpy.math`, NumPy's `np.`).
import numpy as np
import parpy
from parpy.math import atan2, sqrt


@parpy.jit
def pull(pos, mass, i, j, d, eps):
    dx = pos[j, 0] - pos[i, 0]
    dy = pos[j, 1] - pos[i, 1]
    dz = pos[j, 2] - pos[i, 2]
    inv = (dx * dx + dy * dy + dz * dz + eps * eps) ** -1.5
    return mass[j] * (pos[j, d] - pos[i, d]) * inv


@parpy.jit
def accelerations(pos, mass, acc, eps, N):
    parpy.label('body')
    for i in range(N):
        for d in range(3):
            a = 0.0
            parpy.label('other')
            for j in range(N):
                a += pull(pos, mass, i, j, d, eps)
            acc[i, d] = a
        parpy.label('other')
        for j in range(N):
            acc[i, 3] = parpy.builtin.maximum(acc[i, 3], sqrt((pos[j, 0] - pos[i, 0]) ** 2 + (pos[j, 1] - pos[i, 1]) ** 2))


@parpy.jit
def haversine(lat1, lon1, lat2, lon2, dist, N):
    parpy.label('N')
    for i in range(N):
        dlat = (lat2[i] - lat1[i]) * 0.5
        dlon = (lon2[i] - lon1[i]) * 0.5
        a = np.sin(dlat) ** 2 + np.cos(lat1[i]) * np.cos(lat2[i]) * np.sin(dlon) ** 2
        dist[i, 0] = 2.0 * atan2(sqrt(a), sqrt(parpy.math.max(1.0 - a, 0.0))) * 6371.0
        dist[i, 1] = parpy.math.tanh(dlat * 3.0) + parpy.operators.exp(-abs(dlon))
        dist[i, 2] = np.log(1.0 + a) + parpy.math.log(2.0 + np.exp(dlat))
        dist[i, 3] = parpy.math.abs(dlon) ** 0.5 + np.tan(dlat * 0.25)


def inputs(rng):
    n = 512
    m = 1500
    return {
        "accelerations": dict(
            pos=rng.standard_normal((n, 3)),
            mass=rng.uniform(0.5, 2.0, n),
            acc=np.zeros((n, 4)),
            eps=0.05,
            N=n,
        ),
        "haversine": dict(
            lat1=rng.uniform(-1.5, 1.5, m).astype(np.float32),
            lon1=rng.uniform(-3.1, 3.1, m).astype(np.float32),
            lat2=rng.uniform(-1.5, 1.5, m).astype(np.float32),
            lon2=rng.uniform(-3.1, 3.1, m).astype(np.float32),
            dist=np.zeros((m, 4), np.float32),
            N=m,
        ),
    }
