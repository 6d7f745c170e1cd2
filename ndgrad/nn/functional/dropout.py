"""Dropout, as PyTorch computes it on the CPU (``_dropout_impl`` in ATen's Dropout.cpp).

While training, with probability p an element (or, for the feature variants, a whole channel)
is dropped::

    noise  = empty_like(input).bernoulli_(1 − p)     # 1 = kept; (N, C, 1, ...) per channel
    noise /= 1 − p                                   # a division in input's dtype, as PyTorch's
    output = input · noise

Alpha dropout (for SELU networks) sends dropped elements to SELU's negative saturation −α'
instead, then restores mean 0 and variance 1 with an affine map: with a = 1/√((α'²p + 1)(1 − p)),
kept elements become a·x + α'a·p and dropped ones −α'a·(1 − p)
(output = input·(a·noise) + b, b = (noise − 1)·α'a + α'a·p).

These are compositions of Tensor ops (PyTorch's are too), so the gradient is g · noise and the
output's ``grad_fn`` is PyTorch's (MulBackward0; AddBackward0 for alpha dropout). p = 0, eval mode
and empty inputs return the input itself; p = 1 multiplies by a zero (NaN stays NaN).
"""
from __future__ import annotations

import math
import warnings

from ...autograd.grad_mode import no_grad
from ...ops._checks import need_tensor
from ...ops.creation import empty, empty_like, zeros
from ...tensor import Tensor

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]

_SELU_SATURATION = 1.7580993408473766          # −SELU(−∞) = λ·α


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _feature_noise(input: Tensor) -> Tensor:
    """Uninitialised (N, C, 1, ..., 1): one draw per sample and channel."""
    if input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return empty(tuple(input.shape[:2]) + (1,) * (input.ndim - 2), dtype=input.dtype, device=input.device)


def _dropout_impl(input: Tensor, p: float, training: bool, inplace: bool, feature: bool = False,
                  alpha: bool = False) -> Tensor:
    """PyTorch's ``_dropout_impl``: noise of input's shape (of (N, C, 1, ...) for ``feature``),
    drawn on input's device, scaled in input's dtype, then multiplied in (and shifted, for
    ``alpha``)."""
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        nothing = zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(nothing) if inplace else input * nothing
    with no_grad():
        noise = _feature_noise(input) if feature else empty_like(input)
        noise.bernoulli_(1 - p)
        if alpha:
            a = 1.0 / math.sqrt((_SELU_SATURATION ** 2 * p + 1) * (1 - p))
            b = noise.add(-1).mul_(_SELU_SATURATION * a).add_(_SELU_SATURATION * a * p)
            noise.mul_(a)
        else:
            noise.div_(1 - p)
    out = input.mul_(noise) if inplace else input * noise
    return out.add_(b) if alpha else out


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """input·m/(1 − p) with m ~ Bernoulli(1 − p) per element; the identity when not training."""
    _check_p(p)
    need_tensor("dropout", input)
    return _dropout_impl(input, p, training, inplace)


def _deprecated_dims(name: str, ndim: int, spatial: int, accepted: str) -> None:
    warnings.warn(f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will result in an "
                  "error in a future release. To retain the behavior and silence this warning, please use "
                  f"dropout instead. Note that {name} exists to provide channel-wise dropout on inputs with "
                  f"{spatial} spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
                  f"{accepted} inputs).", stacklevel=3)


def _unbatched(input: Tensor, p: float, training: bool, inplace: bool, batched: bool) -> Tensor:
    """Feature dropout of an input that may lack the batch dim: it is given one, then removed."""
    if batched:
        return _dropout_impl(input, p, training, inplace, feature=True)
    out = _dropout_impl(input.unsqueeze(0), p, training, inplace, feature=True)
    return input if inplace else out.squeeze(0)      # in place, the view wrote into input


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of an (N, C, L) or (C, L) input: one m ~ Bernoulli(1 − p) per channel."""
    _check_p(p)
    need_tensor("dropout1d", input)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note "
                           "that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
                           "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
                           "inputs).")
    return _unbatched(input, p, training, inplace, batched=input.ndim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of an (N, C, H, W) input. A 3-d input is read as (N, C, L), as PyTorch
    still reads it (with a warning), not as an unbatched (C, H, W)."""
    _check_p(p)
    need_tensor("dropout2d", input)
    if input.ndim not in (3, 4):
        _deprecated_dims("dropout2d", input.ndim, 2, "3D or 4D")
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel "
                      "dim. This behavior will change in a future release to interpret the input as one "
                      "without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise "
                      "dropout behavior, please switch to using dropout1d instead.", stacklevel=2)
    return _dropout_impl(input, p, training, inplace, feature=True)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of an (N, C, D, H, W) or (C, D, H, W) input."""
    _check_p(p)
    need_tensor("dropout3d", input)
    if input.ndim not in (4, 5):
        _deprecated_dims("dropout3d", input.ndim, 3, "4D or 5D")
    return _unbatched(input, p, training, inplace, batched=input.ndim == 5)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout that keeps a SELU network's mean 0 and variance 1 (see the module's docstring)."""
    _check_p(p)
    need_tensor("alpha_dropout", input)
    return _dropout_impl(input, p, training, inplace, alpha=True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels: one draw per (sample, channel), broadcast over the rest."""
    _check_p(p)
    need_tensor("feature_alpha_dropout", input)
    return _dropout_impl(input, p, training, inplace, feature=True, alpha=True)
