"""RNN, LSTM and GRU: recurrent layers unrolled over time with Tensor ops.

The input-to-hidden products of all time steps are one matrix product per layer and
direction; only the hidden-to-hidden recurrence steps through time (it must: step t needs
h_{t−1}). The gradient is plain backpropagation through the unrolled graph. Gate order and
parameter names and shapes are PyTorch's, so state_dicts load both ways:

    RNN   h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh)                      (or relu)
    LSTM  i, f, g, o = σ, σ, tanh, σ of (W_ih·x + b_ih + W_hh·h + b_hh), in 4 chunks
          c' = f·c + i·g,   h' = o·tanh(c')
    GRU   r, z = σ of the first two chunks of (W_ih·x + b_ih) + (W_hh·h + b_hh)
          n = tanh(x_n + r·h_n),   h' = (1 − z)·n + z·h
"""
from __future__ import annotations

import math
import warnings

from ...ops.creation import empty, zeros
from ...ops.join import cat, stack
from .. import functional as F, init
from ..parameter import Parameter
from .module import Module

__all__ = ["RNN", "LSTM", "GRU"]


class _RNNBase(Module):
    _gates = 1

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, device=None,
                 dtype=None):
        super().__init__()
        if not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero "
                          f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional = bidirectional
        rows = self._gates * hidden_size
        for layer in range(num_layers):
            for suffix in ("", "_reverse")[:self._directions]:
                n_in = input_size if layer == 0 else hidden_size * self._directions
                shapes = [("weight_ih", (rows, n_in)), ("weight_hh", (rows, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (rows,)), ("bias_hh", (rows,))]
                for name, shape in shapes:
                    setattr(self, f"{name}_l{layer}{suffix}",
                            Parameter(empty(*shape, device=device, dtype=dtype)))
        self.reset_parameters()

    @property
    def _directions(self) -> int:
        return 2 if self.bidirectional else 1

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.hidden_size)
        for w in self.parameters():
            init.uniform_(w, -bound, bound)

    def _weights(self, layer: int, direction: int):
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return [getattr(self, n + suffix) if self.bias or n.startswith("weight") else None for n in names]

    def _check_input(self, input):
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")

    def _initial(self, hx, batch: int, like):
        expected = (self.num_layers * self._directions, batch, self.hidden_size)
        if hx is None:
            return zeros(*expected, dtype=like.dtype, device=like.device)
        if tuple(hx.shape) != expected:
            raise RuntimeError(f"Expected hidden size {expected}, got {list(hx.shape)}")
        return hx

    def forward(self, input, hx=None):
        if input.ndim not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, "
                             f"got {input.ndim}D input instead")
        batched = input.ndim == 3
        self._check_input(input)
        if not batched:                      # (L, H_in): a batch of one
            input = input.unsqueeze(1)
            hx = _map(hx, lambda h: h.unsqueeze(1))
        elif self.batch_first:
            input = input.transpose(0, 1)
        states = self._states(hx, input)
        output, last = self._run(input, states)
        if not batched:
            output, last = output.squeeze(1), _map(last, lambda h: h.squeeze(1))
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, last

    def _states(self, hx, input):
        return [self._initial(hx, input.shape[1], input)]

    def _run(self, input, states):
        """Every layer and direction over the (L, N, H_in) input: the output sequence and the
        final states, stacked as (num_layers·directions, N, H)."""
        finals = [[] for _ in states]
        for layer in range(self.num_layers):
            outs = []
            for direction in range(self._directions):
                k = layer * self._directions + direction
                w_ih, w_hh, b_ih, b_hh = self._weights(layer, direction)
                xw = F.linear(input, w_ih, b_ih)           # all time steps in one product
                state = [s[k] for s in states]
                hs = [None] * input.shape[0]
                for t in (reversed(range(len(hs))) if direction else range(len(hs))):
                    state = self._cell(xw[t], state, w_hh, b_hh)
                    hs[t] = state[0]
                outs.append(stack(hs))
                for f, s in zip(finals, state):
                    f.append(s)
            input = outs[0] if len(outs) == 1 else cat(outs, 2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                input = F.dropout(input, self.dropout, True)
        last = [stack(f) for f in finals]
        return input, (last[0] if len(last) == 1 else tuple(last))

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


def _map(hx, fn):
    if hx is None:
        return None
    return tuple(fn(h) for h in hx) if isinstance(hx, tuple) else fn(hx)


class RNN(_RNNBase):
    """Elman RNN: h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh) (nonlinearity='relu' for max(·, 0))."""

    def __init__(self, *args, nonlinearity: str = "tanh", **kwargs):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__(*args, **kwargs)

    def _cell(self, xw, state, w_hh, b_hh):
        z = xw + F.linear(state[0], w_hh, b_hh)
        return [z.tanh() if self.nonlinearity == "tanh" else z.relu()]


class LSTM(_RNNBase):
    """Long short-term memory: gates i, f, g, o; returns output, (h_n, c_n)."""
    _gates = 4

    def _states(self, hx, input):
        if hx is None:
            return [self._initial(None, input.shape[1], input)] * 2
        if not isinstance(hx, tuple) or len(hx) != 2:
            raise RuntimeError("LSTM expects hx as a tuple (h_0, c_0)")
        return [self._initial(h, input.shape[1], input) for h in hx]

    def _cell(self, xw, state, w_hh, b_hh):
        h, c = state
        i, f, g, o = (xw + F.linear(h, w_hh, b_hh)).chunk(4, 1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        return [o.sigmoid() * c.tanh(), c]


class GRU(_RNNBase):
    """Gated recurrent unit: reset r, update z, candidate n; h' = (1 − z)·n + z·h."""
    _gates = 3

    def _cell(self, xw, state, w_hh, b_hh):
        h = state[0]
        xr, xz, xn = xw.chunk(3, 1)
        hr, hz, hn = F.linear(h, w_hh, b_hh).chunk(3, 1)
        r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
        n = (xn + r * hn).tanh()
        return [(1 - z) * n + z * h]
