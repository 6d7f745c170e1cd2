from .module import Module
from .container import Sequential, ModuleList, ModuleDict
from .linear import Identity, Linear, Bilinear
from .activation import (ReLU, ReLU6, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softmax, LogSoftmax,
                         Softplus, Hardtanh)
from .dropout import Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout
from .conv import Conv1d, Conv2d, ConvTranspose2d
from .pooling import MaxPool2d, AvgPool2d, AdaptiveAvgPool2d
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm
from .sparse import Embedding
from .rnn import RNN, LSTM, GRU
from .flatten import Flatten, Unflatten
from .loss import (MSELoss, L1Loss, SmoothL1Loss, HuberLoss, CrossEntropyLoss, NLLLoss, BCELoss,
                   BCEWithLogitsLoss, KLDivLoss)
from . import (activation, container, conv, dropout, flatten, linear, loss, module, normalization, pooling,
               rnn, sparse)

__all__ = (["Module"] + container.__all__ + linear.__all__ + activation.__all__ + dropout.__all__
           + flatten.__all__ + loss.__all__ + conv.__all__ + pooling.__all__ + normalization.__all__
           + sparse.__all__ + rnn.__all__)
