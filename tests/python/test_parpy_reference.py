"""Tests of the sequential reference runtime `parpy` (runtime/python/parpy).

The seed examples run in plain CPython against NumPy, and each module's functions are
checked for NumPy 2 semantics (dtypes, axis reductions, element-wise max/min, casts) and
for the inert compile-time API. No GPU and no compiled module are needed.

    .venv/bin/python -m pytest tests/python/test_parpy_reference.py -q
"""

import importlib.util
import inspect
import math
import os
import sys

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "runtime", "python"))

import parpy  # noqa: E402
import parpy.types as pt  # noqa: E402

RNG = np.random.default_rng(20240611)


def load_example(stem):
    """Import examples/<stem>/<stem>.py under a private module name (the generated modules
    of the other Python tests are importable as plain `<stem>`)."""
    path = os.path.join(REPO, "examples", stem, f"{stem}.py")
    spec = importlib.util.spec_from_file_location(f"parpy_reference_example_{stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def np_softmax(x):
    x64 = x.astype(np.float64)
    e = np.exp(x64 - x64.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --- the examples, run sequentially ---------------------------------------------------------

@pytest.mark.parametrize("n,m", [(1, 1), (3, 5), (17, 64)])
def test_example_mv_matches_matmul(n, m):
    mv = load_example("mv")
    A = RNG.standard_normal((n, m))
    b = RNG.standard_normal(m)
    out = np.full(n, np.nan)
    assert mv.mv_parpy(A, b, out, n) is None
    np.testing.assert_allclose(out, A @ b, rtol=1e-12, atol=1e-12)


def test_example_mv_tutorial_values():
    mv = load_example("mv")
    A = np.array([[2.5, 3.5], [1.5, 0.5]])
    b = np.array([2.0, 1.0])
    out = np.zeros(2)
    mv.mv_parpy(A, b, out, 2)
    assert out.tolist() == [8.5, 3.5]


def test_example_mv_keeps_the_python_signature():
    mv = load_example("mv")
    assert list(inspect.signature(mv.mv_parpy).parameters) == ["A", "b", "out", "N"]
    assert mv.mv_parpy.__name__ == "mv_parpy"


def test_example_mv_f32():
    mod = load_example("mv_f32")
    n, m = 9, 33
    A = RNG.standard_normal((n, m)).astype(np.float32)
    b = RNG.standard_normal(m).astype(np.float32)
    out = np.full(n, np.nan, dtype=np.float32)
    mod.mv(A, b, out, n)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, A.astype(np.float64) @ b.astype(np.float64), rtol=1e-5, atol=1e-5)
    # The reference is exactly np.sum of the float32 row products.
    np.testing.assert_array_equal(out, np.array([np.sum(A[i, :] * b) for i in range(n)], dtype=np.float32))


def test_example_sum_rows():
    mod = load_example("sum_rows")
    n, m = 6, 100
    x = RNG.standard_normal((n, m)).astype(np.float32)
    out = np.zeros(n, dtype=np.float32)
    mod.sum_rows(x, out, n)
    np.testing.assert_allclose(out, x.astype(np.float64).sum(axis=1), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(out, np.sum(x, axis=1))


def test_example_softmax():
    mod = load_example("softmax")
    n, m = 7, 31
    x = (RNG.standard_normal((n, m)) * 10).astype(np.float32)
    out = np.full((n, m), np.nan, dtype=np.float32)
    mod.softmax(x, n, m, out)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.sum(axis=1, dtype=np.float64), np.ones(n), rtol=1e-5)
    np.testing.assert_allclose(out, np_softmax(x), rtol=1e-5, atol=1e-7)


def test_examples_accept_opts_and_buffers():
    mod = load_example("softmax")
    n, m = 3, 4
    x = RNG.standard_normal((n, m)).astype(np.float32)
    xb = parpy.buffer.from_array(x)
    ob = parpy.buffer.zeros((n, m), pt.F32)
    opts = parpy.par({"N": parpy.threads(n), "M": parpy.threads(256).reduce()})
    mod.softmax(xb, n, m, ob, opts=opts)
    np.testing.assert_allclose(ob.numpy(), np_softmax(x), rtol=1e-5, atol=1e-7)


# --- operators (0.1) -----------------------------------------------------------------------

ops = parpy.operators


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_operator_reductions_keep_float_dtype(dtype):
    x = RNG.standard_normal((4, 5)).astype(dtype)
    for name, ref in [("sum", np.sum), ("prod", np.prod), ("max", np.max), ("min", np.min)]:
        r = getattr(ops, name)(x[1, :])
        assert type(r) is np.dtype(dtype).type, name
        assert r == ref(x[1, :]), name


def test_operator_sum_of_small_ints_is_int64_as_in_numpy():
    x = np.arange(10, dtype=np.int8)
    r = ops.sum(x[:])
    assert r.dtype == np.sum(x).dtype == np.int64
    assert r == 45
    assert ops.max(x[:]).dtype == np.int8


def test_operator_reductions_with_axis():
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    for name, ref in [("sum", np.sum), ("prod", np.prod), ("max", np.max), ("min", np.min)]:
        for axis in (0, 1):
            r = getattr(ops, name)(x[:, :], axis=axis)
            np.testing.assert_array_equal(r, ref(x, axis=axis))
            assert r.dtype == np.float32


def test_operator_sum_over_expression():
    A = RNG.standard_normal((3, 4))
    b = RNG.standard_normal(4)
    assert ops.sum(A[2, :] * b[:]) == np.sum(A[2, :] * b)


def test_two_argument_max_min_elementwise():
    a = np.array([1.0, 5.0, np.nan], dtype=np.float32)
    b = np.array([3.0, 2.0, 0.0], dtype=np.float32)
    mx, mn = ops.max(a, b), ops.min(a, b)
    np.testing.assert_array_equal(mx, np.maximum(a, b))
    np.testing.assert_array_equal(mn, np.minimum(a, b))
    assert mx.dtype == mn.dtype == np.float32


def test_two_argument_max_min_scalars():
    assert ops.max(2, 3) == 3 and type(ops.max(2, 3)) is int
    assert ops.min(2, 3) == 2 and type(ops.min(2, 3)) is int
    assert ops.max(2, 1.5) == 2.0 and type(ops.max(2, 1.5)) is float
    assert ops.min(-1.5, 2) == -1.5 and type(ops.min(-1.5, 2)) is float
    assert math.isnan(ops.max(float("nan"), 1.0)) and math.isnan(ops.max(1.0, float("nan")))
    assert ops.max(True, False) is True
    r = ops.max(np.float32(1.5), 2.0)
    assert type(r) is np.float32 and r == 2.0
    r = ops.min(np.int16(7), 3)
    assert type(r) is np.int16 and r == 3


def test_max_with_axis_and_two_arguments_is_an_error():
    with pytest.raises(TypeError):
        ops.max(np.zeros(2), np.zeros(2), axis=0)


@pytest.mark.parametrize("name,ref", [("exp", np.exp), ("log", np.log), ("sin", np.sin),
                                      ("cos", np.cos), ("tan", np.tan), ("sqrt", np.sqrt),
                                      ("tanh", np.tanh)])
def test_unary_math_types(name, ref):
    f = getattr(ops, name)
    r = f(np.float32(0.75))
    assert type(r) is np.float32 and r == ref(np.float32(0.75))
    r = f(np.float64(0.75))
    assert type(r) is np.float64
    r = f(0.75)
    assert type(r) is float and r == float(ref(0.75))
    r = f(1)
    assert type(r) is float
    a = np.linspace(0.1, 1.0, 5, dtype=np.float32)
    r = f(a[:])
    assert r.dtype == np.float32
    np.testing.assert_array_equal(r, ref(a))


def test_abs_and_atan2():
    assert ops.abs(-3) == 3 and type(ops.abs(-3)) is int
    assert ops.abs(-2.5) == 2.5 and type(ops.abs(-2.5)) is float
    assert type(ops.abs(np.float32(-1))) is np.float32
    assert ops.abs(np.int8(-128)) == np.int8(-128)  # wraps, as on the GPU
    np.testing.assert_array_equal(ops.abs(np.array([-1, 2], dtype=np.int32)), [1, 2])
    assert ops.atan2(1.0, 1.0) == math.atan2(1.0, 1.0) and type(ops.atan2(1, 1)) is float
    r = ops.atan2(np.float32(1), np.float32(2))
    assert type(r) is np.float32 and r == np.arctan2(np.float32(1), np.float32(2))
    assert type(ops.atan2(np.float32(1), 2.0)) is np.float32


def test_casts_on_scalars_and_arrays():
    names = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
             "uint16", "uint32", "uint64"]
    for name in names:
        f = getattr(ops, name)
        r = f(3)
        assert type(r) is np.dtype(name).type and r == 3, name
        r = f(np.float64(2.75))
        assert type(r) is np.dtype(name).type, name
        a = f(np.array([1.5, 2.5]))
        assert isinstance(a, np.ndarray) and a.dtype == np.dtype(name), name
    assert ops.int32(-2.75) == -2            # truncation toward zero, as C does
    assert ops.int8(300) == 44 and ops.int8(200) == -56   # wraps at the width
    assert ops.uint8(-1) == 255
    assert ops.uint64(-1) == 2**64 - 1
    assert ops.float32(0.1) == np.float32(0.1)


