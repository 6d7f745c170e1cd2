"""``ndgrad.nn``: Module, Parameter, layers, activations, losses, ``functional``, ``init`` and
``utils`` (gradient clipping)."""
from . import functional, init
from .modules import *  # noqa: F401,F403
from .modules import __all__ as _modules_all
from .parameter import Parameter
from . import utils

__all__ = ["Parameter", "functional", "init", "utils"] + _modules_all
