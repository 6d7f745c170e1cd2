"""Gradient clipping, applied to ``.grad`` in place between backward() and step()."""
from __future__ import annotations

import math

from ...autograd.grad_mode import no_grad
from ...ops.creation import tensor as _tensor
from ...ops.join import stack
from ...tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _grads(parameters) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


@no_grad()
def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Scale all gradients by min(1, max_norm / (‖g‖ + 1e−6)), ‖g‖ the norm of all of them
    concatenated; returns that total norm."""
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return _tensor(0.0)
    norms = stack([g.norm(norm_type) for g in grads])
    total = norms.max() if norm_type == math.inf else norms.norm(norm_type)
    if error_if_nonfinite and (total.isnan() | total.isinf()).item():
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is "
                           "non-finite, so it cannot be clipped. To disable this error and scale the "
                           "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
    coef = (max_norm / (total + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(coef.to(g.dtype))
    return total


@no_grad()
def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Clamp every gradient element into [−clip_value, clip_value]."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        g.clamp_(min=-clip_value, max=clip_value)
