# External functions: CUDA's __popc and sqrtf with no header, a device function from the
# project's own header (applied element-wise in a slice statement), and a host function.
import numpy as np
import parpy
import parpy.types as types


@parpy.external("__popc", parpy.CompileBackend.Cuda, parpy.Target.Device)
def popcount(n: types.I32) -> types.I32:
    return np.int32(bin(int(n) & 0xFFFFFFFF).count("1"))


@parpy.external("clamp_f32", parpy.CompileBackend.Cuda, parpy.Target.Device, header="parpyc_test_ext.h")
def clamp(x: types.F32, lo: types.F32, hi: types.F32) -> types.F32:
    return np.clip(x, lo, hi).astype(np.float32)


@parpy.external("add_host", parpy.CompileBackend.Cuda, parpy.Target.Host, header="parpyc_test_ext.h")
def add_host(a: types.F64, b: types.F64) -> types.F64:
    return a + b


@parpy.jit
def externals(x, bits, count, out, a, b, N):
    parpy.label('R')
    for i in range(N):
        count[0] += popcount(bits[i])
    parpy.label('N')
    out[:] = clamp(x[:], -0.5, 0.5)
    c = add_host(a, b)
    parpy.label('N')
    for i in range(N):
        out[i] = out[i] * c


def inputs(rng):
    n = 5000
    return dict(
        x=rng.standard_normal(n).astype(np.float32),
        bits=rng.integers(0, 1 << 30, n).astype(np.int32),
        count=np.zeros(1, np.int32),
        out=np.zeros(n, np.float32),
        a=1.5,
        b=0.25,
        N=n,
    )