def test_operators_inf_label_gpu():
    assert ops.inf == float("inf") and parpy.inf == math.inf
    assert ops.label("N") is None
    with ops.gpu:
        pass
    with parpy.gpu:
        with parpy.gpu:
            pass
    assert ops.gpu is parpy.gpu is parpy.builtin.gpu


def test_top_level_aliases():
    for name in ["sum", "prod", "max", "min", "exp", "log", "sin", "cos", "tan", "sqrt",
                 "tanh", "abs", "atan2", "float32", "int64", "uint8", "inf"]:
        assert getattr(parpy, name) is getattr(ops, name), name


def test_from_imports_as_in_fixtures():
    from parpy import jit, label  # noqa: F401
    from parpy.operators import max, sum  # noqa: F401

    assert sum is ops.sum and max is ops.max


# --- reduce, math, builtin (0.3) ------------------------------------------------------------

def test_reduce_module():
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    assert parpy.reduce.sum(x[0, :]) == np.sum(x[0, :])
    assert type(parpy.reduce.sum(x[0, :])) is np.float32
    assert parpy.reduce.prod(x[0, :]) == np.prod(x[0, :])
    assert parpy.reduce.max(x[0, :]) == np.max(x[0, :])
    assert parpy.reduce.min(x[0, :]) == np.min(x[0, :])
    np.testing.assert_array_equal(parpy.reduce.sum(x, axis=0), np.sum(x, axis=0))


