"""``with ndgrad.autograd.trace():`` — watch backward run, node by node.

Each node prints as the engine calls it: its name, the gradient arriving from the output side
(shape and norm), and the gradient it sends to each input. Leaves print when their ``.grad``
receives a gradient. The order is the engine's: a node runs once all of its consumers have
sent it their gradients.
"""
from __future__ import annotations

import sys

from . import engine
from .function import AccumulateGrad
from .graph import _names

__all__ = ["trace"]


def _describe(g) -> str:
    return "None" if g is None else f"{tuple(g.shape)} norm {float(g.detach().double().norm()):.4g}"


def _target(node, names: dict) -> str:
    if node is None:
        return "nothing (no gradient needed)"
    if isinstance(node, AccumulateGrad):
        name = names.get(id(node.variable))
        return f"leaf {name}" if name else f"leaf {tuple(node.variable.shape)}"
    return node.name()


class trace:
    """A context manager: inside it, every backward() prints its steps (to ``file``, default
    stdout); ``params`` names leaves, e.g. ``dict(model.named_parameters())``.

    >>> x = ndgrad.tensor([1., 2.], requires_grad=True)
    >>> with ndgrad.autograd.trace(params={"x": x}):
    ...     (x * x).sum().backward()
    SumBackward0  receives () norm 1
      -> MulBackward0: (2,) norm 1.414
    MulBackward0  receives (2,) norm 1.414
      -> leaf x: (2,) norm 2.236
      -> leaf x: (2,) norm 2.236
    x.grad  += (2,) norm 4.472
    """

    def __init__(self, params=None, file=None):
        self.names = _names(params)
        self.file = file
        self._prev = None

    def node(self, node, incoming, outgoing) -> None:
        out = self.file or sys.stdout
        print(f"{node.name()}  receives {', '.join(_describe(g) for g in incoming)}", file=out)
        for (nxt, _), g in zip(node.next_functions, outgoing):
            if nxt is not None:
                print(f"  -> {_target(nxt, self.names)}: {_describe(g)}", file=out)

    def leaf(self, node, g) -> None:
        name = self.names.get(id(node.variable), f"leaf {tuple(node.variable.shape)}")
        print(f"{name}.grad  += {_describe(g)}", file=self.file or sys.stdout)

    def __enter__(self):
        self._prev, engine.tracer = engine.tracer, self
        return self

    def __exit__(self, *exc):
        engine.tracer = self._prev
        return False
