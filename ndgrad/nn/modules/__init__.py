from .loss import MSELoss
from .module import Module

__all__ = ["Module", "MSELoss"]
