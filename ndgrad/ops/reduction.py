"""Reductions: sum (and sum_to_size, the sum that undoes broadcasting), mean, prod, var/std,
logsumexp, norm, the truth reductions all/any and count_nonzero. (max/min and the other order
statistics are in sorting.py.)

Each backward spreads the incoming gradient back over the reduced dims: the gradient of a
sum is broadcast, of a mean broadcast and divided by the count.

    logsumexp:  y = m + log Σ e^(x − m)  ∂/∂x = g · e^(x − y)   (m = max x: nothing overflows)
"""
from __future__ import annotations

import builtins
import math
import warnings

from .. import dtypes
from .._layout import c_contiguous
from ..autograd.function import Function
from ..dtypes import float_array
from ..tensor import Tensor, _wrap
from ._checks import need_tensor, norm_dims
from .pointwise import where
from .shape import Expand

__all__ = ["sum", "sum_to_size", "mean", "prod", "var", "std", "logsumexp", "norm", "all", "any",
           "count_nonzero"]


def _kept_shape(shape, dims):
    """The result shape with keepdim=True: reduced dims become 1."""
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _unreduce(g: Tensor, shape, dims, keepdim) -> Tensor:
    """The gradient of a reduced result, reshaped so that it broadcasts against the input."""
    return g if keepdim else g.reshape(_kept_shape(shape, dims))


def _count(shape, dims) -> int:
    n = 1
    for d in dims:
        n *= shape[d]
    return n


def _mean(a, dims, keepdim, acc):
    """Σ/N; an empty slice gives nan silently (NumPy's own mean would warn)."""
    return a.sum(axis=dims, keepdims=keepdim, dtype=acc) / _count(a.shape, dims)


def _dims_or_all(dim, ndim):
    """Reduced dims; an empty list means all; a 0-d tensor accepts dim 0/-1 and has none."""
    dims = norm_dims(dim, ndim)
    if ndim == 0:
        return ()
    return dims if dims else tuple(range(ndim))


class Sum(Function):
    """Σ over dims;   ∂/∂x = 1: the gradient is broadcast back over the summed dims"""
    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        a = x._data
        out_dt = dtype or (x.dtype if x.dtype.is_floating_point else dtypes.int64)
        acc = "float32" if out_dt is dtypes.float16 else out_dt.np     # accumulate halves in float32
        ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        return c_contiguous(a.sum(axis=dims, keepdims=keepdim, dtype=acc).astype(out_dt.np, copy=False))

    @staticmethod
    def backward(ctx, g):
        return _unreduce(g, ctx.shape, ctx.dims, ctx.keepdim).expand(ctx.shape), None, None, None


class SumAll(Sum):
    """Σ of every element;   ∂/∂x = 1: the 0-d gradient is broadcast to x's shape"""
    node_name = "SumBackward0"

    @staticmethod
    def backward(ctx, g):
        return Expand.apply(g, ctx.shape), None, None, None


