"""``nn.functional``: every layer, activation and loss as a plain function (``import
ndgrad.nn.functional as F``). Each function lives with its family in this package."""
from . import activation as _activation, dropout as _dropout, linear as _linear, loss as _loss, misc as _misc
from .activation import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .misc import *  # noqa: F401,F403

__all__ = _activation.__all__ + _dropout.__all__ + _linear.__all__ + _loss.__all__ + _misc.__all__
