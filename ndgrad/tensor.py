"""The Tensor: an array of the device's backend (numpy / cupy) plus autograd metadata.

This file holds the data model (storage, dtype, device, grad, grad_fn, version counter)
and the Python protocol methods. The ops (``add``, ``sum``, ``view``, ``to``, operators
such as ``+``...) are attached as methods by the modules of ``ndgrad/ops``, next to the
Function that implements each of them.
"""
from __future__ import annotations

import weakref

from . import backend, dtypes
from ._printing import tensor_repr
from .autograd.grad_mode import STATE
from .utils.hooks import RemovableHandle

__all__ = ["Tensor", "Size"]


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``ndgrad.Size([2, 3])``."""

    __module__ = "ndgrad"

    def __repr__(self):
        return f"ndgrad.Size({list(self)})"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return Size(r) if isinstance(key, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, other))


_new = object.__new__


def _wrap(arr, device=None) -> "Tensor":
    """The internal constructor: a new leaf Tensor around ``arr`` (no copy)."""
    t = _new(Tensor)
    t._data = arr
    t._device = backend.device_of_array(arr) if device is None else device
    t._requires_grad = False
    t.grad_fn = None
    t._grad = None
    t._version = [0]
    t._base = None
    t._output_nr = 0
    t._hooks = None
    t._accumulator = None
    t._retains_grad = False
    t._views = None
    t._is_view = False
    return t


def _register_view(view) -> None:
    """Remember a differentiable view on its base, weakly, so that an in-place write through it,
    or to the base, can re-derive its history (autograd/views.py). Dead references are dropped
    whenever the list doubles past 64 (a weakref is cheap; a WeakSet costs microseconds per view)."""
    view._is_view = True
    base, ref = view._base, weakref.ref(view)
    refs = base._views
    if refs is None:
        base._views = [ref]
        return
    refs.append(ref)
    n = len(refs)
    if n >= 64 and n & (n - 1) == 0:
        refs[:] = [r for r in refs if r() is not None]


def _live_views(base) -> list:
    return [v for v in (r() for r in base._views or ()) if v is not None]


def _as_array_like(o, dev):
    """An op's raw result as an ndarray (NumPy reductions may return NumPy scalars)."""
    xp = backend.array_module(dev if dev is not None else backend.CPU)
    return o if isinstance(o, xp.ndarray) else xp.asarray(o)


