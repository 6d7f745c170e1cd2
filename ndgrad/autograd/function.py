"""``ndgrad.autograd.Function``: one differentiable op = forward on arrays + backward on Tensors.

Every built-in op is a Function subclass, and so is every user extension, exactly as in
PyTorch::

    class Cube(Function):
        @staticmethod
        def forward(ctx, x):            # x is a Tensor; return arrays or Tensors
            ctx.save_for_backward(x)
            return x.data ** 3
        @staticmethod
        def backward(ctx, grad):        # grad is a Tensor; use Tensor ops (double backward works)
            (x,) = ctx.saved_tensors
            return grad * 3 * x ** 2

    y = Cube.apply(x)                   # y.grad_fn is a CubeBackward node

The ``ctx`` given to forward *is* the graph node that becomes the output's ``grad_fn``.
"""
from __future__ import annotations

import itertools
import traceback
import weakref

from .. import backend, dtypes
from .._layout import size_one_strides, torch_layout
from ..tensor import Tensor, _as_array_like, _register_view, _wrap
from ..utils.hooks import RemovableHandle
from .grad_mode import ANOMALY, STATE

__all__ = ["Function", "Node", "AccumulateGrad", "FunctionCtx", "no_derivative"]

_sequence = itertools.count()
_FREED = object()
_MSG_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")


class Node:
    """A node of the backward graph, what ``tensor.grad_fn`` points to.

    ``next_functions`` holds one ``(node, output_nr)`` edge per Tensor input: the node that
    produced that input (an ``AccumulateGrad`` for a leaf), or ``(None, 0)`` if the input
    needs no gradient.
    """

    next_functions: tuple = ()
    _seq = 0
    _pre_hooks = None       # {output_nr: {handle id: hook}}: tensor hooks of non-leaf outputs

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self):
        return f"<{self.name()} object at {hex(id(self))}>"

    def _add_pre_hook(self, output_nr, hook):
        if self._pre_hooks is None:
            self._pre_hooks = {}
        hooks = self._pre_hooks.setdefault(output_nr, {})
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle


class AccumulateGrad(Node):
    """The sink of a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    _seq = 1 << 62          # runs as soon as it is ready, as in PyTorch
    _n_outputs = 1

    def __init__(self, variable):
        self.variable = variable

    @staticmethod
    def of(leaf: Tensor) -> "AccumulateGrad":
        """The leaf's one accumulator (cached weakly, so that it dies with the graph)."""
        ref = leaf._accumulator
        acc = ref() if ref is not None else None
        if acc is None:
            acc = AccumulateGrad(leaf)
            leaf._accumulator = weakref.ref(acc)
        return acc


class _SavedOutput:
    """An op's own output, saved without a reference to the output Tensor.

    Holding the Tensor would make a cycle output -> grad_fn -> saved output; instead keep
    its array and version counter and rebuild a Tensor (with this node as grad_fn) on use.
    """
    __slots__ = ("data", "version", "saved_version", "output_nr")

    def __init__(self, t: Tensor, output_nr: int):
        self.data, self.version, self.output_nr = t._data, t._version, output_nr
        self.saved_version = t._version[0]

    def unpack(self, node):
        t = _wrap(self.data)
        t.grad_fn, t._output_nr, t._requires_grad = node, self.output_nr, True
        t._version = self.version
        return t


class FunctionCtx(Node):
    """What a Function's forward/backward receive as ``ctx`` (and what becomes grad_fn)."""

    _to_save = ()
    _saved = ()
    _non_diff = ()
    _materialize = True
    _out_meta = None
    _forward_trace = None
    needs_input_grad = ()

    def save_for_backward(self, *tensors):
        self._to_save = tensors

    def mark_non_differentiable(self, *outputs):
        self._non_diff = outputs

    def set_materialize_grads(self, value: bool):
        self._materialize = value

    def mark_dirty(self, *tensors):
        raise NotImplementedError("ndgrad: in-place custom Functions (mark_dirty) are not supported")

    @property
    def saved_tensors(self):
        saved = self._saved
        if saved is _FREED:
            raise RuntimeError(_MSG_FREED)
        out = []
        for item in saved:
            if item is None:
                out.append(None)
            elif item.__class__ is _SavedOutput:
                if item.version[0] != item.saved_version:
                    raise _modified_error(item.data, item.output_nr, self, item.version[0],
                                          item.saved_version)
                out.append(item.unpack(self))
            else:
                t, v = item
                if t._version[0] != v:
                    raise _modified_error(t._data, t._output_nr, t.grad_fn, t._version[0], v)
                out.append(t)
        return tuple(out)

    def _release(self):
        if self._saved:
            self._saved = _FREED


def _modified_error(arr, output_nr, node, now, expected):
    dt = dtypes.from_numpy_dtype(arr.dtype)._legacy
    where = f", which is output {output_nr} of {node.name()}," if node is not None else ""
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [ndgrad.{dt}Tensor {list(arr.shape)}]{where} is at version {now}; "
        f"expected version {expected} instead. Hint: the backtrace further above shows the "
        "operation that failed to compute its gradient. Enable anomaly detection to find "
        "the operation that failed.")


def _device_mismatch(a, b):
    return RuntimeError("Expected all tensors to be on the same device, but found at least "
                        f"two devices, {a} and {b}!")


