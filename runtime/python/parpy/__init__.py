"""parpy: the reference runtime of parpyc, ParPy programs run sequentially in CPython.

parpyc compiles annotated ParPy files ahead of time to CUDA. This package makes the same
files importable and runnable in plain CPython: ``@parpy.jit`` functions run their Python
body, labels and parallelization specs are inert, and every operator is its NumPy
counterpart. That sequential run is the reference semantics: a compiled function must
compute what this package computes, up to floating-point rounding.

Both ParPy spellings are provided:

- 0.1: ``parpy.operators`` (and the top-level aliases ``parpy.sum``, ``parpy.exp``,
  ``parpy.float32``, ...), ``parpy.threads(n).reduce()``, ``parpy.reduce()``;
- 0.3: ``parpy.reduce``, ``parpy.math``, ``parpy.builtin``, ``parpy.types``.

The package itself owns only this namespace; see the submodules for the pieces:
`parpy.main` (jit, external, options), `parpy.types`, `parpy.buffer`, and the operator
spellings `parpy.operators`, `parpy.reduce`, `parpy.math`, `parpy.builtin`.
"""

from . import _ops
from . import types
from . import main
from . import buffer
from . import builtin
from . import operators
from . import math
from . import reduce

from .main import (CompileBackend, CompileOptions, LoopPar, Target, external, jit, par,
                   par_reduction, threads)
from .types import ElemSize
from .buffer import sync
from ._ops import gpu, label

# ParPy 0.1's top-level aliases of the operators.
from .operators import (abs, atan2, cos, exp, float16, float32, float64, inf, int8, int16,
                        int32, int64, log, max, min, prod, sin, sqrt, sum, tan, tanh, uint8,
                        uint16, uint32, uint64)
from .builtin import convert, static_backend_eq, static_fail, static_types_eq

__version__ = "0.1.0"

__all__ = [
    "jit", "external", "label", "gpu", "threads", "par", "par_reduction", "reduce",
    "sync", "LoopPar", "CompileOptions", "CompileBackend", "Target", "ElemSize",
    "operators", "math", "builtin", "types", "buffer",
    "sum", "prod", "max", "min", "exp", "log", "sin", "cos", "tan", "sqrt", "tanh", "abs",
    "atan2", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
    "uint16", "uint32", "uint64", "inf", "convert", "static_backend_eq", "static_types_eq",
    "static_fail",
]
