"""Matrix products: matmul (@), mm, bmm, mv, dot, outer.

For C = A·B the gradients are ∂L/∂A = G·Bᵀ and ∂L/∂B = Aᵀ·G, with vectors treated as
matrices of one row or column.
"""
from __future__ import annotations

from .._layout import broadcast_shapes, c_contiguous
from ..autograd.function import Function
from ..dtypes import not_implemented
from ..tensor import Tensor
from .shape import Squeeze

__all__ = ["mm", "bmm", "mv", "dot", "outer", "ger", "matmul"]


def _same_dtype(a, b, kernel="addmm_impl_cpu_"):
    """Both operands of one dtype, not bool (PyTorch's CPU kernels have no bool version)."""
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a.dtype._legacy} != "
                           f"{b.dtype._legacy}")
    if a.dtype._category == 0:
        raise not_implemented(kernel, a.dtype)


class Mm(Function):
    """A·B for matrices;   ∂/∂A = G·Bᵀ,  ∂/∂B = Aᵀ·G"""
    node_name = "MmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        n = ctx.needs_input_grad
        ctx.save_for_backward(a if n[1] else None, b if n[0] else None)
        return c_contiguous(a._data @ b._data)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return (g.mm(b.t()) if b is not None else None,
                a.t().mm(g) if a is not None else None)


def mm(input, mat2) -> Tensor:
    """Matrix product of two 2-D tensors of the same dtype."""
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({input.shape[0]}x"
                           f"{input.shape[1]} and {mat2.shape[0]}x{mat2.shape[1]})")
    _same_dtype(input, mat2)
    return Mm.apply(input, mat2)


class Bmm(Function):
    """Aᵢ·Bᵢ for each batch i;   ∂/∂A = G·Bᵀ,  ∂/∂B = Aᵀ·G (batched)"""
    node_name = "BmmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return c_contiguous(a._xp.matmul(a._data, b._data))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        n = ctx.needs_input_grad
        return (g.bmm(b.transpose(1, 2)) if n[0] else None,
                a.transpose(1, 2).bmm(g) if n[1] else None)


def bmm(input, mat2) -> Tensor:
    """Batched matrix product: (b, n, k) @ (b, k, m) -> (b, n, m)."""
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input.shape[0]}, {input.shape[2]}] but got: "
                           f"[{mat2.shape[0]}, {mat2.shape[1]}].")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype._legacy} but found {mat2.dtype._legacy}")
    _same_dtype(input, mat2, "bmm")
    return Bmm.apply(input, mat2)


class Mv(Function):
    """A·v;   ∂/∂A = g vᵀ (outer product),  ∂/∂v = Aᵀ·g"""
    node_name = "MvBackward0"

    @staticmethod
    def forward(ctx, a, v):
        ctx.save_for_backward(a, v)
        return c_contiguous(a._data @ v._data)

    @staticmethod
    def backward(ctx, g):
        a, v = ctx.saved_tensors
        n = ctx.needs_input_grad
        return (g.unsqueeze(1) * v if n[0] else None, a.t().mv(g) if n[1] else None)


def mv(input, vec) -> Tensor:
    """Matrix-vector product: (n, k) @ (k) -> (n)."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input.shape[0]}), mat ({input.shape[0]}x"
                           f"{input.shape[1]}), vec ({vec.shape[0]})")
    _same_dtype(input, vec, "addmv_impl_cpu")
    return Mv.apply(input, vec)


class Dot(Function):
    """a·b = Σ aᵢbᵢ;   ∂/∂a = g·b,  ∂/∂b = g·a"""
    node_name = "DotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a._xp.dot(a._data, b._data)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        n = ctx.needs_input_grad
        return (g * b if n[0] else None, g * a if n[1] else None)


def dot(input, other) -> Tensor:
    """Inner product of two 1-D tensors of the same length and dtype."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    if input.dtype is not other.dtype:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                           f"{input.dtype._legacy} and {other.dtype._legacy}")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
                           f"[{other.shape[0]}] to have the same number of elements, but got "
                           f"{input.shape[0]} and {other.shape[0]} elements respectively")
    if input.dtype._category == 0:
        raise not_implemented("dot", input.dtype)
    return Dot.apply(input, other)


def outer(input, vec2) -> Tensor:
    """Outer product aᵢ·bⱼ of two 1-D tensors (a broadcast multiply)."""
    if input.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"outer: expected 1D tensors, but got {input.ndim}D and {vec2.ndim}D")
    return input.reshape(-1, 1) * vec2


ger = outer


class _SqueezeRow(Squeeze):
    """the row vector (1, m) of a (k) @ (k, m) product squeezed back to (m)"""
    node_name = "SqueezeBackward4"


class Matmul(Function):
    """Batched, broadcasting A@B (vectors promoted to matrices and back);
    ∂/∂A = G·Bᵀ,  ∂/∂B = Aᵀ·G, then summed over broadcast batch dims by the engine"""
    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return c_contiguous(a._xp.matmul(a._data, b._data))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        n = ctx.needs_input_grad
        ga = gb = None
        if a.ndim == 1:                    # (k) @ (..., k, m) -> (..., m)
            if n[0]:
                ga = (g.unsqueeze(-2) @ b.transpose(-1, -2)).squeeze(-2)
            if n[1]:
                gb = a.unsqueeze(-1) * g.unsqueeze(-2)
        elif b.ndim == 1:                  # (..., n, k) @ (k) -> (..., n)
            if n[0]:
                ga = g.unsqueeze(-1) * b
            if n[1]:
                gb = (a.transpose(-1, -2) @ g.unsqueeze(-1)).squeeze(-1)
        else:
            if n[0]:
                ga = g @ b.transpose(-1, -2)
            if n[1]:
                gb = a.transpose(-1, -2) @ g
        return ga, gb


def matmul(input, other) -> Tensor:
    """Matrix product with NumPy's rules: vectors, matrices and broadcast batches."""
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError("matmul(): argument 'other' (position 2) must be Tensor")
    da, db = input.ndim, other.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D "
                           f"and {db}D")
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 2:
        return mm(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    k_a = input.shape[-1]
    k_b = other.shape[-2] if db > 1 else other.shape[0]
    if k_a != k_b:
        sa = "x".join(map(str, input.shape)) if da > 1 else f"1x{k_a}"
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa} and "
                           f"{'x'.join(map(str, other.shape))})")
    _same_dtype(input, other)
    if da == 1 and db == 2:
        return _SqueezeRow.apply(mm(input.unsqueeze(0), other), (0,))
    batch_a, batch_b = input.shape[:-2], other.shape[:-2] if db > 1 else ()
    try:
        broadcast_shapes(batch_a, batch_b)
    except RuntimeError:
        raise RuntimeError(f"The size of tensor a must match the size of tensor b at non-singleton "
                           f"dimension: batch shapes {list(batch_a)} and {list(batch_b)}") from None
    return Matmul.apply(input, other)


def _rmatmul(self, other) -> Tensor:
    return matmul(other, self)
