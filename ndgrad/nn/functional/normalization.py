"""Normalisation layers: batch_norm, layer_norm, group_norm.

Each standardises x over some axes, x̂ = (x − μ)/√(σ² + ε) with the biased variance, and then
scales and shifts: y = γ·x̂ + β. They differ only in the axes: batch_norm over the batch and
space of each channel, layer_norm over the trailing ``normalized_shape``, group_norm over each
group of channels of each sample. The gradient through the statistics is, with ĝ = g·γ and
means over the same axes,

    ∂L/∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / √(σ² + ε),   ∂L/∂γ = Σ g·x̂,   ∂L/∂β = Σ g.

The backward passes recompute x̂ from x with Tensor ops, so that they are differentiable too.
"""
from __future__ import annotations

import math

from ..._layout import c_contiguous
from ...autograd.function import Function
from ...ops._checks import need_tensor
from ...tensor import Tensor, _wrap

__all__ = ["batch_norm", "layer_norm", "group_norm"]


def _moments(a, axes):
    mean = a.mean(axes, keepdims=True)
    return mean, ((a - mean) ** 2).mean(axes, keepdims=True)


def _standardized(x: Tensor, axes, eps: float):
    """x̂ and 1/√(σ² + ε) over ``axes``, with Tensor ops (the backward passes' half)."""
    centred = x - x.mean(axes, keepdim=True)
    invstd = ((centred * centred).mean(axes, keepdim=True) + eps).rsqrt()
    return centred * invstd, invstd


def _input_grad(gh: Tensor, xhat: Tensor, invstd: Tensor, axes) -> Tensor:
    return (gh - gh.mean(axes, keepdim=True) - xhat * (gh * xhat).mean(axes, keepdim=True)) * invstd


def _affine(out, weight, bias, shape):
    """out·γ + β in place, γ and β reshaped to broadcast along ``shape``."""
    if weight is not None:
        out *= weight._data.reshape(shape)
    if bias is not None:
        out += bias._data.reshape(shape)
    return c_contiguous(out)          # PyTorch's kernels write contiguous outputs, whatever x's layout


def _affine_grads(ctx, g, xhat, axes, shape):
    need = ctx.needs_input_grad
    total = (lambda t: t.sum(axes)) if axes else (lambda t: t)      # () would sum everything
    gw = total(g * xhat).reshape(shape) if need[1] else None
    gb = total(g).reshape(shape) if need[2] else None
    return gw, gb


def _batch_axes(ndim: int) -> tuple:
    """batch_norm's statistics axes: the batch and every spatial dim, all but the channels."""
    return (0,) + tuple(range(2, ndim))


def _update_running(mean, var, running_mean, running_var, momentum, count):
    rm, rv = running_mean._data, running_var._data
    rm *= 1 - momentum
    rm += (momentum * mean.reshape(-1)).astype(rm.dtype, copy=False)
    rv *= 1 - momentum
    rv += (momentum * count / (count - 1) * var.reshape(-1)).astype(rv.dtype, copy=False)
    running_mean._version[0] += 1
    running_var._version[0] += 1


