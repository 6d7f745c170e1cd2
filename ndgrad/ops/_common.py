"""Helpers shared by the op modules: operand dtypes, dims, attaching Tensor methods."""
from __future__ import annotations

import contextlib
import threading

from .. import dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _dim, Size

__all__ = ["Tensor", "tensor_method", "inplace_method", "inplace_methods", "operand", "operands",
           "broadcast_shapes", "float_array", "float_operands", "c_contiguous", "norm_dims", "_dim",
           "check_shape", "Size", "not_implemented", "need_tensor", "unary_op", "no_derivative",
           "laid_out_like", "OfX", "OfY", "index_range", "indices_in_range"]


def not_implemented(kernel: str, dt: dtypes.dtype) -> NotImplementedError:
    """PyTorch's error for a kernel that has no version for a dtype."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{dt._legacy}\'')


def tensor_method(*names):
    """Attach the decorated function to Tensor under each name (``add``, ``__add__``...)."""
    def attach(fn):
        for name in names:
            setattr(Tensor, name, fn)
        return fn
    return attach


def inplace_method(name, fn):
    """``x.add_(...)``: compute ``add`` out of place, then write it into x (see Tensor._commit_inplace)."""
    def method(self, *args, **kwargs):
        self._check_inplace()
        return self._commit_inplace(fn(self._inplace_source(), *args, **kwargs))
    method.__name__ = name
    method.__doc__ = f"In-place ``{fn.__name__}``."
    setattr(Tensor, name, method)
    return method


def inplace_methods(namespace: dict, *names):
    """``x.name_(...)`` for each public function ``name`` of a module's namespace."""
    for name in names:
        inplace_method(name + "_", namespace[name])


def no_derivative(cls, node_name: str, error: Exception):
    """``cls`` recorded under PyTorch's ``node_name`` for an op PyTorch defines no derivative for:
    the output requires grad as in PyTorch, and backward raises ``error``."""
    def backward(ctx, *grads):
        raise error
    return type(cls.__name__ + "NoDerivative", (cls,), {"node_name": node_name,
                                                        "backward": staticmethod(backward),
                                                        "__doc__": cls.__doc__})


def need_tensor(fn_name: str, x, position: int = 1, arg: str = "input"):
    """PyTorch's TypeError when a function gets a list or number where a Tensor belongs."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn_name}(): argument '{arg}' (position {position}) must be Tensor, not "
                        f"{type(x).__name__}")


def unary_op(name: str, fn_cls):
    """The public function and Tensor method ``name`` for a one-input Function."""
    def fn(input) -> Tensor:
        need_tensor(name, input)
        return fn_cls.apply(input)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = fn_cls.__doc__
    tensor_method(name)(fn)
    return fn


def _int_scalar(x: int, dt: dtypes.dtype) -> int:
    """A Python int wrapped into an integer dtype's range (PyTorch wraps, NumPy raises)."""
    if dt is dtypes.bool:
        return bool(x)
    bits = dt.itemsize * 8
    lo = -(1 << (bits - 1)) if dt.is_signed else 0
    return (x - lo) % (1 << bits) + lo


def operand(x, dt: dtypes.dtype):
    """``x`` as an array (Tensor) or weak scalar (Python number) of dtype ``dt``."""
    if isinstance(x, Tensor):
        d = x._data
        return d if d.dtype == dt.np else d.astype(dt.np)
    if dt.is_floating_point or isinstance(x, bool):
        return x            # NumPy's weak scalars keep the array's dtype
    return _int_scalar(int(x), dt)


def broadcast_shapes(*shapes) -> tuple:
    """The broadcast of several shapes, or PyTorch's RuntimeError naming the clash."""
    ndim = max(len(s) for s in shapes)
    out = [1] * ndim
    for s in shapes:
        for i, n in enumerate(s, ndim - len(s)):
            if n != 1:
                if out[i] != 1 and out[i] != n:
                    raise RuntimeError(f"The size of tensor a ({out[i]}) must match the size of tensor b "
                                       f"({n}) at non-singleton dimension {i}")
                out[i] = n
    return tuple(out)


