"""Element types, shape symbols, type variables and buffer annotations (ParPy 0.3).

This module owns the vocabulary of `parpy.types`:

- the element types ``Bool I8 I16 I32 I64 U8 U16 U32 U64 F16 F32 F64`` (members of
  :class:`ElemSize`; each maps to a NumPy dtype through its ``dtype`` attribute, so
  ``np.zeros(3, dtype=parpy.types.F32)`` works);
- ``symbol()`` (a shape symbol), ``type_var()`` (an element-type variable) and
  ``buffer(elem, shape)`` (a parameter annotation).

Annotations are inert objects. The only run-time effect they have is through
``parpy.jit``: while a jit function runs, the symbols and type variables in its
parameter annotations are *bound* to the actual shapes and dtypes of its arguments
(see :func:`bind_call`). A bound symbol behaves as the integer it stands for
(``range(N)``, ``x[:N]``, ``N - 1``), and ``parpy.builtin.static_types_eq(T, F32)`` /
``parpy.builtin.convert(x, T)`` see a type variable's bound element type. This is how
parpyc reads them too: a symbol is a shape value, a type variable is the element type
of the argument it annotates.
"""

import enum
import itertools
import operator
import threading

import numpy as np

__all__ = [
    "ElemSize", "Bool", "I8", "I16", "I32", "I64", "U8", "U16", "U32", "U64",
    "F16", "F32", "F64", "Symbol", "TypeVar", "BufferType", "symbol", "type_var",
    "buffer", "to_dtype", "resolve",
]


class ElemSize(enum.Enum):
    """A scalar element type; ``value`` is the NumPy dtype name."""

    Bool = "bool"
    I8 = "int8"
    I16 = "int16"
    I32 = "int32"
    I64 = "int64"
    U8 = "uint8"
    U16 = "uint16"
    U32 = "uint32"
    U64 = "uint64"
    F16 = "float16"
    F32 = "float32"
    F64 = "float64"

    @property
    def dtype(self):
        """The NumPy dtype of this element type."""
        return np.dtype(self.value)

    def to_numpy(self):
        """The NumPy dtype of this element type (ParPy 0.3's spelling of ``dtype``)."""
        return self.dtype

    def size(self):
        """Size of one element in bytes."""
        return self.dtype.itemsize

    def is_integer(self):
        return self.dtype.kind in "iu"

    def is_signed_integer(self):
        return self.dtype.kind == "i"

    def is_unsigned_integer(self):
        return self.dtype.kind == "u"

    def is_floating_point(self):
        return self.dtype.kind == "f"

    def is_boolean(self):
        return self.dtype.kind == "b"

    @classmethod
    def from_dtype(cls, dtype):
        """The element type of a NumPy dtype (or anything ``np.dtype`` accepts)."""
        dt = np.dtype(dtype)
        try:
            return cls(dt.name)
        except ValueError:
            raise TypeError(f"parpy has no element type for NumPy dtype {dt}") from None

    def __repr__(self):
        return f"parpy.types.{self.name}"

    __str__ = __repr__


Bool = ElemSize.Bool
I8 = ElemSize.I8
I16 = ElemSize.I16
I32 = ElemSize.I32
I64 = ElemSize.I64
U8 = ElemSize.U8
U16 = ElemSize.U16
U32 = ElemSize.U32
U64 = ElemSize.U64
F16 = ElemSize.F16
F32 = ElemSize.F32
F64 = ElemSize.F64


# --- bindings ---------------------------------------------------------------------------
#
# One frame (a dict from Symbol/TypeVar to its value) per running jit call that has
# annotations; the innermost frame wins. Thread-local so that concurrent sequential runs
# in different threads do not see each other's bindings.

_state = threading.local()
_counter = itertools.count()


def _frames():
    frames = getattr(_state, "frames", None)
    if frames is None:
        frames = _state.frames = []
    return frames


def _lookup(key):
    for frame in reversed(_frames()):
        if key in frame:
            return True, frame[key]
    return False, None


