"""Dropout: zero each element with probability p while training, scale the rest by 1/(1 − p)."""
from __future__ import annotations

import warnings

import math

from ...random.generator import engine
from ...ops._common import need_tensor
from ...tensor import Tensor, _wrap

__all__ = ["dropout", "dropout2d"]


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """x·m/(1 − p) with m ~ Bernoulli(1 − p) per element; the identity when not training."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    need_tensor("dropout", input)
    return _masked(input, p, training, inplace, input.shape)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels: x·m/(1 − p) with one m ~ Bernoulli(1 − p) per (sample, channel) of an
    (N, C, H, W) input (of a (N, C, L) one, as PyTorch reads 3-d inputs)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    need_tensor("dropout2d", input)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel "
                      "dim. This behavior will change in a future release to interpret the input as one without "
                      "a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.")
    elif input.ndim != 4:
        warnings.warn(f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will "
                      "result in an error in a future release. To retain the behavior and silence this warning, "
                      "please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on "
                      "inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 3D or 4D inputs).")
    return _masked(input, p, training, inplace, input.shape[:2] + (1,) * (input.ndim - 2))


def _masked(input: Tensor, p: float, training: bool, inplace: bool, shape: tuple) -> Tensor:
    """input·m/(1 − p), m ~ Bernoulli(1 − p) of ``shape`` (broadcast over the rest), drawn on
    input's device; the gradient is g·m/(1 − p), the mask being a constant of a multiplication."""
    if not training or p == 0:
        return input
    dt = input._data.dtype
    if p == 1:
        scale = input._xp.zeros(shape, dt)
    else:
        rng = engine(input._device)
        scale = rng.bernoulli(math.prod(shape), 1 - p, dt).reshape(shape) / dt.type(1 - p)
    mask = _wrap(scale, input._device)
    return input.mul_(mask) if inplace else input * mask
