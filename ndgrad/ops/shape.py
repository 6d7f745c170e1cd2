"""Views: view/reshape, flatten/unflatten, transpose/permute/movedim and t (x.T, x.mT),
squeeze/unsqueeze, expand/broadcast_to, narrow, diagonal.

They return views that share memory (and the version counter) with their input where
PyTorch's do (reshape copies when the strides don't allow a view); the gradient of a view is
the inverse shape op applied to the gradient.
"""
from __future__ import annotations

import warnings

from .. import dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _dim, _wrap
from ._checks import check_shape, expanded_shape, need_tensor, norm_dims
from .indexing import Slice

__all__ = ["view", "view_as", "reshape", "flatten", "unflatten", "transpose", "swapaxes", "swapdims",
           "permute", "movedim", "moveaxis", "t", "squeeze", "unsqueeze", "expand", "expand_as",
           "broadcast_to", "narrow", "diagonal"]


def _infer_shape(shape, numel):
    """Resolve a single -1 and check the element count, with PyTorch's errors."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _try_view(a, shape):
    """``a`` with a new shape without copying, or None when its strides do not allow it."""
    try:
        return a.reshape(shape, copy=False)     # refuses (ValueError) exactly when a copy is needed
    except ValueError:
        return None
    except TypeError:                           # an array library without reshape(copy=...)
        v = a.view()
        try:
            v.shape = shape
        except AttributeError:
            return None
        return v


def _view_dtype(input, dtype) -> Tensor:
    """A bitcast: the last dim shrinks or grows by the ratio of the element sizes. Not
    differentiable (PyTorch's result never requires grad), and no copy, so the last dim must be
    dense and the other strides and the offset whole multiples of the new element."""
    a, old = input._data, input.dtype
    if dtype.itemsize != old.itemsize:
        what = f"to view {old._legacy} as {dtype._legacy} (different element sizes)"
        ratio = max(dtype.itemsize, old.itemsize) // min(dtype.itemsize, old.itemsize)
        if a.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if input.stride(-1) != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {input.stride(-1)}")
        if dtype.itemsize > old.itemsize:
            if a.shape[-1] % ratio:
                raise RuntimeError(f"self.size(-1) must be divisible by {ratio} {what}, but got "
                                   f"{a.shape[-1]}")
            if input.storage_offset() % ratio:
                raise RuntimeError(f"self.storage_offset() must be divisible by {ratio} {what}, but got "
                                   f"{input.storage_offset()}")
            for d in range(a.ndim - 1):
                if input.stride(d) % ratio:
                    raise RuntimeError(f"self.stride({d}) must be divisible by {ratio} {what}, but got "
                                       f"{input.stride(d)}")
    return _wrap(a.view(dtype.np), input._device)


class View(Function):
    """x with a new shape, same memory;   ∂/∂x = g reshaped to x's shape"""
    node_name = "ViewBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x._data.shape
        v = _try_view(x._data, shape)
        if v is None:
            raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                               "least one dimension spans across two contiguous subspaces). Use "
                               ".reshape(...) instead.")
        return v

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


def view(input, *shape, dtype=None) -> Tensor:
    """The same data with a new shape (one dim may be -1); no copy, so strides must allow it.
    ``view(dtype)``: the same bytes read as another dtype."""
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype) and dtype is None:
        shape, dtype = (), shape[0]
    if dtype is not None:
        if shape or not isinstance(dtype, dtypes.dtype):
            raise TypeError(f"view() received an invalid combination of arguments - got "
                            f"{tuple(type(a).__name__ for a in shape + (dtype,))}, but expected one of: "
                            "(torch.dtype dtype), (tuple of ints size)")
        return _view_dtype(input, dtype)
    shape = _infer_shape(check_shape(shape), input._data.size)
    return View.apply(input, shape)


def unflatten(input, dim, sizes) -> Tensor:
    """Split dim into the dims ``sizes`` (one may be -1)."""
    need_tensor("unflatten", input)
    d = _dim(dim, input.ndim)
    sizes = check_shape((sizes,))
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    shape = input._data.shape
    n, known = shape[d], 1
    for s in sizes:
        known *= s if s != -1 else 1
    if -1 not in sizes and known != n or -1 in sizes and (known == 0 or n % known):
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of "
                           f"dim {dim} ({n}) in the input tensor")
    new = _infer_shape(shape[:d] + sizes + shape[d + 1:], input._data.size)
    return View.apply(input, new) if _try_view(input._data, new) is not None else reshape(input, new)


def view_as(input, other) -> Tensor:
    need_tensor("view_as", other, 1, "other")
    return view(input, other.shape)


class ReshapeAlias(View):
    """reshape of a non-contiguous tensor whose strides still allow a view"""
    node_name = "ReshapeAliasBackward0"


