"""Scans: running sums and products along a dim (cumsum, cumprod); the result has the input's shape.

    cumsum:     yᵢ = Σ_{j≤i} xⱼ          ∂/∂xⱼ = Σ_{i≥j} gᵢ  (a reversed cumsum of g)
"""
from __future__ import annotations

from .. import dtypes
from .._layout import c_contiguous
from ..autograd.function import Function
from ..dtypes import not_implemented
from ..tensor import Tensor, _dim, _wrap
from ._checks import need_tensor
from .join import cat
from .pointwise import where

__all__ = ["cumsum", "cumprod"]


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


def cumsum(input, dim, *, dtype=None, out=None) -> Tensor:
    """Running sums along dim (integers and bools give int64)."""
    need_tensor("cumsum", input)
    if dtype is dtypes.bool and input.ndim and input.numel():     # PyTorch has no bool kernel
        raise not_implemented("cumsum_out_cpu", dtype)                 # (0-d and empty are copied)
    return Cumsum.apply(input, _dim(dim, max(input.ndim, 1)), dtype)


def _cumsum_own_dtype(input, dim) -> Tensor:
    """``x.cumsum_(dim)``: in place, the sums are taken in x's own dtype."""
    return cumsum(input, dim, dtype=input.dtype)


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
        p = where(_wrap(r[None, :] > r[:, None], dev), xl.unsqueeze(-2).expand(*xl.shape[:-1], n, n),
                  1.0).cumprod(-1)
        ones = _wrap(xp.ones(xl.shape[:-1] + (1,), xl._data.dtype), dev)
        before = cat([ones, xl.narrow(-1, 0, n - 1).cumprod(-1)], -1)        # Π_{k<j} xₖ
        grad = before * (where(_wrap(r[None, :] >= r[:, None], dev), p, 0.0) * gl.unsqueeze(-2)).sum(-1)
        return grad.movedim(-1, d), None, None


def cumprod(input, dim, *, dtype=None, out=None) -> Tensor:
    """Running products along dim (integers and bools give int64)."""
    need_tensor("cumprod", input)
    if dtype is dtypes.bool and input.ndim and input.numel():     # PyTorch has no bool kernel
        raise not_implemented("cumprod_out_cpu", dtype)                 # (0-d and empty are copied)
    return Cumprod.apply(input, _dim(dim, max(input.ndim, 1)), dtype)


def _cumprod_own_dtype(input, dim) -> Tensor:
    """``x.cumprod_(dim)``: in place, the products are taken in x's own dtype."""
    return cumprod(input, dim, dtype=input.dtype)
