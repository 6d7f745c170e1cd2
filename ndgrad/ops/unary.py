"""Elementwise functions of one tensor, each with its derivative.

Float functions (exp, log, sin, sqrt, sigmoid, ...) of integer tensors return the default
float dtype, as in PyTorch; rounding functions keep integer tensors as they are.
"""
from __future__ import annotations

import math

from .. import dtypes
from ..autograd.function import Function
from ..dtypes import float_array, not_implemented
from ..tensor import Tensor
from ._checks import need_tensor
from .pointwise import where

__all__ = ["neg", "negative", "abs", "absolute", "sqrt", "rsqrt", "square", "exp", "exp2", "expm1", "log",
           "log1p", "log2", "log10", "sigmoid", "relu", "reciprocal",
           "sign", "floor", "ceil", "round", "trunc", "fix", "frac", "nan_to_num"]


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


class _LogBase(Function):
    """log_b(x);   d/dx = 1 / (x ln b)"""
    ufunc = "log"
    scale = 1.0

    @classmethod
    def forward(cls, ctx, x):
        ctx.save_for_backward(x)
        return getattr(x._xp, cls.ufunc)(float_array(x))

    @classmethod
    def backward(cls, ctx, g):
        (x,) = ctx.saved_tensors
        return g / (x * cls.scale) if cls.scale != 1.0 else g / x


class _PiecewiseConstant(Function):
    """A step function of x (sign, floor, ...): its derivative is 0 almost everywhere."""
    ufunc = ""

    @classmethod
    def forward(cls, ctx, x):
        if x.dtype is dtypes.bool:
            raise not_implemented(f"{cls.ufunc}_vml_cpu", x.dtype)
        if not x.dtype.is_floating_point and cls.ufunc != "sign":
            return x._data.copy(order="K")      # rounding an integer changes nothing
        return getattr(x._xp, cls.ufunc)(x._data)

    @staticmethod
    def backward(ctx, g):
        return g * 0


class Neg(Function):
    """−x;   d/dx = −1"""
    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, x):
        if x.dtype is dtypes.bool:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you "
                               "are trying to invert a mask, use the `~` or `logical_not()` operator "
                               "instead.")
        return -x._data

    @staticmethod
    def backward(ctx, g):
        return -g


def neg(input) -> Tensor:
    need_tensor("neg", input)
    return Neg.apply(input)


negative = neg


class Abs(Function):
    """|x|;   d/dx = sign(x)"""
    node_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, x):
        if x.dtype is dtypes.bool:
            raise not_implemented("abs_cpu", x.dtype)
        ctx.save_for_backward(x)
        return x._xp.abs(x._data)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.sign()


def abs(input) -> Tensor:
    need_tensor("abs", input)
    return Abs.apply(input)


absolute = abs


class Sqrt(OfY):
    """√x;   d/dx = 1 / (2√x)"""
    node_name, ufunc = "SqrtBackward0", "sqrt"

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g / (2 * y)


def sqrt(input) -> Tensor:
    """√x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("sqrt", input)
    return Sqrt.apply(input)


class Rsqrt(Function):
    """1/√x;   d/dx = −½ x^(−3/2) = −½ y³"""
    node_name = "RsqrtBackward0"

    @staticmethod
    def forward(ctx, x):
        out = 1 / x._xp.sqrt(float_array(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (-0.5 * y * y * y)


def rsqrt(input) -> Tensor:
    """1/√x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("rsqrt", input)
    return Rsqrt.apply(input)


def square(input) -> Tensor:
    """input ** 2 (integers stay integers; bools become int64)"""
    need_tensor("square", input)
    return input ** 2


class Exp(OfY):
    """eˣ;   d/dx = eˣ"""
    node_name, ufunc = "ExpBackward0", "exp"

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


def exp(input) -> Tensor:
    """eˣ, elementwise (integer inputs give the default float dtype)."""
    need_tensor("exp", input)
    return Exp.apply(input)


class Exp2(OfY):
    """2ˣ;   d/dx = 2ˣ · ln 2"""
    node_name, ufunc = "Exp2Backward0", "exp2"

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y * math.log(2.0)


def exp2(input) -> Tensor:
    """2ˣ, elementwise (integer inputs give the default float dtype)."""
    need_tensor("exp2", input)
    return Exp2.apply(input)


class Expm1(OfY):
    """eˣ − 1;   d/dx = eˣ = y + 1"""
    node_name, ufunc = "Expm1Backward0", "expm1"

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (y + 1)


def expm1(input) -> Tensor:
    """eˣ − 1, elementwise, accurate for small x (integer inputs give the default float dtype)."""
    need_tensor("expm1", input)
    return Expm1.apply(input)


class Log(_LogBase):
    """ln x;   d/dx = 1/x"""
    node_name = "LogBackward0"


def log(input) -> Tensor:
    """ln x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("log", input)
    return Log.apply(input)


class Log1p(Function):
    """ln(1 + x);   d/dx = 1/(1 + x)"""
    node_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._xp.log1p(float_array(x))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (x + 1)


def log1p(input) -> Tensor:
    """ln(1 + x), elementwise, accurate for small x (integer inputs give the default float dtype)."""
    need_tensor("log1p", input)
    return Log1p.apply(input)


class Log2(_LogBase):
    """log₂ x;   d/dx = 1/(x ln 2)"""
    node_name = "Log2Backward0"
    ufunc, scale = "log2", math.log(2.0)


def log2(input) -> Tensor:
    """log₂ x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("log2", input)
    return Log2.apply(input)


