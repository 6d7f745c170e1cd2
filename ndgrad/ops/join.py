"""Joining and splitting: cat/concat, stack, hstack, vstack, split, chunk, unbind.

The gradient of a join is the incoming gradient split back into the inputs' pieces; the
gradient of a split is the pieces' gradients joined (zeros for pieces that got none).
split, chunk and unbind return views, as in PyTorch.
"""
from __future__ import annotations

from .. import dtypes
from .._layout import c_contiguous
from ..autograd.function import Function
from ..tensor import Tensor, _dim, _wrap
from ._checks import need_tensor

__all__ = ["cat", "concat", "concatenate", "hstack", "vstack", "stack", "split", "chunk", "unbind"]


def _check_list(name, tensors):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:                                  # PyTorch's cat words (and types) it its own way
        if name == "cat":
            raise ValueError("cat(): expected a non-empty list of Tensors")
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {list(tensors).index(t)} in argument 0, but got "
                            f"{type(t).__name__}")


class Cat(Function):
    """the inputs joined along dim;   ∂/∂xᵢ = the slice of g where xᵢ sits"""
    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *xs):
        dt = dtypes.result_type(*xs)
        # legacy rule: 1-D empty tensors are skipped whatever the other shapes
        arrays = [x._data.astype(dt.np, copy=False) for x in xs if not (x.ndim == 1 and x._data.size == 0)]
        ctx.dim, ctx.sizes = dim, [x._data.shape[dim] if x._data.ndim > dim else 0 for x in xs]
        if not arrays:
            return xs[0]._xp.zeros((0,), dt.np)
        ref = arrays[0].shape
        for i, a in enumerate(arrays):
            if a.ndim == 0:
                raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
            if a.ndim != len(ref):
                raise RuntimeError("Tensors must have same number of dimensions: "
                                   f"got {len(ref)} and {a.ndim}")
            for d, (n, m) in enumerate(zip(ref, a.shape)):
                if d != dim and n != m:
                    raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected "
                                       f"size {n} but got size {m} for tensor number {i} in the list.")
        return c_contiguous(xs[0]._xp.concatenate(arrays, axis=dim))

    @staticmethod
    def backward(ctx, g):
        grads, start = [], 0
        for n in ctx.sizes:
            grads.append(g.narrow(ctx.dim, start, n))
            start += n
        return (None, *grads)


def cat(tensors, dim=0, *, out=None) -> Tensor:
    """Join tensors of the same shape (apart from ``dim``) along ``dim``."""
    _check_list("cat", tensors)
    ref = next((t for t in tensors if not (t.ndim == 1 and t._data.size == 0)), tensors[0])
    return Cat.apply(_dim(dim, ref.ndim) if ref.ndim else dim, *tensors)


concat = concatenate = cat


def hstack(tensors, *, out=None) -> Tensor:
    """Join along dim 1 (dim 0 for 1-D tensors); 0-d tensors count as 1-D."""
    _check_list("hstack", tensors)
    ts = [t.reshape(1) if t.ndim == 0 else t for t in tensors]
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors, *, out=None) -> Tensor:
    """Join along dim 0, 0-d and 1-D tensors first made rows."""
    _check_list("vstack", tensors)
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0)


class Stack(Function):
    """the inputs stacked along a new dim;   ∂/∂xᵢ = g selected at i along that dim"""
    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *xs):
        shape = xs[0]._data.shape
        for i, x in enumerate(xs):
            if x._data.shape != shape:
                raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shape)} at "
                                   f"entry 0 and {list(x._data.shape)} at entry {i}")
        dt = dtypes.result_type(*xs)
        ctx.dim = dim
        return c_contiguous(xs[0]._xp.stack([x._data.astype(dt.np, copy=False) for x in xs], axis=dim))

    @staticmethod
    def backward(ctx, g):
        return (None, *g.unbind(ctx.dim))


def stack(tensors, dim=0, *, out=None) -> Tensor:
    """Join tensors of one shape along a new dim ``dim``."""
    _check_list("stack", tensors)
    return Stack.apply(_dim(dim, tensors[0].ndim + 1), *tensors)


class Split(Function):
    """pieces of x along dim (views);   ∂/∂x = the pieces' gradients joined (zeros where none came)"""
    node_name = "SplitBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim, sizes):
        a, out, start = x._data, [], 0
        for n in sizes:
            out.append(a[(slice(None),) * dim + (slice(start, start + n),)])
            start += n
        out = out or [a[(slice(None),) * dim + (slice(0, 0),)]]     # one empty piece
        ctx.dim, ctx.piece_shapes, ctx.dtype, ctx.device = dim, [o.shape for o in out], a.dtype, x._device
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads):
        xp = next(g for g in grads if g is not None)._xp
        parts = [g if g is not None else _wrap(xp.zeros(s, ctx.dtype), ctx.device)
                 for g, s in zip(grads, ctx.piece_shapes)]
        return Cat.apply(ctx.dim, *parts), None, None


class SplitWithSizes(Split):
    node_name = "SplitWithSizesBackward0"


def split(tensor, split_size_or_sections, dim=0) -> tuple:
    """Pieces of ``split_size`` along dim (the last one smaller), or pieces of the listed sizes."""
    need_tensor("split", tensor, arg="tensor")
    d = _dim(dim, tensor.ndim)
    n = tensor._data.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = list(split_size_or_sections)
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                               f"size at dimension {d}), but got split_sizes={sizes}")
        return SplitWithSizes.apply(tensor, d, sizes)
    size = split_size_or_sections
    if size < 0 or size == 0 and n:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
                           if size == 0 else
                           f"split expects split_size be non-negative, but got split_size={size}")
    sizes = ([size] * (n // size) + ([n % size] if n % size else [])) if size else []
    return Split.apply(tensor, d, sizes)


def chunk(input, chunks, dim=0) -> tuple:
    """At most ``chunks`` pieces of equal size ⌈n/chunks⌉ along dim (the last one smaller)."""
    need_tensor("chunk", input)
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = _dim(dim, input.ndim)
    n = input._data.shape[d]
    if n == 0:
        return split(input, [0] * chunks, d)        # PyTorch gives `chunks` empty pieces
    return split(input, -(-n // chunks), d)


class Unbind(Function):
    """the slices of x along dim, that dim removed (views);   ∂/∂x = the gradients stacked"""
    node_name = "UnbindBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim):
        a = x._data
        out = tuple(a[(slice(None),) * dim + (i,)] for i in range(a.shape[dim]))
        ctx.dim, ctx.piece_shapes, ctx.dtype, ctx.device = dim, [o.shape for o in out], a.dtype, x._device
        return out

    @staticmethod
    def backward(ctx, *grads):
        xp = next(g for g in grads if g is not None)._xp
        parts = [g if g is not None else _wrap(xp.zeros(ctx.piece_shapes[0], ctx.dtype), ctx.device)
                 for g in grads]
        return Stack.apply(ctx.dim, *parts), None


def unbind(input, dim=0) -> tuple:
    """The slices along dim, that dim removed."""
    need_tensor("unbind", input)
    d = _dim(dim, input.ndim)
    if input._data.shape[d] == 0:
        return ()
    return Unbind.apply(input, d)
