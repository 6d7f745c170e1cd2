"""``nn.Parameter``: a leaf tensor that a Module registers as trainable."""
from .._printing import tensor_repr
from ..ops.creation import empty
from ..tensor import Tensor, _wrap


class Parameter(Tensor):
    """A Tensor that requires grad by default and is collected by ``Module.parameters()``."""

    __slots__ = ()

    def __new__(cls, data: Tensor = None, requires_grad: bool = True):
        if data is None:
            data = empty(0)
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        return cls._make_subclass(_wrap(data._data, data._device), requires_grad)

    def __init__(self, data: Tensor = None, requires_grad: bool = True):
        pass                     # everything happens in __new__

    def __repr__(self):
        return "Parameter containing:\n" + tensor_repr(self)
