"""All parameters as one flat vector, and back (used by second-order and evolutionary methods)."""
from __future__ import annotations

from ...ops.join import cat
from ...tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_device(p: Tensor, device):
    if device is not None and p.device != device:
        raise TypeError("Found two parameters on different devices, this is currently not supported.")
    return p.device


def parameters_to_vector(parameters) -> Tensor:
    """cat([p.view(−1) for p in parameters]) (differentiable)."""
    device = None
    flat = []
    for p in parameters:
        device = _check_device(p, device)
        flat.append(p.view(-1))
    return cat(flat)


def vector_to_parameters(vec: Tensor, parameters) -> None:
    """Slice ``vec`` into the parameters' shapes and make each parameter's data that slice."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    device, pointer = None, 0
    for p in parameters:
        device = _check_device(p, device)
        n = p.numel()
        p.data = vec[pointer:pointer + n].view_as(p).data
        pointer += n
