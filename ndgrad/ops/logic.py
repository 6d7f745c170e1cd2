"""Logic on truth values and bits: logical_and/or/xor/not, bitwise_and/or/xor/not (&, |, ^, ~).

Their results are bool (or integer, for bitwise ops on integers) and carry no gradient.
"""
from __future__ import annotations

from .._layout import broadcast_shapes
from ..autograd.function import Function
from ..dtypes import not_implemented, operands
from ..tensor import Tensor
from ._checks import need_tensor

__all__ = ["logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or",
           "bitwise_xor", "bitwise_not"]


class Logical(Function):
    """logical and/or/xor of the truth values (non-zero = True) of two tensors."""
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, ufunc):
        broadcast_shapes(a._data.shape, b._data.shape)
        return getattr(a._xp, ufunc)(a._data != 0, b._data != 0)


def logical_and(input, other, *, out=None) -> Tensor:
    """Elementwise ``input and other`` of the truth values (non-zero is True); a bool tensor."""
    need_tensor("logical_and", input)
    need_tensor("logical_and", other, 2, "other")
    return Logical.apply(input, other, "logical_and")


def logical_or(input, other, *, out=None) -> Tensor:
    """Elementwise ``input or other`` of the truth values (non-zero is True); a bool tensor."""
    need_tensor("logical_or", input)
    need_tensor("logical_or", other, 2, "other")
    return Logical.apply(input, other, "logical_or")


def logical_xor(input, other, *, out=None) -> Tensor:
    """Elementwise ``input xor other`` of the truth values (non-zero is True); a bool tensor."""
    need_tensor("logical_xor", input)
    need_tensor("logical_xor", other, 2, "other")
    return Logical.apply(input, other, "logical_xor")


class LogicalNot(Function):
    """True where x is zero."""

    @staticmethod
    def forward(ctx, x):
        return x._data == 0


def logical_not(input, *, out=None) -> Tensor:
    """True where input is zero (False, 0 or 0.0)."""
    need_tensor("logical_not", input)
    return LogicalNot.apply(input)


class Bitwise(Function):
    """a & b, a | b, a ^ b on bool or integer tensors (not differentiable)"""
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, ufunc):
        x, y, dt = operands(a, b)
        if dt.is_floating_point:
            raise not_implemented(f"{ufunc}_cpu", dt)
        return getattr((a if isinstance(a, Tensor) else b)._xp, ufunc)(x, y)


def bitwise_and(input, other, *, out=None) -> Tensor:
    """Elementwise ``input & other`` of bool or integer tensors."""
    return Bitwise.apply(input, other, "bitwise_and")


def bitwise_or(input, other, *, out=None) -> Tensor:
    """Elementwise ``input | other`` of bool or integer tensors."""
    return Bitwise.apply(input, other, "bitwise_or")


def bitwise_xor(input, other, *, out=None) -> Tensor:
    """Elementwise ``input ^ other`` of bool or integer tensors."""
    return Bitwise.apply(input, other, "bitwise_xor")


class BitwiseNot(Function):
    """~x: logical not for bool, bitwise not for integers"""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.is_floating_point:
            raise not_implemented("bitwise_not_cpu", x.dtype)
        return x._xp.invert(x._data)


def bitwise_not(input) -> Tensor:
    need_tensor("bitwise_not", input)
    return BitwiseNot.apply(input)


def _invert(self) -> Tensor:
    if self.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return BitwiseNot.apply(self)
