"""GPU differential tests of the seed examples against NumPy (float64 reference).

Run on a machine with a GPU after `build_variants.py OUT` built the modules:

    PARPYC_GPU_BUILD=OUT python3 -m pytest tests/gpu -q
"""

import importlib
import os
import sys

import numpy as np
import pytest

BUILD = os.environ.get("PARPYC_GPU_BUILD", ".devbuild/gpu")
sys.path.insert(0, BUILD)

torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("no CUDA device", allow_module_level=True)

SIZES = [(8192, 8192), (65536, 1024), (1024, 65536)]
THREADS = [32, 256, 1024]
PATHS = ["numpy", "torch", "buffer"]
TOL = {"f32": 1e-5, "f64": 1e-12}
NP = {"f32": np.float32, "f64": np.float64}
RNG = np.random.default_rng(1234)


def rel_err(out, ref):
    out = np.asarray(out, dtype=np.float64)
    assert np.isfinite(out).all(), "non-finite output (unwritten elements or overflow)"
    return np.linalg.norm(out - ref) / np.linalg.norm(ref)


def module(name):
    return importlib.import_module(name)


def reference(prog, x, b):
    x64 = x.astype(np.float64)
    if prog == "mv":
        return x64 @ b.astype(np.float64)
    if prog == "sum_rows":
        return x64.sum(axis=1)
    e = np.exp(x64 - x64.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_data = {}


def data(n, m, dtype):
    key = (n, m, dtype)
    if key not in _data:
        _data.clear()
        x = RNG.standard_normal((n, m)).astype(NP[dtype])
        b = RNG.standard_normal(m).astype(NP[dtype])
        _data[key] = (x, b, {p: reference(p, x, b) for p in ("mv", "sum_rows", "softmax")})
    return _data[key]


def run(prog, mod, path, x, b, n, m):
    dt = x.dtype
    out_shape = (n, m) if prog == "softmax" else (n,)
    poison = np.full(out_shape, np.nan, dtype=dt)
    if path == "numpy":
        args = {"x": x, "b": b, "out": poison.copy()}
        out = args["out"]
    elif path == "torch":
        args = {"x": torch.from_numpy(x).cuda(), "b": torch.from_numpy(b).cuda(), "out": torch.from_numpy(poison).cuda()}
    else:
        args = {"x": mod.from_array(x), "b": mod.from_array(b), "out": mod.from_array(poison)}
    if prog == "mv":
        mod.mv(args["x"], args["b"], args["out"], n)
    elif prog == "sum_rows":
        mod.sum_rows(args["x"], args["out"], n)
    else:
        mod.softmax(args["x"], n, m, args["out"])
    if path == "numpy":
        return out
    if path == "torch":
        torch.cuda.synchronize()
        return args["out"].cpu().numpy()
    args["out"].sync()
    return args["out"].numpy()


@pytest.mark.parametrize("n,m", SIZES)
@pytest.mark.parametrize("dtype", ["f32", "f64"])
@pytest.mark.parametrize("prog", ["mv", "sum_rows", "softmax"])
@pytest.mark.parametrize("threads", THREADS)
def test_matches_numpy(prog, dtype, threads, n, m):
    mod = module(f"{prog}_{dtype}_t{threads}")
    x, b, refs = data(n, m, dtype)
    for path in PATHS:
        out = run(prog, mod, path, x, b, n, m)
        err = rel_err(out, refs[prog])
        assert err < TOL[dtype], f"{prog} {dtype} {n}x{m} threads={threads} via {path}: relative error {err:.3e}"


def test_tutorial_2x2():
    mv = module("mv_tutorial")
    A = np.array([[2.5, 3.5], [1.5, 0.5]])
    b = np.array([2.0, 1.0])
    out = np.zeros(2)
    mv.mv_parpy(A, b, out, 2)
    assert out.tolist() == [8.5, 3.5]
    # The tutorial's pre-allocated buffers.
    A_buf, b_buf, out_buf = mv.from_array(A), mv.from_array(b), mv.from_array(np.zeros(2))
    mv.mv_parpy(A_buf, b_buf, out_buf, 2)
    out_buf.sync()
    assert out_buf.numpy().tolist() == [8.5, 3.5]


@pytest.mark.parametrize("n,m", SIZES)
def test_tutorial_spec_large(n, m):
    mv = module("mv_tutorial")
    x, b, refs = data(n, m, "f64")
    out = np.full(n, np.nan)
    mv.mv_parpy(x, b, out, n)
    assert rel_err(out, refs["mv"]) < 1e-12


def test_errors_name_the_argument():
    mod = module("mv_f32_t256")
    x = np.zeros((4, 8), dtype=np.float32)
    with pytest.raises(TypeError, match="'A'.*float32"):
        mod.mv(x.astype(np.float64), np.zeros(8, np.float32), np.zeros(4, np.float32), 4)
    with pytest.raises(ValueError, match="'out'"):
        mod.mv(x, np.zeros(8, np.float32), np.zeros(5, np.float32), 4)
    with pytest.raises(ValueError, match="'b'"):
        mod.mv(x, np.zeros(7, np.float32), np.zeros(4, np.float32), 4)
    t = torch.zeros((4, 8), device="cuda").t()
    with pytest.raises(ValueError, match="'A'.*contiguous"):
        mod.mv(t.contiguous().t(), torch.zeros(8, device="cuda"), torch.zeros(4, device="cuda"), 4)
