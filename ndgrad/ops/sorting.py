"""Order statistics: amax/amin, max/min (with indices), argmax/argmin, sort, argsort, msort,
topk, kthvalue, median, unique.

They pick values out of the input by their order, so their gradient puts the incoming
gradient back at the picked positions (zeros elsewhere; amax/amin share it among ties).
Ties keep the order of their first appearance (a stable sort), as PyTorch's CPU kernels do.
"""
from __future__ import annotations

import builtins
import collections

from .._layout import c_contiguous, laid_out_like
from ..autograd.function import Function
from ..dtypes import not_implemented
from ..tensor import Tensor, _dim, _wrap
from ._checks import indices_in_range, need_tensor
from .pointwise import maximum, minimum, where
from .reduction import _dims_or_all, _kept_shape, _unreduce

__all__ = ["amax", "amin", "max", "min", "argmax", "argmin", "sort", "argsort", "msort", "topk", "kthvalue",
           "median", "unique"]


def _d(input, dim):
    """``dim`` wrapped, a 0-d input counting as 1-d (sort, topk, kthvalue, median, unique)."""
    return _dim(dim, builtins.max(input.ndim, 1))


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


def amax(input, dim=(), keepdim=False, *, out=None) -> Tensor:
    """max over ``dim`` (all dims by default); ties share the gradient."""
    return Amax.apply(input, _dims_or_all(dim, input.ndim), keepdim)


class Amin(Amax):
    node_name = "AminBackward0"
    pick = "min"


def amin(input, dim=(), keepdim=False, *, out=None) -> Tensor:
    """min over ``dim`` (all dims by default); ties share the gradient."""
    return Amin.apply(input, _dims_or_all(dim, input.ndim), keepdim)


def _max_min(input, dim, keepdim, other, name, pairwise, all_cls, dim_cls):
    """max or min: of all elements (``all_cls``), along ``dim`` with indices (``dim_cls``), or
    elementwise against ``other`` (``pairwise``); an empty input raises in Amax.forward."""
    if isinstance(dim, Tensor) and other is None:
        dim, other = None, dim
    if other is not None:
        return pairwise(input, other)
    if dim is None:
        return all_cls.apply(input, tuple(range(input.ndim)), False)
    d = _dim(dim, input.ndim) if input.ndim else (_dim(dim, 0) and 0)
    values, indices = dim_cls.apply(input, d, keepdim)
    return _return_type(name)(values, indices)


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
        hit = _wrap(positions == idx, g._device)
        return where(hit, g, 0.0), None, None


class MaxAll(Amax):
    node_name = "MaxBackward1"


def max(input, dim=None, keepdim=False, *, other=None, out=None):
    """max of all elements; ``max(x, dim)`` → (values, indices); ``max(x, y)`` = maximum."""
    return _max_min(input, dim, keepdim, other, "max", maximum, MaxAll, MaxDim)


class MinDim(MaxDim):
    node_name = "MinBackward0"
    pick = "min"


class MinAll(Amin):
    node_name = "MinBackward1"


def min(input, dim=None, keepdim=False, *, other=None, out=None):
    """min of all elements; ``min(x, dim)`` → (values, indices); ``min(x, y)`` = minimum."""
    return _max_min(input, dim, keepdim, other, "min", minimum, MinAll, MinDim)


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


def argmax(input, dim=None, keepdim=False) -> Tensor:
    """Index of the first maximum (of the flattened tensor when ``dim`` is None)."""
    return ArgMax.apply(input, dim, keepdim)


class ArgMin(ArgMax):
    pick = "argmin"


def argmin(input, dim=None, keepdim=False) -> Tensor:
    """Index of the first minimum (of the flattened tensor when ``dim`` is None)."""
    return ArgMin.apply(input, dim, keepdim)


def _stable_order(xp, a, dim, descending):
    """Indices that sort ``a`` along dim, ties in first-appearance order, NaN counted largest."""
    if not descending:
        return xp.argsort(a, axis=dim, kind="stable")
    n = a.shape[dim]
    rev = xp.flip(a, dim)
    asc = xp.argsort(rev, axis=dim, kind="stable")       # ties: last appearance first
    return xp.flip(n - 1 - asc, dim)                       # reversed: descending, first appearance first


