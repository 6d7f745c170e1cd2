"""``x[key]`` and ``x[key] = value`` with ints, slices, None, Ellipsis, lists, int tensors and
bool masks (NumPy's rules, which PyTorch shares), and their gradients.

Reading with basic keys (ints, slices, None, ...) gives a view; any list/tensor in the key
makes a copy. The gradient of ``x[key]`` is a zero tensor of x's shape with the incoming
gradient added at ``key`` (repeated indices add up).
"""
from __future__ import annotations

from .. import dtypes
from .._layout import broadcast_shapes
from ..autograd.function import Function
from ..autograd.grad_mode import STATE
from ..dtypes import _int_scalar
from ..tensor import Tensor, _wrap
from ._checks import expanded_shape, index_range

__all__ = ["index", "index_put"]


def _convert_key(x: Tensor, key):
    """The key with tensors and lists turned into index arrays; PyTorch's checks on the way."""
    if isinstance(key, list) and any(isinstance(k, (list, tuple, slice, Tensor)) or k is None
                                     or k is Ellipsis for k in key):
        key = tuple(key)        # PyTorch still reads x[[[0, 1], [2]]] as x[[0, 1], [2]]
    if not isinstance(key, tuple):
        key = (key,)
    xp = x._xp
    out, advanced = [], False
    for k in key:
        if isinstance(k, Tensor) and k.ndim == 0 and k.dtype._category == 1:
            out.append(int(k.item()))       # a 0-d integer tensor indexes like a Python int
        elif isinstance(k, Tensor):
            dt = k.dtype
            if dt.is_floating_point:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            a = k._data if k._device == x._device else xp.asarray(k.tolist(), dtype=dt.np)
            out.append(a.astype(bool) if dt is dtypes.uint8 else a)
            advanced = True
        elif isinstance(k, (list, tuple, xp.ndarray)):
            a = xp.asarray(k)
            if a.size == 0:
                a = a.astype("int64")
            if a.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            out.append(a.astype("int64") if a.size == 0 else a)
            advanced = True
        elif isinstance(k, slice):
            if k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero")
            out.append(k)
        elif k is None or k is Ellipsis or isinstance(k, (int, bool)):
            out.append(k)
        elif hasattr(k, "__index__"):
            out.append(k.__index__())
        else:
            raise TypeError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                            f"Variables are valid indices (got {type(k).__name__})")
    _check_bounds(x, out)
    return tuple(out), advanced


def _check_bounds(x, key):
    """PyTorch's IndexError wording for integer indices out of range or unbroadcastable."""
    arrays = [k for k in key if hasattr(k, "dtype") and k.dtype != bool]
    if len(arrays) > 1:
        try:
            broadcast_shapes(*[a.shape for a in arrays])
        except RuntimeError:
            raise IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                             f"shapes {', '.join(str(list(a.shape)) for a in arrays)}") from None
    consumed = sum(1 for k in key if k is not None and k is not Ellipsis and not isinstance(k, bool)
                   and not (hasattr(k, "dtype") and k.dtype == bool))
    consumed += sum(k.ndim - 1 for k in key if hasattr(k, "dtype") and k.dtype == bool)
    if consumed > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    dim = 0
    for k in key:
        if k is Ellipsis:
            dim = x.ndim - sum(1 for j in key[key.index(Ellipsis) + 1:] if j is not None)
            continue
        if k is None or isinstance(k, bool):
            continue
        if isinstance(k, int):
            size = x.shape[dim]
            if not -size <= k < size:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {size}")
        elif hasattr(k, "dtype") and k.dtype != bool:
            size = x.shape[dim]
            bad = index_range(k, -size, size)
            if bad:
                raise IndexError(f"index {bad[1] if bad[1] >= size else bad[0]} is out of bounds for "
                                 f"dimension {dim} with size {size}")
        elif hasattr(k, "dtype") and k.dtype == bool:
            if tuple(k.shape) != tuple(x.shape[dim:dim + k.ndim]):
                raise IndexError(f"The shape of the mask {list(k.shape)} at index {dim} does not match "
                                 f"the shape of the indexed tensor {list(x.shape)} at index {dim}")
            dim += k.ndim
            continue
        dim += 1


class Index(Function):
    """x[key] with lists/tensors in the key (a copy);   ∂/∂x = zeros with g added at key"""
    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, key):
        ctx.shape, ctx.key = x._data.shape, key
        return x._data[key]

    @staticmethod
    def backward(ctx, g):
        return IndexAddInto.apply(g, ctx.shape, ctx.key), None


class Select(Index):
    """x[key] with only ints, slices, None and Ellipsis: a view"""
    node_name = "SelectBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, key):
        ctx.shape, ctx.key = x._data.shape, key
        # with an Ellipsis NumPy returns a 0-d view where x[1] would give a detached scalar
        return x._data[key if Ellipsis in key else key + (Ellipsis,)]


