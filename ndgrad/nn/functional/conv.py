"""Convolutions through im2col: unfold, fold, conv1d, conv2d, conv_transpose2d.

A convolution is a matrix product in disguise. ``unfold`` (im2col) copies every k×k window of
the input into a column, so that  out = W · unfold(x)  is one (batched) matrix product; its
adjoint ``fold`` (col2im) adds columns back into an image. The gradients are the same two
maps turned around:

    y = conv(x, W)        ∂L/∂x = conv_transpose(g, W),   ∂L/∂W = Σₙ g · unfold(x)ᵀ
    y = conv_transpose(x, W) = fold(Wᵀ · x)
                          ∂L/∂x = conv(g, W),             ∂L/∂W = Σₙ x · unfold(g)ᵀ

Only the k×k kernel offsets are looped over (in fold); never the batch, channels or pixels.
"""
from __future__ import annotations

import warnings

from ..._layout import c_contiguous
from ...autograd.function import Function
from ...autograd.grad_mode import is_grad_enabled
from ...ops._checks import need_tensor
from ...tensor import Tensor, _wrap
from .misc import pad

__all__ = ["unfold", "fold", "conv1d", "conv2d", "conv_transpose2d"]


def _pair(v) -> tuple:
    return (v, v) if isinstance(v, int) else tuple(v)


def _blocks(size: int, k: int, s: int, p: int, d: int) -> int:
    """How many windows of kernel k (dilation d, stride s) fit along a dim of ``size`` padded by p."""
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def transposed_size(size: int, k: int, s: int, p: int, d: int, output_padding: int) -> int:
    """A transposed convolution's output length: (size − 1)·s − 2p + d·(k − 1) + output_padding + 1
    (the input length of the convolution it is the adjoint of)."""
    return (size - 1) * s - 2 * p + d * (k - 1) + output_padding + 1


def padded(xp, a, pads: tuple, value=0):
    """``a`` (N, C, H, W) with (top, bottom, left, right) rows/columns of ``value`` around it."""
    t, b, l, r = pads
    if not any(pads):
        return a
    n, c, h, w = a.shape
    out = xp.full((n, c, h + t + b, w + l + r), value, dtype=a.dtype)
    out[:, :, t:t + h, l:l + w] = a
    return out


def windows(xp, a, kernel, stride, dilation, out_size):
    """The (N, C, kh, kw, Ho, Wo) strided view of ``a``'s windows: no copy."""
    n, c = a.shape[:2]
    s = a.strides
    return xp.lib.stride_tricks.as_strided(
        a, (n, c) + tuple(kernel) + tuple(out_size),
        (s[0], s[1], s[2] * dilation[0], s[3] * dilation[1], s[2] * stride[0], s[3] * stride[1]))


def offset_slices(i: int, j: int, dilation, stride, blocks) -> tuple:
    """Where kernel offset (i, j) of every window lands in the (padded) plane: the
    (all, all, rows, columns) slices, one element per window."""
    (dh, dw), (sh, sw), (ho, wo) = dilation, stride, blocks
    return (slice(None), slice(None), slice(i * dh, i * dh + sh * (ho - 1) + 1, sh),
            slice(j * dw, j * dw + sw * (wo - 1) + 1, sw))


def im2col(xp, a, kernel, dilation, padding, stride, batch_last: bool = False):
    """(N, C, H, W) → (N, C·kh·kw, L): every window of the zero-padded input as one column;
    (C·kh·kw, N·L) with ``batch_last``, so that one matrix product covers the whole batch."""
    h, w = a.shape[2:]
    out = (_blocks(h, kernel[0], stride[0], padding[0], dilation[0]),
           _blocks(w, kernel[1], stride[1], padding[1], dilation[1]))
    a = padded(xp, a, (padding[0], padding[0], padding[1], padding[1]))
    cols = windows(xp, a, kernel, stride, dilation, out)
    if batch_last:
        return cols.transpose(1, 2, 3, 0, 4, 5).reshape(-1, a.shape[0] * out[0] * out[1])
    return cols.reshape(a.shape[0], -1, out[0] * out[1])


def col2im(xp, cols, size, kernel, dilation, padding, stride, blocks=None):
    """(N, C·kh·kw, L) → (N, C, H, W), adding each column back where its window lies
    (the adjoint of im2col). One strided add per kernel offset. ``blocks``: the windows per
    dim when they do not fill the output (a transposed convolution's output_padding)."""
    (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = size, kernel, dilation, padding, stride
    ho, wo = blocks or (_blocks(h, kh, sh, ph, dh), _blocks(w, kw, sw, pw, dw))
    n = cols.shape[0]
    c = cols.shape[1] // (kh * kw)
    cols = cols.reshape(n, c, kh, kw, ho, wo)
    if (sh, sw) == (kh, kw) and (dh, dw) == (1, 1) and (ho * sh, wo * sw) == (h + 2 * ph, w + 2 * pw):
        # the windows tile the plane (2×2 pooling): each pixel belongs to exactly one, so the
        # image is the columns rearranged, with no additions
        out = cols.transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h + 2 * ph, w + 2 * pw)
        return c_contiguous(out[:, :, ph:ph + h, pw:pw + w])
    out = xp.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            out[offset_slices(i, j, dilation, stride, (ho, wo))] += cols[:, :, i, j]
    return c_contiguous(out[:, :, ph:ph + h, pw:pw + w])


