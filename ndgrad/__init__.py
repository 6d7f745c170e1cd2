"""ndgrad: PyTorch's core rebuilt in plain Python on NumPy (CPU) and CuPy (GPU).

``import ndgrad as torch`` runs beginner PyTorch code unchanged.
"""
import math as _math

from . import autograd, backend, dtypes
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.grad_mode import is_anomaly_enabled, is_inference_mode_enabled
from .backend import device, get_device, set_device
from .dtypes import (bool, double, dtype, float, float16, float32, float64, get_default_dtype,
                     half, int, int8, int16, int32, int64, long, promote_types, result_type,
                     set_default_dtype, short, uint8)
from .tensor import Size, Tensor
from . import random
from .random import (Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed,
                     set_rng_state)
from . import ops
from .ops import *  # noqa: F401,F403
from .ops.conversion import LEGACY_TYPES as _LEGACY
from ._printing import set_printoptions
from . import cuda, nn, optim, utils, vision
from .serialization import load, save

globals().update(_LEGACY)

__version__ = "0.1.0"
pi, e, inf, nan = _math.pi, _math.e, _math.inf, _math.nan


def is_tensor(obj) -> "bool":
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> "bool":
    return input.dtype.is_floating_point


def numel(input: Tensor) -> "int":
    return input.numel()

