"""ParPy 0.1's operators, as NumPy computes them.

This module owns the 0.1 spelling ``parpy.operators.*``: the reductions ``sum prod max
min`` (optional ``axis=``; ``max``/``min`` with two arguments are element-wise, as
``np.maximum``/``np.minimum``), the math functions ``exp log sin cos tan sqrt tanh abs
atan2``, the casts ``float16 ... uint64``, ``inf``, and re-exports of ``label`` and
``gpu``. Later 0.1 releases also spelled ``convert`` and the ``static_*`` helpers here;
they are re-exported from `parpy.builtin`. The semantics are those of `parpy._ops`.
"""

from . import _ops
from ._ops import (abs, atan2, cos, exp, float16, float32, float64, gpu, inf, int8, int16,
                   int32, int64, label, log, maximum, minimum, sin, sqrt, tan, tanh, uint8,
                   uint16, uint32, uint64)

__all__ = ["sum", "prod", "max", "min", "exp", "log", "sin", "cos", "tan", "sqrt", "tanh",
           "abs", "atan2", "maximum", "minimum", "float16", "float32", "float64", "int8", "int16", "int32",
           "int64", "uint8", "uint16", "uint32", "uint64", "inf", "label", "gpu", "convert",
           "static_backend_eq", "static_types_eq", "static_fail"]


def sum(x, axis=None):
    """``np.sum(x, axis=axis)``."""
    return _ops.reduce_sum(x, axis)


def prod(x, axis=None):
    """``np.prod(x, axis=axis)``."""
    return _ops.reduce_prod(x, axis)


def max(x, y=None, axis=None):
    """One argument: ``np.max(x, axis=axis)``. Two: element-wise ``np.maximum(x, y)``
    (a Python scalar when both are Python scalars)."""
    if y is None:
        return _ops.reduce_max(x, axis)
    if axis is not None:
        raise TypeError("parpy.operators.max: axis applies to the one-argument reduction only")
    return _ops.maximum(x, y)


def min(x, y=None, axis=None):
    """One argument: ``np.min(x, axis=axis)``. Two: element-wise ``np.minimum(x, y)``
    (a Python scalar when both are Python scalars)."""
    if y is None:
        return _ops.reduce_min(x, axis)
    if axis is not None:
        raise TypeError("parpy.operators.min: axis applies to the one-argument reduction only")
    return _ops.minimum(x, y)


from .builtin import convert, static_backend_eq, static_fail, static_types_eq  # noqa: E402