class Slice(Select):
    node_name = "SliceBackward0"


class NewAxis(Select):
    node_name = "UnsqueezeBackward0"


class Alias(Select):
    node_name = "AliasBackward0"


class IndexAddInto(Function):
    """zeros(shape) with g added at key (repeated indices sum);   ∂/∂g = (its grad)[key]"""
    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, g, shape, key):
        ctx.key = key
        xp = g._xp
        out = xp.zeros(shape, g._data.dtype)
        xp.add.at(out, key, g._data)
        return out

    @staticmethod
    def backward(ctx, gg):
        return _take(gg, ctx.key), None, None


def _basic_class(key):
    """PyTorch names the node after the last basic-indexing step."""
    for k in reversed(key):
        if isinstance(k, int) and not isinstance(k, bool):
            return Select
        if isinstance(k, slice) and k != slice(None):
            return Slice
        if k is None or isinstance(k, bool):
            return NewAxis
    return Slice if any(isinstance(k, slice) for k in key) else Alias


def _take(t: Tensor, key) -> Tensor:
    """t[key] for a key already converted to arrays (as backward passes have them)."""
    advanced = any(hasattr(k, "dtype") for k in key)
    return Index.apply(t, key) if advanced else _basic_class(key).apply(t, key)


def index(self, key) -> Tensor:
    """``self[key]``"""
    k, _ = _convert_key(self, key)
    return _take(self, k)


_C_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t"}


def _scalar_for(value, dt):
    """A Python number as PyTorch stores it into ``dt``: checked for overflow, then truncated
    (and, for unsigned types, negative integers wrap as in two's complement: -1 -> 255)."""
    if dt.is_floating_point or dt is dtypes.bool:
        return bool(value) if dt is dtypes.bool else value
    bits = dt.itemsize * 8
    hi = (1 << bits) - 1 if not dt.is_signed else (1 << (bits - 1)) - 1
    lo = -(1 << (bits - 1)) if dt.is_signed else (-hi if isinstance(value, int) else 0)
    if not lo <= value <= hi:
        raise RuntimeError(f"value cannot be converted to type {_C_NAMES[dt.name]} without overflow")
    return _int_scalar(int(value), dt)


def _put(a, key, v, advanced: bool) -> None:
    """``a[key] = v``, with PyTorch's RuntimeError where v does not broadcast to ``a[key]``."""
    try:
        a[key] = v
    except ValueError:
        target = a[key].shape
        if not advanced:                     # a view is written as PyTorch copies: expand v to it
            expanded_shape(_wrap(v), target)
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(v.shape)} cannot be broadcast "
                           f"to indexing result of shape {list(target)}") from None


class IndexPut(Function):
    """x with x[key] replaced by v;   ∂/∂x = g with zeros at key,  ∂/∂v = g[key]"""
    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, key, v):
        ctx.key = key
        out = x._data.copy()
        _put(out, key, v._data if isinstance(v, Tensor) else v, advanced=True)
        return out

    @staticmethod
    def backward(ctx, g):
        gv = _take(g, ctx.key) if ctx.needs_input_grad[2] else None
        return IndexPut.apply(g, ctx.key, 0.0), None, gv


def index_put(self, key, value) -> None:
    """``self[key] = value``: writes in place (value is broadcast and cast to self's dtype)."""
    k, advanced = _convert_key(self, key)
    mask_fill = len(k) == 1 and getattr(k[0], "dtype", None) == bool
    if mask_fill and isinstance(value, Tensor) and value._data.size == 1 and not value._requires_grad:
        value = value.item()        # x[mask] = one value is a masked_fill with a number
    if (advanced and isinstance(value, Tensor) and value.dtype is not self.dtype
            and not (mask_fill and value._data.size == 1)):    # x[mask] = one value is a masked_fill
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{self.dtype._legacy} for the destination and {value.dtype._legacy} for the "
                           "source.")
    if isinstance(value, Tensor) and value._device != self._device:
        raise RuntimeError("Expected all tensors to be on the same device, but found at least two "
                           f"devices, {self._device} and {value._device}!")
    recording = STATE.enabled and (self._requires_grad
                                   or (isinstance(value, Tensor) and value._requires_grad))
    if not isinstance(value, Tensor):
        value = _scalar_for(value, self.dtype)
    if not recording:
        _put(self._data, k, value._data if isinstance(value, Tensor) else value, advanced)
        self._version[0] += 1
        return
    if not advanced:      # a basic index is a view: write through it (CopySlices), as PyTorch does
        view = _take(self, k)
        view.copy_(value) if isinstance(value, Tensor) else view.fill_(value)
        return
    self._check_inplace()
    if isinstance(value, Tensor) and value.dtype is not self.dtype:
        value = value.to(self.dtype)
    self._commit_inplace(IndexPut.apply(self._inplace_source(), k, value))