class _Picks(Function):
    """values picked out of x along dim at ``indices``;   ∂/∂x = zeros with g put back at indices"""

    @staticmethod
    def backward(ctx, g, g_idx):
        idx = ctx.idx
        if not ctx.keepdim and ctx.shape:
            g, idx = g.unsqueeze(ctx.dim), idx.unsqueeze(ctx.dim)
        zeros = _wrap(g._xp.zeros(ctx.shape, g._data.dtype), g._device)
        with indices_in_range():             # forward's sort positions
            return (zeros.scatter(ctx.dim, idx, g) if ctx.shape else g), *([None] * ctx.n_args)


class Sort(_Picks):
    node_name = "SortBackward0"

    @staticmethod
    def forward(ctx, x, dim, descending):
        a, xp = x._data, x._xp
        a1 = a.reshape(1) if a.ndim == 0 else a
        idx = _stable_order(xp, a1, dim, descending)
        vals = xp.take_along_axis(a1, idx, axis=dim)
        ctx.shape, ctx.dim, ctx.keepdim, ctx.n_args = a.shape, dim, True, 2
        # PyTorch's sort keeps its input's strides
        vals, idx = (laid_out_like(xp, a, vals.reshape(a.shape)),
                     laid_out_like(xp, a, idx.reshape(a.shape), idx.dtype))
        ctx.idx = _wrap(idx, x._device)
        return vals, idx


def sort(input, dim=-1, descending=False, stable=False, *, out=None):
    """(values, indices) sorted along dim; ties keep their order."""
    need_tensor("sort", input)
    if isinstance(dim, bool):       # sort(x, stable=...) keyword order of PyTorch's other overload
        dim, descending = -1, dim
    values, indices = Sort.apply(input, _d(input, dim), descending)
    return _return_type("sort")(values, indices)


def argsort(input, dim=-1, descending=False, stable=False) -> Tensor:
    """The indices that sort input along dim."""
    return sort(input, dim, descending)[1]


def msort(input) -> Tensor:
    """input sorted along dim 0."""
    need_tensor("msort", input)
    return sort(input, 0)[0]


class Topk(_Picks):
    node_name = "TopkBackward0"

    @staticmethod
    def forward(ctx, x, k, dim, largest):
        a, xp = x._data, x._xp
        a1 = a.reshape(1) if a.ndim == 0 else a
        if not 0 <= k <= a1.shape[dim]:
            raise RuntimeError("selected index k out of range")
        idx = _stable_order(xp, a1, dim, largest)
        idx = xp.take(idx, xp.arange(k), axis=dim)
        vals = xp.take_along_axis(a1, idx, axis=dim)
        ctx.shape, ctx.dim, ctx.keepdim, ctx.n_args = a.shape, dim, True, 3
        ctx.idx = _wrap(idx if a.ndim else idx.reshape(()), x._device)
        return c_contiguous(vals.reshape(ctx.idx.shape)), c_contiguous(idx.reshape(ctx.idx.shape))


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """(values, indices) of the k largest (or smallest) elements along dim, in order."""
    need_tensor("topk", input)
    values, indices = Topk.apply(input, k, _d(input, dim), largest)
    return _return_type("topk")(values, indices)


