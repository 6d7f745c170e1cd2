"""jacobian and hessian of a Python function, built from reverse-mode passes (PyTorch's
``torch.autograd.functional``).

    jacobian:  J[j, i] = ∂yⱼ/∂xᵢ — one backward pass per output element yⱼ (its row of J)
    hessian:   H = the jacobian of the gradient, the gradient built with create_graph=True
"""
from __future__ import annotations

from ..ops.creation import zeros
from ..ops.join import stack
from ..tensor import Tensor
from .engine import grad

__all__ = ["jacobian", "hessian"]


def _check_tensors(values, what: str, fn_name: str) -> tuple:
    items = values if isinstance(values, tuple) else (values,)
    for v in items:
        if not isinstance(v, Tensor):
            kind = "inputs" if what == "inputs" else "outputs of the user-provided function"
            raise TypeError(f"The {kind} given to {fn_name} must be either a Tensor or a tuple of Tensors "
                            f"but the given {kind} has type "
                            f"{type(values if not isinstance(values, tuple) else v)}.")
    return items


def _prepare(inputs, create_graph: bool) -> tuple:
    """Leaves that require grad: views of the inputs when the result must stay differentiable
    with respect to them (create_graph), fresh detached copies otherwise."""
    return tuple(x.view_as(x) if create_graph and x.requires_grad else x.detach().requires_grad_()
                 for x in inputs)


def jacobian(func, inputs, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
             strategy: str = "reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: for output y and input x, a tensor of shape
    y.shape + x.shape. Tuples of inputs or outputs give (nested) tuples, as in PyTorch.
    ``vectorize`` is accepted and changes nothing: the rows are always computed one by one.

    >>> jacobian(lambda x: x ** 2, ndgrad.tensor([1., 2.]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    if strategy != "reverse-mode":
        raise NotImplementedError("ndgrad computes Jacobians in reverse mode only")
    is_tuple_in = isinstance(inputs, tuple)
    xs = _prepare(_check_tensors(inputs, "inputs", "jacobian"), create_graph)
    outputs = func(*xs)
    is_tuple_out = isinstance(outputs, tuple)
    ys = _check_tensors(outputs, "outputs", "jacobian")
    result = []
    for k, y in enumerate(ys):
        rows = [[] for _ in xs]
        flat = y.reshape(-1)
        for j in range(flat.numel()):
            gs = grad(flat[j], xs, retain_graph=True, create_graph=create_graph, allow_unused=True) \
                if y.requires_grad else (None,) * len(xs)
            for i, (g, x) in enumerate(zip(gs, xs)):
                if g is None:
                    if strict:
                        raise RuntimeError(f"Output {k} of the user-provided function is independent of "
                                           f"input {i}. This is not allowed in strict mode.")
                    g = zeros(*x.shape, dtype=x.dtype, device=x.device)
                rows[i].append(g)
        per_input = []
        for x, r in zip(xs, rows):
            jac = stack(r).reshape(*y.shape, *x.shape) if r else zeros(*y.shape, *x.shape, dtype=x.dtype)
            per_input.append(jac if create_graph else jac.detach())
        result.append(tuple(per_input) if is_tuple_in else per_input[0])
    return tuple(result) if is_tuple_out else result[0]


def hessian(func, inputs, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
            outer_jacobian_strategy: str = "reverse-mode"):
    """The Hessian of a scalar-valued ``func`` at ``inputs``: shape x.shape + x.shape (for tuple
    inputs, a tuple of tuples: block (i, j) holds ∂²f/∂xᵢ∂xⱼ)."""
    is_tuple_in = isinstance(inputs, tuple)
    xs = _check_tensors(inputs, "inputs", "hessian")

    def scalar(*args):
        y = func(*args)
        _check_tensors(y, "outputs", "hessian")
        if isinstance(y, tuple):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if y.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian "
                               "should contain a single element")
        return y.reshape(())

    def gradient(*args):            # a tuple: ∂f/∂xᵢ for each input, differentiable once more
        return jacobian(scalar, args, create_graph=True, strict=strict)

    res = jacobian(gradient, xs, create_graph=create_graph, strict=strict, strategy=outer_jacobian_strategy)
    return res if is_tuple_in else res[0][0]