def _geometry(kernel_size, dilation, padding, stride):
    return tuple(_pair(v) for v in (kernel_size, dilation, padding, stride))


def _check_geometry(size, k, d, p, s):
    if min(s) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(p) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got {list(d)}")
    if min(k) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_size={k}")
    padded_size = [size[i] + 2 * p[i] for i in range(2)]
    if any(padded_size[i] < d[i] * (k[i] - 1) + 1 for i in range(2)):
        raise RuntimeError("Calculated padded input size per channel: "
                           f"({padded_size[0]} x {padded_size[1]}). "
                           f"Kernel size: ({d[0] * (k[0] - 1) + 1} x {d[1] * (k[1] - 1) + 1}). Kernel size "
                           "can't be greater than actual input size")


# ---- unfold / fold ------------------------------------------------------------------------------

class Im2Col(Function):
    """y = unfold(x);   ∂L/∂x = fold(g)"""
    node_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride):
        ctx.geometry, ctx.size = (kernel, dilation, padding, stride), x.shape[-2:]
        a = x._data
        cols = im2col(x._xp, a[None] if a.ndim == 3 else a, kernel, dilation, padding, stride)
        return c_contiguous(cols[0] if a.ndim == 3 else cols)

    @staticmethod
    def backward(ctx, g):
        return Col2Im.apply(g, ctx.size, *ctx.geometry), None, None, None, None


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """(N, C, H, W) → (N, C·kh·kw, L): each sliding window as a column (im2col)."""
    need_tensor("unfold", input)
    if input.ndim < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [-{max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got 2)")
    if input.ndim not in (3, 4):
        raise RuntimeError(f"Input Error: Only 3D or 4D input Tensors are supported (got {input.ndim}D)")
    k, d, p, s = _geometry(kernel_size, dilation, padding, stride)
    _check_geometry(input.shape[-2:], k, d, p, s)
    return Im2Col.apply(input, k, d, p, s)


class Col2Im(Function):
    """y = fold(x);   ∂L/∂x = unfold(g)"""
    node_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, x, size, kernel, dilation, padding, stride):
        ctx.geometry = (kernel, dilation, padding, stride)
        a = x._data
        out = col2im(x._xp, a[None] if a.ndim == 2 else a, size, kernel, dilation, padding, stride)
        return out[0] if a.ndim == 2 else out

    @staticmethod
    def backward(ctx, g):
        return Im2Col.apply(g, *ctx.geometry), None, None, None, None, None


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """(N, C·kh·kw, L) → (N, C, H, W): columns added back into an image (col2im, unfold's adjoint)."""
    need_tensor("fold", input)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
                           f"(got {input.ndim}D)")
    size = _pair(output_size)
    k, d, p, s = _geometry(kernel_size, dilation, padding, stride)
    blocks = [_blocks(size[i], k[i], s[i], p[i], d[i]) for i in range(2)]
    if input.shape[-2] % (k[0] * k[1]):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of "
                           f"kernel_size, but got input.size(1)={input.shape[-2]} and kernel_size={k}")
    if blocks[0] * blocks[1] != input.shape[-1]:
        raise RuntimeError(f"Given output_size={size}, kernel_size={k}, dilation={d}, padding={p}, "
                           f"stride={s}, expected size of input's dimension 2 to match the calculated "
                           f"number of sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, "
                           f"but got input.size(2)={input.shape[-1]}.")
    return Col2Im.apply(input, size, k, d, p, s)


# ---- convolution ------------------------------------------------------------------------------

def _cpp_name(dt) -> str:
    """The C++ name PyTorch's kernels print for a dtype: float, double, c10::Half..."""
    return {"Half": "c10::Half", "BFloat16": "c10::BFloat16"}.get(dt._legacy, dt._legacy.lower())


