"""Reading and writing along a dim with index tensors: gather / take_along_dim, scatter,
scatter_add, index_select, index_add, index_fill, take, and the mask ops masked_fill,
masked_select, and nonzero (the indices of the non-zero elements).

Each reader's gradient writes the incoming gradient back where the values came from
(adding where an index repeats); each writer's gradient reads it back out:

    y = x.gather(d, i)         ∂/∂x = zeros.scatter_add(d, i, g)
    y = x.scatter(d, i, s)     ∂/∂x = g.scatter(d, i, 0),   ∂/∂s = g.gather(d, i)
"""
from __future__ import annotations

from .. import dtypes
from .._layout import broadcast_shapes, c_contiguous
from ..autograd.function import Function
from ..tensor import Tensor, _dim, _wrap
from ._checks import index_range, indices_in_range, need_tensor
from .indexing import IndexAddInto, _scalar_for
from .pointwise import where

__all__ = ["gather", "take_along_dim", "scatter", "scatter_add", "index_select", "index_add",
           "index_fill", "take", "masked_fill", "masked_select", "nonzero"]


def _dim_of(x, dim):
    """``dim`` wrapped, a 0-d x counting as 1-d."""
    return _dim(dim, max(x.ndim, 1))


# ---- gather / scatter ---------------------------------------------------------------------------

def _check_index(name, x, dim, index, src=None):
    """PyTorch's checks for gather/scatter: int64 index of x's ndim, no larger than x (and src)."""
    if (index.dtype not in (dtypes.int64, dtypes.int32)
            or name != "gather" and index.dtype is not dtypes.int64):
        raise RuntimeError(f"{name}(): Expected dtype int{'32/int' if name == 'gather' else ''}64 for index")
    nd = max(x.ndim, 1)
    if index.ndim and max(index.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if name == 'gather' else 'self'} tensor")
    ishape, xshape = index.shape, x.shape
    for d in range(index.ndim):
        if d != dim and x.ndim and ishape[d] > xshape[d]:
            raise RuntimeError(f"Size does not match at dimension {d} expected index {list(ishape)} to be no "
                               f"larger than self {list(xshape)} apart from dimension {dim}")
        if src is not None and src.ndim and ishape[d] > src.shape[d]:
            raise RuntimeError(f"Expected index {list(ishape)} to be no larger than self {list(xshape)} "
                               f"apart from dimension {dim} and to be no larger size than src "
                               f"{list(src.shape)}")
    _check_bounds(index._data, x.shape[dim] if x.ndim else 1, dim)


def _check_bounds(idx, size, dim):
    bad = index_range(idx, 0, size)
    if bad:
        raise RuntimeError(f"index {bad[0] if bad[0] < 0 else bad[1]} is out of bounds for dimension "
                           f"{dim} with size {size}")


def _along(xp, idx, dim):
    """The advanced-indexing key that addresses, for each position p of ``idx``, the element
    at p with coordinate ``dim`` replaced by idx[p]."""
    key = []
    for d, n in enumerate(idx.shape):
        if d == dim:
            key.append(idx)
        else:
            key.append(xp.arange(n).reshape((n,) + (1,) * (idx.ndim - d - 1)))
    return tuple(key)


def _part(a, shape):
    """The leading block of ``a`` with the given shape (index tensors may be smaller than self/src)."""
    return a[tuple(slice(0, n) for n in shape)] if a.ndim else a


def _scalar_dims(*tensors):
    """gather/scatter treat 0-d tensors as 1-d."""
    return tuple(t._data.reshape(1) if t._data.ndim == 0 else t._data for t in tensors)


class Gather(Function):
    """y[p] = x[p with coordinate dim replaced by index[p]];   ∂/∂x = zeros.scatter_add(dim, index, g)"""
    node_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        _check_index("gather", x, dim, index)
        a, idx = _scalar_dims(x, index)
        ctx.shape, ctx.dim, ctx.index = x._data.shape, dim, index
        out = a[_along(x._xp, idx.astype("int64"), dim)] if idx.size else x._xp.zeros(idx.shape, a.dtype)
        return c_contiguous(out.reshape(index._data.shape))

    @staticmethod
    def backward(ctx, g):
        zeros = _wrap(g._xp.zeros(ctx.shape, g._data.dtype), g._device)
        with indices_in_range():
            return scatter_add(zeros, ctx.dim, ctx.index, g), None, None


