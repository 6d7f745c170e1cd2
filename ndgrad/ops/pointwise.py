"""Binary arithmetic with broadcasting and PyTorch's type promotion: add, sub, mul, pow,
minimum, maximum, where, clamp.

Backward returns gradients of the broadcast shape; the engine sums them back down to each
input's shape, so the formulas below read exactly as the math.
"""
from __future__ import annotations

import math

from .. import backend, dtypes
from .._layout import broadcast_shapes, c_contiguous
from ..autograd.function import Function
from ..dtypes import not_implemented, operand, operands
from ..tensor import Tensor
from ._checks import need_tensor

__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "pow", "minimum", "maximum", "where",
           "clamp", "clip", "lerp"]


def _scaled(y, alpha, dt):
    """alpha·y in dtype dt, with PyTorch's rules for alpha."""
    if isinstance(alpha, float) and not dt.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if isinstance(alpha, bool) and dt is not dtypes.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if alpha == 1:
        return y
    if dt is dtypes.bool:
        return y & bool(alpha)
    r = y * operand(alpha, dt)
    return operand(r, dt) if isinstance(r, int) else r      # a Python int product wraps too


class Add(Function):
    """a + alpha·b;   ∂/∂a = 1,  ∂/∂b = alpha"""
    node_name = "AddBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, alpha):
        x, y, dt = operands(a, b)
        ctx.alpha = alpha
        y = _scaled(y, alpha, dt)
        return x + y if dt is not dtypes.bool else x | y

    @staticmethod
    def backward(ctx, g):
        return g, (g if ctx.alpha == 1 else g * ctx.alpha), None


def add(input, other, *, alpha=1, out=None) -> Tensor:
    """input + alpha * other"""
    need_tensor("add", input)
    return Add.apply(input, other, alpha)


class Sub(Function):
    """a − alpha·b;   ∂/∂a = 1,  ∂/∂b = −alpha"""
    node_name = "SubBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, alpha):
        bools = sum(isinstance(t, bool) or isinstance(t, Tensor) and t.dtype is dtypes.bool for t in (a, b))
        if bools == 2:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        if bools:
            raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If "
                               "you are trying to invert a mask, use the `~` or `logical_not()` operator "
                               "instead.")
        x, y, dt = operands(a, b)
        ctx.alpha = alpha
        return x - _scaled(y, alpha, dt)

    @staticmethod
    def backward(ctx, g):
        return g, -g if ctx.alpha == 1 else g * -ctx.alpha, None


def sub(input, other, *, alpha=1, out=None) -> Tensor:
    """input - alpha * other"""
    need_tensor("sub", input)
    return Sub.apply(input, other, alpha)


subtract = sub


class Rsub(Sub):
    """b − alpha·a (``torch.rsub(x, y)``)"""
    node_name = "RsubBackward0"

    @staticmethod
    def layout_operands(args):
        a, b, _ = args
        return [t._data for t in (b, a) if isinstance(t, Tensor)]     # PyTorch computes b - a

    @staticmethod
    def forward(ctx, a, b, alpha):
        return Sub.forward(ctx, b, a, alpha)

    @staticmethod
    def backward(ctx, g):
        gb, ga, _ = Sub.backward(ctx, g)
        return ga, gb, None


class RsubScalar(Rsub):
    """number − alpha·a (``2 - x``)"""
    node_name = "RsubBackward1"


def rsub(input, other, *, alpha=1) -> Tensor:
    """other - alpha * input"""
    need_tensor("rsub", input)
    return (Rsub if isinstance(other, Tensor) else RsubScalar).apply(input, other, alpha)


def _rsub_method(self, other) -> Tensor:
    return rsub(self, other)


class Mul(Function):
    """a·b;   ∂/∂a = b,  ∂/∂b = a"""
    node_name = "MulBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = operands(a, b)
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a and isinstance(b, Tensor) else None)
        ctx.b = b
        return x * y if dt is not dtypes.bool else x & y

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return (g * (b if b is not None else ctx.b) if ctx.needs_input_grad[0] else None,
                g * a if a is not None else None)


def mul(input, other, *, out=None) -> Tensor:
    """input * other (elementwise, broadcasting)"""
    need_tensor("mul", input)
    return Mul.apply(input, other)


multiply = mul


def _int_pow(xp, x, y):
    """Integer x**y where y may be negative: 1/x^k truncates to 0 unless x is ±1."""
    neg = y < 0
    if not neg.any():
        return x ** y
    pos = x ** xp.where(neg, 0, y)
    odd = (y % 2) != 0
    small = xp.where(x == 1, 1, xp.where(x == -1, xp.where(odd, -1, 1), 0)).astype(pos.dtype)
    return xp.where(neg, small, pos)


