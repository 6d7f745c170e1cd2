"""Comparisons (eq, ne, lt, le, gt, ge) and the bitwise/logical operators (&, |, ^, ~).

Their results are bool tensors, which never carry gradients.
"""
from __future__ import annotations

from ..autograd.function import Function
from ._common import Tensor, need_tensor, not_implemented, operands, tensor_method

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
           "not_equal", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not"]


class Compare(Function):
    """a ⋈ b elementwise, in the promoted dtype; a bool result (not differentiable)"""
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, ufunc):
        x, y, _ = operands(a, b)
        return getattr((a if isinstance(a, Tensor) else b)._xp, ufunc)(x, y)


class Bitwise(Function):
    """a & b, a | b, a ^ b on bool or integer tensors (not differentiable)"""
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, ufunc):
        x, y, dt = operands(a, b)
        if dt.is_floating_point:
            raise not_implemented(f"{ufunc}_cpu", dt)
        return getattr((a if isinstance(a, Tensor) else b)._xp, ufunc)(x, y)


class BitwiseNot(Function):
    """~x: logical not for bool, bitwise not for integers"""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.is_floating_point:
            raise not_implemented("bitwise_not_cpu", x.dtype)
        return x._xp.invert(x._data)


def _compare(name, ufunc, *aliases):
    def fn(input, other, *, out=None) -> Tensor:
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                            f"{type(input).__name__}")
        return Compare.apply(input, other, ufunc)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``input {ufunc} other`` as a bool tensor."
    tensor_method(name, *aliases)(fn)
    return fn


eq = _compare("eq", "equal", "__eq__")
ne = _compare("ne", "not_equal", "__ne__", "not_equal")
lt = _compare("lt", "less", "__lt__", "less")
le = _compare("le", "less_equal", "__le__", "less_equal")
gt = _compare("gt", "greater", "__gt__", "greater")
ge = _compare("ge", "greater_equal", "__ge__", "greater_equal")
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _bitwise(name, ufunc, *aliases):
    def fn(input, other, *, out=None) -> Tensor:
        return Bitwise.apply(input, other, ufunc)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{ufunc}`` of two bool/integer tensors."
    tensor_method(name, *aliases)(fn)
    return fn


bitwise_and = _bitwise("bitwise_and", "bitwise_and", "__and__", "__rand__")
bitwise_or = _bitwise("bitwise_or", "bitwise_or", "__or__", "__ror__")
bitwise_xor = _bitwise("bitwise_xor", "bitwise_xor", "__xor__", "__rxor__")


@tensor_method("bitwise_not")
def bitwise_not(input) -> Tensor:
    need_tensor("bitwise_not", input)
    return BitwiseNot.apply(input)


@tensor_method("__invert__")
def _invert(self) -> Tensor:
    if self.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return BitwiseNot.apply(self)


