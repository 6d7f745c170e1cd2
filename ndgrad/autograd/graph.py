"""See the graph autograd built: ``print_graph`` (a text tree), ``to_dot`` (Graphviz DOT text)
and ``draw`` (a PNG or SVG drawn with matplotlib alone).

The graph behind a tensor is its ``grad_fn`` node and, recursively, each node's
``next_functions``: the nodes that receive the gradient it computes. Leaves appear as their
``AccumulateGrad`` node's tensor, with its shape, dtype and (when given) name. Edges point the
way gradients flow during backward: from the output towards the leaves.

>>> x = ndgrad.tensor(2.0, requires_grad=True)
>>> print_graph(x ** 2 + 3 * x + 2, params={"x": x})
AddBackward0
└── AddBackward0
    ├── PowBackward0
    │   └── x: () float32
    └── MulBackward0
        └── x: () float32 (shown above)
"""
from __future__ import annotations

import os

from ..tensor import Tensor
from .function import AccumulateGrad

__all__ = ["print_graph", "to_dot", "draw"]


def _leaf_label(node, names: dict) -> str:
    t = node.variable
    name = names.get(id(t), "")
    shape = tuple(t.shape)
    return f"{name + ': ' if name else ''}{shape} {str(t.dtype).split('.')[-1]}"


def _label(node, names: dict) -> str:
    return _leaf_label(node, names) if isinstance(node, AccumulateGrad) else node.name()


def _walk(root):
    """Every node reachable from ``root`` (depth first, each once) and the edges between them."""
    order, edges, seen, stack = [], [], {root}, [root]
    while stack:
        node = stack.pop()
        order.append(node)
        for nxt, _ in reversed(node.next_functions):
            if nxt is None:
                continue
            edges.append((node, nxt))
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return order, edges[::-1]


def _names(params) -> dict:
    """id(tensor) → name, from a dict like ``dict(model.named_parameters())``."""
    return {id(t): n for n, t in (params or {}).items()}


def _root(tensor: Tensor):
    if not isinstance(tensor, Tensor):
        raise TypeError(f"expected a Tensor, got {type(tensor).__name__}")
    if tensor.grad_fn is None:
        raise ValueError("this tensor has no graph behind it (grad_fn is None): it is a leaf, or it was "
                         "computed without requires_grad or under no_grad")
    return tensor.grad_fn


def print_graph(tensor: Tensor, params=None, file=None) -> None:
    """Print the graph behind ``tensor`` as an indented tree, root first. A node reached again
    through another path is marked "(shown above)" instead of repeated."""
    names, seen, lines = _names(params), set(), []

    def visit(node, prefix: str, tail: str, child_prefix: str):
        again = node in seen
        lines.append(prefix + tail + _label(node, names) + (" (shown above)" if again else ""))
        if again:
            return
        seen.add(node)
        children = [n for n, _ in node.next_functions if n is not None]
        for k, child in enumerate(children):
            last = k == len(children) - 1
            visit(child, child_prefix, "└── " if last else "├── ",
                  child_prefix + ("    " if last else "│   "))

    visit(_root(tensor), "", "", "")
    print("\n".join(lines), file=file)


def to_dot(tensor: Tensor, params=None) -> str:
    """The graph behind ``tensor`` as Graphviz DOT text (``dot -Tpng`` renders it): one box per
    node named like PyTorch's grad_fn classes, leaves as ellipses with shape, dtype and name."""
    names = _names(params)
    order, edges = _walk(_root(tensor))
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    lines = ["digraph autograd {", '  node [shape=box, fontname="monospace"];',
             f'  out [label="{_dot_escape("output " + str(tuple(tensor.shape)))}", shape=plaintext];',
             f"  out -> {ids[order[0]]};"]
    for node in order:
        shape = (', shape=ellipse, style=filled, fillcolor="#dde8ff"' if isinstance(node, AccumulateGrad)
                 else "")
        lines.append(f'  {ids[node]} [label="{_dot_escape(_label(node, names))}"{shape}];')
    lines += [f"  {ids[a]} -> {ids[b]};" for a, b in edges]
    return "\n".join(lines + ["}"]) + "\n"


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _layers(order, edges) -> dict:
    """node → its depth: the longest path from the root, so every edge points downwards."""
    depth = {order[0]: 0}
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            if depth.get(a, 0) + 1 > depth.get(b, -1):
                depth[b] = depth.get(a, 0) + 1
                changed = True
    return depth


def draw(tensor: Tensor, path, params=None, dpi: int = 150) -> None:
    """Draw the graph behind ``tensor`` to ``path`` (.png or .svg) with matplotlib: the output at
    the top, each node one row below the lowest node that sends it a gradient, arrows along the
    gradient's way, leaves shaded."""
    from matplotlib.figure import Figure  # optional: only drawing needs matplotlib
    names = _names(params)
    order, edges = _walk(_root(tensor))
    depth = _layers(order, edges)
    rows: dict = {}
    for node in order:
        rows.setdefault(depth[node], []).append(node)
    width = max(len(r) for r in rows.values())
    fig = Figure(figsize=(max(4.0, 2.6 * width), 1.1 * (len(rows) + 1)))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(-len(rows) + 0.4, 1.6)
    where = {}
    for d, nodes in rows.items():
        for k, node in enumerate(nodes):
            where[node] = ((k + 0.5) * width / len(nodes) - 0.5, -d)
    box = dict(boxstyle="round,pad=0.4", fc="white", ec="#333333")
    leaf = dict(boxstyle="round,pad=0.4", fc="#dde8ff", ec="#335599")
    top = (where[order[0]][0], 1)
    ax.annotate(f"output {tuple(tensor.shape)}", xy=where[order[0]], xytext=top, ha="center", va="center",
                fontsize=9, family="monospace", arrowprops=dict(arrowstyle="->", color="#666666", shrinkB=14))
    for a, b in edges:
        ax.annotate("", xy=where[b], xytext=where[a],
                    arrowprops=dict(arrowstyle="->", color="#666666", shrinkA=14, shrinkB=14))
    for node, (x, y) in where.items():
        ax.text(x, y, _label(node, names), ha="center", va="center", fontsize=9, family="monospace",
                bbox=leaf if isinstance(node, AccumulateGrad) else box)
    fmt = os.path.splitext(str(path))[1].lstrip(".").lower() or "png"
    if fmt not in ("png", "svg"):
        raise ValueError(f"draw() writes .png or .svg files, not .{fmt}")
    fig.savefig(path, format=fmt, dpi=dpi)          # a bare Figure: no pyplot state, no window
