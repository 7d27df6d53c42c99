"""ParPy 0.3's built-ins, ``parpy.builtin.*``.

This module owns the reductions-or-element-wise ``sum prod max min`` (one argument
reduces, two arguments of ``max``/``min`` combine element-wise), ``maximum``/``minimum``,
``convert``, ``inline``, ``label``, ``gpu``, ``inf``, and the compile-time helpers that
parpyc folds while compiling:

- ``static_backend_eq(backend)`` is true exactly for ``CompileBackend.Cuda``, because
  parpyc generates CUDA code; a sequential run answers as the CUDA build would, so the
  reference takes the same branch as the compiled code.
- ``static_types_eq(a, b)`` compares element types, seeing through type variables bound
  by the running jit call.
- ``static_fail(msg)`` is a compile error in parpyc and a ``RuntimeError`` here.
"""

from . import _ops
from . import types as _types
from ._ops import gpu, inf, label

__all__ = ["sum", "prod", "max", "min", "maximum", "minimum", "convert", "inline", "label",
           "gpu", "inf", "static_backend_eq", "static_types_eq", "static_fail"]


def sum(x, axis=None):
    """``np.sum(x, axis=axis)``."""
    return _ops.reduce_sum(x, axis)


def prod(x, axis=None):
    """``np.prod(x, axis=axis)``."""
    return _ops.reduce_prod(x, axis)


def max(x, y=None, axis=None):
    """One argument: ``np.max(x, axis=axis)``. Two: ``maximum(x, y)``."""
    if y is None:
        return _ops.reduce_max(x, axis)
    if axis is not None:
        raise TypeError("parpy.builtin.max: axis applies to the one-argument reduction only")
    return _ops.maximum(x, y)


def min(x, y=None, axis=None):
    """One argument: ``np.min(x, axis=axis)``. Two: ``minimum(x, y)``."""
    if y is None:
        return _ops.reduce_min(x, axis)
    if axis is not None:
        raise TypeError("parpy.builtin.min: axis applies to the one-argument reduction only")
    return _ops.minimum(x, y)


def maximum(x, y):
    """Element-wise maximum, ``np.maximum(x, y)``."""
    return _ops.maximum(x, y)


def minimum(x, y):
    """Element-wise minimum, ``np.minimum(x, y)``."""
    return _ops.minimum(x, y)


def convert(x, ty):
    """Convert ``x`` to the element type ``ty`` (``parpy.types.F32``, a bound type
    variable, or a NumPy dtype); integers wrap at the target width."""
    return _ops.cast(x, _types.to_dtype(ty))


def inline(x):
    """Inline the call ``x`` into the caller (parpyc). Sequentially: ``x``, the call's value."""
    return x


def static_backend_eq(backend):
    """Whether ``backend`` is the backend being compiled for. parpyc compiles for CUDA, so
    this is true exactly for ``parpy.CompileBackend.Cuda``."""
    from .main import CompileBackend

    return backend is CompileBackend.Cuda or backend == CompileBackend.Cuda


def static_types_eq(a, b):
    """Whether two types are the same, after resolving bound type variables. Element types,
    NumPy dtypes and buffer types compare by meaning; an unbound type variable equals only
    itself."""
    return _types._types_equal(a, b)


def static_fail(msg):
    """A compile-time failure in parpyc; raises ``RuntimeError(msg)`` when reached here."""
    raise RuntimeError(msg)