def _conv_args(name, dims, input, weight, bias, groups, transposed):
    """Checks shared by the convolutions; returns the input batched (and whether it was not)."""
    need_tensor(name, input)
    need_tensor(name, weight, 2, "weight")
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {name}, "
                           f"but got input of size: {list(input.shape)}")
    unbatched = input.ndim == dims + 1
    if unbatched:
        input = input.unsqueeze(0)
    if weight.dtype is not input.dtype:
        raise RuntimeError(f"Input type (torch.{input.dtype._legacy}Tensor) and weight type "
                           f"(torch.{weight.dtype._legacy}Tensor) should be the same or input should be a "
                           "MKLDNN tensor and weight is a dense tensor")
    if bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError(f"Input type ({_cpp_name(input.dtype)}) and bias type ({_cpp_name(bias.dtype)}) "
                           "should be the same")
    if weight.ndim != dims + 2:
        raise RuntimeError(f"Expected {dims + 2}-dimensional weight for {dims + 2}-dimensional input "
                           f"{list(input.shape)}, but got {weight.ndim}-dimensional weight of size "
                           f"{list(weight.shape)} instead")
    channels = weight.shape[0] if transposed else weight.shape[1] * groups
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if input.shape[1] != channels:
        raise RuntimeError(f"Given {'transposed=1, ' if transposed else ''}groups={groups}, weight of size "
                           f"{list(weight.shape)}, expected input{list(input.shape)} to have {channels} "
                           f"channels, but got {input.shape[1]} channels instead")
    out_channels = weight.shape[1] * groups if transposed else weight.shape[0]
    if not transposed and weight.shape[0] % groups:
        raise RuntimeError("Given groups={}, expected weight to be divisible by {} at dimension 0, but got "
                           "weight of size {} instead".format(groups, groups, list(weight.shape)))
    if bias is not None and tuple(bias.shape) != (out_channels,):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional "
                           f"with {out_channels} elements, but got bias of size {list(bias.shape)} instead")
    return input, unbatched


def _spatial(v, dims, fill=1):
    """An int or a sequence as a (H, W) pair; 1-d convolutions run with H = 1 (stride and
    dilation 1, padding 0 along it)."""
    v = (v,) * dims if isinstance(v, int) else tuple(v)
    return (fill,) + v if dims == 1 else v


