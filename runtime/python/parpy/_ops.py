"""The NumPy implementations behind every ParPy operator (private).

`parpy.operators`, `parpy.reduce`, `parpy.math` and `parpy.builtin` are different
spellings of the same operations; this module owns their one implementation, so the
spellings cannot drift apart. The rules, which the compiled code must match:

- Reductions (``sum prod max min``, optional ``axis``) are ``np.sum`` ... ``np.min``:
  a NumPy scalar (or array, with ``axis``) of NumPy's result type, e.g. float32 stays
  float32 and the sum of a small integer array is int64.
- Element-wise ``maximum``/``minimum`` and the math functions are NumPy ufuncs on arrays
  and NumPy scalars (float32 stays float32; a Python scalar next to a NumPy value adapts
  to it, as in NumPy 2). On Python scalars only, they return Python scalars: ``float``
  for the math functions, and for maximum/minimum the type NumPy would pick (``int`` for
  two ints, ``float`` as soon as one is a float); NaN propagates, as in ``np.maximum``.
- Casts wrap integers at the target width (as the GPU does) and truncate floats toward
  zero; a scalar becomes a NumPy scalar of the target type, an array is ``astype``-ed.
"""

import builtins

import numpy as np

from .types import Symbol


def unwrap(x):
    """A bound shape symbol becomes its int, a parpy buffer its NumPy array."""
    if isinstance(x, Symbol):
        return int(x.value())
    arr = getattr(x, "_parpy_array", None)
    if arr is not None and isinstance(arr, np.ndarray):
        return arr
    return x


def is_python_scalar(x):
    return type(x) in (bool, int, float)


# --- reductions -----------------------------------------------------------------------------

def reduce_sum(x, axis=None):
    return np.sum(unwrap(x), axis=axis)


def reduce_prod(x, axis=None):
    return np.prod(unwrap(x), axis=axis)


def reduce_max(x, axis=None):
    return np.max(unwrap(x), axis=axis)


def reduce_min(x, axis=None):
    return np.min(unwrap(x), axis=axis)


# --- element-wise maximum / minimum ----------------------------------------------------------

def _python_extreme(x, y, ufunc, pick):
    if type(x) is float or type(y) is float:
        return float(ufunc(float(x), float(y)))
    if type(x) is bool and type(y) is bool:
        return bool(pick(x, y))
    return int(pick(x, y))


def maximum(x, y):
    x, y = unwrap(x), unwrap(y)
    if is_python_scalar(x) and is_python_scalar(y):
        return _python_extreme(x, y, np.maximum, builtins.max)
    return np.maximum(x, y)


def minimum(x, y):
    x, y = unwrap(x), unwrap(y)
    if is_python_scalar(x) and is_python_scalar(y):
        return _python_extreme(x, y, np.minimum, builtins.min)
    return np.minimum(x, y)


# --- math --------------------------------------------------------------------------------

def _unary_float(ufunc, name):
    def f(x):
        x = unwrap(x)
        if is_python_scalar(x):
            return float(ufunc(float(x)))
        return ufunc(x)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Element-wise ``np.{ufunc.__name__}``; a Python scalar gives a Python float, "
                 "a NumPy scalar or array keeps NumPy's result type (float32 stays float32).")
    return f


exp = _unary_float(np.exp, "exp")
log = _unary_float(np.log, "log")
sin = _unary_float(np.sin, "sin")
cos = _unary_float(np.cos, "cos")
tan = _unary_float(np.tan, "tan")
sqrt = _unary_float(np.sqrt, "sqrt")
tanh = _unary_float(np.tanh, "tanh")


def abs(x):
    """Absolute value: Python's ``abs`` on Python scalars, ``np.abs`` otherwise (the dtype
    is kept; the most negative integer of a width stays itself, as on the GPU)."""
    x = unwrap(x)
    if is_python_scalar(x):
        return builtins.abs(x) if type(x) is not bool else int(x)
    return np.abs(x)


def atan2(y, x):
    """``np.arctan2(y, x)``; a Python float when both are Python scalars."""
    y, x = unwrap(y), unwrap(x)
    if is_python_scalar(y) and is_python_scalar(x):
        return float(np.arctan2(float(y), float(x)))
    return np.arctan2(y, x)


# --- casts -------------------------------------------------------------------------------

def cast(x, dtype):
    """Convert ``x`` to ``dtype`` (anything ``np.dtype`` accepts, including parpy element
    types): an array is ``astype``-ed, a scalar becomes a NumPy scalar of that type. Python
    ints wrap at the target width, as a C cast on the GPU does."""
    dt = np.dtype(dtype)
    x = unwrap(x)
    if type(x) is int and dt.kind in "iu":
        bits = dt.itemsize * 8
        v = x & ((1 << bits) - 1)
        if dt.kind == "i" and v >= 1 << (bits - 1):
            v -= 1 << bits
        return dt.type(v)
    if type(x) is int and dt.kind == "b":
        return np.bool_(x != 0)
    return np.asarray(x).astype(dt)[()]


def _caster(dtype, name):
    dt = np.dtype(dtype)

    def f(x):
        return cast(x, dt)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Convert to {dt.name}: a NumPy ``{dt.name}`` scalar for a scalar, "
                 f"``astype({dt.name})`` for an array.")
    return f


float16 = _caster(np.float16, "float16")
float32 = _caster(np.float32, "float32")
float64 = _caster(np.float64, "float64")
int8 = _caster(np.int8, "int8")
int16 = _caster(np.int16, "int16")
int32 = _caster(np.int32, "int32")
int64 = _caster(np.int64, "int64")
uint8 = _caster(np.uint8, "uint8")
uint16 = _caster(np.uint16, "uint16")
uint32 = _caster(np.uint32, "uint32")
uint64 = _caster(np.uint64, "uint64")

inf = float("inf")


# --- code-generation controls, inert in a sequential run ---------------------------------

class _Gpu:
    """``with parpy.gpu:`` runs its block on the GPU as one thread; sequentially it is
    just the block. Reusable and re-entrant."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self):
        return self

    def __repr__(self):
        return "parpy.gpu"


gpu = _Gpu()


def label(name):
    """Attach a label to the next statement (for the parallelization spec). No-op here."""
    if name is None:
        raise TypeError("parpy.label expects the label's name")
    return None