class NativeBatchNorm(Function):
    """batch_norm: per channel, over batch and space (the running statistics when not training);
    see the module docstring for the gradient (with fixed statistics it is g·γ/√(σ² + ε))"""
    node_name = "NativeBatchNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, mean, var, eps, training):
        a = x._data
        ctx.axes = _batch_axes(a.ndim)
        ctx.channel = (1, -1) + (1,) * (a.ndim - 2)
        ctx.eps, ctx.fixed = eps, not training
        mean, var = mean.reshape(ctx.channel), var.reshape(ctx.channel)
        invstd = 1 / x._xp.sqrt(var + eps)
        ctx.stats = (mean, invstd)
        ctx.save_for_backward(x, weight)
        return _affine(((a - mean) * invstd).astype(a.dtype, copy=False), weight, bias, ctx.channel)

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        gh = g if weight is None else g * weight.reshape(ctx.channel)
        if ctx.fixed:
            mean, invstd = (_wrap(s, x.device) for s in ctx.stats)
            xhat = (x - mean) * invstd
            gx = gh * invstd
        else:
            xhat, invstd = _standardized(x, ctx.axes, ctx.eps)
            gx = _input_grad(gh, xhat, invstd, ctx.axes)
        gw, gb = _affine_grads(ctx, g, xhat, ctx.axes, (-1,))
        return (gx if ctx.needs_input_grad[0] else None), gw, gb, None, None, None, None


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Standardise each channel of (N, C, ...) over the batch and space. In training, the batch
    statistics are used and the running ones updated in place: r ← (1 − momentum)·r + momentum·s,
    with the unbiased variance; otherwise the running statistics are used."""
    need_tensor("batch_norm", input)
    if input.ndim < 2:
        raise ValueError(f"Expected 2D or 3D input (got {input.ndim}D input)" if input.ndim == 1 else
                         f"batch_norm(): Expected input to have at least 2 dimensions, but got {input.ndim}")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    if training:
        count = input.numel() // c
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                             f"{input.shape}")
        # the batch statistics, computed once: they normalise and update the running ones
        mean, var = _moments(input._data, _batch_axes(input.ndim))
        out = NativeBatchNorm.apply(input, weight, bias, mean, var, eps, True)
        if running_mean is not None:
            _update_running(mean, var, running_mean, running_var, momentum, count)
        return out
    if running_mean is None or running_var is None:
        raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
    return NativeBatchNorm.apply(input, weight, bias, running_mean._data, running_var._data, eps, False)


class NativeLayerNorm(Function):
    """layer_norm: over the trailing ``normalized_shape`` dims of each sample (see the module docstring)"""
    node_name = "NativeLayerNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, n_dims, eps):
        a = x._data
        ctx.axes, ctx.eps = tuple(range(a.ndim - n_dims, a.ndim)), eps
        mean, var = _moments(a, ctx.axes)
        ctx.save_for_backward(x, weight)
        out = ((a - mean) / x._xp.sqrt(var + eps)).astype(a.dtype, copy=False)
        return _affine(out, weight, bias, a.shape[a.ndim - n_dims:])

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        xhat, invstd = _standardized(x, ctx.axes, ctx.eps)
        gx = _input_grad(g if weight is None else g * weight, xhat, invstd, ctx.axes)
        batch = tuple(range(x.ndim - len(ctx.axes)))
        gw, gb = _affine_grads(ctx, g, xhat, batch, x.shape[x.ndim - len(ctx.axes):])
        return (gx if ctx.needs_input_grad[0] else None), gw, gb, None, None


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Standardise each sample over its last len(normalized_shape) dims, then y = γ·x̂ + β."""
    need_tensor("layer_norm", input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape):]) != shape or len(shape) > input.ndim:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape [*, "
                           f"{', '.join(map(str, shape))}], but got input of size{input.shape}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                               f"shape {list(t.shape)} and normalized_shape = {list(shape)}")
    return NativeLayerNorm.apply(input, weight, bias, len(shape), eps)


class NativeGroupNorm(Function):
    """group_norm: over each group of C/G channels (and space) of each sample (see the module docstring)"""
    node_name = "NativeGroupNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, groups, eps):
        a = x._data
        ctx.groups, ctx.eps = groups, eps
        ctx.channel = (1, -1) + (1,) * (a.ndim - 2)
        grouped = a.reshape(a.shape[0], groups, -1)
        mean, var = _moments(grouped, (2,))
        ctx.save_for_backward(x, weight)
        out = ((grouped - mean) / x._xp.sqrt(var + eps)).astype(a.dtype, copy=False).reshape(a.shape)
        return _affine(out, weight, bias, ctx.channel)

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        n = x.shape[0]
        xhat, invstd = _standardized(x.reshape(n, ctx.groups, -1), (2,), ctx.eps)
        gh = (g if weight is None else g * weight.reshape(ctx.channel)).reshape(n, ctx.groups, -1)
        gx = _input_grad(gh, xhat, invstd, (2,)).reshape(x.shape)
        xhat = xhat.reshape(x.shape)
        gw, gb = _affine_grads(ctx, g, xhat, (0,) + tuple(range(2, x.ndim)), (-1,))
        return (gx if ctx.needs_input_grad[0] else None), gw, gb, None, None


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Standardise each group of C/num_groups channels of each sample, then y = γ·x̂ + β per channel."""
    need_tensor("group_norm", input)
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    c = input.shape[1]
    if input.shape[0] * c // max(num_groups, 1) * math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{[input.shape[0] * c // num_groups, num_groups] + list(input.shape[2:])}")
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got "
                           f"input of shape {input.shape} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in "
                               f"input, but got {name} of shape {list(t.shape)} and input of shape "
                               f"{list(input.shape)}")
    return NativeGroupNorm.apply(input, weight, bias, num_groups, eps)
