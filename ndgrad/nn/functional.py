"""``nn.functional``: layers and losses as functions."""
from __future__ import annotations

import warnings

from ..autograd.function import Function
from ..ops._common import broadcast_shapes, operands
from ..tensor import Tensor

__all__ = ["mse_loss"]


class MseLoss(Function):
    """reduce((x − y)²);   ∂/∂x = 2(x − y)·scale,  ∂/∂y = −2(x − y)·scale  (scale = 1/N for mean)"""
    node_name = "MseLossBackward0"
    elementwise = True        # reduction="none" is laid out like PyTorch's elementwise results

    @staticmethod
    def forward(ctx, x, y, reduction):
        a, b, _ = operands(x, y)
        diff = a - b
        ctx.save_for_backward(x, y)
        ctx.reduction = reduction
        sq = diff * diff
        if reduction == "mean":
            return sq.mean(dtype=sq.dtype)
        if reduction == "sum":
            return sq.sum(dtype=sq.dtype)
        return sq

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        d = (x - y) * 2
        if ctx.reduction == "mean":
            d = d / d.numel()
        gx = g * d
        return gx, -gx, None


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
             reduction: str = "mean") -> Tensor:
    """Mean squared error between input and target (broadcast, with PyTorch's warning)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if input.shape != target.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", stacklevel=2)
        shape = broadcast_shapes(input.shape, target.shape)
        input, target = input.expand(shape), target.expand(shape)
    return MseLoss.apply(input, target, reduction)