def gather(input, dim, index, *, sparse_grad=False, out=None) -> Tensor:
    """out[i][j] = input[index[i][j]][j] (dim 0), input[i][index[i][j]] (dim 1), ..."""
    need_tensor("gather", input)
    return Gather.apply(input, _dim_of(input, dim), index)


def take_along_dim(input, indices, dim=None, *, out=None) -> Tensor:
    """gather with the index broadcast against input (on the flattened input when dim is None)."""
    need_tensor("take_along_dim", input)
    if dim is None:
        return gather(input.view(-1), 0, indices.view(-1))      # PyTorch views: contiguous inputs only
    d = _dim_of(input, dim)
    shape = list(broadcast_shapes(tuple(s for i, s in enumerate(input.shape) if i != d),
                                  tuple(s for i, s in enumerate(indices.shape) if i != d)))
    x_shape, i_shape = list(shape), list(shape)
    x_shape.insert(d, input.shape[d])
    i_shape.insert(d, indices.shape[d])
    return gather(input.expand(x_shape), d, indices.expand(i_shape))


class Scatter(Function):
    """x with x[p with coordinate dim = index[p]] = src[p];   ∂/∂x = g.scatter(dim, index, 0),
    ∂/∂src = g.gather(dim, index)"""
    node_name = "ScatterBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, src):
        is_tensor = isinstance(src, Tensor)
        if is_tensor and src.dtype is not x.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        _check_index("scatter", x, dim, index, src if is_tensor else None)
        a, idx = _scalar_dims(x, index)
        out = a.copy(order="C")      # PyTorch writes the result into fresh contiguous memory
        if idx.size:
            value = _part(_scalar_dims(src)[0], idx.shape) if is_tensor else _scalar_for(src, x.dtype)
            out[_along(x._xp, idx, dim)] = value
        ctx.dim, ctx.index = dim, index
        return out.reshape(x._data.shape)

    @staticmethod
    def backward(ctx, g):
        with indices_in_range():
            gsrc = g.gather(ctx.dim, ctx.index) if ctx.needs_input_grad[3] else None
            return g.scatter(ctx.dim, ctx.index, 0.0), None, None, gsrc


class ScatterValue(Scatter):
    node_name = "ScatterBackward1"


def scatter(input, dim, index, src=None, *, value=None, reduce=None) -> Tensor:
    """input with src[i][j] written at [index[i][j]][j] (dim 0), ... ; src may be a number."""
    need_tensor("scatter", input)
    if reduce is not None:
        raise NotImplementedError("ndgrad: scatter(reduce=...) is not supported; use scatter_add")
    src = value if src is None else src
    cls = Scatter if isinstance(src, Tensor) else ScatterValue
    return cls.apply(input, _dim_of(input, dim), index, src)


class ScatterAdd(Function):
    """x with src[p] added at (p with coordinate dim = index[p]) (repeats add up);
    ∂/∂x = g,  ∂/∂src = g.gather(dim, index)"""
    node_name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, src):
        if src.dtype is not x.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        _check_index("scatter_add", x, dim, index, src)
        a, idx, s = _scalar_dims(x, index, src)
        out = a.copy(order="C")      # PyTorch writes the result into fresh contiguous memory
        if idx.size:
            x._xp.add.at(out, _along(x._xp, idx, dim), _part(s, idx.shape))
        ctx.dim, ctx.index = dim, index
        return out.reshape(x._data.shape)

    @staticmethod
    def backward(ctx, g):
        with indices_in_range():
            return g, None, None, g.gather(ctx.dim, ctx.index) if ctx.needs_input_grad[3] else None


def scatter_add(input, dim, index, src) -> Tensor:
    """input with src[i][j] added at [index[i][j]][j] (dim 0), ...; repeated indices add up."""
    need_tensor("scatter_add", input)
    return ScatterAdd.apply(input, _dim_of(input, dim), index, src)


# ---- index_select / index_add / index_fill / take ------------------------------------------------

def _vector_index(name, index, size, dim):
    if name == "index_fill" and index.dtype is not dtypes.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32 or int64 for index")
    if index.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    idx = index._data.reshape(-1)
    lo = -size if name == "index_fill" else 0          # only index_fill counts from the end
    bad = index_range(idx, lo, size)
    if bad:
        bad = bad[0] if bad[0] < lo else bad[1]
        if name == "index_select":         # PyTorch's dim-1 kernel words it its own way
            if dim == 1:
                raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}")
            raise IndexError("index out of range in self")
        error = IndexError if name == "index_fill" else RuntimeError
        raise error(f"index {bad} is out of bounds for dimension {dim} with size {size}")
    return idx