class Log10(_LogBase):
    """log₁₀ x;   d/dx = 1/(x ln 10)"""
    node_name = "Log10Backward0"
    ufunc, scale = "log10", math.log(10.0)


def log10(input) -> Tensor:
    """log₁₀ x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("log10", input)
    return Log10.apply(input)


class Sigmoid(Function):
    """σ(x) = 1/(1 + e⁻ˣ);   d/dx = σ(x)(1 − σ(x))"""
    node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        xp, a = x._xp, float_array(x)
        e = xp.exp(-xp.abs(a))          # never overflows: the exponent is ≤ 0
        out = xp.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (y * (1 - y))


def sigmoid(input) -> Tensor:
    """σ(x) = 1/(1 + e⁻ˣ), elementwise (integer inputs give the default float dtype)."""
    need_tensor("sigmoid", input)
    return Sigmoid.apply(input)


class Relu(Function):
    """max(x, 0);   d/dx = 1 where x > 0, else 0"""
    node_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, x):
        if x.dtype is dtypes.bool:
            raise RuntimeError("Boolean inputs not supported for relu")
        out = x._xp.maximum(x._data, 0).astype(x._data.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return where(y > 0, g, 0.0)


def relu(input) -> Tensor:
    """max(x, 0), elementwise, in input's dtype."""
    need_tensor("relu", input)
    return Relu.apply(input)


class Reciprocal(Function):
    """1/x;   d/dx = −1/x² = −y²"""
    node_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, x):
        out = 1 / float_array(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * -(y * y)


def reciprocal(input) -> Tensor:
    """1/x, elementwise (integer inputs give the default float dtype)."""
    need_tensor("reciprocal", input)
    return Reciprocal.apply(input)


class Sign(_PiecewiseConstant):
    """sign(x) ∈ {−1, 0, 1}"""
    node_name, ufunc = "SignBackward0", "sign"


def sign(input) -> Tensor:
    need_tensor("sign", input)
    if input.dtype is dtypes.bool:
        return input.clone()
    return Sign.apply(input)


class Floor(_PiecewiseConstant):
    """⌊x⌋"""
    node_name, ufunc = "FloorBackward0", "floor"


def floor(input) -> Tensor:
    """⌊x⌋, elementwise (integer tensors are returned as they are)."""
    need_tensor("floor", input)
    return Floor.apply(input)


class Ceil(_PiecewiseConstant):
    """⌈x⌉"""
    node_name, ufunc = "CeilBackward0", "ceil"


def ceil(input) -> Tensor:
    """⌈x⌉, elementwise (integer tensors are returned as they are)."""
    need_tensor("ceil", input)
    return Ceil.apply(input)


class Round(_PiecewiseConstant):
    """x rounded half to even (like PyTorch)"""
    node_name, ufunc = "RoundBackward0", "round"


class RoundDecimals(Function):
    """x rounded to ``decimals`` places (floating point only); piecewise constant: gradient 0"""
    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, x, decimals):
        if not x.dtype.is_floating_point:
            raise not_implemented("round_vml_cpu", x.dtype)
        return x._xp.round(x._data, decimals)

    @staticmethod
    def backward(ctx, g):
        return g * 0, None


def round(input, *, decimals=None) -> Tensor:
    """Round half to even; with ``decimals`` (even 0) PyTorch uses its other overload."""
    need_tensor("round", input)
    return Round.apply(input) if decimals is None else RoundDecimals.apply(input, decimals)


class Trunc(_PiecewiseConstant):
    """x rounded toward zero"""
    node_name, ufunc = "TruncBackward0", "trunc"


def trunc(input) -> Tensor:
    """x rounded toward zero, elementwise (integer tensors are returned as they are)."""
    need_tensor("trunc", input)
    return Trunc.apply(input)


fix = trunc


class Frac(Function):
    """x − trunc(x) (floating point only);   d/dx = 1"""
    node_name = "FracBackward0"

    @staticmethod
    def forward(ctx, x):
        if not x.dtype.is_floating_point:
            raise not_implemented("frac_cpu", x.dtype)
        return x._data - x._xp.trunc(x._data)

    @staticmethod
    def backward(ctx, g):
        return g


def frac(input) -> Tensor:
    """x − trunc(x), the fractional part, elementwise (floating point only)."""
    need_tensor("frac", input)
    return Frac.apply(input)


class NanToNum(Function):
    """x with nan, +inf, −inf replaced by numbers (default: 0 and the dtype's largest/lowest);
    d/dx = 1 where x is finite, 0 where it was replaced"""
    node_name = "NanToNumBackward0"

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        a, xp = x._data, x._xp
        if a.dtype.kind != "f":
            return a.copy(order="K")
        ctx.save_for_backward(x)
        return xp.nan_to_num(a, nan=0.0 if nan is None else nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return where(x.isfinite(), g, 0.0), None, None, None


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None) -> Tensor:
    """Replace nan by ``nan``, +inf by ``posinf`` and −inf by ``neginf`` (default: the dtype's
    largest and lowest finite values)."""
    need_tensor("nan_to_num", input)
    return NanToNum.apply(input, nan, posinf, neginf)
