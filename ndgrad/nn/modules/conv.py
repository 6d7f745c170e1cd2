"""Conv1d, Conv2d and ConvTranspose2d, initialised as PyTorch initialises them."""
from __future__ import annotations

import math

from ...ops.creation import empty
from .. import functional as F, init
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "ConvTranspose2d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """The parameters and printed form shared by the convolutions. Weight (out, in/groups, *k)
    — (in, out/groups, *k) when transposed — and bias (out,), both drawn like PyTorch:
    kaiming_uniform_ with a = √5 for the weight, U(−1/√fan_in, 1/√fan_in) for the bias."""

    def __init__(self, dims, in_channels, out_channels, kernel_size, stride, padding, dilation, transposed,
                 output_padding, groups, bias, padding_mode, device, dtype):
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {list(_PADDING_MODES)}, but got "
                             f"padding_mode='{padding_mode}'")
        tup = (lambda v: (v,) * dims if isinstance(v, int) else tuple(v))
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string '{padding}', should be one of ['valid', 'same']")
            if padding == "same" and any(s != 1 for s in tup(stride)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.dilation = tup(kernel_size), tup(stride), tup(dilation)
        self.padding = padding if isinstance(padding, str) else tup(padding)
        self.transposed, self.output_padding = transposed, tup(output_padding)
        self.groups, self.padding_mode = groups, padding_mode
        shape = ((in_channels, out_channels // groups) if transposed
                 else (out_channels, in_channels // groups))
        self.weight = Parameter(empty(*shape, *self.kernel_size, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def _padded_input(self, input):
        """For padding_mode other than 'zeros' the input is padded first and the convolution
        itself pads nothing (PyTorch's order of the pad amounts: last dim first)."""
        if self.padding == "valid":
            return input
        if self.padding == "same":          # the odd pixel goes after, as in F.conv2d
            totals = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size)]
            amounts = [v for t in reversed(totals) for v in (t // 2, t - t // 2)]
        else:
            amounts = [p for p in reversed(self.padding) for _ in range(2)]
        return F.pad(input, amounts, mode=self.padding_mode)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        dims = len(self.kernel_size)
        if self.padding != (0,) * dims:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * dims:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * dims:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    """Conv1d and Conv2d: the same layer over ``_dims`` spatial dims."""
    _dims: int

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None):
        super().__init__(self._dims, in_channels, out_channels, kernel_size, stride, padding, dilation,
                         False, 0, groups, bias, padding_mode, device, dtype)

    def forward(self, input):
        conv = F.conv1d if self._dims == 1 else F.conv2d
        if self.padding_mode != "zeros":
            return conv(self._padded_input(input), self.weight, self.bias, self.stride, 0, self.dilation,
                        self.groups)
        return conv(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Conv1d(_Conv):
    """(N, C_in, L) → (N, C_out, L'): a learned kernel slid along L (see F.conv1d)."""
    _dims = 1


class Conv2d(_Conv):
    """(N, C_in, H, W) → (N, C_out, H', W'): a learned kernel slid over the image (see F.conv2d).

    >>> nn.Conv2d(1, 32, 3, padding=1)(torch.zeros(64, 1, 28, 28)).shape
    torch.Size([64, 32, 28, 28])
    """
    _dims = 2


class ConvTranspose2d(_ConvNd):
    """The adjoint of Conv2d (it upsamples): (N, C_in, H, W) → (N, C_out, H', W') with
    H' = (H − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 output_padding=0, groups: int = 1, bias: bool = True, dilation=1,
                 padding_mode: str = "zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        super().__init__(2, in_channels, out_channels, kernel_size, stride, padding, dilation,
                         True, output_padding, groups, bias, padding_mode, device, dtype)

    def forward(self, input, output_size=None):
        output_padding = self.output_padding
        if output_size is not None:
            # the output_padding that reaches the requested size
            size = list(output_size)[-2:]
            output_padding = tuple(size[i] - F.conv.transposed_size(input.shape[-2 + i], self.kernel_size[i],
                                                                    self.stride[i], self.padding[i],
                                                                    self.dilation[i], 0)
                                   for i in range(2))
        return F.conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                  self.groups, self.dilation)
