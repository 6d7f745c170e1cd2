"""Shapes and memory layout of results: broadcasting, and the layout PyTorch's TensorIterator
chooses for elementwise results.

NumPy lays a result out like its inputs when they agree and falls back to C order when they
don't; PyTorch orders the dims by the strides of the first operand that tells them apart
(broadcast dims ignored). The choice is visible: it decides ``is_contiguous()`` and whether a
later ``view`` succeeds.
"""
from __future__ import annotations

__all__ = ["torch_layout", "size_one_strides", "broadcast_shapes", "laid_out_like", "c_contiguous"]


def _strides_in(arr, shape):
    """arr's element strides once broadcast to ``shape`` (0 for broadcast dims)."""
    lead = len(shape) - arr.ndim
    out = [0] * lead
    for size, n, s in zip(arr.shape, shape[lead:], arr.strides):
        out.append(0 if size == 1 and n != 1 else s)
    return out


def _dim_order(shape, strides):
    """PyTorch's insertion sort of dims, fastest first (TensorIterator::reorder_dimensions)."""
    def should_swap(d0, d1):
        for st in strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return 1 if s0 > s1 else -1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    ndim = len(shape)
    perm = list(range(ndim - 1, -1, -1))
    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    return perm


def torch_layout(xp, out, inputs):
    """``out`` re-laid (a copy) where PyTorch would order its dims differently."""
    if all(a.shape == out.shape and a.flags.c_contiguous for a in inputs):
        return out             # PyTorch's fast path; with broadcasting, size-1 dims' strides count
    shape = out.shape
    perm = _dim_order(shape, [_strides_in(a, shape) for a in inputs])
    if perm == _dim_order(shape, [_strides_in(out, shape)]):
        return out
    slow_to_fast = perm[::-1]
    tmp = xp.empty([shape[d] for d in slow_to_fast], dtype=out.dtype)
    tmp = tmp.transpose([slow_to_fast.index(d) for d in range(len(shape))])
    tmp[...] = out
    return tmp


def size_one_strides(xp, out):
    """A fresh C-contiguous result with PyTorch's strides for its size-1 dims too.

    Both libraries ignore size-1 dims when they call an array contiguous, but PyTorch gives them
    the stride a contiguous allocation would (the product of the inner sizes) and its layout rule
    for broadcasting ops reads those strides; NumPy leaves whatever its reshapes produced."""
    if not out.flags.c_contiguous:
        return out
    strides, step = [], out.itemsize
    for size in reversed(out.shape):
        strides.append(step)
        step *= size
    strides = tuple(reversed(strides))
    if strides == out.strides:
        return out
    return xp.lib.stride_tricks.as_strided(out, out.shape, strides)


def broadcast_shapes(*shapes) -> tuple:
    """The broadcast of several shapes, or PyTorch's RuntimeError naming the clash."""
    ndim = max(len(s) for s in shapes)
    out = [1] * ndim
    for s in shapes:
        for i, n in enumerate(s, ndim - len(s)):
            if n != 1:
                if out[i] != 1 and out[i] != n:
                    raise RuntimeError(f"The size of tensor a ({out[i]}) must match the size of tensor b "
                                       f"({n}) at non-singleton dimension {i}")
                out[i] = n
    return tuple(out)


def laid_out_like(xp, a, values, dtype=None):
    """``values`` in ``a``'s memory layout (as a ufunc, or PyTorch's kernel, lays out its
    result) and in ``dtype`` (a's by default)."""
    out = xp.empty_like(a, dtype=dtype)
    out[...] = values
    return out


def c_contiguous(a):
    """PyTorch writes reductions and matrix products into fresh C-contiguous memory; NumPy
    keeps its inputs' order."""
    return a if a.flags.c_contiguous else a.copy(order="C")
