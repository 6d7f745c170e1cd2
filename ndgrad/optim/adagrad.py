"""Adagrad: each coordinate's step shrinks with the sum of its squared gradients."""
from __future__ import annotations

from .optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """S ← S + g²;  θ ← θ − lr_t·g/(√S + ε) with lr_t = lr / (1 + (t − 1)·lr_decay)."""

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach=None, *,
                 maximize: bool = False, differentiable: bool = False, fused=None):
        for name, value in (("learning rate", lr), ("lr_decay value", lr_decay),
                            ("weight_decay value", weight_decay),
                            ("initial_accumulator_value value", initial_accumulator_value),
                            ("epsilon value", eps)):
            if value < 0.0:
                raise ValueError(f"Invalid {name}: {value}")
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      foreach=foreach, maximize=maximize, differentiable=differentiable,
                                      fused=fused))
        # PyTorch fills the state when it is built, from the constructor's value (a group's own
        # initial_accumulator_value is not used)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(self.state[p], p._data, initial_accumulator_value)

    def _init_state(self, state, param, value):
        state["step"] = self._new_step()
        state["sum"] = self._zeros_like(param)
        state["sum"]._data += value

    def _update(self, group, param, grad, state):
        if "sum" not in state:                    # a group added after construction
            self._init_state(state, param, group["initial_accumulator_value"])
        step = self._step_count(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        s = state["sum"]._data
        s += grad * grad
        param -= clr * (grad / (s ** 0.5 + group["eps"]))
