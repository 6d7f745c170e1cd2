"""The PyTorch cross-check kit: an OpSpec for every public ndgrad op, and the helpers that
run each op on ndgrad and on PyTorch and compare values, dtypes, gradients and errors.

Random samplers have an RngSpec each (``rng.py``): the same seed, the same numbers and the same
generator state afterwards. ``python -m reference --list`` lists the ops; ``python -m reference``
prints what is verified; ``python -m reference --where NAME`` where an op is implemented (its def,
its Function classes), where its spec is registered, and what that spec verifies. The spec files
mirror the op files (``where.py``: ``ndgrad/ops/X.py`` → ``specs/X.py``, ``ndgrad/nn/functional/X.py``
→ ``specs/nn/X.py``).
"""
from . import specs  # noqa: F401  (fills REGISTRY)
from .compare import assert_same, build, check_error, check_grads, check_values
from .rng import RNG_REGISTRY, RngSpec, check_rng_error, check_stream, register_rng
from .spec import REGISTRY, Arr, OpSpec, Sample, register

__all__ = ["REGISTRY", "OpSpec", "Sample", "Arr", "register", "check_values", "check_grads",
           "check_error", "assert_same", "build", "RNG_REGISTRY", "RngSpec", "register_rng", "check_stream",
           "check_rng_error"]