class Symbol:
    """A shape symbol, made by :func:`symbol`.

    Outside a jit call it is only a name. Inside a jit call whose annotations mention it,
    it is bound to the size it stands for and then behaves as that integer.
    Two symbols are equal only if they are the same object; a bound symbol also compares
    equal to its value.
    """

    __slots__ = ("name", "_id")

    # Make NumPy arrays and scalars hand binary operators to the methods below, so that a
    # symbol mixes with NumPy values as a Python int does (weakly: float32 stays float32).
    __array_priority__ = 1000

    def __init__(self, name=None):
        self._id = next(_counter)
        self.name = name

    def __array__(self, dtype=None, copy=None):
        return np.asarray(int(self.value()), dtype=dtype)

    def is_bound(self):
        return _lookup(self)[0]

    def value(self):
        """The integer this symbol is bound to in the current jit call."""
        found, v = _lookup(self)
        if not found:
            raise RuntimeError(
                f"{self!r} is not bound: a shape symbol gets its value from the arguments of "
                "a parpy.jit function whose parameter annotations mention it")
        return v

    def __repr__(self):
        label = self.name if self.name is not None else f"#{self._id}"
        return f"parpy.types.symbol({label})"

    __hash__ = object.__hash__

    def __eq__(self, other):
        if isinstance(other, Symbol):
            return self is other
        if isinstance(other, (int, np.integer)) and self.is_bound():
            return self.value() == other
        return NotImplemented

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    # Integer behaviour of a bound symbol.
    def __index__(self):
        return int(self.value())

    def __int__(self):
        return int(self.value())

    def __float__(self):
        return float(self.value())

    def __bool__(self):
        return bool(self.value())


def _symbol_binop(op, reflected):
    def method(self, other):
        if isinstance(other, Symbol):
            other = other.value()
        v = int(self.value())
        return op(other, v) if reflected else op(v, other)
    return method


