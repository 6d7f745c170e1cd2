"""``Optimizer``: parameter groups, per-parameter state, zero_grad, state_dict/load_state_dict.

Subclasses implement ``_update(group, p, grad, state)`` for one parameter: the update rule on
the backend arrays, written in place into ``p`` (no autograd history, like PyTorch's steps
under ``no_grad``)."""
from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from typing import Callable

from .. import backend
from ..autograd.grad_mode import enable_grad, no_grad
from ..nn.modules.module import zero_grad
from ..tensor import Tensor, _wrap

__all__ = ["Optimizer", "required"]


class _Required:
    """Marks a hyperparameter with no default (SGD's lr before PyTorch 2.2)."""

    def __repr__(self):
        return "<required parameter>"


required = _Required()
_SET_ERROR = ("optimizer parameters need to be organized in ordered collections, but the ordering of "
              "tensors in sets will change between runs. Please use a list instead.")


class Optimizer:
    """Holds ``param_groups`` (each a dict: ``params`` and its hyperparameters) and ``state``
    (per parameter: step counts, moment estimates...).

    The groups also carry PyTorch's keys for its other implementations (foreach, fused,
    capturable, differentiable): ndgrad has one implementation and ignores them, but keeps
    them so that groups, state_dicts and the printed optimizer match PyTorch's."""

    def __init__(self, params, defaults: dict):
        self.defaults = defaults
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors "
                            f"or dicts, but got {params.type()}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for g in groups:
            self.add_param_group(g)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group (e.g. a layer with its own lr); missing hyperparameters take the defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(_SET_ERROR)
        else:
            params = list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__module__}.{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        group = dict(param_group, params=params)
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required optimization "
                                 f"parameter {name}")
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if len({id(p) for p in params}) != len(params):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, "
                          "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for "
                          "more information", stacklevel=3)
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients (``None``, the default; or fill them with zeros)."""
        zero_grad((p for group in self.param_groups for p in group["params"]), set_to_none)

    @no_grad()
    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient. ``closure`` re-evaluates the
        model and returns the loss (it runs with grad enabled)."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    grad = p.grad._data
                    if group.get("maximize"):
                        grad = -grad
                    self._update(group, p._data, grad, self.state[p])
                    p._version[0] += 1            # an in-place change, as in PyTorch
        return loss

    def _update(self, group: dict, param, grad, state: dict) -> None:
        raise NotImplementedError

    @staticmethod
    def _zeros_like(param) -> Tensor:
        """A state buffer of zeros on the parameter's device, in its dtype."""
        z = param.copy()
        z.fill(0)
        return _wrap(z)

    @staticmethod
    def _new_step() -> Tensor:
        """The step count: a float32 0-d tensor on the CPU whatever the parameter's device, as
        PyTorch keeps it, so that reading it never waits for the GPU."""
        return _wrap(backend.array_module(backend.CPU).zeros((), "float32"))

    @staticmethod
    def _step_count(state: dict) -> float:
        """Increment and return the step count."""
        state["step"]._data += 1
        return float(state["step"]._data)

    # ---- saving -------------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """``{"state": {index: state}, "param_groups": [group with params as indices]}``, where a
        parameter's index counts through all groups in order (so no Tensor identities are saved)."""
        index, groups = {}, []
        for g in self.param_groups:
            for p in g["params"]:
                index.setdefault(id(p), len(index))
            packed = {k: v for k, v in g.items() if k != "params"}
            packed["params"] = [index[id(p)] for p in g["params"]]
            groups.append(packed)
        state = {index[id(p)]: s for p, s in self.state.items() if id(p) in index and s}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyperparameters and state saved by ``state_dict`` (into a new optimizer built
        over the same parameters); state tensors move to each parameter's device and dtype, except
        the step count, which stays as it was saved (as in PyTorch)."""
        state_dict = _copy(state_dict)
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(a["params"]) != len(b["params"]) for a, b in zip(self.param_groups, saved)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size "
                             "of optimizer's group")
        by_index = {i: p for s, g in zip(saved, self.param_groups) for i, p in zip(s["params"], g["params"])}
        self.state = defaultdict(dict)
        for i, s in state_dict["state"].items():
            i = int(i)                            # JSON keys come back as strings
            if i in by_index:
                p = by_index[i]
                self.state[p] = {k: v.to(p.device, p.dtype) if isinstance(v, Tensor) and k != "step"
                                 else v for k, v in s.items()}
        self.param_groups = [dict(s, params=g["params"]) for s, g in zip(saved, self.param_groups)]

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {k}: {group[k]}\n" for k in sorted(group) if k != "params")
        return text + ")"


def array_module(arr):
    """NumPy or CuPy, whichever holds ``arr``."""
    return backend.array_module(backend.device_of_array(arr))


def _copy(obj):
    """A deep copy of nested dicts/lists whose tensors are cloned."""
    if isinstance(obj, Tensor):
        return obj.detach().clone()
    if isinstance(obj, dict):
        return {k: _copy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_copy(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_copy(v) for v in obj)
    return copy.deepcopy(obj)
