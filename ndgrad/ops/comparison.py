"""Comparisons and tests: eq, ne, lt, le, gt, ge (==, !=, <, <=, >, >=), isnan/isinf/isfinite/
isposinf/isneginf, isclose, allclose, equal.

Their results are bool tensors (or, for allclose and equal, Python bools): no gradients.
"""
from __future__ import annotations

from .. import dtypes
from .._layout import broadcast_shapes
from ..autograd.function import Function
from ..dtypes import operands
from ..tensor import Tensor
from ._checks import need_tensor

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
           "not_equal", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "isclose", "allclose", "equal"]


class Compare(Function):
    """a ⋈ b elementwise, in the promoted dtype; a bool result (not differentiable)"""
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, ufunc):
        x, y, _ = operands(a, b)
        return getattr((a if isinstance(a, Tensor) else b)._xp, ufunc)(x, y)


def eq(input, other, *, out=None) -> Tensor:
    """Elementwise ``input == other`` as a bool tensor."""
    need_tensor("eq", input)
    return Compare.apply(input, other, "equal")


def ne(input, other, *, out=None) -> Tensor:
    """Elementwise ``input != other`` as a bool tensor."""
    need_tensor("ne", input)
    return Compare.apply(input, other, "not_equal")


not_equal = ne


def lt(input, other, *, out=None) -> Tensor:
    """Elementwise ``input < other`` as a bool tensor."""
    need_tensor("lt", input)
    return Compare.apply(input, other, "less")


less = lt


def le(input, other, *, out=None) -> Tensor:
    """Elementwise ``input <= other`` as a bool tensor."""
    need_tensor("le", input)
    return Compare.apply(input, other, "less_equal")


less_equal = le


def gt(input, other, *, out=None) -> Tensor:
    """Elementwise ``input > other`` as a bool tensor."""
    need_tensor("gt", input)
    return Compare.apply(input, other, "greater")


greater = gt


def ge(input, other, *, out=None) -> Tensor:
    """Elementwise ``input >= other`` as a bool tensor."""
    need_tensor("ge", input)
    return Compare.apply(input, other, "greater_equal")


greater_equal = ge


class Test(Function):
    """A bool test of each element: isnan, isinf, isfinite, isposinf, isneginf."""

    @staticmethod
    def forward(ctx, x, test):
        a, xp = x._data, x._xp
        if a.dtype.kind != "f":         # integers are never nan or infinite
            return xp.full_like(a, test == "isfinite", dtype=bool)
        if test == "isposinf":
            return xp.isposinf(a)
        if test == "isneginf":
            return xp.isneginf(a)
        return getattr(xp, test)(a)


def isnan(input) -> Tensor:
    """True where input is nan; a bool tensor (integers are never nan)."""
    need_tensor("isnan", input)
    return Test.apply(input, "isnan")


def isinf(input) -> Tensor:
    """True where input is +inf or −inf; a bool tensor (integers are never infinite)."""
    need_tensor("isinf", input)
    return Test.apply(input, "isinf")


def isfinite(input) -> Tensor:
    """True where input is neither nan nor infinite; a bool tensor (integers always are)."""
    need_tensor("isfinite", input)
    return Test.apply(input, "isfinite")


def isposinf(input) -> Tensor:
    """True where input is +inf; a bool tensor (integers never are)."""
    need_tensor("isposinf", input)
    return Test.apply(input, "isposinf")


def isneginf(input) -> Tensor:
    """True where input is −inf; a bool tensor (integers never are)."""
    need_tensor("isneginf", input)
    return Test.apply(input, "isneginf")


class IsClose(Function):
    """|a − b| ≤ atol + rtol·|b|, or a == b (so equal infinities are close), or both nan when
    ``equal_nan``. The arithmetic is PyTorch's, in the inputs' own dtype (bools as floats)."""
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, rtol, atol, equal_nan):
        if a.dtype is not b.dtype:
            raise RuntimeError(f"{a.dtype._legacy} did not match {b.dtype._legacy}")
        for name, tol in (("rtol", rtol), ("atol", atol)):
            if tol < 0:
                raise RuntimeError(f"{name} must be greater than or equal to zero, but got {tol}")
        x, y, xp = a._data, b._data, a._xp
        broadcast_shapes(x.shape, y.shape)
        close = x == y
        if equal_nan and x.dtype.kind == "f":
            close |= xp.isnan(x) & xp.isnan(y)
        if rtol == 0 and atol == 0:
            return close
        if x.dtype.kind == "b":
            f = dtypes.get_default_dtype().np
            x, y = x.astype(f), y.astype(f)
        work = x.dtype if x.dtype.kind == "f" else dtypes.get_default_dtype().np
        allowed = atol + xp.abs(rtol * y.astype(work, copy=False)).astype(work, copy=False)
        actual = xp.abs(x - y).astype(work, copy=False)       # integers wrap first, as in PyTorch
        return close | (xp.isfinite(actual) & (actual <= allowed))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    """Elementwise |input − other| ≤ atol + rtol·|other| (both tensors of one dtype)."""
    need_tensor("isclose", input)
    need_tensor("isclose", other, 2, "other")
    return IsClose.apply(input, other, rtol, atol, equal_nan)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """True when every element of input is close to other's (see isclose)."""
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input, other) -> bool:
    """True when both have the same shape and the same values (compared after promotion)."""
    need_tensor("equal", input)
    need_tensor("equal", other, 2, "other")
    if input.shape != other.shape:
        return False
    return bool((input == other).all())
