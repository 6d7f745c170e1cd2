"""Importing this package fills REGISTRY with one OpSpec per public op (and RNG_REGISTRY with one
RngSpec per random sampler).

The spec files mirror the op files: an op whose public function is defined in ``ndgrad/ops/X.py``
has its spec in ``X.py`` here, one defined in ``ndgrad/nn/functional/X.py`` in ``nn/X.py``, a layer
of ``ndgrad/nn/modules/X.py`` with no function of its own in ``nn/modules/X.py`` (``reference/where.py``;
``python -m reference --where NAME`` finds all three). ``_shared.py`` holds the form builders that
several spec files use; ``reference/strategies.py`` the input strategies. No spec file imports
another spec file.
"""
from . import (accumulate, comparison, contraction, conversion, division, indexing, join,  # noqa: F401
               linalg, logic, pointwise, random, rearrange, reduction, selection, shape, sorting, special,
               trig, unary)
from .nn import (activation, conv, dropout, embedding, linear, loss, misc, normalization,  # noqa: F401
                 pooling)
from .nn.modules import rnn  # noqa: F401
