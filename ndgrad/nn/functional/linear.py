"""Affine maps: linear (one fused Function for the common 2-d case) and bilinear."""
from __future__ import annotations

from ...autograd.function import Function
from ...ops._checks import need_tensor
from ...ops.contraction import einsum
from ...ops.linalg import matmul
from ...tensor import Tensor

__all__ = ["linear", "bilinear"]


class Addmm(Function):
    """y = b + x·Wᵀ;   ∂L/∂x = g·W,  ∂L/∂W = gᵀ·x,  ∂L/∂b = Σₙ gₙ"""
    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias):
        a, w = x._data, weight._data
        if a.shape[1] != w.shape[1]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} "
                               f"and {w.shape[1]}x{w.shape[0]})")
        if a.dtype != w.dtype or bias._data.dtype != a.dtype:
            raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {x.dtype._legacy} and "
                               f"{(weight if a.dtype != w.dtype else bias).dtype._legacy}")
        ctx.save_for_backward(x, weight)
        out = a @ w.T
        out += bias._data             # broadcast in place into the fresh product: no extra array
        return out

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (g.mm(w) if need[0] else None,
                g.t().mm(x) if need[1] else None,
                g.sum(0) if need[2] else None)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x·Wᵀ + b over the last dim of ``input`` (any number of leading dims).

    Leading dims are folded into one, as PyTorch folds them, so the common case is a single
    matrix product with the bias added in place (grad_fn ``AddmmBackward0``)."""
    need_tensor("linear", input)
    need_tensor("linear", weight, 2, "weight")
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{input.ndim}D and {weight.ndim}D")
    if bias is None:
        return matmul(input, weight.t())
    if input.ndim == 2 and weight.ndim == 2:
        if bias.shape != (weight.shape[0],):
            bias.expand(input.shape[0], weight.shape[0])      # PyTorch's broadcast error
        return Addmm.apply(input, weight, bias)
    if not input.is_contiguous():          # PyTorch folds only contiguous inputs
        return matmul(input, weight.t()) + bias
    lead = input.shape[:-1]
    flat = Addmm.apply(input.view(-1, input.shape[-1]), weight, bias)
    return flat.view(*lead, weight.shape[0])


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """yₖ = x₁ᵀ·Aₖ·x₂ + bₖ for each output feature k (weight A of shape (out, in1, in2))."""
    need_tensor("bilinear", input1)
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(f"bilinear(): input batch dimensions do not match: got {list(input1.shape[:-1])} "
                           f"and {list(input2.shape[:-1])}")
    if weight.ndim != 3 or input1.shape[-1] != weight.shape[1] or input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input sizes {list(input1.shape)} and {list(input2.shape)} do not "
                           f"match the weight's {list(weight.shape)}")
    out = einsum("...i,kij,...j->...k", input1, weight, input2).contiguous()
    return out if bias is None else out + bias
