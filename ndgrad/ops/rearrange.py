"""Rearranging elements into a new tensor (copies, never views): flip, roll, repeat/tile,
tril/triu, diag."""
from __future__ import annotations

from .._layout import c_contiguous
from ..autograd.function import Function
from ..tensor import Tensor, _dim
from ._checks import check_shape, need_tensor, norm_dims
from .shape import DiagonalScatter

__all__ = ["flip", "fliplr", "flipud", "roll", "tile", "tril", "triu", "diag"]


class Flip(Function):
    """x reversed along dims (a copy);   ∂/∂x = g reversed along the same dims"""
    node_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x._xp.flip(x._data, dims).copy(order="K")      # keeps the layout, like PyTorch

    @staticmethod
    def backward(ctx, g):
        return g.flip(ctx.dims), None


def flip(input, *dims) -> Tensor:
    """Reverse the order of elements along dims (a copy)."""
    need_tensor("flip", input)
    return Flip.apply(input, norm_dims(check_shape(dims), input.ndim) if input.ndim else ())


def fliplr(input) -> Tensor:
    """Flip dim 1 (left-right); input must be at least 2-D."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input) -> Tensor:
    """Flip dim 0 (up-down); input must be at least 1-D."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


class Roll(Function):
    """x shifted cyclically along dims (the flattened x when dims is empty);   ∂/∂x = g shifted back"""
    node_name = "RollBackward0"

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        a, xp = x._data, x._xp
        if not dims:
            return xp.roll(a.reshape(-1), shifts[0]).reshape(a.shape)
        return c_contiguous(xp.roll(a, shifts, dims))

    @staticmethod
    def backward(ctx, g):
        back = tuple(-s for s in ctx.shifts)
        return g.roll(back, ctx.dims) if ctx.dims else g.roll(back[0]), None, None


def roll(input, shifts, dims=None) -> Tensor:
    """Shift elements cyclically along dims (of the flattened tensor when dims is None)."""
    need_tensor("roll", input)
    shifts = tuple(shifts) if isinstance(shifts, (list, tuple)) else (shifts,)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return Roll.apply(input, shifts, ())
    dims = tuple(dims) if isinstance(dims, (list, tuple)) else (dims,)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    return Roll.apply(input, shifts, tuple(_dim(d, input.ndim) for d in dims))


class Repeat(Function):
    """x tiled reps[i] times along each dim (leading reps add dims);
    ∂/∂x = g split into the tiles and summed"""
    node_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, x, reps):
        a = x._data
        ctx.shape, ctx.reps = a.shape, reps
        return c_contiguous(x._xp.tile(a.reshape((1,) * (len(reps) - a.ndim) + a.shape), reps))

    @staticmethod
    def backward(ctx, g):
        full = (1,) * (len(ctx.reps) - len(ctx.shape)) + tuple(ctx.shape)
        split = []                      # (r0, s0, r1, s1, ...): every tile along its own axis
        for r, s in zip(ctx.reps, full):
            split += [r, s]
        summed = g.reshape(split).sum(tuple(range(0, 2 * len(full), 2))) if g.numel() else g.new_zeros(full)
        return summed.reshape(ctx.shape), None


def repeat(input, *sizes) -> Tensor:
    """Tile the tensor sizes[i] times along each dim (extra leading sizes add dims)."""
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    reps = check_shape(sizes)
    if len(reps) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                           "of tensor")
    if any(r < 0 for r in reps):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(reps)}: {list(reps)}")
    return Repeat.apply(input, reps)


def tile(input, dims) -> Tensor:
    """repeat, with missing leading dims counted as 1."""
    need_tensor("tile", input)
    dims = check_shape((dims,))
    return repeat(input, (1,) * (input.ndim - len(dims)) + dims)


class Triangle(Function):
    """the lower (tril) or upper (triu) triangle of the last two dims, the rest zeroed;
    ∂/∂x = the same triangle of g"""
    node_name = "TrilBackward0"
    upper = False

    @classmethod
    def forward(cls, ctx, x, k):
        a, xp = x._data, x._xp
        name = "triu" if cls.upper else "tril"
        if a.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        ctx.k = k
        rows, cols = a.shape[-2:]
        keep = xp.arange(cols)[None, :] - xp.arange(rows)[:, None]
        keep = keep >= k if cls.upper else keep <= k
        out = a.copy(order="C")           # PyTorch's result is contiguous
        out[..., ~keep] = 0
        return out

    @classmethod
    def backward(cls, ctx, g):
        return (g.triu(ctx.k) if cls.upper else g.tril(ctx.k)), None


def tril(input, diagonal=0) -> Tensor:
    """The lower triangle (on and below diagonal ``diagonal``) of the last two dims."""
    need_tensor("tril", input)
    return Triangle.apply(input, diagonal)


class Triu(Triangle):
    node_name = "TriuBackward0"
    upper = True


def triu(input, diagonal=0) -> Tensor:
    """The upper triangle (on and above diagonal ``diagonal``) of the last two dims."""
    need_tensor("triu", input)
    return Triu.apply(input, diagonal)


class DiagEmbed(Function):
    """a square matrix with v on diagonal k;   ∂/∂v = g's diagonal k"""
    node_name = "DiagEmbedBackward0"

    @staticmethod
    def forward(ctx, v, k):
        ctx.k = k
        return v._xp.diag(v._data, k)

    @staticmethod
    def backward(ctx, g):
        return g.diagonal(ctx.k), None


class DiagCopy(Function):
    """diagonal k of a matrix, as a new 1-D tensor;   ∂/∂x = zeros with g on diagonal k"""
    node_name = "DiagonalBackward0_copy"

    @staticmethod
    def forward(ctx, x, k):
        ctx.shape, ctx.k = x._data.shape, k
        return x._xp.diagonal(x._data, k).copy()

    @staticmethod
    def backward(ctx, g):
        return DiagonalScatter.apply(g, ctx.shape, (ctx.k, 0, 1)), None


def diag(input, diagonal=0) -> Tensor:
    """1-D input: a square matrix with it on diagonal ``diagonal``; 2-D input: that diagonal."""
    need_tensor("diag", input)
    if input.ndim == 1:
        return DiagEmbed.apply(input, diagonal)
    if input.ndim == 2:
        return DiagCopy.apply(input, diagonal)
    raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " f"{input.ndim}D")