class PowScalar(Function):
    """x ** p (p a number);   ∂/∂x = p·x^(p−1)"""
    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, x, p):
        a, e, dt = operands(x, p)
        if not dt.is_floating_point and isinstance(p, int) and p < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        ctx.save_for_backward(x)
        ctx.p = p
        return a ** e

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        p = ctx.p
        if p == 0:
            return g * 0, None
        return g * (p * x ** (p - 1)), None


class PowTensor(Function):
    """a ** b (both tensors);   ∂/∂a = b·a^(b−1),  ∂/∂b = a^b·ln a  (0 where a = 0, b ≥ 0)"""
    node_name = "PowBackward1"
    elementwise = True

    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = operands(a, b)
        out = _int_pow(a._xp, x, y) if not dt.is_floating_point else x ** y
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        ga = g * b * a ** (b - 1) if ctx.needs_input_grad[0] else None
        gb = None
        if ctx.needs_input_grad[1]:
            gb = where((a == 0) & (b >= 0), 0.0, g * out * a.log())
        return ga, gb


class PowScalarBase(Function):
    """s ** b (s a number);   ∂/∂b = s^b·ln s"""
    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, s, b):
        x, y, dt = operands(s, b)
        base = b._xp.asarray(x, dtype=dt.np)
        out = _int_pow(b._xp, base, y) if not dt.is_floating_point else base ** y
        out = c_contiguous(out)                 # PyTorch's pow(number, tensor) is always contiguous
        ctx.save_for_backward(b, out)
        ctx.s = s
        return out

    @staticmethod
    def backward(ctx, g):
        b, out = ctx.saved_tensors
        if ctx.s == 0:
            return None, where(b >= 0, 0.0, g * out * float("-inf"))
        return None, g * out * math.log(ctx.s)


def pow(input, exponent, *, out=None) -> Tensor:
    """input ** exponent; either may be a number."""
    if not isinstance(input, Tensor):
        return PowScalarBase.apply(input, exponent)
    if isinstance(exponent, Tensor):
        return PowTensor.apply(input, exponent)
    return PowScalar.apply(input, exponent)


def _rpow(self, other) -> Tensor:
    return pow(other, self)


class Minimum(Function):
    """min(a, b) elementwise;   the gradient goes to the smaller input (split evenly on ties)"""
    node_name = "MinimumBackward0"
    elementwise = True
    pick = "minimum"

    @classmethod
    def forward(cls, ctx, a, b):
        x, y, dt = operands(a, b)
        ctx.save_for_backward(a, b)
        return getattr(a._xp, cls.pick)(x, y)

    @classmethod
    def backward(cls, ctx, g):
        a, b = ctx.saved_tensors
        a_wins = a < b if cls.pick == "minimum" else a > b
        tie = a == b
        ga = where(a_wins, g, where(tie, g / 2, 0.0))
        gb = where(a_wins, 0.0, where(tie, g / 2, g))
        return ga, gb


def minimum(input, other, *, out=None) -> Tensor:
    need_tensor("minimum", other, 2, "other")
    return Minimum.apply(input, other)


class Maximum(Minimum):
    """max(a, b) elementwise;   the gradient goes to the larger input (split evenly on ties)"""
    node_name = "MaximumBackward0"
    pick = "maximum"


def maximum(input, other, *, out=None) -> Tensor:
    need_tensor("maximum", other, 2, "other")
    return Maximum.apply(input, other)


class Where(Function):
    """cond ? a : b;   ∂/∂a = cond,  ∂/∂b = ¬cond"""
    node_name = "WhereBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, cond, a, b):
        if cond.dtype is not dtypes.bool:
            raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                               f"with dtype {cond.dtype._legacy}")
        broadcast_shapes(*[t.shape for t in (cond, a, b) if isinstance(t, Tensor)])
        x, y, dt = operands(a, b)
        ctx.save_for_backward(cond)
        xp = cond._xp
        # numbers as 0-d arrays of the result dtype: NumPy's where would compute in float64
        return backend.select(cond._data, xp.asarray(x, dtype=dt.np), xp.asarray(y, dtype=dt.np))

    @staticmethod
    def backward(ctx, g):
        (cond,) = ctx.saved_tensors
        n = ctx.needs_input_grad
        return (None, where(cond, g, 0.0) if n[1] else None, where(cond, 0.0, g) if n[2] else None)


