"""RMSprop: divide the step by a running root-mean-square of recent gradients."""
from __future__ import annotations

from .optimizer import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """v ← αv + (1 − α)g²;  s = √v + ε  (centered: √(v − ḡ²) + ε with ḡ ← αḡ + (1 − α)g);
    θ ← θ − lr·g/s, or with momentum μ: b ← μb + g/s, θ ← θ − lr·b."""

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach=None, maximize: bool = False,
                 differentiable: bool = False):
        for name, value in (("learning rate", lr), ("epsilon value", eps), ("momentum value", momentum),
                            ("weight_decay value", weight_decay), ("alpha value", alpha)):
            if value < 0.0:
                raise ValueError(f"Invalid {name}: {value}")
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                                      weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable))

    def _update(self, group, param, grad, state):
        alpha, momentum = group["alpha"], group["momentum"]
        if not state:
            state["step"] = self._new_step()
            state["square_avg"] = self._zeros_like(param)
            if momentum > 0:
                state["momentum_buffer"] = self._zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = self._zeros_like(param)
        self._step_count(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        v = state["square_avg"]._data
        v *= alpha
        v += (1 - alpha) * grad * grad
        if group["centered"]:
            mean = state["grad_avg"]._data
            mean += (1 - alpha) * (grad - mean)
            avg = (v - mean * mean) ** 0.5 + group["eps"]
        else:
            avg = v ** 0.5 + group["eps"]
        if momentum > 0:
            buf = state["momentum_buffer"]._data
            buf *= momentum
            buf += grad / avg
            param -= group["lr"] * buf
        else:
            param -= group["lr"] * (grad / avg)
