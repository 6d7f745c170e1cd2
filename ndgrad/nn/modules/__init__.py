from .module import Module
from .container import Sequential, ModuleList, ModuleDict
from .linear import Identity, Linear, Bilinear
from .activation import (ReLU, ReLU6, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softmax, LogSoftmax,
                         Softplus, Hardtanh)
from .dropout import Dropout
from .flatten import Flatten, Unflatten
from .loss import (MSELoss, L1Loss, SmoothL1Loss, HuberLoss, CrossEntropyLoss, NLLLoss, BCELoss,
                   BCEWithLogitsLoss, KLDivLoss)
from . import activation, container, dropout, flatten, linear, loss, module

__all__ = (["Module"] + container.__all__ + linear.__all__ + activation.__all__ + dropout.__all__
           + flatten.__all__ + loss.__all__)