class IndexSelect(Function):
    """the slices index[0], index[1], ... of x along dim;   ∂/∂x = zeros.index_add(dim, index, g)"""
    node_name = "IndexSelectBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        a = x._data.reshape(1) if x.ndim == 0 else x._data
        if x.ndim == 0 and index.numel() != 1:           # checked before the range, as in PyTorch
            raise RuntimeError("index_select(): Index to scalar can have only 1 value, "
                               f"got {index.numel()} value(s)")
        idx = _vector_index("index_select", index, a.shape[dim], dim)
        ctx.shape, ctx.dim, ctx.index = x._data.shape, dim, index
        out = x._xp.take(a, idx, axis=dim)
        return out.reshape(()) if x.ndim == 0 else out

    @staticmethod
    def backward(ctx, g):
        zeros = _wrap(g._xp.zeros(ctx.shape, g._data.dtype), g._device)
        with indices_in_range():
            return index_add(zeros, ctx.dim, ctx.index, g), None, None


def index_select(input, dim, index, *, out=None) -> Tensor:
    """The slices of input along dim at the positions in the vector index."""
    need_tensor("index_select", input)
    return IndexSelect.apply(input, _dim_of(input, dim), index)


class IndexAdd(Function):
    """x with alpha·source[k] added to slice index[k] along dim;   ∂/∂x = g,
    ∂/∂source = alpha · g.index_select(dim, index)"""
    node_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, source, alpha):
        if source.dtype is not x.dtype:
            raise RuntimeError(f"index_add_(): self ({x.dtype._legacy}) and source ({source.dtype._legacy}) "
                               "must have the same scalar type")
        a = x._data.reshape(1) if x.ndim == 0 else x._data
        idx = _vector_index("index_add", index, a.shape[dim], dim)
        s = source._data.reshape(1) if source.ndim == 0 else source._data
        expect = a.shape[:dim] + (idx.size,) + a.shape[dim + 1:]
        if s.shape != expect:
            raise RuntimeError(f"index_add_(): Source/destination tensor must have same slice shapes. "
                               f"Destination slice shape: {list(a.shape)} at dimension {dim} and source "
                               f"slice shape: {list(s.shape)} at dimension 0.")
        out = a.copy(order="C")      # PyTorch writes index_add into fresh contiguous memory
        key = (slice(None),) * dim + (idx,)
        x._xp.add.at(out, key, s if alpha == 1 else s * alpha)
        ctx.dim, ctx.index, ctx.alpha = dim, index, alpha
        return out.reshape(x._data.shape)

    @staticmethod
    def backward(ctx, g):
        gs = None
        if ctx.needs_input_grad[3]:
            with indices_in_range():
                gs = g.index_select(ctx.dim, ctx.index)
            gs = gs if ctx.alpha == 1 else gs * ctx.alpha
        return g, None, None, gs, None


def index_add(input, dim, index, source, *, alpha=1, out=None) -> Tensor:
    """input with alpha·source[k] added to the slice index[k] along dim (repeats add up)."""
    need_tensor("index_add", input)
    return IndexAdd.apply(input, _dim_of(input, dim), index, source, alpha)


class IndexFill(Function):
    """x with the slices index[k] along dim set to value;   ∂/∂x = g.index_fill(dim, index, 0)"""
    node_name = "IndexFillBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, value):
        a = x._data.reshape(1) if x.ndim == 0 else x._data
        idx = _vector_index("index_fill", index, a.shape[dim], dim)
        out = a.copy(order="K")      # a clone keeps the layout, as in PyTorch
        out[(slice(None),) * dim + (idx,)] = _scalar_for(value, x.dtype)
        ctx.dim, ctx.index = dim, index
        return out.reshape(x._data.shape)

    @staticmethod
    def backward(ctx, g):
        with indices_in_range():
            return g.index_fill(ctx.dim, ctx.index, 0.0), None, None, None


def index_fill(input, dim, index, value) -> Tensor:
    """input with the slices at index along dim set to value."""
    need_tensor("index_fill", input)
    if isinstance(value, Tensor):
        value = value.item()
    return IndexFill.apply(input, _dim_of(input, dim), index, value)


