"""Cumulative sums and products, log-sum-exp and vector norms.

    cumsum:     yᵢ = Σ_{j≤i} xⱼ          ∂/∂xⱼ = Σ_{i≥j} gᵢ  (a reversed cumsum of g)
    logsumexp:  y = m + log Σ e^(x − m)  ∂/∂x = g · e^(x − y)   (m = max x: nothing overflows)
"""
from __future__ import annotations

import math

from .. import dtypes
from ..autograd.function import Function
from ..tensor import _wrap
from ._common import (Tensor, _dim, c_contiguous, float_array, inplace_method, need_tensor, not_implemented,
                      tensor_method)
from .join import cat
from .pointwise import where
from .reduction import _dims_or_all, _kept_shape, _unreduce

__all__ = ["cumsum", "cumprod", "logsumexp", "norm"]


def _out_dtype(x, dtype):
    return dtype or (x.dtype if x.dtype.is_floating_point else dtypes.int64)


class Cumsum(Function):
    """running sums along dim;   ∂/∂x = g summed from the end (flip, cumsum, flip)"""
    node_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, x, dim, dtype):
        a = x._data.reshape(1) if x.ndim == 0 else x._data
        ctx.dim = dim
        return c_contiguous(a.cumsum(axis=dim, dtype=_out_dtype(x, dtype).np).reshape(x._data.shape))

    @staticmethod
    def backward(ctx, g):
        d = ctx.dim if g.ndim else ()
        return (g.flip(d).cumsum(ctx.dim).flip(d) if g.ndim else g), None, None


class Cumprod(Function):
    """running products along dim;   ∂/∂xⱼ = Σ_{i≥j} gᵢ·yᵢ/xⱼ, or, where x has zeros,
    Σ_{i≥j} gᵢ · Π_{k≤i, k≠j} xₖ (built from exclusive products)"""
    node_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, x, dim, dtype):
        a = x._data.reshape(1) if x.ndim == 0 else x._data
        out = c_contiguous(a.cumprod(axis=dim, dtype=_out_dtype(x, dtype).np).reshape(x._data.shape))
        ctx.save_for_backward(x, out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        if not x.ndim:
            return g, None, None
        d = ctx.dim
        if not (x._data == 0).any():
            return (g * y).flip(d).cumsum(d).flip(d) / x, None, None
        # P[j, i] = Π_{j<k≤i} xₖ: a cumprod of x with the entries k ≤ j set to 1
        xl, gl = x.movedim(d, -1), g.movedim(d, -1)
        n, xp, dev = xl.shape[-1], x._xp, x._device
        r = xp.arange(n)
        p = where(_wrap(r[None, :] > r[:, None], dev), xl.unsqueeze(-2).expand(*xl.shape[:-1], n, n), 1.0).cumprod(-1)
        ones = _wrap(xp.ones(xl.shape[:-1] + (1,), xl._data.dtype), dev)
        before = cat([ones, xl.narrow(-1, 0, n - 1).cumprod(-1)], -1)        # Π_{k<j} xₖ
        grad = before * (where(_wrap(r[None, :] >= r[:, None], dev), p, 0.0) * gl.unsqueeze(-2)).sum(-1)
        return grad.movedim(-1, d), None, None


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
            if a.size == 0 and (not dims or any(a.shape[d] == 0 for d in dims)):
                raise RuntimeError("linalg.vector_norm cannot compute the inf norm on an empty tensor because "
                                   "the operation does not have an identity")
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


@tensor_method("cumsum")
def cumsum(input, dim, *, dtype=None, out=None) -> Tensor:
    """Running sums along dim (integers and bools give int64)."""
    need_tensor("cumsum", input)
    if dtype is dtypes.bool and input.ndim and input.numel():     # PyTorch has no bool kernel
        raise not_implemented("cumsum_out_cpu", dtype)                 # (0-d and empty are copied)
    return Cumsum.apply(input, _dim(dim, max(input.ndim, 1)), dtype)


@tensor_method("cumprod")
def cumprod(input, dim, *, dtype=None, out=None) -> Tensor:
    """Running products along dim (integers and bools give int64)."""
    need_tensor("cumprod", input)
    if dtype is dtypes.bool and input.ndim and input.numel():     # PyTorch has no bool kernel
        raise not_implemented("cumprod_out_cpu", dtype)                 # (0-d and empty are copied)
    return Cumprod.apply(input, _dim(dim, max(input.ndim, 1)), dtype)


@tensor_method("logsumexp")
def logsumexp(input, dim, keepdim=False, *, out=None) -> Tensor:
    """log(Σ exp(input)) over dim, without overflow (integers give the default float)."""
    need_tensor("logsumexp", input)
    return Logsumexp.apply(input, _dims_or_all(dim, input.ndim), keepdim)


@tensor_method("norm")
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


for _name in ("cumsum", "cumprod"):      # in place, the sums are taken in self's own dtype
    inplace_method(_name + "_", lambda input, dim, fn=globals()[_name]: fn(input, dim, dtype=input.dtype))