def test_reduce_is_also_the_01_loop_par_function():
    assert parpy.reduce() == parpy.par_reduction() == parpy.LoopPar().reduce()
    assert parpy.reduce().reduction


def test_math_module():
    m = parpy.math
    for name in ["exp", "log", "sin", "cos", "tan", "sqrt", "tanh", "abs", "atan2"]:
        assert getattr(m, name) is getattr(ops, name)
    a = np.array([1, 4], dtype=np.int64)
    b = np.array([3, 2], dtype=np.int64)
    np.testing.assert_array_equal(m.max(a, b), [3, 4])
    np.testing.assert_array_equal(m.min(a, b), [1, 2])
    assert type(m.max(1.0, 2)) is float


def test_builtin_reduce_or_elementwise():
    bi = parpy.builtin
    x = np.array([3.0, -1.0, 2.0], dtype=np.float32)
    y = np.array([0.0, 0.0, 5.0], dtype=np.float32)
    assert bi.max(x) == 3.0 and type(bi.max(x)) is np.float32
    assert bi.min(x) == -1.0
    assert bi.sum(x) == 4.0 and bi.prod(x) == -6.0
    np.testing.assert_array_equal(bi.max(x, y), np.maximum(x, y))
    np.testing.assert_array_equal(bi.min(x, y), np.minimum(x, y))
    np.testing.assert_array_equal(bi.maximum(x, y), np.maximum(x, y))
    np.testing.assert_array_equal(bi.minimum(x, y), np.minimum(x, y))
    assert bi.inf == math.inf
    assert bi.inline(42) == 42
    assert bi.label("M") is None