class ReshapeCopy(Function):
    """reshape of a tensor whose strides forbid a view: copies;   ∂/∂x = g reshaped back"""
    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x._data.shape
        return x._data.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


def reshape(input, *shape) -> Tensor:
    """A view when the strides allow it, otherwise a copy."""
    shape = _infer_shape(check_shape(shape), input._data.size)
    if input._data.flags.c_contiguous:
        return View.apply(input, shape)
    if _try_view(input._data, shape) is not None:
        return ReshapeAlias.apply(input, shape)
    return ReshapeCopy.apply(input, shape)


def reshape_as(input, other) -> Tensor:
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1) -> Tensor:
    """Merge dims start_dim..end_dim into one (0-d tensors become 1-d)."""
    nd = input.ndim
    s, e = _dim(start_dim, nd), _dim(end_dim, nd)
    if nd == 0:
        return reshape(input, 1)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = input._data.shape
    merged = 1
    for n in shape[s:e + 1]:
        merged *= n
    return reshape(input, shape[:s] + (merged,) + shape[e + 1:])


class Transpose(Function):
    """swap dims d0 and d1 (a view);   ∂/∂x = g with the same dims swapped back"""
    node_name = "TransposeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, d0, d1):
        ctx.dims = (d0, d1)
        if x._data.ndim == 0:
            return x._data.view()
        return x._xp.swapaxes(x._data, d0, d1)

    @staticmethod
    def backward(ctx, g):
        return g.transpose(*ctx.dims), None, None


def transpose(input, dim0, dim1) -> Tensor:
    """Swap two dims (a view)."""
    nd = input.ndim
    return Transpose.apply(input, _dim(dim0, nd), _dim(dim1, nd))


swapaxes = swapdims = transpose


class Permute(Function):
    """reorder the dims (a view);   ∂/∂x = g permuted by the inverse order"""
    node_name = "PermuteBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x._data.transpose(dims)

    @staticmethod
    def backward(ctx, g):
        inverse = [0] * len(ctx.dims)
        for i, d in enumerate(ctx.dims):
            inverse[d] = i
        return g.permute(inverse), None


def permute(input, *dims) -> Tensor:
    """Reorder the dims (a view)."""
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = check_shape(dims)
    nd = input.ndim
    if len(dims) != nd:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not "
                           f"match the length of the desired ordering of dimensions i.e. input.dim() "
                           f"= {nd} is not equal to len(dims) = {len(dims)}")
    dims = tuple(_dim(d, nd) for d in dims)
    if len(set(dims)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims)


def movedim(input, source, destination) -> Tensor:
    """Move dims ``source`` to positions ``destination``, the others keeping their order (a view)."""
    need_tensor("movedim", input)
    nd = input.ndim
    src = tuple(source) if isinstance(source, (list, tuple)) else (source,)
    dst = tuple(destination) if isinstance(destination, (list, tuple)) else (destination,)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) "
                           f"should contain the same number of dims as destination ({list(dst)} dims)")
    norm_dims(list(src), nd)                    # PyTorch's errors for bad or repeated source dims
    src, dst = [_dim(d, nd) for d in src], [_dim(d, nd) for d in dst]
    if len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(destination)})")
    order = [None] * nd
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(nd) if d not in src)
    order = [o if o is not None else next(rest) for o in order]
    return permute(input, order) if nd else input.view(())


moveaxis = movedim


class T(Transpose):
    node_name = "TBackward0"


def t(input) -> Tensor:
    """Transpose a ≤2-D tensor (0-D and 1-D tensors come back as they are)."""
    nd = input.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    return T.apply(input, 0, 1 if nd == 2 else 0)


def _T(self) -> Tensor:
    """All dims reversed (``x.T``); PyTorch deprecates it for tensors that are not 2-D."""
    if self.ndim == 0:
        warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity in these "
                      "cases.", UserWarning, stacklevel=2)
    elif self.ndim != 2:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                      "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                      "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
                      "to reverse the dimensions of a tensor.", UserWarning, stacklevel=2)
    return permute(self, tuple(reversed(range(self.ndim))))


def _mT(self) -> Tensor:
    """The last two dims swapped (``x.mT``): a batch of matrices transposed."""
    return transpose(self, -2, -1)


class Squeeze(Function):
    """drop size-1 dims (a view);   ∂/∂x = g reshaped to x's shape"""
    node_name = "SqueezeBackward1"
    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.shape = x._data.shape
        keep = tuple(s for i, s in enumerate(x._data.shape) if not (i in dims and s == 1))
        return x._data.reshape(keep)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


class SqueezeAll(Squeeze):
    node_name = "SqueezeBackward0"


class SqueezeDims(Squeeze):
    node_name = "SqueezeBackward2"


