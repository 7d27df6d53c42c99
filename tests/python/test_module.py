"""Tests of generated Python modules and headers that need no GPU: argument checking, error
messages, documentation. The modules come from `just nvcc-check` (PARPYC_TEST_BUILD)."""

import importlib
import inspect
import os
import subprocess
import sys

import numpy as np
import pytest

BUILD = os.path.abspath(os.environ.get("PARPYC_TEST_BUILD", "target/nvcc-check"))
sys.path.insert(0, BUILD)


def mod(name):
    return importlib.import_module(name)


def tutorial_args():
    A = np.array([[2.5, 3.5], [1.5, 0.5]])
    b = np.array([2.0, 1.0])
    return A, b, np.zeros(2), 2


def test_signature_and_docs_follow_the_python_function():
    mv = mod("mv")
    params = list(inspect.signature(mv.mv_parpy).parameters)
    assert params == ["A", "b", "out", "N", "stream"]
    assert "mv_parpy(A, b, out, N)" in mv.__doc__
    assert "A: f64[N, M]" in mv.__doc__
    assert "out: f64[N] (written)" in mv.__doc__


def test_wrong_dtype_names_the_argument():
    A, b, out, n = tutorial_args()
    with pytest.raises(TypeError, match=r"mv_parpy\(\): argument 'A' must have dtype float64, got float32"):
        mod("mv").mv_parpy(A.astype(np.float32), b, out, n)


def test_wrong_rank_and_shape_name_the_argument():
    A, b, out, n = tutorial_args()
    with pytest.raises(ValueError, match=r"argument 'b' must have 1 dimension \(float64\[M\]\), got shape \(1, 2\)"):
        mod("mv").mv_parpy(A, b[None, :], out, n)
    with pytest.raises(ValueError, match=r"argument 'out' has dimension 0 = 3, but 'N' is 2"):
        mod("mv").mv_parpy(A, b, np.zeros(3), n)
    with pytest.raises(ValueError, match=r"argument 'b' has dimension 0 = 3, but 'M' is 2"):
        mod("mv").mv_parpy(A, np.zeros(3), out, n)


def test_scalars_are_checked():
    A, b, out, _ = tutorial_args()
    with pytest.raises(TypeError, match=r"argument 'N' must be an integer \(int64\), got float"):
        mod("mv").mv_parpy(A, b, out, 2.0)
    with pytest.raises(TypeError, match=r"argument 'A' must be an array"):
        mod("mv").mv_parpy("A", b, out, 2)


class FakeDeviceArray:
    """An object that offers the CUDA array interface, as CuPy arrays do."""

    def __init__(self, shape, typestr, strides=None):
        self.__cuda_array_interface__ = {
            "shape": shape,
            "typestr": typestr,
            "data": (0x1000, False),
            "strides": strides,
            "version": 3,
            "stream": None,
        }


def test_cuda_array_interface_is_checked_before_any_launch():
    f = mod("mv_f32").mv
    x = FakeDeviceArray((4, 8), "<f8")
    with pytest.raises(TypeError, match=r"argument 'A' must have dtype float32, got float64"):
        f(x, FakeDeviceArray((8,), "<f4"), FakeDeviceArray((4,), "<f4"), 4)
    transposed = FakeDeviceArray((4, 8), "<f4", strides=(4, 16))
    with pytest.raises(ValueError, match=r"argument 'A' must be C-contiguous"):
        f(transposed, FakeDeviceArray((8,), "<f4"), FakeDeviceArray((4,), "<f4"), 4)


def test_a_device_failure_is_a_runtime_error_or_the_right_answer():
    A, b, out, n = tutorial_args()
    try:
        mod("mv").mv_parpy(A, b, out, n)
    except RuntimeError as e:
        # No usable GPU here: the library's message comes through.
        assert "cuda" in str(e).lower() or "driver" in str(e).lower(), str(e)
    else:
        assert out.tolist() == [8.5, 3.5]