def test_builtin_convert():
    bi = parpy.builtin
    r = bi.convert(1.5, pt.F32)
    assert type(r) is np.float32 and r == 1.5
    assert type(bi.convert(7, pt.U8)) is np.uint8
    assert bi.convert(257, pt.U8) == 1
    assert bi.convert(2.9, pt.I32) == 2
    assert bi.convert(0, pt.Bool) == np.False_ and bi.convert(2, pt.Bool) == np.True_
    a = bi.convert(np.arange(3), pt.F16)
    assert a.dtype == np.float16
    assert type(bi.convert(1, np.float64)) is np.float64


def test_static_helpers():
    bi = parpy.builtin
    # parpyc generates CUDA, so the CUDA branch is the one taken.
    assert bi.static_backend_eq(parpy.CompileBackend.Cuda) is True
    assert bi.static_backend_eq(parpy.CompileBackend.Metal) is False
    assert bi.static_types_eq(pt.F32, pt.F32)
    assert not bi.static_types_eq(pt.F32, pt.F64)
    assert bi.static_types_eq(pt.F32, np.float32)
    assert bi.static_types_eq(pt.I64, np.dtype("int64"))
    T = pt.type_var()
    assert bi.static_types_eq(T, T) and not bi.static_types_eq(T, pt.F32)
    N = pt.symbol()
    assert bi.static_types_eq(pt.buffer(pt.F32, [N]), pt.buffer(pt.F32, [N]))
    assert not bi.static_types_eq(pt.buffer(pt.F32, [N]), pt.buffer(pt.F32, [pt.symbol()]))
    with pytest.raises(RuntimeError, match="not supported here"):
        bi.static_fail("not supported here")
    assert parpy.operators.static_backend_eq is bi.static_backend_eq


# --- types ------------------------------------------------------------------------------

def test_element_types_map_to_numpy_dtypes():
    expected = {"Bool": np.bool_, "I8": np.int8, "I16": np.int16, "I32": np.int32,
                "I64": np.int64, "U8": np.uint8, "U16": np.uint16, "U32": np.uint32,
                "U64": np.uint64, "F16": np.float16, "F32": np.float32, "F64": np.float64}
    for name, dtype in expected.items():
        t = getattr(pt, name)
        assert t.dtype == np.dtype(dtype), name
        assert np.dtype(t) == np.dtype(dtype), name
        assert pt.ElemSize.from_dtype(dtype) is t, name
        assert repr(t) == f"parpy.types.{name}"
    assert parpy.ElemSize is pt.ElemSize
    assert np.zeros(2, dtype=pt.F32).dtype == np.float32


def test_symbols_and_type_vars_are_fresh_and_inert():
    a, b = pt.symbol(), pt.symbol()
    assert a is not b and a != b and a == a
    assert pt.type_var() is not pt.type_var()
    ann = pt.buffer(pt.F32, [a, 4])
    assert ann.elem is pt.F32 and ann.shape == (a, 4)
    with pytest.raises(RuntimeError, match="not bound"):
        int(a)