class Tensor:
    """A multi-dimensional array that can record the operations applied to it.

    ``ndgrad.Tensor(2, 3)`` (an uninitialised float tensor of that shape) and
    ``ndgrad.Tensor([[1, 2]])`` (float data) work as in PyTorch; ``ndgrad.tensor(data)``
    is the usual way to build one.
    """

    __module__ = "ndgrad"      # printed as <class 'ndgrad.Tensor'>, like <class 'torch.Tensor'>
    __slots__ = ("_data", "_device", "_requires_grad", "grad_fn", "_grad", "_version", "_base",
                 "_output_nr", "_hooks", "_accumulator", "_retains_grad", "_views", "_is_view",
                 "__weakref__")

    def __new__(cls, *args, device=None):
        from .ops.creation import legacy_new
        t = legacy_new(args, device)
        if cls is not Tensor:
            return cls._make_subclass(t)
        return t

    def __init__(self, *args, device=None):
        pass

    @classmethod
    def _make_subclass(cls, t: "Tensor", requires_grad: bool = False):
        s = _new(cls)
        for name in Tensor.__slots__[:-1]:
            setattr(s, name, getattr(t, name))
        s._requires_grad = requires_grad
        return s

    # ---- data, dtype, device, shape ---------------------------------------------------------
    @property
    def _xp(self):
        return backend.array_module(self._device)

    @property
    def dtype(self) -> dtypes.dtype:
        return dtypes._BY_NUMPY[self._data.dtype]

    @property
    def device(self) -> backend.device:
        return self._device

    @property
    def is_cuda(self) -> bool:
        return self._device.type == "cuda"

    def get_device(self) -> int:
        """The GPU's index, or -1 for a CPU tensor."""
        return -1 if self._device.type == "cpu" else self._device.index

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_dim(dim, self._data.ndim)]

    def dim(self) -> int:
        return self._data.ndim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def ndimension(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    def stride(self, dim: int | None = None):
        st = tuple(s // self._data.itemsize for s in self._data.strides)
        return st if dim is None else st[_dim(dim, self._data.ndim)]

    def storage_offset(self) -> int:
        """Where this tensor starts in its memory, in elements (a view may start past 0)."""
        return backend.memory_offset(self._data) // self._data.itemsize

    def is_contiguous(self) -> bool:
        return bool(self._data.flags.c_contiguous)

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_complex(self) -> bool:
        return False

    # ---- autograd metadata -------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool):
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if self.grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use a "
                    "computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach().")
            return self
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value._data.shape != self._data.shape:
                raise RuntimeError("assigned grad has data of a different size")
            if value.dtype is not self.dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if value._device != self._device:
                raise RuntimeError("assigned grad has data located on a different device")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def output_nr(self) -> int:
        return self._output_nr

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward (summed like a leaf's)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        ref = weakref.ref(self)

        def keep(g):
            t = ref()
            if t is not None:
                g = g.detach()
                t._grad = _wrap(g._data.copy(), g._device) if t._grad is None else t._grad + g
        self.grad_fn._add_pre_hook(self._output_nr, keep)
        self._retains_grad = True

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new grad."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._add_pre_hook(self._output_nr, hook)
        if self._hooks is None:
            self._hooks = {}
        handle = RemovableHandle(self._hooks)
        self._hooks[handle.id] = hook
        return handle

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into the ``.grad`` of every leaf that requires grad."""
        from .autograd.engine import backward
        backward(self, gradient, retain_graph, create_graph, inputs)

    def detach(self) -> "Tensor":
        """A new leaf sharing this tensor's data (and version counter), outside the graph."""
        t = _wrap(self._data, self._device)
        t._version = self._version
        t._base = self if self._base is None else self._base
        return t

    def detach_(self) -> "Tensor":
        if self._base is not None and self._base._requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    def _alias(self) -> "Tensor":
        """Same data, same version counter, a distinct Tensor object."""
        t = _wrap(self._data, self._device)
        t._version = self._version
        t._base = self if self._base is None else self._base
        return t

    @property
    def data(self) -> "Tensor":
        """The values without autograd history (no version tracking, like PyTorch's .data)."""
        return _wrap(self._data, self._device)

    @data.setter
    def data(self, value: "Tensor"):
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        self._data = value._data
        self._device = value._device

    # ---- conversion to Python / NumPy ------------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist() if self._device.type == "cpu" else self._data.get().tolist()

    def numpy(self, *, force: bool = False):
        """The underlying NumPy array (shared memory), for CPU tensors that need no grad."""
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        if self._device.type != "cpu":
            if not force:
                raise TypeError(f"can't convert {self._device} device type tensor to numpy. "
                                "Use Tensor.cpu() to copy the tensor to host memory first.")
            return self._data.get()
        return self._data

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter([self[i] for i in range(self._data.shape[0])])

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __float__(self):
        return float(_scalar(self))

    def __int__(self):
        return int(_scalar(self))

    def __index__(self):
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __complex__(self):
        return complex(_scalar(self))

    def __hash__(self):
        return id(self)

    def __format__(self, spec):
        if self._data.ndim == 0:
            return format(self.item(), spec)
        return format(str(self), spec)

    def __repr__(self):
        return tensor_repr(self)

    def __reduce_ex__(self, protocol):
        """Pickling (for worker processes) carries data, device and requires_grad, never the graph.
        Files are written by ndgrad.save, without pickle."""
        data = self._data if self._device.type == "cpu" else self._data.get()
        return (_rebuild, (type(self), data, str(self._device), self._requires_grad))

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                               "the deepcopy protocol at the moment.")
        t = _wrap(self._data.copy(), self._device)
        if type(self) is not Tensor:
            t = type(self)._make_subclass(t, self._requires_grad)
        else:
            t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = t
        return t

    # ---- in-place machinery ---------------------------------------------------------------------
    def _check_inplace(self):
        """PyTorch's rule: no in-place change of a leaf that requires grad, or of a view of one,
        while recording."""
        if not STATE.enabled:
            return
        if self._requires_grad and self.grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        base = self._base
        if base is not None and base._requires_grad and base.grad_fn is None and self._is_view:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place "
                               "operation.")

    def _commit_inplace(self, result: "Tensor") -> "Tensor":
        """Write ``result`` (an out-of-place op's output) into self's memory and adopt its history.

        The in-place op is computed out of place, so the graph node saw the old values; this
        copies the new values into the existing array (views of it see them) and bumps the
        version counter, so a backward that needs the old values raises instead of lying.
        Written through a view, the base's history changes instead (autograd/views.py).
        """
        rdt, sdt = result.dtype, self.dtype
        if not dtypes.can_cast(rdt, sdt):
            raise RuntimeError(f"result type {rdt._legacy} can't be cast to the desired output type "
                               f"{sdt._legacy}")
        if result._data.shape != self._data.shape:
            raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the "
                               f"broadcast shape {list(result._data.shape)}")
        self._data[...] = result._data
        self._version[0] += 1
        base = self._base
        if result.grad_fn is not None:
            if base is not None and self._is_view:
                from .autograd.views import write_through_view
                write_through_view(self, result)            # the base's history changes (CopySlices)
            else:
                self.grad_fn, self._output_nr, self._requires_grad = result.grad_fn, result._output_nr, True
                if self._views:
                    from .autograd.views import refresh_views
                    refresh_views(self)
        return self

    def _inplace_source(self) -> "Tensor":
        """The operand an in-place op computes from: self, or a snapshot when it will be saved."""
        if STATE.enabled and self.grad_fn is not None:
            t = _wrap(self._data.copy(), self._device)
            t.grad_fn, t._output_nr, t._requires_grad = self.grad_fn, self._output_nr, True
            return t
        return self


def _rebuild(cls, data, device, requires_grad):
    t = _wrap(data, backend.CPU)
    if device != "cpu":
        t = t.to(device)
    if cls is not Tensor:
        return cls._make_subclass(t, requires_grad)
    return t.requires_grad_(requires_grad) if requires_grad else t


def _scalar(t: Tensor):
    if t._data.size != 1:
        raise ValueError("only one element tensors can be converted to Python scalars")
    return t.item()


def _dim(d: int, ndim: int) -> int:
    """Wrap a possibly negative dim; PyTorch's IndexError when out of range (0-d counts as 1-d)."""
    n = max(ndim, 1)
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {d})")
    return d + n if d < 0 else d