class Convolution(Function):
    """y = conv(x, W) + b (or its transpose) over 2 spatial dims (1-d convolutions run with H = 1).

    ∂L/∂x = conv_transpose(g, W) (conv(g, W) for a transposed one),
    ∂L/∂W = Σₙ g · unfold(x)ᵀ (Σₙ x · unfold(g)ᵀ),   ∂L/∂b = Σ over batch and space of g"""
    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation, transposed, output_padding, groups):
        xp, a, w = x._xp, x._data, weight._data
        ctx.one_d = a.ndim == 3
        if ctx.one_d:                       # (N, C, L) as (N, C, 1, L)
            a, w = a[:, :, None], w[:, :, None]
        n, g = a.shape[0], groups
        kernel = w.shape[2:]
        ctx.options = (stride, padding, dilation, transposed, output_padding, groups)
        ctx.save_for_backward(x, weight)
        ctx.has_bias = bias is not None
        if not transposed:
            cols = im2col(xp, a, kernel, dilation, padding, stride, batch_last=True)
            ctx.cols = cols            # reused by the weight gradient unless that must be differentiable
            o = w.shape[0]
            out = w.reshape(g, o // g, -1) @ cols.reshape(g, -1, cols.shape[1])     # (g, O/g, N·L)
            out = out.reshape(o, n, -1).transpose(1, 0, 2)
            size = [_blocks(a.shape[2 + i], kernel[i], stride[i], padding[i], dilation[i]) for i in range(2)]
        else:
            h, wd = a.shape[2:]
            o = w.shape[1] * g
            cols = w.reshape(g, w.shape[0] // g, -1).swapaxes(1, 2) @ a.reshape(n, g, -1, h * wd)
            size = [transposed_size(a.shape[2 + i], kernel[i], stride[i], padding[i], dilation[i],
                                    output_padding[i]) for i in range(2)]
            out = col2im(xp, cols.reshape(n, o * kernel[0] * kernel[1], h * wd), size, kernel, dilation,
                         padding, stride, blocks=(h, wd))
        out = out.reshape(n, o, *size)
        if bias is not None:
            out += bias._data[:, None, None]
        return c_contiguous(out.reshape(n, o, size[1]) if ctx.one_d else out)

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        stride, padding, dilation, transposed, output_padding, groups = ctx.options
        if ctx.one_d:
            x, weight, g = x.unsqueeze(2), weight.unsqueeze(2), g.unsqueeze(2)
        need = ctx.needs_input_grad
        kernel = tuple(weight.shape[2:])
        n = x.shape[0]
        gx = gw = gb = None
        # with output_padding ≥ stride (possible when dilation > stride), g holds more windows than
        # x has pixels: the extra ones lie in the output padding and are cut off
        cut = (lambda t: t[:, :, :x.shape[2], :x.shape[3]]) if transposed else None
        if need[0]:
            if transposed:
                gx = cut(_convolution(g, weight, None, stride, padding, dilation, False, (0, 0), groups))
            else:
                # the transposed convolution that gives back x's size exactly
                extra = tuple(x.shape[2 + i] - transposed_size(g.shape[2 + i], kernel[i], stride[i],
                                                               padding[i], dilation[i], 0) for i in range(2))
                gx = _convolution(g, weight, None, stride, padding, dilation, True, extra, groups)
        if need[1]:
            if transposed:
                blocks = [_blocks(g.shape[2 + i], kernel[i], stride[i], padding[i], dilation[i])
                          for i in range(2)]
                cols = Im2Col.apply(g, kernel, dilation, padding, stride)
                cols = cut(cols.reshape(n, -1, *blocks)).reshape(n, cols.shape[1], -1).transpose(0, 1)
                rows = x
            else:
                # under create_graph the columns must come from x through the graph
                cols = (Im2Col.apply(x, kernel, dilation, padding, stride).transpose(0, 1)
                        if is_grad_enabled() else _wrap(ctx.cols, x._device))
                rows = g
            # one product over the whole batch: (groups, rows, N·L) · (groups, N·L, columns)
            rows = rows.transpose(0, 1).reshape(groups, rows.shape[1] // groups, -1)
            cols = cols.reshape(groups, -1, rows.shape[2])
            gw = (rows @ cols.transpose(1, 2)).reshape(weight.shape)
        if ctx.has_bias and need[2]:
            gb = g.sum((0, 2, 3))
        if ctx.one_d:
            gx = gx.squeeze(2) if gx is not None else None
            gw = gw.squeeze(2) if gw is not None else None
        return gx, gw, gb, None, None, None, None, None, None


def _convolution(x, weight, bias, stride, padding, dilation, transposed, output_padding, groups):
    return Convolution.apply(x, weight, bias, stride, padding, dilation, transposed, output_padding, groups)


def _conv(name, dims, input, weight, bias, stride, padding, dilation, groups):
    input, unbatched = _conv_args(name, dims, input, weight, bias, groups, False)
    stride, dilation = _spatial(stride, dims), _spatial(dilation, dims)
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            padding = 0
        elif padding == "same":
            if max(stride) > 1:
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [dilation[-dims + i] * (kernel[i] - 1) for i in range(dims)]
            if any(t % 2 for t in total):
                # PyTorch pads the odd pixel on the right (and bottom), then pads the rest evenly
                warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a "
                              "zero-padded copy of the input be created")
                input = pad(input, [v for t in reversed(total) for v in (0, t % 2)])
            padding = tuple(t // 2 for t in total)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    padding = _spatial(padding, dims, fill=0)
    size = input.shape[2:] if dims == 2 else (1,) + tuple(input.shape[2:])
    k = kernel if dims == 2 else (1,) + kernel
    _check_geometry(size, k, dilation, padding, stride)
    out = _convolution(input, weight, bias, stride, padding, dilation, False, (0, 0), groups)
    return out.squeeze(0) if unbatched else out


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """(N, C, L) ⋆ (O, C/groups, k) → (N, O, L'), with L' = ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1."""
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """(N, C, H, W) ⋆ (O, C/groups, kh, kw) → (N, O, H', W'); padding may be 'valid' or 'same'."""
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv2d: (N, C, H, W) with weight (C, O/groups, kh, kw) → (N, O, H', W'),
    H' = (H − 1)s − 2p + d(kh − 1) + output_padding + 1."""
    input, unbatched = _conv_args("conv_transpose2d", 2, input, weight, bias, groups, True)
    stride, padding, dilation, output_padding = (_pair(v) for v in (stride, padding, dilation,
                                                                    output_padding))
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(padding) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(dilation) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: {dilation[0]}, "
                           f"dilation_width: {dilation[1]}")
    if any(output_padding[i] >= max(stride[i], dilation[i]) for i in range(2)):
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got "
                           f"output_padding_height: {output_padding[0]} output_padding_width: "
                           f"{output_padding[1]} stride_height: {stride[0]} stride_width: {stride[1]} "
                           f"dilation_height: {dilation[0]} dilation_width: {dilation[1]}")
    size = [transposed_size(input.shape[2 + i], weight.shape[2 + i], stride[i], padding[i], dilation[i],
                            output_padding[i]) for i in range(2)]
    if min(size) < 1:
        raise RuntimeError(f"Given input size per channel: ({input.shape[2]} x {input.shape[3]}). Calculated "
                           f"output size per channel: ({size[0]} x {size[1]}). Output size is too small")
    out = _convolution(input, weight, bias, stride, padding, dilation, True, output_padding, groups)
    return out.squeeze(0) if unbatched else out
