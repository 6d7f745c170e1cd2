"""In-place writes through views: PyTorch's CopySlices, and view histories re-derived from the base.

A view shares memory with its base. When an in-place op writes through a view W of a base R that
is part of a graph, R's values change too, so R's history must change with them:

    R_new = R_old with W's region replaced by op(W_old)                          (CopySlices)

Its backward sends g, with W's region zeroed, to R_old (those values were overwritten) and g's
region to op's result. And every view of R (W itself too) now shows R_new's values, so its history
is re-derived from R_new as a strided view of it (AsStrided). The same re-derivation follows an
in-place op on R itself: a view taken before ``y.mul_(2)`` shows the doubled values afterwards.

Geometry is read from memory: the view's strides and its offset from the base's first element, in
elements. The region is then, for each element of the view, the C-order index of the base element
it shares memory with.
"""
from __future__ import annotations

import math

from .. import backend
from ..tensor import _live_views, _wrap
from .function import Function

__all__ = ["write_through_view", "refresh_views"]


def _geometry(base_arr, view_arr) -> tuple:
    """Where the view lies in its base's memory, in elements: (base shape, base strides,
    view shape, view strides, offset of the view's first element from the base's)."""
    item = base_arr.itemsize
    return (base_arr.shape, tuple(s // item for s in base_arr.strides), view_arr.shape,
            tuple(s // item for s in view_arr.strides),
            (backend.address(view_arr) - backend.address(base_arr)) // item)


def _region(g, geometry):
    """For each element of the view, the C-order flat index of the base element it lies on
    (an int64 tensor on g's device)."""
    base_shape, base_strides, shape, strides, offset = geometry
    xp = g._xp
    if 0 in base_shape or 0 in shape:
        return _wrap(xp.zeros(shape, dtype=xp.int64), g._device)
    low = sum((n - 1) * s for n, s in zip(base_shape, base_strides) if s < 0)
    high = sum((n - 1) * s for n, s in zip(base_shape, base_strides) if s > 0)
    first = offset + sum((n - 1) * s for n, s in zip(shape, strides) if s < 0)
    last = offset + sum((n - 1) * s for n, s in zip(shape, strides) if s > 0)
    if first < low or last > high:       # a view op that copied would land here: fail loudly
        raise RuntimeError(f"internal error: a view of shape {list(shape)} does not lie in its base's memory")
    memory = xp.full(high - low + 1, -1, dtype=xp.int64)   # one slot per element of base's memory
    step = memory.itemsize
    laid = xp.lib.stride_tricks.as_strided(memory[-low:], base_shape, [s * step for s in base_strides])
    laid[...] = xp.arange(laid.size).reshape(base_shape)
    at = xp.lib.stride_tricks.as_strided(memory[offset - low:], shape, [s * step for s in strides])
    return _wrap(at.copy(), g._device)


class CopySlices(Function):
    """R_new = R_old with the view's region replaced by ``result``;
    ∂/∂R_old = g with the region zeroed,  ∂/∂result = g at the region"""
    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, base, result, geometry):
        ctx.geometry = geometry
        return base._data                  # already holds the new values, written through the view

    @staticmethod
    def backward(ctx, g):
        region = _region(g, ctx.geometry)
        n = ctx.needs_input_grad
        return (g.reshape(-1).index_fill(0, region.reshape(-1), 0).reshape(g.shape) if n[0] else None,
                g.take(region) if n[1] else None, None)


class AsStrided(Function):
    """a view re-derived from its base: out = base's elements at the view's region;
    ∂/∂base = g added into zeros at the region (overlapping views, like expand, add up)"""
    node_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, base, view_arr, geometry):
        ctx.geometry = geometry
        return view_arr

    @staticmethod
    def backward(ctx, g):
        base_shape = ctx.geometry[0]
        flat = g.new_zeros(math.prod(base_shape)).index_add(0, _region(g, ctx.geometry).reshape(-1),
                                                            g.reshape(-1))
        return flat.reshape(base_shape), None, None


def _adopt(t, node_output) -> None:
    t.grad_fn, t._output_nr = node_output.grad_fn, node_output._output_nr
    t._requires_grad = node_output._requires_grad


def write_through_view(view, result) -> None:
    """After ``result`` was written into ``view``'s memory: the base's history becomes CopySlices."""
    base = view._base
    _adopt(base, CopySlices.apply(base, result, _geometry(base._data, view._data)))
    refresh_views(base)


def refresh_views(base) -> None:
    """Re-derive every live view of ``base`` from its current history."""
    for view in _live_views(base):
        _adopt(view, AsStrided.apply(base, view._data, _geometry(base._data, view._data)))
