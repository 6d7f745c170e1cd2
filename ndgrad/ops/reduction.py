"""Reductions: sum, mean, prod, max/min (with indices), amax/amin, argmax/argmin, std/var.

Each backward spreads the incoming gradient back over the reduced dims: the gradient of a
sum is broadcast, of a mean broadcast and divided by the count, of a max routed to the
position(s) of the maximum.
"""
from __future__ import annotations

import builtins
import collections
import warnings

from .. import dtypes
from ..autograd.function import Function
from ._common import Tensor, _dim, c_contiguous, need_tensor, norm_dims, tensor_method
from .pointwise import where
from .shape import Expand

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std", "var",
           "sum_to_size", "nonzero"]


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
        from ..tensor import _wrap
        return g * _wrap(others, x._device), None, None, None


class ProdAll(Prod):
    node_name = "ProdBackward0"


class MaxDim(Function):
    """max along one dim → (values, indices);   ∂/∂x = g at the index of the max, 0 elsewhere"""
    node_name = "MaxBackward0"
    pick = "max"

    @classmethod
    def forward(cls, ctx, x, dim, keepdim):
        a = x._data
        if a.ndim and a.shape[dim] == 0:
            raise IndexError(f"{cls.pick}(): Expected reduction dim {dim} to have non-zero size.")
        xp = x._xp
        arg = getattr(xp, "arg" + cls.pick)
        ctx.shape = a.shape
        if a.ndim == 0:
            return a.copy(), xp.zeros((), dtype="int64")
        idx = arg(a, axis=dim, keepdims=True)
        vals = xp.take_along_axis(a, idx, axis=dim)
        if not keepdim:
            idx, vals = idx.squeeze(dim), vals.squeeze(dim)
        ctx.shape, ctx.dim, ctx.keepdim, ctx.idx = a.shape, dim, keepdim, idx
        return c_contiguous(vals), c_contiguous(idx.astype("int64", copy=False))

    @staticmethod
    def backward(ctx, g, g_idx):
        if not ctx.shape:
            return g, None, None
        dims = (ctx.dim,)
        g = _unreduce(g, ctx.shape, dims, ctx.keepdim)
        idx = ctx.idx if ctx.keepdim else ctx.idx.reshape(_kept_shape(ctx.shape, dims))
        xp = g._xp
        positions = xp.arange(ctx.shape[ctx.dim]).reshape((-1,) + (1,) * (len(ctx.shape) - ctx.dim - 1))
        from ..tensor import _wrap
        hit = _wrap(positions == idx, g._device)
        return where(hit, g, 0.0), None, None


class MinDim(MaxDim):
    node_name = "MinBackward0"
    pick = "min"


class Amax(Function):
    """max over dims;   ∂/∂x = g shared evenly among the positions that equal the max"""
    node_name = "AmaxBackward0"
    pick = "max"

    @classmethod
    def forward(cls, ctx, x, dims, keepdim):
        a = x._data
        if a.size == 0 and (len(dims) == a.ndim or any(a.shape[d] == 0 for d in dims)):
            name = "max" if cls is MaxAll else "min" if cls is MinAll else "a" + cls.pick
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        out = c_contiguous(getattr(a, cls.pick)(axis=dims, keepdims=keepdim))
        ctx.save_for_backward(x, out)
        ctx.dims, ctx.keepdim = dims, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        shape, dims = x.shape, ctx.dims
        hit = x == _unreduce(out, shape, dims, ctx.keepdim)
        share = _unreduce(g, shape, dims, ctx.keepdim) / hit.sum(dims, keepdim=True)
        return where(hit, share, 0.0), None, None


class Amin(Amax):
    node_name = "AminBackward0"
    pick = "min"


class MaxAll(Amax):
    node_name = "MaxBackward1"


class MinAll(Amin):
    node_name = "MinBackward1"


class ArgMax(Function):
    """index of the max (int64; not differentiable)"""
    pick = "argmax"

    @classmethod
    def forward(cls, ctx, x, dim, keepdim):
        a = x._data
        if dim is not None:
            dim = _dim(dim, a.ndim)
        if a.size == 0 and (dim is None or a.shape[dim] == 0):
            raise IndexError(f"{cls.pick}(): Expected reduction dim to be specified for input.numel() == 0.")
        f = getattr(x._xp, cls.pick)
        if dim is None:
            out = f(a.reshape(-1))
            return out.reshape((1,) * a.ndim) if keepdim else out
        if a.ndim == 0:
            return f(a.reshape(-1))
        return c_contiguous(f(a, axis=dim, keepdims=keepdim))


class ArgMin(ArgMax):
    pick = "argmin"


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


# ---- public functions -------------------------------------------------------------------------

