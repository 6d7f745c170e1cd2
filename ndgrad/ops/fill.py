"""In-place writers: zero_, fill_, copy_ (the random ones: random.py)."""
from __future__ import annotations

from ..autograd.grad_mode import STATE
from ..tensor import Tensor

__all__ = []


def _overwrite(self: Tensor, values) -> Tensor:
    """Write ``values`` (an array, number or Tensor) into self, keeping autograd honest:
    when self is in a graph, the old values' gradient becomes zero (they were overwritten)."""
    self._check_inplace()
    src = values if isinstance(values, Tensor) else None
    if STATE.enabled and (self._requires_grad or (src is not None and src._requires_grad)):
        new = self._inplace_source() * 0
        new = new + (src if src is not None else values)
        return self._commit_inplace(new)
    self._data[...] = src._data if src is not None else values
    self._version[0] += 1
    return self


def zero_(self) -> Tensor:
    """Set every element to 0."""
    return _overwrite(self, 0)


def fill_(self, value) -> Tensor:
    """Set every element to ``value`` (a number or a 0-d tensor)."""
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.ndim} dimensions.")
        return _overwrite(self, value)
    return _overwrite(self, value)


def copy_(self, src, non_blocking=False) -> Tensor:
    """Copy ``src`` (broadcast, cast, moved across devices) into self."""
    if src._device != self._device:
        src = src.to(self._device)
    try:
        self._xp.broadcast_to(src._data, self._data.shape)
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({self.shape[-1] if self.ndim else 1}) must match "
                           f"the size of tensor b ({src.shape[-1] if src.ndim else 1}) at "
                           "non-singleton dimension") from None
    return _overwrite(self, src.to(self.dtype))
