"""The backward engine: walk the graph from the roots, call each node's backward once.

1. count, for every node reachable from the roots, how many edges point at it;
2. start from the roots; a node runs when all the gradients flowing into it have arrived
   (its count drops to zero), so each node's gradient is summed before it is used;
3. a node's backward returns one gradient per input; each is checked against the input's
   shape and dtype (broadcasting is undone here, by summing, as PyTorch's engine does)
   and added into the buffer of the node that produced that input;
4. ``AccumulateGrad`` nodes add into the leaves' ``.grad``;
5. unless ``retain_graph``, each node frees its saved tensors after it ran.
"""
from __future__ import annotations

import heapq
import warnings

from .. import dtypes
from ..backend import array_module
from ..tensor import Size, Tensor, _wrap
from .function import AccumulateGrad, FunctionCtx
from .grad_mode import ANOMALY, STATE

__all__ = ["backward", "grad"]

# Set by ``ndgrad.autograd.trace()``: an object told about each node as backward runs it.
tracer = None


def _make_grads(outputs, grads):
    """Default gradient: ones for scalars; otherwise check shapes like PyTorch."""
    result = []
    for i, (out, g) in enumerate(zip(outputs, grads)):
        if g is None:
            if out._requires_grad and out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            xp = out._xp
            g = _wrap(xp.ones_like(out._data), out._device)
        elif not isinstance(g, Tensor):
            from ..ops.creation import tensor as _tensor
            g = _tensor(g, dtype=out.dtype, device=out._device)
        elif g._data.shape != out._data.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                               f"{Size(g._data.shape)} and output[{i}] has a shape of "
                               f"{Size(out._data.shape)}.")
        result.append(g)
    return result


def _root_edges(outputs):
    edges = []
    for i, t in enumerate(outputs):
        if t.grad_fn is not None:
            edges.append((t.grad_fn, t._output_nr))
        elif t._requires_grad:
            edges.append((AccumulateGrad.of(t), 0))
        else:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    return edges


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into every leaf's ``.grad`` (``torch.autograd.backward``)."""
    tensors = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) or (None,) * len(tensors)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(grads)} tensors and {len(tensors)} gradients")
    if retain_graph is None:
        retain_graph = create_graph
    edges = _root_edges(tensors)
    grads = _make_grads(tensors, grads)
    only = None
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if not inputs:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        only = {_input_edge(t)[0] for t in inputs}
    _execute(edges, grads, retain_graph, create_graph, capture=None, only=only)


def _input_edge(t: Tensor):
    if not t._requires_grad:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    if t.grad_fn is not None:
        return (t.grad_fn, t._output_nr)
    return (AccumulateGrad.of(t), 0)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return d(outputs)/d(inputs) without touching any ``.grad`` (``torch.autograd.grad``)."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and not allow_unused:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    grads = _as_tuple(grad_outputs) or (None,) * len(outputs)
    if len(grads) != len(outputs):
        raise RuntimeError(f"grad requires one grad_output per output: got {len(grads)} "
                           f"grad_outputs and {len(outputs)} outputs")
    if retain_graph is None:
        retain_graph = create_graph
    edges = _root_edges(outputs)
    grads = _make_grads(outputs, grads)
    capture = {}
    keys = [_input_edge(t) for t in inputs]
    for k in keys:
        capture[k] = None
    _execute(edges, grads, retain_graph, create_graph, capture=capture, only=None)
    result = []
    for t, k in zip(inputs, keys):
        g = capture[k]
        if g is None:
            if not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been used "
                                   "in the graph. Set allow_unused=True if this is the desired behavior.")
            if materialize_grads:
                g = _wrap(t._xp.zeros_like(t._data), t._device)
        result.append(g)
    return tuple(result)


def _dependencies(roots):
    """Number of graph edges pointing at each node reachable from the roots."""
    deps = {}
    stack = []
    for node, _ in roots:
        if node not in deps:
            deps[node] = 0
            stack.append(node)
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is not None:
                if nxt in deps:
                    deps[nxt] += 1
                else:
                    deps[nxt] = 1
                    stack.append(nxt)
    return deps


def _useful(deps, targets):
    """Nodes from which some target node can be reached (the rest need not run)."""
    order, pending = [], dict(deps)
    ready = [n for n, d in deps.items() if d == 0]
    while ready:
        node = ready.pop()
        order.append(node)
        for nxt, _ in node.next_functions:
            if nxt is not None:
                pending[nxt] -= 1
                if pending[nxt] == 0:
                    ready.append(nxt)
    useful = set()
    for node in reversed(order):
        if node in targets or any(n in useful for n, _ in node.next_functions if n is not None):
            useful.add(node)
    return useful