def test_jit_binds_annotation_symbols_and_type_vars():
    N = pt.symbol()
    T = pt.type_var()
    seen = {}

    @parpy.jit
    def first_or_fill(x: pt.buffer(T, [N]), out: pt.buffer(T, [N])):
        seen["n"] = int(N)
        if parpy.builtin.static_types_eq(T, pt.F32):
            for i in range(N):
                out[i] = x[i] * parpy.builtin.convert(2, T)
        elif parpy.builtin.static_types_eq(T, pt.I32):
            out[:N] = x[:N] + 1
        else:
            parpy.builtin.static_fail("unsupported")

    x = np.arange(5, dtype=np.float32)
    out = np.zeros(5, dtype=np.float32)
    first_or_fill(x, out)
    assert seen["n"] == 5
    np.testing.assert_array_equal(out, x * 2)

    xi = np.arange(3, dtype=np.int32)
    oi = np.zeros(3, dtype=np.int32)
    first_or_fill(xi, oi, opts=parpy.CompileOptions())
    np.testing.assert_array_equal(oi, xi + 1)

    with pytest.raises(RuntimeError, match="unsupported"):
        first_or_fill(np.zeros(2), np.zeros(2))
    with pytest.raises(TypeError, match="Parameter out was annotated"):
        first_or_fill(np.zeros(2, np.float32), np.zeros(3, np.float32))
    with pytest.raises(TypeError, match="Parameter out was annotated"):
        first_or_fill(np.zeros(2, np.float32), np.zeros(2, np.float64))
    with pytest.raises(TypeError, match="Parameter x was annotated"):
        first_or_fill(np.zeros((2, 2), np.float32), np.zeros(2, np.float32))
    # Bindings end with the call.
    assert not N.is_bound() and not T.is_bound()


