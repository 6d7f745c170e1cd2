"""OpSpec: what the cross-check suite needs to know about one public op."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["OpSpec", "Sample", "Arr", "REGISTRY", "register", "caller"]


@dataclass(frozen=True)
class Arr:
    """A tensor argument: its values (a NumPy array) and the memory layout to give it.

    ``layout="transposed"`` builds the same values with reversed strides (a non-contiguous
    tensor); ``grad=False`` marks integer index arrays and masks, which never require grad.
    """
    values: object
    layout: str = "contiguous"
    grad: bool = True

    def __repr__(self):
        v = self.values
        return f"Arr({v.dtype}{list(v.shape)}, {self.layout}, {v.tolist()!r})"


@dataclass(frozen=True)
class Sample:
    """Positional and keyword arguments for one call; ``Arr`` entries become tensors."""
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass
class OpSpec:
    """One public op: how to call it in each form, how to draw its inputs, what to verify.

    ``forms`` maps a form name ("function", "method", "operator", "inplace", an alias...)
    to ``fn(lib, *args, **kwargs)``: the *same* callable runs against ``ndgrad`` and against
    ``torch`` (``lib``), so the two sides cannot drift apart.
    """
    name: str
    forms: dict
    sample: object                         # hypothesis strategy of Sample
    grad: bool = True                      # differentiable: compare float64 VJPs
    errors: tuple = ()                     # (description, strategy[, forms]) cases that must raise
    no_errors: str = ""                    # why ``errors`` is empty: no input makes PyTorch raise
    rtol: float | None = None              # float32 tolerances (defaults in compare.py)
    atol: float | None = None
    node_name: bool = True                 # compare grad_fn class names with PyTorch's
    covers: tuple = ()                     # other public names this spec verifies (aliases)
    grad_sample: object = None             # inputs for the gradient check, when they must differ
    note: str = ""
    op: str = ""                           # the public name it checks, where ``name`` is none
                                           # (F.pad_circular)
    where: tuple = ()                      # (file, line) of the spec module's statement that registered it

    def __repr__(self):
        return f"OpSpec({self.name!r})"

    @property
    def names(self) -> tuple:
        return (self.name,) + tuple(self.covers)


REGISTRY: dict = {}

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def caller() -> tuple:
    """(file relative to the repository root, line) of the module-level statement now running:
    the line of a spec module that registers a spec, directly or through a helper function."""
    f = sys._getframe(1)
    while f.f_back is not None and f.f_code.co_name != "<module>":
        f = f.f_back
    return os.path.relpath(f.f_code.co_filename, _ROOT).replace(os.sep, "/"), f.f_lineno


def register(name: str, forms: dict | Callable, sample, **kw) -> OpSpec:
    if name in REGISTRY:
        raise ValueError(f"OpSpec {name!r} registered twice")
    if callable(forms):
        forms = {"function": forms}
    spec = OpSpec(name, forms, sample, where=kw.pop("where", None) or caller(), **kw)
    REGISTRY[name] = spec
    return spec