def _execute(roots, root_grads, retain_graph, create_graph, capture, only):
    deps = _dependencies(roots)
    buffers = {}
    for (node, nr), g in zip(roots, root_grads):
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * node._n_outputs
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    targets = set(only) if only is not None else ({n for n, _ in capture} if capture else None)
    useful = _useful(deps, targets) if targets is not None else None
    ready = []
    for node, _ in roots:
        if deps[node] == 0 and node in buffers:
            deps[node] = -1             # queued
            heapq.heappush(ready, (-node._seq, id(node), node))
    prev = STATE.enabled
    STATE.enabled = create_graph
    try:
        while ready:
            node = heapq.heappop(ready)[2]
            buf = buffers.pop(node, None) or [None] * node._n_outputs
            if node._pre_hooks:
                _run_pre_hooks(node, buf)
            if capture:
                for nr, g in enumerate(buf):
                    if (node, nr) in capture and g is not None:
                        capture[(node, nr)] = g
            if useful is not None and node not in useful:
                grads = None
            elif node.__class__ is AccumulateGrad:
                if capture is None and buf[0] is not None:
                    if tracer is not None:
                        tracer.leaf(node, buf[0])
                    _accumulate(node.variable, buf[0], create_graph)
                continue
            elif any(g is not None for g in buf):
                grads = _call_backward(node, buf)
                if tracer is not None:
                    tracer.node(node, buf, grads)
                if not retain_graph:
                    node._release()
            else:
                grads = None
            for i, (nxt, nr) in enumerate(node.next_functions):
                if nxt is None:
                    continue
                g = grads[i] if grads is not None else None
                if g is not None:
                    b = buffers.get(nxt)
                    if b is None:
                        b = buffers[nxt] = [None] * nxt._n_outputs
                    b[nr] = g if b[nr] is None else b[nr] + g
                d = deps[nxt] - 1
                deps[nxt] = d
                if d == 0:
                    heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))
    finally:
        STATE.enabled = prev


def _run_pre_hooks(node, buf):
    for nr, hooks in node._pre_hooks.items():
        if buf[nr] is None:
            continue
        for hook in list(hooks.values()):
            r = hook(buf[nr])
            if r is not None:
                buf[nr] = r


def _call_backward(node: FunctionCtx, buf):
    """Run one node's backward and check its gradients against the inputs' metadata."""
    if node._materialize and node._out_meta is not None:
        buf = [g if g is not None else _zeros(*meta) for g, meta in zip(buf, node._out_meta)]
    out = node._forward_cls.backward(node, *buf)
    if out.__class__ is not tuple:
        out = (out,)
    n = node._n_inputs
    if len(out) != n:
        if len(out) < n or any(g is not None for g in out[n:]):
            raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                               f"(expected {n}, got {len(out)})")
        out = out[:n]
    pos = node._tensor_pos
    if pos is not None:
        out = [out[i] for i in pos]
    checked = []
    for i, (g, shape, dt) in enumerate(zip(out, node._in_shapes, node._in_dtypes)):
        if g is not None and node.next_functions[i][0] is not None:
            if not isinstance(g, Tensor):
                raise TypeError(f"function {node.name()} returned a gradient of type "
                                f"{type(g).__name__} at index {i}; expected a Tensor or None")
            if g._data.shape != shape:
                g = _sum_to(node, i, g, shape)
            if g._data.dtype != dt:
                g = g.to(dtypes.from_numpy_dtype(dt))
        else:
            g = None
        checked.append(g)
    if ANOMALY.enabled and ANOMALY.check_nan:
        _check_nan(node, checked)
    return checked


def _check_nan(node, grads):
    """Anomaly mode: a nan gradient stops backward, naming the node and the forward line that
    created it (PyTorch stops on nan too). An inf gradient only warns, with the same line:
    PyTorch lets it through, and so does ndgrad."""
    xp = None
    for i, g in enumerate(grads):
        if g is None:
            continue
        xp = g._xp
        if xp.isnan(g._data).any():
            if node._forward_trace:
                warnings.warn("Error detected in " + node.name() + ". Traceback of forward call that "
                              "caused the error:\n" + "".join(node._forward_trace), UserWarning, stacklevel=2)
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output."
                               + _created_at(node))
        if xp.isinf(g._data).any():
            warnings.warn(f"Function '{node.name()}' returned inf values in its {i}th output."
                          + _created_at(node), UserWarning, stacklevel=2)


def _created_at(node) -> str:
    """" The op was called at FILE, line N: CODE" from the forward traceback anomaly mode kept."""
    if not node._forward_trace:
        return ""
    where = node._forward_trace[-1].strip().splitlines()
    return f" The op was created at {where[0].removeprefix('File ')}" + (f": {where[1].strip()}"
                                                                         if len(where) > 1 else "")


def _sum_to(node, i, g, shape):
    from ..ops.reduction import sum_to_size
    try:
        return sum_to_size(g, shape)
    except RuntimeError:
        raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {i} - got "
                           f"{list(g.shape)} but expected shape compatible with {list(shape)}") from None


def _zeros(shape, dtype, device):
    return _wrap(array_module(device).zeros(shape, dtype.np), device)


def _accumulate(leaf: Tensor, g: Tensor, create_graph: bool):
    """leaf.grad += g (a fresh copy the first time, so no other tensor aliases it)."""
    if leaf._hooks:
        for hook in list(leaf._hooks.values()):
            r = hook(g)
            if r is not None:
                g = r
    old = leaf._grad
    if old is None:
        leaf._grad = g if create_graph else _wrap(g._data.copy(), g._device)
    elif create_graph or old._requires_grad:
        leaf._grad = old + g
    else:
        old._data += g._data
        old._version[0] += 1