def squeeze(input, dim=None) -> Tensor:
    """Remove size-1 dims (all of them, or those in ``dim`` that have size 1)."""
    if dim is None:
        return SqueezeAll.apply(input, tuple(range(input.ndim)))
    if isinstance(dim, (tuple, list)):
        return SqueezeDims.apply(input, norm_dims(dim, input.ndim))
    return Squeeze.apply(input, norm_dims(dim, input.ndim))


class Unsqueeze(Function):
    """insert a size-1 dim (a view);   ∂/∂x = g with that dim removed"""
    node_name = "UnsqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim):
        data = x._data
        a = ctx.shape = data.shape
        # PyTorch's stride for the new dim: the size*stride of the dim it lands before (the
        # layout rule of later elementwise ops reads it), where NumPy's expand_dims renumbers
        inner = a[dim] * data.strides[dim] if dim < len(a) else data.itemsize
        return x._xp.lib.stride_tricks.as_strided(data, a[:dim] + (1,) + a[dim:],
                                                  data.strides[:dim] + (inner,) + data.strides[dim:])

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


def unsqueeze(input, dim) -> Tensor:
    """Insert a size-1 dim at ``dim`` (which may be -1 .. ndim)."""
    return Unsqueeze.apply(input, _dim(dim, input.ndim + 1))


class Expand(Function):
    """broadcast size-1 dims to larger sizes (a view);   ∂/∂x = g summed over the expanded dims"""
    node_name = "ExpandBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x._data.shape
        return x._xp.broadcast_to(x._data, shape)

    @staticmethod
    def backward(ctx, g):
        return g.sum_to_size(ctx.shape), None


def expand(input, *sizes) -> Tensor:
    """Broadcast to ``sizes`` without copying (-1 keeps a dim; new dims go in front)."""
    if not sizes:
        raise TypeError('expand() missing 1 required positional arguments: "size"')
    return Expand.apply(input, expanded_shape(input, sizes))


def expand_as(input, other) -> Tensor:
    need_tensor("expand_as", other, 1, "other")
    return expand(input, other.shape)


def broadcast_to(input, size) -> Tensor:
    """expand(size): a view with size-1 dims broadcast."""
    need_tensor("broadcast_to", input)
    return expand(input, check_shape((size,)))


def narrow(input, dim, start, length) -> Tensor:
    """The view input[..., start:start + length, ...] along dim (start may be negative)."""
    need_tensor("narrow", input)
    d = _dim(dim, input.ndim)
    n = input._data.shape[d]
    if isinstance(start, Tensor):
        start = start.item()
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    start = start + n if start < 0 else start
    if length < 0 or start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return Slice.apply(input, (slice(None),) * d + (slice(start, start + length),))


def _diagonal_view(xp, a, offset, d1, d2):
    """A writable view of the diagonal (offset, d1, d2) of ``a``, as its last dim (NumPy's own
    diagonal() is read-only): from the diagonal's first element, step stride[d1] + stride[d2]."""
    moved = xp.moveaxis(a, (d1, d2), (-2, -1))
    n1, n2 = moved.shape[-2:]
    length = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    start = moved[..., max(-offset, 0):, max(offset, 0):] if length else moved[..., :0, :0]
    s1, s2 = moved.strides[-2:]
    return xp.lib.stride_tricks.as_strided(start, moved.shape[:-2] + (length,),
                                           moved.strides[:-2] + (s1 + s2,))


class DiagonalScatter(Function):
    """zeros(shape) with g written on a diagonal;   ∂/∂g = that diagonal of the gradient"""
    node_name = "DiagonalScatterBackward0"

    @staticmethod
    def forward(ctx, g, shape, args):
        ctx.args = args
        out = g._xp.zeros(shape, g._data.dtype)
        _diagonal_view(g._xp, out, *args)[...] = g._data
        return out

    @staticmethod
    def backward(ctx, gg):
        return gg.diagonal(*ctx.args), None, None


class Diagonal(Function):
    """the elements x[..., i, ..., i + offset, ...] of dims d1, d2, as the last dim (a view);
    ∂/∂x = zeros with g on that diagonal"""
    node_name = "DiagonalBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, offset, d1, d2):
        ctx.shape, ctx.args = x._data.shape, (offset, d1, d2)
        return _diagonal_view(x._xp, x._data, offset, d1, d2)

    @staticmethod
    def backward(ctx, g):
        return DiagonalScatter.apply(g, ctx.shape, ctx.args), None, None, None


def diagonal(input, offset=0, dim1=0, dim2=1) -> Tensor:
    """The view of the diagonal of dims dim1 and dim2, appended as the last dim."""
    need_tensor("diagonal", input)
    d1, d2 = _dim(dim1, input.ndim), _dim(dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(input, offset, d1, d2)