def sum(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    """Sum of all elements, or over ``dim`` (an int or a tuple); ints and bools give int64."""
    if dim is None:
        return SumAll.apply(input, tuple(range(input.ndim)), False, dtype)
    return Sum.apply(input, _dims_or_all(dim, input.ndim), keepdim, dtype)


def sum_to_size(input, *size) -> Tensor:
    """Sum ``input`` down to ``size`` (the inverse of broadcasting ``size`` up to input's shape)."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
    have = input._data.shape
    lead = len(have) - len(shape)
    if lead < 0 or builtins.any(s != 1 and s != h for s, h in zip(shape, have[lead:])):
        raise RuntimeError(f"size {list(shape)} is not expandable to size {list(have)}")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and have[lead + i] != 1)
    if not shape:
        return SumAll.apply(input, tuple(range(len(have))), False, None)
    if not dims:
        return input
    out = Sum.apply(input, dims, True, None)
    return out.reshape(shape) if lead else out


class Mean(Function):
    """(1/N) Σ over dims;   ∂/∂x = 1/N"""
    node_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        dt = dtype or x.dtype
        if not dt.is_floating_point:
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                               f"floating point or complex dtype. Got: {dt._legacy}")
        acc = "float32" if dt is dtypes.float16 else dt.np
        ctx.shape, ctx.dims, ctx.keepdim = x._data.shape, dims, keepdim
        return c_contiguous(_mean(x._data, dims, keepdim, acc).astype(dt.np, copy=False))

    @staticmethod
    def backward(ctx, g):
        n = _count(ctx.shape, ctx.dims)
        return _unreduce(g, ctx.shape, ctx.dims, ctx.keepdim).expand(ctx.shape) / n, None, None, None


class MeanAll(Mean):
    node_name = "MeanBackward0"


def mean(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    """Mean of all elements, or over ``dim``; floating point only, as in PyTorch."""
    if dim is None:
        return MeanAll.apply(input, tuple(range(input.ndim)), False, dtype)
    return Mean.apply(input, _dims_or_all(dim, input.ndim), keepdim, dtype)


class Prod(Function):
    """Π over a dim;   ∂/∂xᵢ = Π_{j≠i} xⱼ (= out/xᵢ when xᵢ ≠ 0)"""
    node_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        out_dt = dtype or (x.dtype if x.dtype.is_floating_point else dtypes.int64)
        out = c_contiguous(x._data.prod(axis=dims, keepdims=keepdim, dtype=out_dt.np))
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        dims, shape = ctx.dims, x.shape
        g = _unreduce(g, shape, dims, ctx.keepdim)
        xp, a = x._xp, x._data
        if not (a == 0).any():
            return g * (Prod.apply(x, dims, True, None) / x), None, None, None
        # With zeros, out/x is 0/0: multiply the products of the elements before and after
        # each position instead (exclusive cumulative products along the reduced dims).
        flat_dims = dims
        moved = xp.moveaxis(a, flat_dims, tuple(range(a.ndim - len(dims), a.ndim)))
        lead = moved.shape[:a.ndim - len(dims)]
        m = moved.reshape(lead + (-1,))
        ones = xp.ones(lead + (1,), a.dtype)
        before = xp.cumprod(xp.concatenate([ones, m[..., :-1]], axis=-1), axis=-1)
        after = xp.flip(xp.cumprod(xp.concatenate([ones, xp.flip(m, -1)[..., :-1]], axis=-1), axis=-1), -1)
        others = (before * after).reshape(moved.shape)
        others = xp.moveaxis(others, tuple(range(a.ndim - len(dims), a.ndim)), flat_dims)
        return g * _wrap(others, x._device), None, None, None


class ProdAll(Prod):
    node_name = "ProdBackward0"


def prod(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    """Product of all elements, or along one ``dim``."""
    if dim is None:
        return ProdAll.apply(input, tuple(range(input.ndim)), False, dtype)
    if isinstance(dim, (tuple, list)):
        raise TypeError("prod(): argument 'dim' must be int, not tuple")
    dims = norm_dims(dim, input.ndim)
    return Prod.apply(input, dims if input.ndim else (), keepdim, dtype)


def _variance(x, dims, correction, keepdim, name):
    """Σ(x − x̄)² / max(0, N − correction), accumulated in float32 for halves (PyTorch's rule)."""
    if not x.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    a = x._data
    work = a.astype("float32") if a.dtype.itemsize == 2 else a
    n = _count(a.shape, dims) - correction
    if n <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than "
                      "the reduction factor (input numel divided by output numel).", stacklevel=5)
    # Shift by one element of each reduced slice first: a constant slice then gives exactly
    # 0 (as PyTorch's Welford algorithm does), and cancellation is smaller in general.
    pivot = work[tuple(slice(0, 1) if i in dims else slice(None) for i in range(work.ndim))]
    shifted = work - pivot
    centered = shifted - _mean(shifted, dims, True, shifted.dtype)
    return c_contiguous((centered * centered).sum(axis=dims, keepdims=keepdim) / builtins.max(n, 0))


def _var_args(dim, unbiased, correction):
    if isinstance(dim, bool):              # std(x, unbiased)
        dim, unbiased = None, dim
    if correction is None:
        correction = 0 if unbiased is False else 1
    elif unbiased is not None:
        raise RuntimeError("std/var: pass either unbiased or correction, not both")
    return dim, correction


class Var(Function):
    """Σ(x − x̄)² / (N − correction);   ∂/∂x = 2(x − x̄) / (N − correction)"""
    node_name = "VarBackward0"

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim):
        out = _variance(x, dims, correction, keepdim, "var")
        ctx.save_for_backward(x)
        ctx.dims, ctx.correction, ctx.keepdim = dims, correction, keepdim
        return out.astype(x._data.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        n = builtins.max(_count(x.shape, ctx.dims) - ctx.correction, 0)
        centered = x - x.mean(ctx.dims, keepdim=True)
        return _unreduce(g, x.shape, ctx.dims, ctx.keepdim) * centered * 2.0 / n, None, None, None


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None) -> Tensor:
    """Variance Σ(x − x̄)²/(N − correction); correction=1 (Bessel) by default."""
    dim, correction = _var_args(dim, unbiased, correction)
    return Var.apply(input, _dims_or_all(dim, input.ndim), correction, keepdim)


