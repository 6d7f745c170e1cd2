"""Activation functions: each one a Function, forward on arrays beside its derivative."""
from __future__ import annotations

import math
import warnings

from ... import dtypes
from ..._layout import c_contiguous
from ...autograd.function import Function
from ...dtypes import not_implemented
from ...ops._checks import need_tensor
from ...ops.pointwise import where
from ...ops.special import erf_array
from ...ops.trig import tanh
from ...ops.unary import Relu, relu as _relu, sigmoid
from ...tensor import Tensor, _dim

__all__ = ["relu", "leaky_relu", "elu", "gelu", "silu", "softplus", "hardtanh", "relu6", "softmax",
           "log_softmax", "sigmoid", "tanh"]


def _float_input(name: str, kernel: str, x: Tensor):
    need_tensor(name, x)
    if not x.dtype.is_floating_point:
        raise not_implemented(kernel, x.dtype)
    return x._xp, x._data


def _softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_args(name, input, dim, dtype):
    need_tensor(name, input)
    if dim is None:
        dim = _softmax_dim(name, input.ndim)
    if dtype is not None:
        input = input.to(dtype)
    return input, _dim(dim, input.ndim)


def _inplace(x: Tensor, fn, *args) -> Tensor:
    """The ``inplace=True`` form: compute, then write into x (PyTorch's ``relu_``, ...)."""
    x._check_inplace()
    return x._commit_inplace(fn.apply(x._inplace_source(), *args))


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return _inplace(input, Relu) if inplace else _relu(input)


class LeakyRelu(Function):
    """x if x > 0 else s·x;   d/dx = 1 if x > 0 else s"""
    node_name = "LeakyReluBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, x, slope):
        xp, a = _float_input("leaky_relu", "leaky_relu_cpu", x)
        ctx.save_for_backward(x)
        ctx.slope = slope
        return xp.where(a > 0, a, a * a.dtype.type(slope))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return where(x > 0, g, g * ctx.slope), None


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    return _inplace(input, LeakyRelu, negative_slope) if inplace else LeakyRelu.apply(input, negative_slope)


class Elu(Function):
    """x if x > 0 else α(eˣ − 1);   d/dx = 1 if x > 0 else α·eˣ"""
    node_name = "EluBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, x, alpha):
        xp, a = _float_input("elu", "elu", x)
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        return xp.where(a > 0, a, alpha * xp.expm1(xp.minimum(a, 0))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return where(x > 0, g, g * ctx.alpha * x.clamp(max=0).exp()), None


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _inplace(input, Elu, alpha) if inplace else Elu.apply(input, alpha)


_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


class Gelu(Function):
    """x·Φ(x) = ½x(1 + erf(x/√2));   d/dx = Φ(x) + x·φ(x).
    approximate='tanh': ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³);
    d/dx = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)"""
    node_name = "GeluBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, x, approximate):
        xp, a = _float_input("gelu", "GeluKernelImpl", x)
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        if approximate == "tanh":
            return (0.5 * a * (1 + xp.tanh(_SQRT_2_OVER_PI * (a + 0.044715 * a ** 3)))).astype(a.dtype,
                                                                                               copy=False)
        return (0.5 * a * (1 + erf_array(xp, a / math.sqrt(2)))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            t = tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))
            return g * (0.5 * (1 + t)
                        + 0.5 * x * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)), None
        cdf = 0.5 * (1 + (x * (1 / math.sqrt(2))).erf())
        pdf = (x * x * -0.5).exp() * (1 / math.sqrt(2 * math.pi))
        return g * (cdf + x * pdf), None


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate)


class Silu(Function):
    """x·σ(x);   d/dx = σ(x)(1 + x(1 − σ(x)))"""
    node_name = "SiluBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, x):
        xp, a = _float_input("silu", "silu", x)
        ctx.save_for_backward(x)
        return a * sigmoid(x)._data

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        s = sigmoid(x)
        return g * (s * (1 + x * (1 - s)))


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    return _inplace(input, Silu) if inplace else Silu.apply(input)


class Softplus(Function):
    """(1/β)·log(1 + e^{βx}), or x where βx > threshold;   d/dx = σ(βx) (1 beyond the threshold)"""
    node_name = "SoftplusBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, x, beta, threshold):
        xp, a = _float_input("softplus", "softplus", x)
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        z = a * beta
        soft = xp.logaddexp(z, 0) / beta
        return xp.where(z > threshold, a, soft).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        z = x * ctx.beta
        return where(z > ctx.threshold, g, g * sigmoid(z)), None, None


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return Softplus.apply(input, beta, threshold)


class Hardtanh(Function):
    """clamp(x, min_val, max_val);   d/dx = 1 strictly inside (min_val, max_val), else 0"""
    node_name = "HardtanhBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, x, lo, hi):
        need_tensor("hardtanh", x)
        if x.dtype is dtypes.bool:
            raise not_implemented("clamp_scalar_cpu", x.dtype)
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        a = x._data
        return x._xp.clip(a, a.dtype.type(lo), a.dtype.type(hi))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return where((x > ctx.lo) & (x < ctx.hi), g, 0.0), None, None


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _inplace(input, Hardtanh, min_val, max_val) if inplace else Hardtanh.apply(input, min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6) (PyTorch computes it as hardtanh(x, 0, 6))."""
    return hardtanh(input, 0.0, 6.0, inplace)


class Softmax(Function):
    """yᵢ = e^{xᵢ − max x} / Σⱼ e^{xⱼ − max x};   ∂L/∂x = y ⊙ (g − Σ g⊙y)"""
    node_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        xp, a = _float_input("softmax", "softmax_lastdim_kernel_impl", x)
        e = xp.exp(a - a.max(axis=dim, keepdims=True)) if a.size else a.copy()
        y = c_contiguous(e / e.sum(axis=dim, keepdims=True))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return y * (g - (g * y).sum(ctx.dim, keepdim=True)), None


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim``, computed from x − max(x) so it never overflows."""
    input, dim = _softmax_args("softmax", input, dim, dtype)
    return Softmax.apply(input, dim)


class LogSoftmax(Function):
    """yᵢ = xᵢ − max x − log Σⱼ e^{xⱼ − max x} (never overflows);   ∂L/∂x = g − e^y · Σ g"""
    node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        xp, a = _float_input("log_softmax", "log_softmax_lastdim_kernel_impl", x)
        if not a.size:
            y = a.copy()
        else:
            shifted = a - a.max(axis=dim, keepdims=True)
            y = c_contiguous(shifted - xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True)))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g - y.exp() * g.sum(ctx.dim, keepdim=True), None


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """log(softmax(x)) in one step: x − max − log Σ exp(x − max), finite for huge logits."""
    input, dim = _softmax_args("log_softmax", input, dim, dtype)
    return LogSoftmax.apply(input, dim)