for _name, _op in (("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                   ("floordiv", operator.floordiv), ("truediv", operator.truediv),
                   ("mod", operator.mod), ("pow", operator.pow), ("lshift", operator.lshift),
                   ("rshift", operator.rshift), ("and", operator.and_), ("or", operator.or_),
                   ("xor", operator.xor)):
    setattr(Symbol, f"__{_name}__", _symbol_binop(_op, False))
    setattr(Symbol, f"__r{_name}__", _symbol_binop(_op, True))
for _name, _op in (("lt", operator.lt), ("le", operator.le), ("gt", operator.gt),
                   ("ge", operator.ge)):
    setattr(Symbol, f"__{_name}__", _symbol_binop(_op, False))

Symbol.__neg__ = lambda self: -int(self.value())
Symbol.__pos__ = lambda self: int(self.value())
Symbol.__abs__ = lambda self: abs(int(self.value()))
del _name, _op


class TypeVar:
    """An element-type variable, made by :func:`type_var`.

    Inside a jit call whose annotations mention it, it is bound to the element type
    (:class:`ElemSize`) of the argument it annotates.
    """

    __slots__ = ("name", "_id")

    def __init__(self, name=None):
        self._id = next(_counter)
        self.name = name

    def is_bound(self):
        return _lookup(self)[0]

    def value(self):
        """The element type this variable is bound to in the current jit call."""
        found, v = _lookup(self)
        if not found:
            raise RuntimeError(
                f"{self!r} is not bound: a type variable gets its type from the arguments of "
                "a parpy.jit function whose parameter annotations mention it")
        return v

    @property
    def dtype(self):
        """The NumPy dtype of the bound element type."""
        return self.value().dtype

    def __repr__(self):
        label = self.name if self.name is not None else f"#{self._id}"
        return f"parpy.types.type_var({label})"


class BufferType:
    """The annotation ``buffer(elem, shape)``: an array of ``elem`` (an element type or a
    type variable) whose dimensions are integers or symbols."""

    __slots__ = ("elem", "shape")

    def __init__(self, elem, shape):
        if isinstance(shape, (int, Symbol)):
            shape = (shape,)
        self.elem = elem
        self.shape = tuple(shape)

    def __eq__(self, other):
        if not isinstance(other, BufferType):
            return NotImplemented
        return (_types_equal(self.elem, other.elem) and len(self.shape) == len(other.shape)
                and all(_dims_equal(a, b) for a, b in zip(self.shape, other.shape)))

    def __hash__(self):
        return hash((BufferType, len(self.shape)))

    def __repr__(self):
        return f"parpy.types.buffer({self.elem!r}, {list(self.shape)!r})"


def symbol(name=None):
    """A fresh shape symbol, distinct from every other symbol."""
    return Symbol(name)


def type_var(name=None):
    """A fresh element-type variable, distinct from every other one."""
    return TypeVar(name)


def buffer(elem, shape):
    """The annotation of a buffer parameter: element type (or type variable) and shape."""
    return BufferType(elem, shape)


# --- resolution ---------------------------------------------------------------------------

def resolve(t):
    """A type as far as it is known now: a bound type variable becomes its element type,
    a NumPy dtype (or scalar type, or dtype name) becomes an :class:`ElemSize`; anything
    else (an unbound type variable, a buffer type) is returned unchanged."""
    if isinstance(t, TypeVar):
        found, v = _lookup(t)
        return v if found else t
    if isinstance(t, (ElemSize, BufferType)):
        return t
    try:
        return ElemSize.from_dtype(t)
    except (TypeError, ValueError):
        return t


def to_dtype(t):
    """The NumPy dtype of an element type, a bound type variable, or anything
    ``np.dtype`` accepts."""
    r = resolve(t)
    if isinstance(r, ElemSize):
        return r.dtype
    if isinstance(r, TypeVar):
        r.value()  # raises the unbound-variable error
    if isinstance(r, BufferType):
        raise TypeError(f"{r!r} is a buffer type, not an element type")
    return np.dtype(r)


def _types_equal(a, b):
    a, b = resolve(a), resolve(b)
    if isinstance(a, BufferType) or isinstance(b, BufferType):
        return a == b
    return a is b or a == b


def _dims_equal(a, b):
    if isinstance(a, Symbol) and not a.is_bound() or isinstance(b, Symbol) and not b.is_bound():
        return a is b
    return int(a) == int(b)


# --- binding the annotations of one call --------------------------------------------------

def _arg_dtype(arg):
    """Element type of an argument, or None when it has none."""
    if isinstance(arg, bool):
        return Bool
    if isinstance(arg, int) and type(arg) is int:
        return I64
    if type(arg) is float:
        return F64
    dt = getattr(arg, "dtype", None)
    if dt is None:
        return None
    try:
        return ElemSize.from_dtype(dt)
    except (TypeError, ValueError):
        return None


def _is_python_scalar(x):
    return type(x) in (bool, int, float)


def _incompatible(param, annot, arg):
    shape = getattr(arg, "shape", None)
    given = f"{type(arg).__name__}"
    if shape is not None:
        given += f" of dtype {getattr(arg, 'dtype', '?')} and shape {list(shape)}"
    return TypeError(f"Parameter {param} was annotated with type {annot!r} which is "
                     f"incompatible with argument type {given}")


class _Binder:
    def __init__(self):
        self.frame = {}

    def bind(self, key, value, param, annot, arg):
        if key in self.frame:
            old = self.frame[key]
            if old != value:
                raise _incompatible(param, annot, arg)
        else:
            self.frame[key] = value


def bind_call(annotations, params, args, kwargs):
    """Bind the symbols and type variables of one call.

    ``annotations`` maps parameter names to annotation objects, ``params`` lists the
    parameter names in order. Returns ``(frame, args, kwargs)``: the bindings (to push with
    :func:`push_frame`) and the arguments, with scalars annotated by an element type (or a
    bound type variable) converted to it, as the compiled function sees them. Raises
    ``TypeError`` when an argument contradicts its annotation (wrong buffer element type or
    rank, two sizes for one symbol).
    """
    from . import _ops

    binder = _Binder()
    args = list(args)
    kwargs = dict(kwargs)

    def get(i, name):
        if i < len(args):
            return True, args[i]
        if name in kwargs:
            return True, kwargs[name]
        return False, None

    def put(i, name, value):
        if i < len(args):
            args[i] = value
        else:
            kwargs[name] = value

    deferred = []
    for i, name in enumerate(params):
        annot = annotations.get(name)
        if annot is None:
            continue
        present, arg = get(i, name)
        if not present:
            continue
        if isinstance(annot, BufferType):
            shape = getattr(arg, "shape", None)
            if shape is None:
                shape = ()
            shape = tuple(shape)
            if len(shape) != len(annot.shape):
                raise _incompatible(name, annot, arg)
            elem = _arg_dtype(arg)
            if isinstance(annot.elem, TypeVar):
                if elem is None:
                    raise _incompatible(name, annot, arg)
                binder.bind(annot.elem, elem, name, annot, arg)
            elif isinstance(annot.elem, ElemSize) and elem is not annot.elem:
                raise _incompatible(name, annot, arg)
            for dim, size in zip(annot.shape, shape):
                if isinstance(dim, Symbol):
                    binder.bind(dim, int(size), name, annot, arg)
                elif isinstance(dim, (int, np.integer)) and int(dim) != int(size):
                    raise _incompatible(name, annot, arg)
        elif isinstance(annot, TypeVar):
            # Python scalars adapt to the type the other arguments give the variable.
            if _is_python_scalar(arg):
                deferred.append((i, name, annot, arg))
            else:
                elem = _arg_dtype(arg)
                if elem is None:
                    raise _incompatible(name, annot, arg)
                binder.bind(annot, elem, name, annot, arg)
        elif isinstance(annot, ElemSize):
            put(i, name, _ops.cast(arg, annot.dtype))
    for i, name, annot, arg in deferred:
        if annot not in binder.frame:
            binder.bind(annot, _arg_dtype(arg), name, annot, arg)
        put(i, name, _ops.cast(arg, binder.frame[annot].dtype))
    return binder.frame, args, kwargs


def push_frame(frame):
    _frames().append(frame)


def pop_frame():
    _frames().pop()
