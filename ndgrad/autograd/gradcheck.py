"""gradcheck and gradgradcheck: autograd's gradients against finite differences.

For every input x that requires grad and every output y, two Jacobians are compared:

    numerical   J[i, j] = (yⱼ(x + eps·eᵢ) − yⱼ(x − eps·eᵢ)) / (2·eps)     (central differences)
    analytical  J[i, j] = ∂yⱼ/∂xᵢ, one backward pass per output element (``functional.jacobian``)

and they must agree within |a − n| ≤ atol + rtol·|n|, as PyTorch's ``gradcheck`` checks them.
float64 inputs are needed for that tolerance: in float32 the differences are mostly rounding.
"""
from __future__ import annotations

import itertools
import warnings

from .. import dtypes
from ..ops.creation import zeros
from ..ops.random import randn
from ..tensor import Tensor
from .engine import grad
from .functional import jacobian

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """A gradient disagrees with its finite-difference estimate."""


def _as_tuple(x) -> tuple:
    return x if isinstance(x, tuple) else (x,)


def _differentiable(inputs) -> list:
    picked = [(i, t) for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not picked:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of the "
                         "them have requires_grad=True.")
    for i, t in picked:
        if t.dtype is not dtypes.float64:
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating point or "
                          "complex. This check will likely fail if all the inputs are not of double "
                          "precision floating point or complex.")
    return picked


def _outputs(func, inputs) -> tuple:
    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor))


def _numerical(func, inputs, x: Tensor, eps: float) -> list:
    """One (x.numel(), y.numel()) Jacobian per output, by nudging each element of x's memory in
    place (row-major order, whatever x's layout). Grad mode stays on: ``func`` may itself call
    autograd, as gradgradcheck's does."""
    a = x._data
    jacobians = None
    for i, element in enumerate(itertools.product(*(range(n) for n in a.shape))):
        orig = a[element].item()
        a[element] = orig + eps
        plus = [o.detach().clone() for o in _outputs(func, inputs)]
        a[element] = orig - eps
        minus = [o.detach() for o in _outputs(func, inputs)]
        a[element] = orig
        if jacobians is None:
            jacobians = [zeros(a.size, p.numel(), dtype=p.dtype) if p.is_floating_point() else None
                         for p in plus]
        for jac, p, m in zip(jacobians, plus, minus):
            if jac is not None:
                jac[i] = ((p - m) / (2 * eps)).reshape(-1)
    return jacobians


def _analytical(func, inputs, picked) -> list:
    """For each differentiable input, one (x.numel(), y.numel()) Jacobian per output:
    ``functional.jacobian``'s backward passes, transposed."""
    positions = [i for i, _ in picked]

    def of_picked(*xs):
        args = list(inputs)
        for i, x in zip(positions, xs):
            args[i] = x
        return _outputs(func, tuple(args))

    per_output = jacobian(of_picked, tuple(x for _, x in picked))
    return [[row[m].reshape(-1, x.numel()).t() for row in per_output] for m, (_, x) in enumerate(picked)]


def _mismatch(a: Tensor, n: Tensor, atol: float, rtol: float):
    """The first (input element, output element) where |a − n| > atol + rtol·|n|, or None."""
    bad = ((a - n).abs() > atol + rtol * n.abs()).nonzero()
    return None if len(bad) == 0 else tuple(int(v) for v in bad[0])


def gradcheck(func, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0, **unsupported) -> bool:
    """True when autograd's gradients of ``func(*inputs)`` match central differences for every
    input that requires grad; otherwise raise GradcheckError naming the output, the input, the
    element and both values (or return False with ``raise_exception=False``). PyTorch's other
    checks (forward mode, batched gradients, undefined gradients...) are not implemented: passing
    one of those options as True raises NotImplementedError rather than skipping it silently.

    >>> x = ndgrad.randn(3, dtype=ndgrad.float64, requires_grad=True)
    >>> ndgrad.autograd.gradcheck(lambda t: (t ** 3).sin(), (x,))
    True
    """
    for name, value in unsupported.items():
        if value not in (False, None):
            raise NotImplementedError(f"gradcheck({name}=...) is not supported by ndgrad")
    inputs = _as_tuple(inputs)
    picked = _differentiable(inputs)
    analytical = _analytical(func, inputs, picked)
    again = _analytical(func, inputs, picked)             # backward must give the same each time
    for (i, x), analytical_x, again_x in zip(picked, analytical, again):
        numerical = _numerical(func, inputs, x, eps)
        for k, (a, a2, n) in enumerate(zip(analytical_x, again_x, numerical)):
            if n is None:                  # an integer output: nothing to differentiate
                continue
            if a.numel() and (a - a2).abs().max().item() > nondet_tol:
                return _fail(raise_exception,
                             f"Backward is not reentrant, i.e., running backward with same input "
                             f"and grad_output multiple times gives different values, although "
                             f"analytical gradient matches numerical gradient. The tolerance for "
                             f"nondeterminism was {nondet_tol}.")
            where = _mismatch(a, n, atol, rtol)
            if where is not None:
                e, j = where
                return _fail(raise_exception,
                             f"Jacobian mismatch for output {k} with respect to input {i},\n"
                             f"at input element {e} and output element {j}: numerical {n[e, j].item():.8g}, "
                             f"analytical {a[e, j].item():.8g}\nnumerical:{n}\nanalytical:{a}\n")
    return True


def _fail(raise_exception: bool, message: str) -> bool:
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradgradcheck(func, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False,
                  raise_exception: bool = True, nondet_tol: float = 0.0, **unsupported) -> bool:
    """gradcheck of the gradient itself: the map (inputs, v) ↦ vᵀ·∂func/∂inputs, built with
    ``create_graph=True``, checked against finite differences (second derivatives). Missing
    ``grad_outputs`` v are drawn at random (float64, requiring grad)."""
    inputs = _as_tuple(inputs)
    picked = _differentiable(inputs)
    outputs = _outputs(func, inputs)
    if grad_outputs is None:
        grad_outputs = tuple(randn(tuple(o.shape), dtype=o.dtype, requires_grad=True) for o in outputs)
    grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)

    def first_derivatives(*args):
        xs, vs = args[:n_in], args[n_in:]
        ys = _outputs(func, xs)
        diff = [xs[i] for i, _ in picked]
        pairs = [(y, v) for y, v in zip(ys, vs) if y.requires_grad]
        gs = grad([y for y, _ in pairs], diff, [v for _, v in pairs], create_graph=True, allow_unused=True)
        return tuple(g if g is not None else zeros(*x.shape, dtype=x.dtype) for g, x in zip(gs, diff))

    return gradcheck(first_derivatives, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol, **unsupported)