def operands(a, b):
    """Both operands in PyTorch's result dtype, and that dtype."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if a._data.shape != b._data.shape:
            broadcast_shapes(a._data.shape, b._data.shape)
        if a._data.dtype == b._data.dtype:
            return a._data, b._data, a.dtype
    if isinstance(a, Tensor) and b.__class__ is float and a._data.dtype.kind == "f":
        return a._data, b, a.dtype
    _check_scalar(a)
    _check_scalar(b)
    dt = dtypes.result_type(a, b)
    return operand(a, dt), operand(b, dt), dt


def _check_scalar(x):
    if not isinstance(x, (Tensor, bool, int, float)):
        raise TypeError(f"unsupported operand type: expected a Tensor or a number, got "
                        f"{type(x).__name__}")


def float_operands(a, b, kernel: str = ""):
    """Both operands of a float-only binary function (atan2, hypot...) and its dtype: integer
    operands give the default float dtype, or PyTorch's NotImplementedError when ``kernel``
    (like ``"hypot_cpu"``) has no integer version."""
    x, y, dt = operands(a, b)
    if not dt.is_floating_point:
        if kernel:
            raise not_implemented(kernel, dt)
        dt = dtypes.get_default_dtype()
        x, y = operand(a, dt), operand(b, dt)
    return x, y, dt


def laid_out_like(xp, a, values, dtype=None):
    """``values`` in ``a``'s memory layout (as a ufunc, or PyTorch's kernel, lays out its
    result) and in ``dtype`` (a's by default)."""
    out = xp.empty_like(a, dtype=dtype)
    out[...] = values
    return out


def c_contiguous(a):
    """PyTorch writes reductions and matrix products into fresh C-contiguous memory; NumPy
    keeps its inputs' order."""
    return a if a.flags.c_contiguous else a.copy(order="C")


def float_array(t: Tensor):
    """t's array, converted to the default float dtype when t is integer or bool."""
    d = t._data
    return d if d.dtype.kind == "f" else d.astype(dtypes.get_default_dtype().np)


def norm_dims(dim, ndim: int) -> tuple:
    """``dim`` (None, int, or sequence) as a sorted tuple of non-negative dims; None = all."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (list, tuple)):
        dims = tuple(_dim(d, ndim) for d in dim)
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
        return tuple(sorted(dims))
    return (_dim(dim, ndim),)


def check_shape(shape) -> tuple:
    """Sizes given as ``(2, 3)``, ``[2, 3]``, ``2, 3`` or a Size, as a tuple of ints."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    out = []
    for s in shape:
        if isinstance(s, Tensor):
            s = s.__index__()
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"expected a sequence of integers as the size, but got an element of "
                            f"type {type(s).__name__}")
        out.append(s)
    return tuple(out)


class OfX(Function):
    """A float ufunc f(x) whose derivative is written in terms of x (saved); ints give floats."""
    ufunc = ""

    @classmethod
    def forward(cls, ctx, x):
        ctx.save_for_backward(x)
        return getattr(x._xp, cls.ufunc)(float_array(x))


class OfY(Function):
    """A float ufunc f(x) whose derivative is written in terms of its output y (saved)."""
    ufunc = ""

    @classmethod
    def forward(cls, ctx, x):
        out = getattr(x._xp, cls.ufunc)(float_array(x))
        ctx.save_for_backward(out)
        return out


_KNOWN_IN_RANGE = threading.local()      # .active: inside indices_in_range()


def index_range(idx, low: int, high: int):
    """(min, max) of the integer array ``idx`` when an index lies outside [low, high), else None.

    All in range, it reads back one boolean: on a GPU, the one host round trip a range check
    costs (PyTorch checks inside its CUDA kernels instead, and a bad index kills the process).
    Inside ``indices_in_range()`` it checks nothing."""
    if getattr(_KNOWN_IN_RANGE, "active", False) or not idx.size or not bool(((idx < low) | (idx >= high)).any()):
        return None
    return int(idx.min()), int(idx.max())


@contextlib.contextmanager
def indices_in_range():
    """For backward formulas: the indices they hand to gather, scatter, index_add... were
    checked in forward (or made there), so those ops skip the check, and its host round trip."""
    outer, _KNOWN_IN_RANGE.active = getattr(_KNOWN_IN_RANGE, "active", False), True
    try:
        yield
    finally:
        _KNOWN_IN_RANGE.active = outer