def test_bound_symbols_behave_as_their_integer():
    N = pt.symbol("N")
    got = {}

    @parpy.jit
    def f(x: pt.buffer(pt.F32, [N])):
        got["vals"] = (N - 1, 2 * N, N // 2, N / 2, N % 3, -N, N < 10, N == 4, len(x[:N - 1]))
        got["range"] = list(range(N))
        got["scaled"] = x[0] * N

    f(np.ones(4, dtype=np.float32))
    assert got["vals"] == (3, 8, 2, 2.0, 1, -4, True, True, 3)
    assert got["range"] == [0, 1, 2, 3]
    assert got["scaled"] == 4.0 and type(got["scaled"]) is np.float32


def test_jit_scalar_annotations_convert_arguments_and_results():
    T = pt.type_var()

    @parpy.jit
    def add(x: pt.I32, y: pt.I32) -> pt.I32:
        return x + y

    r = add(1, 2)
    assert type(r) is np.int32 and r == 3

    @parpy.jit
    def twice(x: T) -> T:
        return x * 2

    assert type(twice(np.float32(1.5))) is np.float32
    assert type(twice(np.int16(3))) is np.int16

    @parpy.jit
    def hyp(y: T, x: T) -> T:
        return parpy.math.sqrt(y * y + x * x)

    r = hyp(np.float32(3), 4.0)  # the Python float adapts to float32
    assert type(r) is np.float32 and r == 5.0


def test_jit_helpers_inline_and_return():
    @parpy.jit
    def helper(x, i):
        return x[i] * 2

    @parpy.jit
    def main(x, out, N):
        parpy.label("N")
        for i in range(N):
            out[i] = parpy.builtin.inline(helper(x, i))

    x = np.arange(4.0)
    out = np.zeros(4)
    main(x, out, 4)
    np.testing.assert_array_equal(out, x * 2)


# --- the inert compile-time API -----------------------------------------------------------

def test_jit_forms():
    def f(a, b=2):
        """doc"""
        return a + b

    for g in (parpy.jit(f), parpy.jit()(f)):
        assert g(1) == 3 and g(1, b=5) == 6 and g(1, opts=parpy.par({})) == 3
        assert g.__name__ == "f" and g.__doc__ == "doc"
        assert list(inspect.signature(g).parameters) == ["a", "b"]

    @parpy.jit
    def takes_opts(opts):
        return opts

    assert takes_opts(opts=7) == 7


def test_loop_par_and_options():
    p = parpy.threads(128)
    q = p.reduce().tpb(64)
    assert p.nthreads == 128 and not p.reduction and p.tpb_value is None
    assert q.nthreads == 128 and q.reduction and q.tpb_value == 64
    assert parpy.threads(5).reduce() == parpy.par_reduction().threads(5)
    opts = parpy.par({"N": parpy.threads(10)})
    assert isinstance(opts, parpy.CompileOptions)
    assert opts.parallelize == {"N": parpy.threads(10)}
    o = parpy.CompileOptions(backend=parpy.CompileBackend.Cuda, use_cuda_graphs=True)
    assert o.backend is parpy.CompileBackend.Cuda and o.use_cuda_graphs
    o.max_thread_blocks_per_cluster = 4
    assert o.max_thread_blocks_per_cluster == 4
    assert {parpy.CompileBackend.Cuda, parpy.CompileBackend.Metal} <= set(parpy.CompileBackend)
    assert parpy.sync(parpy.CompileBackend.Cuda) is None and parpy.sync() is None


def test_external_returns_the_function():
    def f(x):
        return x + 1

    g = parpy.external("my_add", parpy.CompileBackend.Cuda, parpy.Target.Device,
                       header="my.h", parallelize=parpy.threads(32))(f)
    assert g is f
    assert parpy.external(f) is f


# --- buffers -------------------------------------------------------------------------------

def test_buffer_from_array_copies():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = parpy.buffer.from_array(a)
    assert b.shape == (2, 3) and b.dtype == np.float32 and b.ndim == 2
    a[0, 0] = 100
    assert b[0, 0] == 0
    n = b.numpy()
    n[0, 1] = 100
    assert b[0, 1] == 1
    assert b.sync() is None
    b2 = parpy.buffer.from_array(a, parpy.CompileBackend.Cuda)
    assert b2.backend() is parpy.CompileBackend.Cuda
    assert parpy.buffer.from_array(b).numpy().tolist() == b.numpy().tolist()


def test_buffer_indexing_passthrough():
    b = parpy.buffer.from_array(np.zeros((2, 3)))
    b[1, 2] = 5.0
    b[0, :] = np.array([1.0, 2.0, 3.0])
    b[1][0] = 7.0
    b[0, :] += 1
    assert b[1, 2] == 5.0 and b[1, 0] == 7.0
    np.testing.assert_array_equal(b[0, :], [2.0, 3.0, 4.0])
    assert len(b) == 2
    np.testing.assert_array_equal(np.asarray(b), b.numpy())
    assert parpy.operators.sum(b) == np.sum(b.numpy())
    s = parpy.buffer.from_array(np.array(3, dtype=np.int64))
    assert int(s) == 3 and float(s) == 3.0 and [10, 20, 30, 40][s] == 40


def test_buffer_constructors():
    z = parpy.buffer.zeros((2, 2), pt.F32)
    assert z.dtype == np.float32 and z.numpy().tolist() == [[0, 0], [0, 0]]
    e = parpy.buffer.empty(4, np.int16)
    assert e.shape == (4,) and e.dtype == np.int16
    assert parpy.buffer.zeros_like(z).dtype == np.float32
    el = parpy.buffer.empty_like(np.zeros((3, 1), dtype=np.uint8))
    assert el.shape == (3, 1) and el.dtype == np.uint8
    zl = parpy.buffer.zeros_like(np.ones(2, dtype=np.float64))
    assert zl.numpy().tolist() == [0.0, 0.0]
    assert parpy.buffer.sync() is None and parpy.buffer.sync(parpy.CompileBackend.Cuda) is None
    w = z.with_type(pt.F64)
    assert w.dtype == np.float64
    r = parpy.buffer.from_array(np.arange(6)).reshape(2, 3)
    assert r.shape == (2, 3)


def test_every_module_has_a_docstring():
    import parpy._ops
    import parpy.main

    for mod in [parpy, parpy.operators, parpy.reduce, parpy.math, parpy.builtin, parpy.types,
                parpy.buffer, parpy.main, parpy._ops]:
        assert mod.__doc__ and len(mod.__doc__.strip()) > 40, mod.__name__


def test_elem_size_to_numpy():
    # ParPy 0.3 programs build their inputs with `parpy.types.F32.to_numpy()`.
    assert parpy.types.F32.to_numpy() == np.dtype(np.float32)
    assert parpy.types.Bool.to_numpy() == np.dtype(np.bool_)
    assert np.zeros(3, parpy.types.U16.to_numpy()).dtype == np.uint16
