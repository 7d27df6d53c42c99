# ParPy 0.3: types in the source (shape symbols, a type variable bound by the spec), and
# compile-time branches on types and the backend.
import numpy as np
import parpy
from parpy.types import F32

N = parpy.types.symbol()
M = parpy.types.symbol()
T = parpy.types.type_var()


@parpy.jit
def v03_types(x: parpy.types.buffer(T, [N, M]), out: parpy.types.buffer(T, [N, M]), factor: F32):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        for j in range(M):
            if parpy.builtin.static_types_eq(T, parpy.types.F64):
                out[i, j] = x[i, j] * 2.0
            else:
                out[i, j] = x[i, j] * factor + parpy.builtin.convert(j, T)
    if parpy.builtin.static_backend_eq(parpy.CompileBackend.Cuda):
        pass
    else:
        parpy.builtin.static_fail("this program only targets CUDA")


def inputs(rng):
    n, m = 120, 77
    return dict(x=rng.standard_normal((n, m)).astype(np.float32), out=np.zeros((n, m), np.float32), factor=0.5)
