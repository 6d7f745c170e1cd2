"""embedding: rows of a weight table looked up by integer indices."""
from __future__ import annotations

from ... import dtypes
from ..._layout import c_contiguous
from ...autograd.function import Function
from ...autograd.grad_mode import no_grad
from ...ops._checks import index_range, indices_in_range, need_tensor
from ...ops.creation import zeros
from ...ops.pointwise import where
from ...tensor import Tensor, _wrap

__all__ = ["embedding"]


def _renorm_rows(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    with no_grad(), indices_in_range():       # embedding() has checked them
        rows = input.reshape(-1).unique()
        picked = weight[rows]
        norms = picked.norm(norm_type, dim=1, keepdim=True)
        # PyTorch rescales only the rows longer than max_norm (the 1e-7 is its guard too)
        weight[rows] = where(norms > max_norm, picked * (max_norm / (norms + 1e-7)), picked)


class Embedding(Function):
    """y[…] = W[i[…]];   ∂L/∂W[r] = Σ of g over the positions where i = r (none for padding_idx;
    divided by r's count in the batch when scale_grad_by_freq)"""
    node_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.indices, ctx.padding_idx, ctx.scale = indices, padding_idx, scale_grad_by_freq
        ctx.rows = weight.shape[0]
        return c_contiguous(weight._data[indices._data])

    @staticmethod
    def backward(ctx, g):
        idx = ctx.indices.reshape(-1)
        g = g.reshape(idx.shape[0], g.shape[-1])
        if ctx.padding_idx is not None or ctx.scale:
            xp, dt = g._xp, g._data.dtype
            # a product, not keep[idx == padding_idx] = 0: a mask store makes a GPU count on the host
            keep = (xp.ones(idx.shape[0], dt) if ctx.padding_idx is None
                    else (idx._data != ctx.padding_idx).astype(dt))
            if ctx.scale:
                counts = xp.bincount(idx._data, minlength=ctx.rows)
                keep /= counts[idx._data]
            g = g * _wrap(keep[:, None], g.device)
        with indices_in_range():
            gw = zeros(ctx.rows, g.shape[1], dtype=g.dtype, device=g.device).index_add(0, idx, g)
        return gw, None, None, None


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """weight[input]: each index picks a row. Rows longer than ``max_norm`` are first rescaled in
    place to that norm (as PyTorch does, without gradient)."""
    need_tensor("embedding", input)
    if input.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar "
                           f"types: Long, Int; but got torch.{input.dtype._legacy}Tensor instead (while "
                           "checking arguments for embedding)")
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if sparse:
        raise NotImplementedError("embedding(sparse=True): ndgrad has no sparse gradients")
    if padding_idx is not None:
        if not -weight.shape[0] <= padding_idx < weight.shape[0]:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx %= weight.shape[0]
    if index_range(input._data, 0, weight.shape[0]):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    return Embedding.apply(weight, input, padding_idx, scale_grad_by_freq)