@pytest.mark.parametrize("stem", ["mv", "mv_f32", "sum_rows", "softmax", "bool_arith", "half_scalars"])
def test_headers_are_valid_c_and_cxx(stem, tmp_path):
    header = os.path.join(BUILD, f"{stem}.h")
    for lang, std in (("c", "c99"), ("c++", "c++11")):
        src = tmp_path / f"use.{'c' if lang == 'c' else 'cpp'}"
        src.write_text(f'#include "{header}"\nint main(void) {{ return {stem}_last_error() == 0; }}\n')
        r = subprocess.run(["gcc", "-x", lang, f"-std={std}", "-Wall", "-Werror", "-fsyntax-only", str(src)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr


def test_two_modules_export_disjoint_symbols():
    syms = {}
    for stem in ("mv", "mv_f32"):
        r = subprocess.run(["nm", "-D", "--defined-only", os.path.join(BUILD, f"lib{stem}.so")], capture_output=True, text=True, check=True)
        exported = {line.split()[-1] for line in r.stdout.splitlines() if " T " in line}
        syms[stem] = {s for s in exported if not s.startswith(("_", "cuda", "__cuda"))}
        assert syms[stem], f"lib{stem}.so exports nothing"
        assert all(s.startswith(stem + "_") for s in syms[stem]), sorted(syms[stem])
    assert not syms["mv"] & syms["mv_f32"]


def test_dict_arguments_are_checked_by_key():
    spmv = mod("dict_args").spmv
    assert list(inspect.signature(spmv).parameters) == ["A", "x", "y", "N", "stream"]
    A = {"rows": np.zeros(3, np.int64), "vals": np.zeros(2, np.float32), "scale": 1.0}
    with pytest.raises(TypeError, match=r"spmv\(\): argument 'A' must be a dict with the key 'cols'"):
        spmv(A, np.zeros(4, np.float32), np.zeros(2, np.float32), 2)
    A["cols"] = np.zeros(2, np.int32)
    with pytest.raises(TypeError, match=r"argument 'A.cols' must have dtype int64, got int32"):
        spmv(A, np.zeros(4, np.float32), np.zeros(2, np.float32), 2)


class HostDLPack:
    """A tensor offering only the DLPack protocol, on the host."""

    def __init__(self, array):
        self._array = array

    def __dlpack__(self, **kwargs):
        return self._array.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self._array.__dlpack_device__()


def test_dlpack_host_tensors_are_checked_like_numpy_arrays():
    f = mod("mv_f32").mv
    x = HostDLPack(np.zeros((4, 8), np.float64))
    with pytest.raises(TypeError, match=r"argument 'A' must have dtype float32, got float64"):
        f(x, np.zeros(8, np.float32), np.zeros(4, np.float32), 4)
    with pytest.raises(ValueError, match=r"argument 'A' has dimension 0 = 4, but 'N' is 5"):
        f(HostDLPack(np.zeros((4, 8), np.float32)), np.zeros(8, np.float32), np.zeros(5, np.float32), 5)


def test_a_parameter_named_stream_keeps_its_name():
    f = mod("param_named_stream").f
    assert list(inspect.signature(f).parameters) == ["x", "stream", "N", "stream_"]


class FakeDtype:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return f"torch.{self.name}"


class FakeTensor:
    """Just enough of a torch CUDA tensor for the modules' argument handling."""

    def __init__(self, shape, dtype, ptr, contiguous=True, cuda=True):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.is_cuda = cuda
        self._ptr = ptr
        self._contiguous = contiguous

    def dim(self):
        return len(self.shape)

    def is_contiguous(self):
        return self._contiguous

    def data_ptr(self):
        return self._ptr

    def get_device(self):
        return 0


FakeTensor.__module__ = "torch"


@pytest.fixture
def fake_torch(monkeypatch):
    import types

    torch = types.ModuleType("torch")
    torch.Tensor = FakeTensor
    for name in ("bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64"):
        setattr(torch, name, FakeDtype(name))
    torch._C = types.SimpleNamespace(_cuda_getCurrentRawStream=lambda device: 0x5700 + device)
    monkeypatch.setitem(sys.modules, "torch", torch)
    return torch


def test_torch_cuda_tensors_take_the_short_path(fake_torch, monkeypatch):
    m = importlib.reload(mod("mv_f32"))
    assert m._torch_tensor_type() is FakeTensor
    calls = []
    monkeypatch.setitem(m._FAST, "mv", lambda *args: calls.append(args) or 0)
    f32 = fake_torch.float32
    A, b, out = FakeTensor((4, 8), f32, 0x1000), FakeTensor((8,), f32, 0x2000), FakeTensor((4,), f32, 0x3000)
    m.mv(A, b, out, 4)
    # Pointers, the integer argument, the shape symbol M, torch's current stream.
    assert calls == [(0x1000, 0x2000, 0x3000, 4, 8, 0x5700)]
    m.mv(A, b, out, 4, stream=0x99)
    assert calls[-1][-1] == 0x99


def test_torch_tensors_the_short_path_refuses_get_the_general_checks(fake_torch, monkeypatch):
    m = importlib.reload(mod("mv_f32"))
    m._torch_tensor_type()
    monkeypatch.setitem(m._FAST, "mv", lambda *args: pytest.fail("short path taken"))
    f32, f64 = fake_torch.float32, fake_torch.float64
    b, out = FakeTensor((8,), f32, 0x2000), FakeTensor((4,), f32, 0x3000)
    with pytest.raises(TypeError, match=r"argument 'A' must have dtype float32, got torch.float64"):
        m.mv(FakeTensor((4, 8), f64, 0x1000), b, out, 4)
    with pytest.raises(ValueError, match=r"argument 'A' must be contiguous"):
        m.mv(FakeTensor((4, 8), f32, 0x1000, contiguous=False), b, out, 4)
    with pytest.raises(ValueError, match=r"argument 'out' has dimension 0 = 4, but 'N' is 5"):
        m.mv(FakeTensor((5, 8), f32, 0x1000), b, out, 5)
    with pytest.raises(ValueError, match=r"argument 'b' has dimension 0 = 8, but 'M' is 7"):
        m.mv(FakeTensor((4, 7), f32, 0x1000), b, out, 4)
    with pytest.raises(ValueError, match=r"argument 'N' = 9223372036854775808 does not fit in int64"):
        m.mv(FakeTensor((4, 8), f32, 0x1000), b, out, 2**63)


def test_outputs_that_cannot_receive_results_are_rejected_before_any_launch():
    A, b, out, n = tutorial_args()
    readonly = np.zeros(2)
    readonly.flags.writeable = False
    with pytest.raises(ValueError, match=r"argument 'out' is written, but the array is read-only"):
        mod("mv").mv_parpy(A, b, readonly, n)

    class OnlyArray:
        """An object NumPy converts through __array__, which may copy."""

        def __array__(self, dtype=None, copy=None):
            return np.zeros(2)

    with pytest.raises(TypeError, match=r"argument 'out' is written, so it must be a NumPy array"):
        mod("mv").mv_parpy(A, b, OnlyArray(), n)
    with pytest.raises(TypeError, match=r"argument 'out' is a masked array"):
        mod("mv").mv_parpy(A, b, np.ma.zeros(2), n)
    f = mod("mv_f32").mv
    ro = FakeDeviceArray((4,), "<f4")
    ro.__cuda_array_interface__["data"] = (0x1000, True)
    with pytest.raises(ValueError, match=r"argument 'out' is written, but the device array is read-only"):
        f(FakeDeviceArray((4, 8), "<f4"), FakeDeviceArray((8,), "<f4"), ro, 4)


def test_device_arrays_in_the_other_byte_order_are_rejected():
    f = mod("mv_f32").mv
    with pytest.raises(TypeError, match=r"argument 'A' must have dtype float32, got float32 in the other byte order"):
        f(FakeDeviceArray((4, 8), ">f4"), FakeDeviceArray((8,), "<f4"), FakeDeviceArray((4,), "<f4"), 4)


def test_shape_mismatch_names_where_the_symbol_was_bound():
    A, b, out, n = tutorial_args()
    with pytest.raises(ValueError, match=r"but 'M' is 2 \(from dimension 1 of 'A'\)"):
        mod("mv").mv_parpy(A, np.zeros(3), out, n)
    with pytest.raises(ValueError, match=r"but 'N' is 2 \(from argument 'N'\)"):
        mod("mv").mv_parpy(A, b, np.zeros(3), n)


def test_buffers_check_their_shape_and_dtype():
    m = mod("mv")
    with pytest.raises(ValueError, match=r"dimensions cannot be negative"):
        m.empty((-3,), "float32")
    with pytest.raises(TypeError, match=r"unsupported dtype 'complex128'"):
        m.empty(5, "c16")
