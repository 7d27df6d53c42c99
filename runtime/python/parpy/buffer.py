"""Buffers: ParPy's arrays that live next to the compiled code, here kept in NumPy.

This module owns :class:`Buffer` and its constructors (``from_array``, ``empty``,
``zeros``, ``empty_like``, ``zeros_like``) and ``sync``. A generated parpyc module keeps a
buffer in device memory; in a sequential run a buffer is a NumPy array owned by the
buffer (``from_array`` copies its argument, and ``numpy()`` returns a copy, as a copy back
from the device would). Indexing a buffer indexes that array, so a ``@parpy.jit``
function runs unchanged on buffers; NumPy functions accept buffers through
``__array__``. ``sync`` has nothing to wait for.
"""

import numpy as np

from . import types as _types

__all__ = ["Buffer", "from_array", "empty", "zeros", "empty_like", "zeros_like", "sync"]


def _dtype(dtype):
    return _types.to_dtype(dtype)


def _shape(shape):
    if isinstance(shape, (int, np.integer, _types.Symbol)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


class Buffer:
    """A C-contiguous array of one element type, as ParPy's buffers are."""

    __slots__ = ("_parpy_array", "_backend")

    def __init__(self, array, backend=None):
        self._parpy_array = np.asarray(array, order="C")
        self._backend = backend

    # --- what ParPy's buffers offer ---
    @property
    def shape(self):
        return self._parpy_array.shape

    @property
    def dtype(self):
        return self._parpy_array.dtype

    @property
    def ndim(self):
        return self._parpy_array.ndim

    @property
    def nbytes(self):
        return self._parpy_array.nbytes

    def backend(self):
        """The backend the buffer was made for (None: no particular backend)."""
        return self._backend

    def numpy(self):
        """A NumPy copy of the contents."""
        return self._parpy_array.copy()

    def torch(self):
        """A CPU torch tensor copy of the contents (needs torch)."""
        import torch

        return torch.from_numpy(self.numpy())

    def sync(self):
        """Wait for pending work on the buffer: nothing to wait for here."""
        return None

    def copy(self):
        return Buffer(self._parpy_array.copy(), self._backend)

    def reshape(self, *dims):
        if len(dims) == 1 and not isinstance(dims[0], (int, np.integer)):
            dims = tuple(dims[0])
        return Buffer(self._parpy_array.reshape(dims).copy(), self._backend)

    def with_type(self, dtype):
        """A buffer of the same shape converted to ``dtype``."""
        return Buffer(self._parpy_array.astype(_dtype(dtype)), self._backend)

    # --- indexing and NumPy interoperation ---
    def __getitem__(self, idx):
        return self._parpy_array[idx]

    def __setitem__(self, idx, value):
        if isinstance(value, Buffer):
            value = value._parpy_array
        self._parpy_array[idx] = value

    def __len__(self):
        return len(self._parpy_array)

    def __iter__(self):
        return iter(self._parpy_array)

    def __array__(self, dtype=None, copy=None):
        a = self._parpy_array
        if dtype is not None and np.dtype(dtype) != a.dtype:
            return a.astype(dtype)
        return a.copy() if copy else a

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __bool__(self):
        return bool(self._scalar())

    def __index__(self):
        v = self._scalar()
        if self.dtype.kind not in "iub":
            raise TypeError(f"a buffer of dtype {self.dtype} cannot be used as an index")
        return int(v)

    def _scalar(self):
        if self._parpy_array.ndim != 0:
            raise ValueError(f"a buffer of shape {list(self.shape)} is not a scalar")
        return self._parpy_array[()]

    def __repr__(self):
        return f"parpy.buffer.Buffer({self._parpy_array!r})"


def from_array(a, backend=None):
    """A buffer holding a copy of ``a`` (anything ``np.asarray`` accepts, or a buffer)."""
    if isinstance(a, Buffer):
        a = a._parpy_array
    arr = np.array(a, copy=True, order="C")
    return Buffer(arr, backend)


def empty(shape, dtype, backend=None):
    """A buffer of the given shape and element type with unspecified contents."""
    return Buffer(np.empty(_shape(shape), dtype=_dtype(dtype)), backend)


def zeros(shape, dtype, backend=None):
    """A buffer of the given shape and element type filled with zeros."""
    return Buffer(np.zeros(_shape(shape), dtype=_dtype(dtype)), backend)


def _like(b):
    if isinstance(b, Buffer):
        return b.shape, b.dtype, b._backend
    a = np.asarray(b)
    return a.shape, a.dtype, None


def empty_like(b):
    """An empty buffer with the shape and element type of ``b`` (a buffer or an array)."""
    shape, dtype, backend = _like(b)
    return empty(shape, dtype, backend)


def zeros_like(b):
    """A zero buffer with the shape and element type of ``b`` (a buffer or an array)."""
    shape, dtype, backend = _like(b)
    return zeros(shape, dtype, backend)


def sync(backend=None):
    """Wait until all launched work on ``backend`` has finished: a no-op here."""
    return None
