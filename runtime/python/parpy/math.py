"""ParPy 0.3's element-wise math, ``parpy.math.*``.

This module owns the 0.3 math spelling: ``exp log sin cos tan sqrt tanh abs atan2`` and
the two-argument ``max``/``min`` (element-wise, as ``np.maximum``/``np.minimum``). Float32
stays float32; Python scalars give Python scalars (see `parpy._ops`).
"""

from . import _ops
from ._ops import abs, atan2, cos, exp, log, sin, sqrt, tan, tanh

__all__ = ["exp", "log", "sin", "cos", "tan", "sqrt", "tanh", "abs", "atan2", "max", "min"]


def max(x, y):
    """Element-wise maximum, ``np.maximum(x, y)``."""
    return _ops.maximum(x, y)


def min(x, y):
    """Element-wise minimum, ``np.minimum(x, y)``."""
    return _ops.minimum(x, y)
