"""``ndgrad.nn``: Module, Parameter, layers and losses (the foundation part; the rest of the
layer library comes with the nn issue)."""
from . import functional
from .modules import Module, MSELoss
from .parameter import Parameter

__all__ = ["Module", "Parameter", "MSELoss", "functional"]
