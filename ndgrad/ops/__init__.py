"""The op library, one module per family. Importing it attaches the Tensor methods."""
from . import (accumulate, comparison, contraction, conversion, creation, division, fill, indexing, join, linalg,
               logic, pointwise, random, rearrange, reduction, selection, shape, sorting, special, trig, unary)
from .accumulate import *  # noqa: F401,F403
from .comparison import *  # noqa: F401,F403
from .contraction import *  # noqa: F401,F403
from .creation import *  # noqa: F401,F403
from .division import *  # noqa: F401,F403
from .selection import *  # noqa: F401,F403
from .join import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from .logic import *  # noqa: F401,F403
from .pointwise import *  # noqa: F401,F403
from .random import *  # noqa: F401,F403
from .rearrange import *  # noqa: F401,F403
from .reduction import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403
from .sorting import *  # noqa: F401,F403
from .special import *  # noqa: F401,F403
from .trig import *  # noqa: F401,F403
from .unary import *  # noqa: F401,F403

#: modules whose public functions are differentiable/tensor ops that reference/ must cross-check
OP_MODULES = (pointwise, division, unary, trig, special, comparison, logic, reduction, accumulate, linalg,
              contraction, shape, join, rearrange, selection, sorting, indexing)


def public_ops() -> list:
    """Every public op name (the coverage test demands an OpSpec for each)."""
    names = set()
    for m in OP_MODULES:
        names.update(m.__all__)
    return sorted(names)


__all__ = [n for m in (creation, random) + OP_MODULES if m is not indexing for n in m.__all__]
__all__ = [n for n in __all__ if n != "sum_to_size"]      # a Tensor method only, as in PyTorch