@tensor_method("sum")
def sum(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    """Sum of all elements, or over ``dim`` (an int or a tuple); ints and bools give int64."""
    if dim is None:
        return SumAll.apply(input, tuple(range(input.ndim)), False, dtype)
    return Sum.apply(input, _dims_or_all(dim, input.ndim), keepdim, dtype)


@tensor_method("mean")
def mean(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    """Mean of all elements, or over ``dim``; floating point only, as in PyTorch."""
    if dim is None:
        return MeanAll.apply(input, tuple(range(input.ndim)), False, dtype)
    return Mean.apply(input, _dims_or_all(dim, input.ndim), keepdim, dtype)


@tensor_method("prod")
def prod(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    """Product of all elements, or along one ``dim``."""
    if dim is None:
        return ProdAll.apply(input, tuple(range(input.ndim)), False, dtype)
    if isinstance(dim, (tuple, list)):
        raise TypeError("prod(): argument 'dim' must be int, not tuple")
    dims = norm_dims(dim, input.ndim)
    return Prod.apply(input, dims if input.ndim else (), keepdim, dtype)


ReturnTypes = {}


def _return_type(name):
    """PyTorch's named tuples of (values, indices), printed the same way."""
    if name not in ReturnTypes:
        cls = collections.namedtuple(name, ["values", "indices"])
        cls.__repr__ = lambda self: (f"ndgrad.return_types.{name}(\nvalues={self.values!r},\n"
                                     f"indices={self.indices!r})")
        cls.__module__ = "ndgrad.return_types"
        ReturnTypes[name] = cls
    return ReturnTypes[name]


def _max_min(input, dim, keepdim, other, name):
    if isinstance(dim, Tensor) and other is None:
        dim, other = None, dim
    if other is not None:
        from .pointwise import maximum, minimum
        return (maximum if name == "max" else minimum)(input, other)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        return (MaxAll if name == "max" else MinAll).apply(input, tuple(range(input.ndim)), False)
    d = _dim(dim, input.ndim) if input.ndim else (_dim(dim, 0) and 0)
    values, indices = (MaxDim if name == "max" else MinDim).apply(input, d, keepdim)
    return _return_type(name)(values, indices)


@tensor_method("max")
def max(input, dim=None, keepdim=False, *, other=None, out=None):
    """max of all elements; ``max(x, dim)`` → (values, indices); ``max(x, y)`` = maximum."""
    return _max_min(input, dim, keepdim, other, "max")


@tensor_method("min")
def min(input, dim=None, keepdim=False, *, other=None, out=None):
    """min of all elements; ``min(x, dim)`` → (values, indices); ``min(x, y)`` = minimum."""
    return _max_min(input, dim, keepdim, other, "min")


@tensor_method("amax")
def amax(input, dim=(), keepdim=False, *, out=None) -> Tensor:
    """max over ``dim`` (all dims by default); ties share the gradient."""
    return Amax.apply(input, _dims_or_all(dim, input.ndim), keepdim)


@tensor_method("amin")
def amin(input, dim=(), keepdim=False, *, out=None) -> Tensor:
    """min over ``dim`` (all dims by default); ties share the gradient."""
    return Amin.apply(input, _dims_or_all(dim, input.ndim), keepdim)


@tensor_method("argmax")
def argmax(input, dim=None, keepdim=False) -> Tensor:
    """Index of the first maximum (of the flattened tensor when ``dim`` is None)."""
    return ArgMax.apply(input, dim, keepdim)


@tensor_method("argmin")
def argmin(input, dim=None, keepdim=False) -> Tensor:
    """Index of the first minimum (of the flattened tensor when ``dim`` is None)."""
    return ArgMin.apply(input, dim, keepdim)


def _var_args(dim, unbiased, correction):
    if isinstance(dim, bool):              # std(x, unbiased)
        dim, unbiased = None, dim
    if correction is None:
        correction = 0 if unbiased is False else 1
    elif unbiased is not None:
        raise RuntimeError("std/var: pass either unbiased or correction, not both")
    return dim, correction


@tensor_method("var")
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None) -> Tensor:
    """Variance Σ(x − x̄)²/(N − correction); correction=1 (Bessel) by default."""
    dim, correction = _var_args(dim, unbiased, correction)
    return Var.apply(input, _dims_or_all(dim, input.ndim), correction, keepdim)


@tensor_method("std")
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None) -> Tensor:
    """Standard deviation √var; correction=1 (Bessel) by default."""
    dim, correction = _var_args(dim, unbiased, correction)
    return Std.apply(input, _dims_or_all(dim, input.ndim), correction, keepdim)


@tensor_method("sum_to_size")
def sum_to_size(input, *size) -> Tensor:
    """Sum ``input`` down to ``size`` (the inverse of broadcasting ``size`` up to input's shape)."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
    have = input._data.shape
    lead = len(have) - len(shape)
    if lead < 0 or any(s != 1 and s != h for s, h in zip(shape, have[lead:])):
        raise RuntimeError(f"size {list(shape)} is not expandable to size {list(have)}")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and have[lead + i] != 1)
    if not shape:
        return SumAll.apply(input, tuple(range(len(have))), False, None)
    if not dims:
        return input
    out = Sum.apply(input, dims, True, None)
    return out.reshape(shape) if lead else out


class Nonzero(Function):
    """indices of the non-zero elements, shape (n, ndim) (not differentiable)"""

    @staticmethod
    def forward(ctx, x):
        xp = x._xp
        if not x.ndim:
            return xp.zeros((int(x._data != 0), 0), "int64")
        return xp.stack(xp.nonzero(x._data)).T     # (ndim, n) transposed: PyTorch's layout


@tensor_method("nonzero")
def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one tensor per dim."""
    need_tensor("nonzero", input)
    if as_tuple:
        return nonzero_tuple(input)
    return Nonzero.apply(input)


def nonzero_tuple(input):
    idx = Nonzero.apply(input if input.ndim else input.reshape(1))
    return tuple(idx[:, i] for i in range(idx.shape[1]))

