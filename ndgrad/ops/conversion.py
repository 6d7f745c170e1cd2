"""Copies and conversions: ``clone``, ``contiguous``, ``to``, ``type``, ``float()``..., ``cpu()``,
``cuda()``, and the legacy type objects (``ndgrad.FloatTensor``, ...) that ``.type()`` accepts."""
from __future__ import annotations

from .. import backend, dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _wrap
from ._checks import need_tensor

__all__ = ["clone", "contiguous"]


class Clone(Function):
    """a copy with its own memory;   ∂/∂x = g"""
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x._data.copy(order="K")      # keeps the input's layout, like PyTorch's clone

    @staticmethod
    def backward(ctx, g):
        return g


def clone(input, *, memory_format=None) -> Tensor:
    """A copy with its own memory, still connected to the graph."""
    need_tensor("clone", input)
    return Clone.apply(input)


class Contiguous(Clone):
    """a C-contiguous copy;   ∂/∂x = g"""
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x._data.copy(order="C")


def contiguous(input, *, memory_format=None) -> Tensor:
    """self if already C-contiguous, else a contiguous copy."""
    return input if input._data.flags.c_contiguous else Contiguous.apply(input)


def _parse_to(args, kwargs):
    dtype, dev = kwargs.get("dtype"), kwargs.get("device")
    for a in args:
        if isinstance(a, dtypes.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype, dev = a.dtype, a.device
        elif a is None or isinstance(a, bool):
            continue                     # to(None) changes nothing; a bool is non_blocking
        elif isinstance(a, (str, backend.device, int)):
            dev = a
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got {type(a).__name__}")
    return dtype, dev


class ToCopy(Function):
    """x cast to another dtype and/or copied to another device;   ∂/∂x = g cast/moved back"""
    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype, device):
        ctx.dtype, ctx.device = x.dtype, x._device
        arr = x._data
        if device != x._device:
            arr = backend.transfer(arr, device)
        if arr.dtype != dtype.np:
            arr = arr.astype(dtype.np)
        elif arr is x._data:
            arr = arr.copy()
        return _wrap(arr, device)

    @staticmethod
    def backward(ctx, g):
        return g.to(ctx.device, ctx.dtype), None, None


def to(self, *args, **kwargs) -> Tensor:
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``: self if nothing changes."""
    dtype, dev = _parse_to(args, kwargs)
    dev = backend.canonical(dev) if dev is not None else self._device
    dtype = dtype or self.dtype
    if dev == self._device and dtype is self.dtype and not kwargs.get("copy", False):
        return self
    return ToCopy.apply(self, dtype, dev)


def cpu(self) -> Tensor:
    return to(self, backend.CPU)


def cuda(self, device=None, non_blocking=False) -> Tensor:
    return to(self, backend.device("cuda", device) if isinstance(device, int) else (device or "cuda"))


def _cast(dt):
    def method(self, memory_format=None) -> Tensor:
        return to(self, dt)
    method.__doc__ = f"``self.to({dt!r})``"
    return method


class LegacyTensorType:
    """``ndgrad.FloatTensor`` and friends: accepted by ``.type()``, callable, usable in isinstance."""

    def __init__(self, name, dtype):
        self.__name__, self.dtype = name, dtype

    def __call__(self, *args, device=None):
        return Tensor(*args, device=device).to(self.dtype)

    def __instancecheck__(self, obj):
        return isinstance(obj, Tensor) and obj.dtype is self.dtype and obj._device.type == "cpu"

    def __repr__(self):
        return f"<class 'ndgrad.{self.__name__}'>"


LEGACY_TYPES = {name: LegacyTensorType(name, dt) for name, dt in (
    ("FloatTensor", dtypes.float32), ("DoubleTensor", dtypes.float64),
    ("HalfTensor", dtypes.float16), ("IntTensor", dtypes.int32), ("LongTensor", dtypes.int64),
    ("ShortTensor", dtypes.int16), ("CharTensor", dtypes.int8), ("ByteTensor", dtypes.uint8),
    ("BoolTensor", dtypes.bool))}
_BY_DTYPE = {t.dtype: name for name, t in LEGACY_TYPES.items()}


def type_(self, dtype=None, non_blocking=False, **kwargs):
    """No argument: the type name ('ndgrad.FloatTensor'); otherwise convert to that type."""
    if dtype is None:
        prefix = "ndgrad." if self._device.type == "cpu" else "ndgrad.cuda."
        return prefix + _BY_DTYPE[self.dtype]
    if isinstance(dtype, str):
        name = dtype.rsplit(".", 1)[-1]
        if name not in LEGACY_TYPES:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = LEGACY_TYPES[name]
    if isinstance(dtype, LegacyTensorType):
        dtype = dtype.dtype
    return to(self, dtype)


def type_as(self, other) -> Tensor:
    return to(self, other.dtype)
