"""``nn.functional``: every layer, activation and loss as a plain function (``import
ndgrad.nn.functional as F``). Each function lives with its family in this package."""
from . import (activation as _activation, conv as _conv, dropout as _dropout, embedding as _embedding,
               linear as _linear, loss as _loss, misc as _misc, normalization as _normalization,
               pooling as _pooling)
from .activation import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .embedding import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .misc import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403

__all__ = (_activation.__all__ + _conv.__all__ + _dropout.__all__ + _embedding.__all__ + _linear.__all__
           + _loss.__all__ + _misc.__all__ + _normalization.__all__ + _pooling.__all__)
