"""The decorators and compile-time objects of ParPy, inert in a sequential run.

This module owns ``jit``, ``external``, the parallelization objects (``threads``,
``par``, ``par_reduction``, :class:`LoopPar`), :class:`CompileOptions`,
:class:`CompileBackend` and :class:`Target`. None of them compiles anything: parpyc
reads the annotated source ahead of time, and here a ``@parpy.jit`` function simply runs
its Python body. The only work ``jit`` does is to bind the shape symbols and type
variables of the function's ``parpy.types`` annotations for the duration of a call (see
`parpy.types`), and to accept and ignore ParPy's ``opts=`` keyword.
"""

import enum
import functools
import inspect

from . import types as _types

__all__ = ["jit", "external", "threads", "par", "par_reduction", "LoopPar",
           "CompileOptions", "CompileBackend", "Target"]


class CompileBackend(enum.Enum):
    """The code generators of ParPy. parpyc targets CUDA (``Cuda``); ``Metal`` exists so
    that programs written for both backends import and fold their static checks."""

    Auto = "auto"
    Cuda = "cuda"
    Metal = "metal"

    def __repr__(self):
        return f"parpy.CompileBackend.{self.name}"


class Target(enum.Enum):
    """Where an external function runs."""

    Device = "device"
    Host = "host"

    def __repr__(self):
        return f"parpy.Target.{self.name}"


class LoopPar:
    """How one label is parallelized: ``parpy.threads(n).reduce().tpb(m)``.

    Each method returns a new object, so a spec can be built by chaining. The fields
    (``nthreads``, ``reduction``, ``tpb``) mirror a spec entry
    ``{ threads = n, reduce = true, tpb = m }``; nothing reads them at run time.
    """

    __slots__ = ("nthreads", "reduction", "tpb_value")

    def __init__(self, nthreads=None, reduction=False, tpb_value=None):
        self.nthreads = nthreads
        self.reduction = reduction
        self.tpb_value = tpb_value

    def threads(self, n):
        return LoopPar(n, self.reduction, self.tpb_value)

    def reduce(self):
        return LoopPar(self.nthreads, True, self.tpb_value)

    def tpb(self, n):
        return LoopPar(self.nthreads, self.reduction, n)

    def is_parallel(self):
        return self.nthreads is not None

    def __eq__(self, other):
        if not isinstance(other, LoopPar):
            return NotImplemented
        return (self.nthreads, self.reduction, self.tpb_value) == \
            (other.nthreads, other.reduction, other.tpb_value)

    def __hash__(self):
        return hash((LoopPar, self.reduction))

    def __repr__(self):
        s = "parpy.threads(" + repr(self.nthreads) + ")" if self.nthreads is not None \
            else "parpy.LoopPar()"
        if self.reduction:
            s += ".reduce()"
        if self.tpb_value is not None:
            s += f".tpb({self.tpb_value!r})"
        return s


def threads(n):
    """The parallelization of a label over ``n`` threads."""
    return LoopPar().threads(n)


def par_reduction():
    """A parallel reduction (combine with ``.threads(n)`` or use ``threads(n).reduce()``)."""
    return LoopPar().reduce()


_OPTION_DEFAULTS = {
    "backend": CompileBackend.Auto,
    "parallelize": {},
    "seq": False,
    "force_int_size": None,
    "force_float_size": None,
    "use_cuda_graphs": False,
    "use_cuda_thread_block_clusters": False,
    "max_thread_blocks_per_cluster": 8,
    "implicit_shape_labels": True,
    "includes": [],
    "libs": [],
    "extra_flags": [],
    "debug_print": False,
    "write_output": False,
}


class CompileOptions:
    """ParPy's compile options, kept as plain attributes (any attribute may be set).

    The names follow ParPy; parpyc takes the same options from the ``[options]`` table of
    its spec file. A sequential run ignores them all.
    """

    def __init__(self, **options):
        for name, default in _OPTION_DEFAULTS.items():
            setattr(self, name, _copy_default(default))
        for name, value in options.items():
            setattr(self, name, value)

    def __repr__(self):
        items = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"parpy.CompileOptions({items})"


def _copy_default(v):
    if isinstance(v, dict):
        return dict(v)
    if isinstance(v, list):
        return list(v)
    return v


def par(parallelize):
    """Compile options that parallelize the labels in ``parallelize`` (label -> LoopPar)."""
    return CompileOptions(parallelize=dict(parallelize))


def _annotations(fn):
    """The parameter annotations of ``fn`` that mention parpy types (evaluated; string
    annotations are evaluated in the function's globals), and the return annotation."""
    try:
        raw = dict(getattr(fn, "__annotations__", None) or {})
    except Exception:
        return {}, None
    out = {}
    for name, annot in raw.items():
        if isinstance(annot, str):
            try:
                annot = eval(annot, getattr(fn, "__globals__", {}))  # noqa: S307
            except Exception:
                continue
        if isinstance(annot, (_types.BufferType, _types.TypeVar, _types.ElemSize)):
            out[name] = annot
    ret = out.pop("return", None)
    return out, ret


def jit(fn=None, **_ignored):
    """Mark a function for parpyc. Usable as ``@parpy.jit`` and ``@parpy.jit()``.

    The decorated function keeps its name, parameters and docstring and runs its plain
    Python body when called (the sequential reference semantics); an ``opts=`` keyword
    (ParPy's compile options) is accepted and ignored, unless the function itself has a
    parameter of that name. While it runs, the symbols and type variables of its
    ``parpy.types`` annotations are bound to its arguments' shapes and element types;
    scalars annotated with an element type are converted to it, and so is a return value
    annotated with one.
    """
    if fn is None:
        return lambda f: jit(f)
    if not callable(fn):
        raise TypeError(f"parpy.jit decorates a function, not {type(fn).__name__}")

    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        params = []
    strip_opts = "opts" not in params
    state = {}

    def annotations():
        if "annots" not in state:
            state["annots"] = _annotations(fn)
        return state["annots"]

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if strip_opts:
            kwargs.pop("opts", None)
        annots, ret_annot = annotations()
        if not annots and ret_annot is None:
            return fn(*args, **kwargs)
        frame, args, kwargs = _types.bind_call(annots, params, args, kwargs)
        _types.push_frame(frame)
        try:
            result = fn(*args, **kwargs)
            if result is not None and ret_annot is not None:
                r = _types.resolve(ret_annot)
                if isinstance(r, _types.ElemSize):
                    from . import _ops
                    result = _ops.cast(result, r.dtype)
            return result
        finally:
            _types.pop_frame()

    run.__parpy_jit__ = True
    return run


def external(*_args, **_kwargs):
    """Declare an external (CUDA or Metal) function:
    ``@parpy.external(name, backend, target, header=..., parallelize=...)``.

    parpyc calls the named function in generated code; a sequential run calls the Python
    body, which is returned unchanged.
    """
    if len(_args) == 1 and not _kwargs and callable(_args[0]) and not isinstance(_args[0], str):
        return _args[0]

    def decorate(fn):
        return fn

    return decorate
