"""ParPy 0.3's reductions ``parpy.reduce.sum/prod/max/min``, and ParPy 0.1's
``parpy.reduce()``.

This module owns the 0.3 reduction spelling: each reduces an array expression as NumPy
does (``np.sum`` ... ``np.min``, optional ``axis=``; see `parpy._ops`). In ParPy 0.1
``parpy.reduce()`` was instead a function making a parallel-reduction ``LoopPar``; the
module is callable so that both spellings work: ``parpy.reduce()`` is
``parpy.par_reduction()``.
"""

import sys
import types as _pytypes

from . import _ops

__all__ = ["sum", "prod", "max", "min"]


def sum(x, axis=None):
    """``np.sum(x, axis=axis)``."""
    return _ops.reduce_sum(x, axis)


def prod(x, axis=None):
    """``np.prod(x, axis=axis)``."""
    return _ops.reduce_prod(x, axis)


def max(x, axis=None):
    """``np.max(x, axis=axis)``."""
    return _ops.reduce_max(x, axis)


def min(x, axis=None):
    """``np.min(x, axis=axis)``."""
    return _ops.reduce_min(x, axis)


class _CallableModule(_pytypes.ModuleType):
    def __call__(self):
        from .main import par_reduction

        return par_reduction()


sys.modules[__name__].__class__ = _CallableModule