def where(condition, input=None, other=None, *, out=None):
    """condition ? input : other (either may be a number); ``where(cond)`` lists the True indices."""
    if input is None and other is None:
        from .selection import nonzero_tuple  # selection.py imports where from here
        return nonzero_tuple(condition)
    return Where.apply(condition, input, other)


def _where_method(self, condition, other):
    return Where.apply(condition, self, other)


class Clamp(Function):
    """min(max(x, lo), hi);   ∂/∂x = 1 where lo ≤ x ≤ hi, else 0 (∂/∂lo, ∂/∂hi where they win)"""
    node_name = "ClampBackward1"
    elementwise = True

    @staticmethod
    def forward(ctx, x, lo, hi):
        ops = [o for o in (x, lo, hi) if o is not None]
        dt = dtypes.result_type(*ops)
        xp = x._xp
        a = x._data.astype(dt.np, copy=False)
        ctx.save_for_backward(x, lo if isinstance(lo, Tensor) else None,
                              hi if isinstance(hi, Tensor) else None)
        ctx.lo, ctx.hi = lo, hi
        if lo is not None:
            a = xp.maximum(a, operand(lo, dt)).astype(dt.np, copy=False)
        if hi is not None:
            a = xp.minimum(a, operand(hi, dt)).astype(dt.np, copy=False)
        return a

    @staticmethod
    def backward(ctx, g):
        x, lo_t, hi_t = ctx.saved_tensors
        lo = lo_t if lo_t is not None else ctx.lo
        hi = hi_t if hi_t is not None else ctx.hi
        inside = None
        if lo is not None:
            inside = x >= lo
        if hi is not None:
            inside = (x <= hi) if inside is None else inside & (x <= hi)
        gx = where(inside, g, 0.0)
        glo = ghi = None
        # when lo > hi the result is hi everywhere, so hi gets the gradient
        if lo_t is not None and ctx.needs_input_grad[1]:
            below = x < lo_t if hi is None else (x < lo_t) & (lo_t < hi)
            glo = where(below, g, 0.0)
        if hi_t is not None and ctx.needs_input_grad[2]:
            above = x > hi_t if lo is None else (x > hi_t) | (hi_t < lo)
            ghi = where(above, g, 0.0)
        return gx, glo, ghi


class ClampTensor(Clamp):
    node_name = "ClampBackward0"


def clamp(input, min=None, max=None, *, out=None) -> Tensor:
    """Limit input to [min, max]; either bound may be None, a number or a tensor."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return ClampTensor.apply(input, min, max)
    return Clamp.apply(input, min, max)


clip = clamp


class Lerp(Function):
    """start + w·(end − start);   ∂/∂start = 1 − w,  ∂/∂end = w,  ∂/∂w = end − start"""
    node_name = "LerpBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, start, end, weight):
        for name, t in (("end", end), ("weight", weight)):
            if isinstance(t, Tensor) and t.dtype is not start.dtype:
                raise RuntimeError(f"expected dtype {start.dtype.name} for `{name}` "
                                   f"but got dtype {t.dtype.name}")
        if not start.dtype.is_floating_point:
            raise not_implemented("lerp_kernel_scalar", start.dtype)
        broadcast_shapes(*[t._data.shape for t in (start, end, weight) if isinstance(t, Tensor)])
        xp, out_dtype = start._xp, start._data.dtype
        # float16 computes in float32 and rounds once, as PyTorch's kernels do (its "opmath")
        work = "float32" if out_dtype.itemsize == 2 else out_dtype
        a, b = start._data.astype(work, copy=False), end._data.astype(work, copy=False)
        w = weight._data.astype(work, copy=False) if isinstance(weight, Tensor) else weight
        ctx.save_for_backward(start, end, weight if isinstance(weight, Tensor) else None)
        ctx.weight = weight
        # PyTorch's formula: exact at both ends (w = 0 gives start, w = 1 gives end)
        return xp.where(xp.abs(w) < 0.5, a + w * (b - a), b - (b - a) * (1 - w)).astype(out_dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        start, end, w_t = ctx.saved_tensors
        w = w_t if w_t is not None else ctx.weight
        n = ctx.needs_input_grad
        return (g * (1 - w) if n[0] else None, g * w if n[1] else None,
                g * (end - start) if w_t is not None and n[2] else None)


class LerpTensor(Lerp):
    node_name = "LerpBackward1"


def lerp(input, end, weight, *, out=None) -> Tensor:
    """input + weight·(end − input): linear interpolation (weight a number or a tensor)."""
    need_tensor("lerp", input)
    need_tensor("lerp", end, 2, "end")
    return (LerpTensor if isinstance(weight, Tensor) else Lerp).apply(input, end, weight)
