"""Division: true division (div, /), rounded division (floor_divide, //, rounding_mode), and the
two remainders, which differ in sign for negative operands:

    remainder(a, b) = a − ⌊a/b⌋·b      (sign of b, Python's %:   -7 % 3 = 2)
    fmod(a, b)      = a − trunc(a/b)·b  (sign of a, C's fmod:    fmod(-7, 3) = -1)

Integer division by zero raises PyTorch's RuntimeError("ZeroDivisionError").
"""
from __future__ import annotations

from .. import dtypes
from ..autograd.function import Function, no_derivative
from ..dtypes import not_implemented, operand, operands
from ..tensor import Tensor
from ._checks import need_tensor

__all__ = ["true_divide", "div", "divide", "floor_divide", "remainder", "fmod"]

_UNSET = object()      # PyTorch names the node differently when rounding_mode is passed at all


def _check_int_divisor(xp, y, dt, kernel):
    if dt is dtypes.bool:
        raise not_implemented(kernel, dt)
    if not dt.is_floating_point and (xp.asarray(y) == 0).any():
        raise RuntimeError("ZeroDivisionError")


class Div(Function):
    """a / b (true division: integers give floats);   ∂/∂a = 1/b,  ∂/∂b = −a/b²"""
    node_name = "DivBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = operands(a, b)
        if not dt.is_floating_point:
            f = dtypes.get_default_dtype()
            x, y = operand(a, f), operand(b, f)
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None,
                              b if isinstance(b, Tensor) else None)
        ctx.b = b
        return x / y

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        b = b if b is not None else ctx.b
        ga = g / b if ctx.needs_input_grad[0] else None
        gb = -g * a / (b * b) if a is not None else None
        return ga, gb


def true_divide(input, other, *, out=None) -> Tensor:
    need_tensor("true_divide", input)
    return Div.apply(input, other)


def _rtruediv(self, other) -> Tensor:
    """``2 / x`` is ``x.reciprocal() * 2``, as in PyTorch"""
    return self.reciprocal() * other


class DivScalar(Div):
    """a / number inside a PyTorch composite (its ``div.Scalar`` overload), e.g. a loss's mean"""
    node_name = "DivBackward1"


class DivMode(Div):
    """a / b called with a ``rounding_mode`` argument of None: true division"""
    node_name = "DivBackward2"


class DivRounding(Function):
    """a / b rounded ("trunc" or "floor"); piecewise constant, so the gradient is zero."""
    node_name = "DivBackward2"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, mode):
        x, y, dt = operands(a, b)
        xp = (a if isinstance(a, Tensor) else b)._xp
        _check_int_divisor(xp, y, dt, f"div_{mode}_cpu")
        if dt.is_floating_point:
            return xp.floor_divide(x, y) if mode == "floor" else xp.trunc(x / y)
        if mode == "floor":
            return xp.floor_divide(x, y)
        q = xp.floor_divide(x, y)
        # trunc rounds toward zero: fix the quotients floor pushed down
        return q + ((x % y != 0) & ((x < 0) != (xp.asarray(y) < 0))).astype(q.dtype)

    @staticmethod
    def backward(ctx, g):
        return g * 0, g * 0, None


def div(input, other, *, rounding_mode=_UNSET, out=None) -> Tensor:
    """input / other; ``rounding_mode`` None (true division), "trunc" or "floor"."""
    need_tensor("div", input)
    if rounding_mode is _UNSET:
        return Div.apply(input, other)
    if rounding_mode is None:
        return DivMode.apply(input, other)
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                           f"found '{rounding_mode}'")
    return DivRounding.apply(input, other, rounding_mode)


divide = div


FloorDivide = no_derivative(DivRounding, "NotImplemented",
                            RuntimeError("derivative for aten::floor_divide is not implemented"))


def floor_divide(input, other, *, out=None) -> Tensor:
    """⌊input / other⌋ (the ``//`` operator)."""
    need_tensor("floor_divide", input)
    return FloorDivide.apply(input, other, "floor")


def _rfloordiv(self, other) -> Tensor:
    return FloorDivide.apply(other, self, "floor")


class Remainder(Function):
    """a − ⌊a/b⌋·b (sign of b);   ∂/∂a = 1,  ∂/∂b = −⌊a/b⌋"""
    node_name = "RemainderBackward1"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = operands(a, b)
        xp = (a if isinstance(a, Tensor) else b)._xp
        _check_int_divisor(xp, y, dt, "remainder_cpu")
        if isinstance(a, Tensor) and isinstance(b, Tensor):
            ctx.save_for_backward(a, b)
        if not dt.is_floating_point:
            return xp.remainder(x, y)
        # PyTorch's float formula (keeps fmod's signed zeros, unlike NumPy's remainder)
        m = xp.fmod(x, y)
        return xp.where((m != 0) & ((m < 0) != (xp.asarray(y) < 0)), m + y, m).astype(dt.np, copy=False)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        gb = -g * a.div(b, rounding_mode="floor") if ctx.needs_input_grad[1] else None
        return g, gb


RemainderOfNumber = no_derivative(Remainder, "NotImplemented",        # remainder(number, tensor)
                                  RuntimeError("derivative for aten::remainder is not implemented"))


class RemainderScalar(Remainder):
    """a − ⌊a/s⌋·s for a number s;   ∂/∂a = 1"""
    node_name = "RemainderBackward0"

    @staticmethod
    def backward(ctx, g):
        return g, None


def remainder(input, other, *, out=None) -> Tensor:
    """input − ⌊input/other⌋·other: the result has the sign of ``other`` (Python's ``%``)."""
    if not isinstance(input, Tensor):
        need_tensor("remainder", other, 2, "other")
        return RemainderOfNumber.apply(input, other)
    return (Remainder if isinstance(other, Tensor) else RemainderScalar).apply(input, other)


def _rmod(self, other) -> Tensor:
    return RemainderOfNumber.apply(other, self)


class Fmod(Function):
    """a − trunc(a/b)·b (sign of a);   ∂/∂a = 1,  ∂/∂b = −trunc(a/b)"""
    node_name = "FmodBackward1"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = operands(a, b)
        xp = a._xp
        _check_int_divisor(xp, y, dt, "fmod_cpu")
        if isinstance(b, Tensor):
            ctx.save_for_backward(a, b)
        return xp.fmod(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        gb = -g * a.div(b, rounding_mode="trunc") if ctx.needs_input_grad[1] else None
        return g, gb


class FmodScalar(Fmod):
    """a − trunc(a/s)·s for a number s;   ∂/∂a = 1"""
    node_name = "FmodBackward0"

    @staticmethod
    def backward(ctx, g):
        return g, None


def fmod(input, other, *, out=None) -> Tensor:
    """input − trunc(input/other)·other: the result has the sign of ``input`` (C's ``fmod``)."""
    need_tensor("fmod", input)
    return (Fmod if isinstance(other, Tensor) else FmodScalar).apply(input, other)