class Function:
    """Base class of every differentiable op; see the module docstring."""

    #: name of the backward node class (PyTorch's grad_fn names, e.g. "MulBackward0")
    node_name: str | None = None
    #: the output shares memory and version counter with input 0 (view, transpose, ...)
    is_view = False
    #: an elementwise op of several tensors: its result is laid out as PyTorch lays it out
    elementwise = False
    _backward_cls = FunctionCtx

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("node_name") or cls.__name__ + "Backward"
        cls._backward_cls = type(name, (FunctionCtx,), {"_forward_cls": cls, "__module__": cls.__module__})

    def __init__(self, *args, **kwargs):
        raise RuntimeError("ndgrad.autograd.Function is not instantiated: call MyFunction.apply(...)")

    @staticmethod
    def layout_operands(args) -> list:
        """For an elementwise op: the arrays whose strides decide the result's layout, in the
        order PyTorch computes with them."""
        return [a._data for a in args if isinstance(a, Tensor)]

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args):
        ctx = cls._backward_cls()
        enabled = STATE.enabled
        dev = None
        record = False
        for a in args:
            if isinstance(a, Tensor):
                if dev is None:
                    dev = a._device
                elif a._device is not dev and a._device != dev:
                    raise _device_mismatch(dev, a._device)
                if enabled and a._requires_grad:
                    record = True
        if record:
            ctx.needs_input_grad = tuple([isinstance(a, Tensor) and a._requires_grad for a in args])
        else:
            ctx.needs_input_grad = _no_grad_needed(len(args))
        STATE.enabled = False          # forward itself is never recorded
        try:
            out = cls.forward(ctx, *args)
        finally:
            STATE.enabled = enabled
        if out.__class__ is tuple:
            outs = tuple([_output(o, args, dev) for o in out])
            first = outs[0]
        else:
            data = out
            if cls.elementwise and out.ndim > 1:
                data = torch_layout(backend.array_module(dev), out, cls.layout_operands(args))
            elif not cls.is_view and data.__class__ is not Tensor and 1 in data.shape:
                data = size_one_strides(backend.array_module(dev), data)
            first = _wrap(data, dev) if data.__class__ is _NDARRAY else _output(data, args, dev)
            outs = None
        if cls.is_view:
            base = args[0]
            for t in outs or (first,):
                t._version = base._version
                t._base = base if base._base is None else base._base
                _register_view(t)
        elif first._base is not None:          # an input returned unchanged: a view of it too
            _register_view(first)
        if record:
            _link(ctx, args, out, outs or (first,))
        return outs if outs is not None else first


_NDARRAY = backend.array_module(backend.CPU).ndarray     # NumPy results take the fast path
_NO_GRAD_NEEDED = {}


def _no_grad_needed(n):
    t = _NO_GRAD_NEEDED.get(n)
    if t is None:
        t = _NO_GRAD_NEEDED[n] = (False,) * n
    return t


def _output(o, args, dev) -> Tensor:
    if isinstance(o, Tensor):
        for a in args:
            if o is a:
                return o._alias()       # returning an input unchanged still gives a new node output
        return o
    return _wrap(_as_array_like(o, dev), dev)


def _link(ctx, args, raw, outs):
    """Connect ``ctx`` into the graph: edges to the inputs' nodes, outputs' grad_fn, saved tensors."""
    edges, shapes, dtypes = [], [], []
    pos = None
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            d = a._data
            shapes.append(d.shape)
            dtypes.append(d.dtype)
            if not a._requires_grad:
                edges.append((None, 0))
            elif a.grad_fn is not None:
                edges.append((a.grad_fn, a._output_nr))
            else:
                edges.append((AccumulateGrad.of(a), 0))
            if pos is not None:
                pos.append(i)
        elif pos is None:
            pos = list(range(i))
    ctx.next_functions = tuple(edges)
    if ANOMALY.enabled:
        ctx._forward_trace = traceback.format_stack()[:-3]    # where the user called the op
    ctx._tensor_pos = pos
    ctx._in_shapes = shapes
    ctx._in_dtypes = dtypes
    ctx._n_inputs = len(args)
    ctx._seq = next(_sequence)
    non_diff = ctx._non_diff
    if len(outs) == 1:
        t = outs[0]
        ctx._n_outputs = 1
        if t._data.dtype.kind == "f" and not (non_diff and _in(non_diff, raw, t)):
            t.grad_fn, t._requires_grad = ctx, True
        raws = (raw,)
    else:
        ctx._n_outputs = len(outs)
        raws = raw
        for i, (r, t) in enumerate(zip(raws, outs)):
            if t._data.dtype.kind == "f" and not (non_diff and _in(non_diff, r, t)):
                t.grad_fn, t._output_nr, t._requires_grad = ctx, i, True
        ctx._out_meta = [(t._data.shape, t.dtype, t._device) for t in outs]
    if ctx._to_save:
        ctx._saved = tuple([_save(s, raws, outs) for s in ctx._to_save])
        ctx._to_save = ()


def _in(items, *candidates):
    return any(x is c for x in items for c in candidates)


def _save(s, raws, outs):
    """A saved input is kept with its version; a saved output (a Tensor a custom Function
    returned, or the array a built-in forward returned) is kept without a reference cycle."""
    if s is None:
        return None
    if isinstance(s, Tensor):
        for i, t in enumerate(outs):
            if s is t:
                return _SavedOutput(t, i)
        return (s, s._version[0])
    for i, r in enumerate(raws):
        if s is r:
            return _SavedOutput(outs[i], i)
    raise TypeError("save_for_backward can only save tensors, but argument 0 is of type "
                    f"{type(s).__name__}")


def no_derivative(cls, node_name: str, error: Exception):
    """``cls`` recorded under PyTorch's ``node_name`` for an op PyTorch defines no derivative for:
    the output requires grad as in PyTorch, and backward raises ``error``."""
    def backward(ctx, *grads):
        raise error
    return type(cls.__name__ + "NoDerivative", (cls,), {"node_name": node_name,
                                                        "backward": staticmethod(backward),
                                                        "__doc__": cls.__doc__})