class Std(Function):
    """√var;   ∂/∂x = (x − x̄) / ((N − correction)·std)"""
    node_name = "StdBackward0"

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim):
        out = x._xp.sqrt(_variance(x, dims, correction, keepdim, "std")).astype(x._data.dtype, copy=False)
        ctx.save_for_backward(x, out)
        ctx.dims, ctx.correction, ctx.keepdim = dims, correction, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        n = builtins.max(_count(x.shape, ctx.dims) - ctx.correction, 0)
        centered = x - x.mean(ctx.dims, keepdim=True)
        out = _unreduce(out, x.shape, ctx.dims, ctx.keepdim)
        # PyTorch zeroes the gradient where std == 0 (instead of 0/0)
        g = where(out == 0, 0.0, _unreduce(g, x.shape, ctx.dims, ctx.keepdim) / out)
        return g * centered / n, None, None, None


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None) -> Tensor:
    """Standard deviation √var; correction=1 (Bessel) by default."""
    dim, correction = _var_args(dim, unbiased, correction)
    return Std.apply(input, _dims_or_all(dim, input.ndim), correction, keepdim)


class Logsumexp(Function):
    """log Σ eˣ over dims;   ∂/∂x = g · e^(x − y)"""
    node_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        a, xp = float_array(x), x._xp
        if a.size == 0:
            out = xp.full(_kept_shape(a.shape, dims), -math.inf, a.dtype)
        else:
            m = a.max(axis=dims, keepdims=True)
            m = xp.where(xp.isfinite(m), m, 0)          # all −inf (or an inf) slices: no shift
            out = xp.log(xp.exp(a - m).sum(axis=dims, keepdims=True)) + m
        out = out if keepdim else out.reshape([s for i, s in enumerate(a.shape) if i not in dims])
        out = c_contiguous(out.astype(a.dtype, copy=False))
        ctx.save_for_backward(x, out)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        g, y = (_unreduce(t, x.shape, ctx.dims, ctx.keepdim) for t in (g, y))
        return g * (x - y).exp(), None, None


def logsumexp(input, dim, keepdim=False, *, out=None) -> Tensor:
    """log(Σ exp(input)) over dim, without overflow (integers give the default float)."""
    need_tensor("logsumexp", input)
    return Logsumexp.apply(input, _dims_or_all(dim, input.ndim), keepdim)