class Take(Function):
    """x.flatten()[index] (negative indices count from the end);   ∂/∂x = zeros with g added at index"""
    node_name = "TakeBackward0"

    @staticmethod
    def forward(ctx, x, index):
        if index.dtype is not dtypes.int64:
            raise RuntimeError(f"take(): Expected a long tensor for index, but got {index.dtype._legacy}")
        n, idx = x._data.size, index._data
        bad = index_range(idx, -n, n)
        if bad:
            raise IndexError(f"out of range: tried to access index {bad[1] if bad[1] >= n else bad[0]} "
                             f"on a tensor of {n} elements.")
        ctx.shape, ctx.index = x._data.shape, idx
        return x._data.reshape(-1)[idx]

    @staticmethod
    def backward(ctx, g):
        n = 1
        for s in ctx.shape:
            n *= s
        return IndexAddInto.apply(g, (n,), (ctx.index,)).reshape(ctx.shape), None


def take(input, index) -> Tensor:
    """input.flatten()[index], shaped like index."""
    need_tensor("take", input)
    return Take.apply(input, index)


# ---- masks --------------------------------------------------------------------------------------

def _check_mask(name, mask):
    if mask.dtype is not dtypes.bool:
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype {mask.dtype.name}"
                           if name == "masked_fill_" else f"{name}: expected BoolTensor for mask")


class MaskedFill(Function):
    """x with value where mask is True;   ∂/∂x = g where mask is False, ∂/∂value = Σ g where mask"""
    node_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, x, mask, value):
        _check_mask("masked_fill_", mask)
        broadcast_shapes(mask._data.shape, x._data.shape)      # PyTorch's RuntimeError for a clash
        if isinstance(value, Tensor):
            if value.ndim:
                raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                                   f"with {value.ndim} dimension(s).")
            v = value._data.astype(x._data.dtype)
        else:
            v = _scalar_for(value, x.dtype) if not x.dtype.is_floating_point else value
        ctx.save_for_backward(mask)
        # a new contiguous array, as PyTorch's result; where, not out[mask] = v, as a mask index
        # makes a GPU count the selected elements on the host first
        return x._xp.where(mask._data, v, x._data).astype(x._data.dtype, order="C", copy=False)

    @staticmethod
    def backward(ctx, g):
        (mask,) = ctx.saved_tensors
        return where(mask, 0.0, g), None, None


class MaskedFillTensor(MaskedFill):
    node_name = "MaskedFillBackward1"

    @staticmethod
    def backward(ctx, g):
        (mask,) = ctx.saved_tensors
        gv = where(mask, g, 0.0).sum() if ctx.needs_input_grad[2] else None
        return where(mask, 0.0, g), None, gv


def masked_fill(input, mask, value) -> Tensor:
    """input with value (a number or a 0-d tensor) wherever mask is True."""
    need_tensor("masked_fill", input)
    cls = MaskedFillTensor if isinstance(value, Tensor) else MaskedFill
    return cls.apply(input, mask, value)


class MaskedSelect(Function):
    """the elements of x where mask is True, as a 1-D tensor (both broadcast first);
    ∂/∂x = zeros with g put back where mask is True"""
    node_name = "MaskedSelectBackward0"

    @staticmethod
    def forward(ctx, x, mask):
        _check_mask("masked_select", mask)
        xp = x._xp
        shape = broadcast_shapes(x._data.shape, mask._data.shape)
        m = xp.broadcast_to(mask._data, shape)
        ctx.m = m
        return xp.broadcast_to(x._data, shape)[m]

    @staticmethod
    def backward(ctx, g):
        xp, m = g._xp, ctx.m
        out = xp.zeros(m.shape, g._data.dtype)
        out[m] = g._data                # the engine sums it down to x's shape if x was broadcast
        return _wrap(out, g._device), None


def masked_select(input, mask, *, out=None) -> Tensor:
    """The elements of input where mask is True, as a 1-D tensor."""
    need_tensor("masked_select", input)
    return MaskedSelect.apply(input, mask)


class Nonzero(Function):
    """indices of the non-zero elements, shape (n, ndim) (not differentiable)"""

    @staticmethod
    def forward(ctx, x):
        xp = x._xp
        if not x.ndim:
            return xp.zeros((int(x._data != 0), 0), "int64")
        return xp.stack(xp.nonzero(x._data)).T     # (ndim, n) transposed: PyTorch's layout


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one tensor per dim."""
    need_tensor("nonzero", input)
    if as_tuple:
        return nonzero_tuple(input)
    return Nonzero.apply(input)


def nonzero_tuple(input):
    """``nonzero(input, as_tuple=True)``: one index tensor per dim (a 0-d input counts as 1-d)."""
    idx = Nonzero.apply(input if input.ndim else input.reshape(1))
    return tuple(idx[:, i] for i in range(idx.shape[1]))