class Kthvalue(_Picks):
    """the k-th smallest value along dim (and its index)"""
    node_name = "KthvalueBackward0"

    @staticmethod
    def forward(ctx, x, k, dim, keepdim):
        a, xp = x._data, x._xp
        a1 = a.reshape(1) if a.ndim == 0 else a
        n = a1.shape[dim]
        if n == 0:
            raise IndexError(f"kthvalue(): Expected reduction dim {dim} to have non-zero size.")
        if not 1 <= k <= n:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {dim}")
        idx = xp.take(_stable_order(xp, a1, dim, False), [k - 1], axis=dim)
        vals = xp.take_along_axis(a1, idx, axis=dim)
        if not keepdim or not a.ndim:
            idx, vals = idx.squeeze(dim), vals.squeeze(dim)
        if not a.ndim:
            idx, vals = idx.reshape(()), vals.reshape(())
        ctx.shape, ctx.dim, ctx.keepdim, ctx.n_args = a.shape, dim, keepdim, 3
        ctx.idx = _wrap(idx, x._device)
        return c_contiguous(vals), c_contiguous(idx)


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """(values, indices) of the k-th smallest element along dim."""
    need_tensor("kthvalue", input)
    values, indices = Kthvalue.apply(input, k, _d(input, dim), keepdim)
    return _return_type("kthvalue")(values, indices)


class MedianDim(Kthvalue):
    """the lower median along dim: the ⌈n/2⌉-th smallest (NaN if the slice has a NaN)"""
    node_name = "MedianBackward1"

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        a, xp = x._data, x._xp
        n = (a.shape[dim] if a.ndim else 1)
        if n == 0:
            raise IndexError(f"median(): Expected reduction dim {dim} to have non-zero size.")
        vals, idx = Kthvalue.forward(ctx, x, (n + 1) // 2, dim, keepdim)
        ctx.n_args = 2
        a1 = a.reshape(1) if a.ndim == 0 else a
        nan = xp.isnan(a1) if a.dtype.kind == "f" else None
        if nan is not None and nan.any():       # a NaN wins: PyTorch returns the first NaN
            has = nan.any(axis=dim, keepdims=keepdim or not a.ndim)
            first = xp.argmax(nan, axis=dim)
            first = first.reshape(has.shape) if has.shape != first.shape else first
            idx = xp.where(has, first, idx.reshape(has.shape)).reshape(idx.shape)
            vals = xp.where(has, xp.nan, vals.reshape(has.shape)).astype(a.dtype).reshape(vals.shape)
            ctx.idx = _wrap(idx, x._device)
        return c_contiguous(vals), c_contiguous(idx)


class Median(Function):
    """the lower median of all elements;   ∂/∂x = g shared evenly by the elements equal to it"""
    node_name = "MedianBackward0"

    @staticmethod
    def forward(ctx, x):
        flat = x.reshape(-1)
        if flat._data.size == 0:
            return x._xp.asarray(x._xp.nan, dtype=x._data.dtype)
        vals, _ = MedianDim.forward(ctx, flat, 0, False)
        ctx.save_for_backward(x, vals)
        return vals

    @staticmethod
    def backward(ctx, g):
        x, m = ctx.saved_tensors
        hit = (x == m) | (x.isnan() & m.isnan())
        return g * hit / hit.sum()


def median(input, dim=None, keepdim=False, *, out=None):
    """The lower median of all elements, or (values, indices) along dim."""
    need_tensor("median", input)
    if input.dtype.name == "bool":
        raise not_implemented("median_cpu", input.dtype)
    if dim is None:
        return Median.apply(input)
    values, indices = MedianDim.apply(input, _d(input, dim), keepdim)
    return _return_type("median")(values, indices)


class Unique(Function):
    """the distinct values, sorted (not differentiable)"""

    @staticmethod
    def forward(ctx, x, return_inverse, return_counts, dim):
        a, xp = x._data, x._xp
        if dim is None:
            vals, inv, counts = xp.unique(a.reshape(-1), return_inverse=True, return_counts=True)
            inv = inv.reshape(a.shape)
        else:
            vals, inv, counts = xp.unique(a, return_inverse=True, return_counts=True, axis=dim)
            inv = inv.reshape(-1)
        return c_contiguous(vals), inv.astype("int64"), counts.astype("int64")


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The sorted distinct values; with return_inverse, where each element went; with
    return_counts, how often each value occurs."""
    need_tensor("unique", input)
    d = None if dim is None else _d(input, dim)
    vals, inv, counts = Unique.apply(input, return_inverse, return_counts, d)
    extra = ([inv] if return_inverse else []) + ([counts] if return_counts else [])
    return (vals, *extra) if extra else vals