class Norm(Function):
    """‖x‖_p over dims: (Σ|x|ᵖ)^(1/p); p = inf: max|x|; p = 0: the count of non-zeros;
    ∂/∂x = g · sign(x)·|x|^(p−1) / ‖x‖^(p−1)  (p = 2: g·x/‖x‖;  p = inf: g·sign(x) shared by the maxima)"""
    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        if not x.dtype.is_floating_point:
            raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                               f"Got {x.dtype._legacy}")
        a, xp = x._data, x._xp
        work = a.astype("float32") if a.dtype.itemsize == 2 else a
        ab = xp.abs(work)
        if p == math.inf or p == -math.inf:
            if a.size == 0 and (not dims or builtins.any(a.shape[d] == 0 for d in dims)):
                raise RuntimeError("linalg.vector_norm cannot compute the inf norm on an empty tensor "
                                   "because the operation does not have an identity")
            out = (ab.max if p > 0 else ab.min)(axis=dims, keepdims=keepdim)
        elif p == 0:
            out = (ab != 0).sum(axis=dims, keepdims=keepdim).astype(work.dtype)
        elif p == 1:
            out = ab.sum(axis=dims, keepdims=keepdim)
        elif p == 2:
            out = xp.sqrt((ab * ab).sum(axis=dims, keepdims=keepdim))
        else:
            out = (ab ** p).sum(axis=dims, keepdims=keepdim) ** (1.0 / p)
        out = c_contiguous(xp.asarray(out).astype(a.dtype, copy=False))
        ctx.save_for_backward(x, out)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        p = ctx.p
        g, y = (_unreduce(t, x.shape, ctx.dims, ctx.keepdim) for t in (g, y))
        if p == 0:
            return x * 0, None, None, None
        if p == 1:
            return g * x.sign(), None, None, None
        if p == 2:
            return where(y == 0, 0.0, g / y) * x, None, None, None
        if p == math.inf or p == -math.inf:
            hit = x.abs() == y
            return g * x.sign() * hit / hit.sum(ctx.dims, keepdim=True), None, None, None
        scale = where(y == 0, 0.0, g / y ** (p - 1))
        return scale * x.sign() * x.abs() ** (p - 1), None, None, None


def norm(input, p="fro", dim=None, keepdim=False, dtype=None) -> Tensor:
    """The vector p-norm over dim (all elements by default); 'fro' is the 2-norm."""
    need_tensor("norm", input)
    if p == "fro" and isinstance(dim, (tuple, list)) and len(dim) > 2:
        # PyTorch sends 'fro' over more than two dims to matrix_norm, which refuses them
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    if p == "fro" or p is None:
        p = 2
    if isinstance(p, str):
        raise RuntimeError(f"ndgrad: norm(p={p!r}) is not supported (only numbers, inf and 'fro')")
    out = Norm.apply(input, float(p), _dims_or_all(dim, input.ndim), keepdim)
    return out if dtype is None else out.to(dtype)


class Truth(Function):
    """all / any over dims: bool, or uint8 for a uint8 input (PyTorch's legacy rule)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, reduce):
        a = x._data
        out = getattr(a != 0, reduce)(axis=dims, keepdims=keepdim)
        return c_contiguous(out.astype("uint8") if a.dtype.name == "uint8" else out)


def all(input, dim=None, keepdim=False, *, out=None) -> Tensor:
    """Whether all elements are non-zero, over all dims or ``dim`` (an int or a tuple)."""
    need_tensor("all", input)
    dims = norm_dims(dim, input.ndim) if input.ndim else norm_dims(dim, 0) and ()   # dim=(): none
    return Truth.apply(input, dims, keepdim and dim is not None, "all")


def any(input, dim=None, keepdim=False, *, out=None) -> Tensor:
    """Whether any element is non-zero, over all dims or ``dim`` (an int or a tuple)."""
    need_tensor("any", input)
    dims = norm_dims(dim, input.ndim) if input.ndim else norm_dims(dim, 0) and ()   # dim=(): none
    return Truth.apply(input, dims, keepdim and dim is not None, "any")


class CountNonzero(Function):
    """the number of non-zero elements over dims (int64)."""

    @staticmethod
    def forward(ctx, x, dims):
        return c_contiguous((x._data != 0).sum(axis=dims, dtype="int64"))


def count_nonzero(input, dim=None) -> Tensor:
    """The number of non-zero elements, over all dims or ``dim`` (an int or a tuple)."""
    need_tensor("count_nonzero", input)
    return CountNonzero.apply(input, _dims_or_all(dim, input.ndim))     # dim=() counts everything
