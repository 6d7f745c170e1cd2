"""Dropout: zero each element with probability p while training, scale the rest by 1/(1 − p)."""
from __future__ import annotations

from ... import backend
from ...ops._common import need_tensor
from ...tensor import Tensor, _wrap

__all__ = ["dropout"]


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """x·m/(1 − p) with m ~ Bernoulli(1 − p) drawn on x's device; the identity when not training.
    The gradient is g·m/(1 − p): the mask is a constant of a plain multiplication."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    need_tensor("dropout", input)
    if not training or p == 0:
        return input
    a = input._data
    rng = backend.generator(input._device)
    if p == 1:
        scale = input._xp.zeros(a.shape, a.dtype)
    else:
        scale = (rng.random(a.shape, dtype="float32") >= p).astype(a.dtype) * a.dtype.type(1 / (1 - p))
    mask = _wrap(scale, input._device)
    return input.mul_(mask) if inplace else input * mask
