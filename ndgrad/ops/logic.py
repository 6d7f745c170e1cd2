"""Tests and logic: isnan/isinf/isfinite, the logical_* functions, closeness (isclose,
allclose, equal) and the truth reductions all, any, count_nonzero.

Their results are bool (or integer counts) and carry no gradient.
"""
from __future__ import annotations

from .. import dtypes
from ..autograd.function import Function
from ._common import Tensor, broadcast_shapes, c_contiguous, inplace_methods, need_tensor, norm_dims, tensor_method
from .reduction import _dims_or_all

__all__ = ["isnan", "isinf", "isfinite", "isposinf", "isneginf", "logical_and", "logical_or",
           "logical_xor", "logical_not", "isclose", "allclose", "equal", "all", "any",
           "count_nonzero"]


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


class Logical(Function):
    """logical and/or/xor of the truth values (non-zero = True) of two tensors."""
    elementwise = True

    @staticmethod
    def forward(ctx, a, b, ufunc):
        broadcast_shapes(a._data.shape, b._data.shape)
        return getattr(a._xp, ufunc)(a._data != 0, b._data != 0)


class LogicalNot(Function):
    """True where x is zero."""

    @staticmethod
    def forward(ctx, x):
        return x._data == 0


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


class Truth(Function):
    """all / any over dims: bool, or uint8 for a uint8 input (PyTorch's legacy rule)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, reduce):
        a = x._data
        out = getattr(a != 0, reduce)(axis=dims, keepdims=keepdim)
        return c_contiguous(out.astype("uint8") if a.dtype.name == "uint8" else out)


class CountNonzero(Function):
    """the number of non-zero elements over dims (int64)."""

    @staticmethod
    def forward(ctx, x, dims):
        return c_contiguous((x._data != 0).sum(axis=dims, dtype="int64"))


def _test(name):
    def fn(input) -> Tensor:
        need_tensor(name, input)
        return Test.apply(input, name)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` as a bool tensor (integers: never nan or infinite)."
    tensor_method(name)(fn)
    return fn


isnan, isinf, isfinite, isposinf, isneginf = map(_test, ("isnan", "isinf", "isfinite", "isposinf", "isneginf"))


def _logical(name):
    def fn(input, other, *, out=None) -> Tensor:
        need_tensor(name, input)
        need_tensor(name, other, 2, "other")
        return Logical.apply(input, other, name)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` of the truth values (non-zero is True); a bool tensor."
    tensor_method(name)(fn)
    return fn


logical_and, logical_or, logical_xor = map(_logical, ("logical_and", "logical_or", "logical_xor"))


@tensor_method("logical_not")
def logical_not(input, *, out=None) -> Tensor:
    """True where input is zero (False, 0 or 0.0)."""
    need_tensor("logical_not", input)
    return LogicalNot.apply(input)


@tensor_method("isclose")
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    """Elementwise |input − other| ≤ atol + rtol·|other| (both tensors of one dtype)."""
    need_tensor("isclose", input)
    need_tensor("isclose", other, 2, "other")
    return IsClose.apply(input, other, rtol, atol, equal_nan)


@tensor_method("allclose")
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """True when every element of input is close to other's (see isclose)."""
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


@tensor_method("equal")
def equal(input, other) -> bool:
    """True when both have the same shape and the same values (compared after promotion)."""
    need_tensor("equal", input)
    need_tensor("equal", other, 2, "other")
    if input.shape != other.shape:
        return False
    return bool((input == other).all())


def _truth(name):
    def fn(input, dim=None, keepdim=False, *, out=None) -> Tensor:
        need_tensor(name, input)
        dims = norm_dims(dim, input.ndim) if input.ndim else norm_dims(dim, 0) and ()   # dim=(): none
        return Truth.apply(input, dims, keepdim and dim is not None, name)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Whether {name} element is non-zero, over all dims or ``dim`` (an int or a tuple)."
    tensor_method(name)(fn)
    return fn


all, any = _truth("all"), _truth("any")


@tensor_method("count_nonzero")
def count_nonzero(input, dim=None) -> Tensor:
    """The number of non-zero elements, over all dims or ``dim`` (an int or a tuple)."""
    need_tensor("count_nonzero", input)
    return CountNonzero.apply(input, _dims_or_all(dim, input.ndim))     # dim=() counts everything


inplace_methods(globals(), "logical_and", "logical_or", "logical_xor", "logical_not")
