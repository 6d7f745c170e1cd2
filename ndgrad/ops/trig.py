"""Trigonometric and hyperbolic functions and their inverses, with atan2 and hypot.

Integer and bool inputs give the default float dtype, as in PyTorch.
"""
from __future__ import annotations

from ..autograd.function import Function, no_derivative
from ..dtypes import float_operands
from ..tensor import Tensor
from ._checks import need_tensor
from .pointwise import where
from .unary import OfX, OfY

__all__ = ["sin", "cos", "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan", "sinh", "cosh",
           "tanh", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "atan2", "arctan2",
           "hypot"]


class Sin(OfX):
    """sin x;   d/dx = cos x"""
    node_name, ufunc = "SinBackward0", "sin"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.cos()


def sin(input) -> Tensor:
    """sin x, elementwise, x in radians (integer inputs give the default float dtype)."""
    need_tensor("sin", input)
    return Sin.apply(input)


class Cos(OfX):
    """cos x;   d/dx = −sin x"""
    node_name, ufunc = "CosBackward0", "cos"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * -x.sin()


def cos(input) -> Tensor:
    """cos x, elementwise, x in radians (integer inputs give the default float dtype)."""
    need_tensor("cos", input)
    return Cos.apply(input)


class Tan(OfY):
    """tan x;   d/dx = 1 + tan² x"""
    node_name, ufunc = "TanBackward0", "tan"

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (1 + y * y)


def tan(input) -> Tensor:
    """tan x, elementwise, x in radians (integer inputs give the default float dtype)."""
    need_tensor("tan", input)
    return Tan.apply(input)


class Asin(OfX):
    """arcsin x;   d/dx = 1/√(1 − x²)"""
    node_name, ufunc = "AsinBackward0", "arcsin"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (1 - x * x).rsqrt()


def asin(input) -> Tensor:
    """arcsin x in radians, elementwise (NaN outside [−1, 1]; integers give the default float dtype)."""
    need_tensor("asin", input)
    return Asin.apply(input)


arcsin = asin


class Acos(OfX):
    """arccos x;   d/dx = −1/√(1 − x²)"""
    node_name, ufunc = "AcosBackward0", "arccos"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * -(1 - x * x).rsqrt()


def acos(input) -> Tensor:
    """arccos x in radians, elementwise (NaN outside [−1, 1]; integers give the default float dtype)."""
    need_tensor("acos", input)
    return Acos.apply(input)


arccos = acos


class Atan(OfX):
    """arctan x;   d/dx = 1/(1 + x²)"""
    node_name, ufunc = "AtanBackward0", "arctan"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (x * x + 1)


def atan(input) -> Tensor:
    """arctan x in radians, elementwise (integer inputs give the default float dtype)."""
    need_tensor("atan", input)
    return Atan.apply(input)


arctan = atan


class Sinh(OfX):
    """sinh x;   d/dx = cosh x"""
    node_name, ufunc = "SinhBackward0", "sinh"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.cosh()


def sinh(input) -> Tensor:
    """sinh x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("sinh", input)
    return Sinh.apply(input)


class Cosh(OfX):
    """cosh x;   d/dx = sinh x"""
    node_name, ufunc = "CoshBackward0", "cosh"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.sinh()


def cosh(input) -> Tensor:
    """cosh x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("cosh", input)
    return Cosh.apply(input)


class Tanh(OfY):
    """tanh x;   d/dx = 1 − tanh² x"""
    node_name, ufunc = "TanhBackward0", "tanh"

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (1 - y * y)


def tanh(input) -> Tensor:
    """tanh x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("tanh", input)
    return Tanh.apply(input)


class Asinh(OfX):
    """arsinh x;   d/dx = 1/√(x² + 1)"""
    node_name, ufunc = "AsinhBackward0", "arcsinh"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x * x + 1).rsqrt()


def asinh(input) -> Tensor:
    """arsinh x, the inverse of sinh, elementwise (integers give the default float dtype)."""
    need_tensor("asinh", input)
    return Asinh.apply(input)


arcsinh = asinh


# PyTorch records x.asinh_() (and acosh_, atanh_ below) under a node of its own that has no derivative
_AsinhInplace = no_derivative(Asinh, "AsinhBackward1", NotImplementedError(
    "the derivative for 'inplace version of asinh' is not implemented."))


def _asinh_inplace(input) -> Tensor:
    """``x.asinh_()``, recorded under AsinhBackward1 (no derivative)."""
    return _AsinhInplace.apply(input)


class Acosh(OfX):
    """arcosh x;   d/dx = 1/√(x² − 1)"""
    node_name, ufunc = "AcoshBackward0", "arccosh"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x * x - 1).rsqrt()


def acosh(input) -> Tensor:
    """arcosh x, the inverse of cosh, elementwise (NaN below 1; integers give the default float dtype)."""
    need_tensor("acosh", input)
    return Acosh.apply(input)


arccosh = acosh


_AcoshInplace = no_derivative(Acosh, "AcoshBackward1", NotImplementedError(
    "the derivative for 'inplace version of acosh' is not implemented."))


def _acosh_inplace(input) -> Tensor:
    """``x.acosh_()``, recorded under AcoshBackward1 (no derivative)."""
    return _AcoshInplace.apply(input)


class Atanh(OfX):
    """artanh x;   d/dx = 1/(1 − x²)"""
    node_name, ufunc = "AtanhBackward0", "arctanh"

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (1 - x * x)


def atanh(input) -> Tensor:
    """artanh x, the inverse of tanh, elementwise (NaN outside [−1, 1]; integers: default float dtype)."""
    need_tensor("atanh", input)
    return Atanh.apply(input)


arctanh = atanh


_AtanhInplace = no_derivative(Atanh, "AtanhBackward1", NotImplementedError(
    "the derivative for 'inplace version of atanh' is not implemented."))


def _atanh_inplace(input) -> Tensor:
    """``x.atanh_()``, recorded under AtanhBackward1 (no derivative)."""
    return _AtanhInplace.apply(input)


class Atan2(Function):
    """atan2(a, b), the angle of the point (b, a);   ∂/∂a = b/(a² + b²),  ∂/∂b = −a/(a² + b²)"""
    node_name = "Atan2Backward0"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        x, y, _ = float_operands(a, b)
        ctx.save_for_backward(a, b)
        return a._xp.arctan2(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        r2 = a * a + b * b
        scale = where(r2 == 0, 0.0, g / r2)          # PyTorch's gradient at the origin is 0
        return scale * b, scale * -a


def atan2(input, other, *, out=None) -> Tensor:
    """The angle of the point (other, input) in (−π, π]; both arguments are tensors."""
    need_tensor("atan2", input)
    need_tensor("atan2", other, 2, "other")
    return Atan2.apply(input, other)


arctan2 = atan2


class Hypot(Function):
    """√(a² + b²) (floating point only);   ∂/∂a = a/h,  ∂/∂b = b/h"""
    node_name = "HypotBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        x, y, _ = float_operands(a, b, "hypot_cpu")
        out = a._xp.hypot(x, y)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, h = ctx.saved_tensors
        return g * a / h, g * b / h


def hypot(input, other, *, out=None) -> Tensor:
    """√(input² + other²) without overflow for large inputs."""
    need_tensor("hypot", input)
    need_tensor("hypot", other, 2, "other")
    return Hypot.apply(input, other)
