"""Losses. Pointwise losses are Functions whose backward scales by the reduction; the
classification losses are built as PyTorch builds them (cross_entropy = log_softmax + nll_loss),
so the values, the grad_fn names and the numerically stable paths agree."""
from __future__ import annotations

import warnings

from ... import dtypes
from ..._layout import broadcast_shapes
from ...autograd.function import Function
from ...autograd.grad_mode import no_grad
from ...dtypes import operands
from ...ops._checks import indices_in_range, need_tensor
from ...ops.creation import zeros
from ...ops.division import DivScalar
from ...ops.pointwise import where
from ...tensor import Tensor, _wrap
from .activation import log_softmax

__all__ = ["l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss", "nll_loss", "cross_entropy",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div"]

_REDUCTIONS = ("mean", "sum", "none")


def _reduction(size_average, reduce, reduction: str, allowed=_REDUCTIONS) -> str:
    """The reduction, from PyTorch's deprecated ``size_average``/``reduce`` pair when given."""
    if size_average is not None or reduce is not None:
        warnings.warn("size_average and reduce args will be deprecated, please use reduction='"
                      + ("sum" if size_average is False else "mean") + "' instead.", stacklevel=3)
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    if reduction not in allowed:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(a, reduction: str):
    """The array of elementwise losses reduced (in its own dtype, as PyTorch accumulates)."""
    if reduction == "mean":
        return a.mean(dtype=a.dtype)
    if reduction == "sum":
        return a.sum(dtype=a.dtype)
    return a


def _unreduce(g: Tensor, reduction: str, n: int) -> Tensor:
    """The upstream gradient of a reduced loss, per element: g (sum), g/n (mean), as is (none)."""
    return g / n if reduction == "mean" else g


def _check_nll(input: Tensor, target: Tensor, weight: Tensor | None):
    need_tensor("nll_loss", input)
    need_tensor("nll_loss", target, 2, "target")
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if target.dtype not in (dtypes.int64, dtypes.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target.dtype._legacy}")
    if input.ndim == 1 and target.ndim != 0 or input.ndim == 2 and target.ndim != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim > 1 and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                         f"({target.shape[0]}).")
    if input.ndim > 2 and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {[input.shape[0]] + list(input.shape[2:])}, got "
                           f"{list(target.shape)}")
    c = input.shape[1] if input.ndim > 1 else input.shape[0]
    if weight is not None and weight.numel() != c:
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no classes "
                           f"but got weight tensor of shape: {list(weight.shape)}")


def _same_shape(name: str, input: Tensor, target: Tensor):
    """Both operands broadcast to one shape, with PyTorch's warning when they differ."""
    need_tensor(name, input)
    need_tensor(name, target, 2, "target")
    if input.shape == target.shape:
        return input, target
    warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                  f"({input.shape}). This will likely lead to incorrect results due to "
                  "broadcasting. Please ensure they have the same size.", stacklevel=3)
    shape = broadcast_shapes(input.shape, target.shape)
    return input.expand(shape), target.expand(shape)


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
            reduction: str = "mean", weight=None) -> Tensor:
    """Mean absolute error: reduce(|input − target|), composed of sub, abs and mean as in PyTorch."""
    reduction = _reduction(size_average, reduce, reduction)
    input, target = _same_shape("l1_loss", input, target)
    loss = (input - target).abs()
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


class _PointwiseLoss(Function):
    """reduce(ℓ(x − y));   ∂/∂x = ℓ'(x − y)·scale,  ∂/∂y = −∂/∂x  (scale = 1/N for mean).
    Subclasses give ℓ on arrays (``loss``) and ℓ' on Tensors (``derivative``)."""
    elementwise = True        # reduction="none" is laid out like PyTorch's elementwise results

    @classmethod
    def forward(cls, ctx, x, y, reduction, param):
        a, b, _ = operands(x, y)
        ctx.save_for_backward(x, y)
        ctx.reduction, ctx.param = reduction, param
        return _reduce(cls.loss(x._xp, a - b, param), reduction)

    @classmethod
    def backward(cls, ctx, g):
        x, y = ctx.saved_tensors
        gx = _unreduce(g, ctx.reduction, x.numel()) * cls.derivative(x - y, ctx.param)
        return gx, -gx, None, None


class MseLoss(_PointwiseLoss):
    """ℓ(d) = d²;   ℓ'(d) = 2d"""
    node_name = "MseLossBackward0"

    @staticmethod
    def loss(xp, d, _):
        return d * d

    @staticmethod
    def derivative(d, _):
        return d * 2


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
             reduction: str = "mean", weight=None) -> Tensor:
    """Mean squared error: reduce((input − target)²)."""
    reduction = _reduction(size_average, reduce, reduction)
    input, target = _same_shape("mse_loss", input, target)
    return MseLoss.apply(input, target, reduction, None)


class SmoothL1Loss(_PointwiseLoss):
    """ℓ(d) = ½d²/β if |d| < β else |d| − ½β;   ℓ'(d) = d/β if |d| < β else sign(d)"""
    node_name = "SmoothL1LossBackward0"

    @staticmethod
    def loss(xp, d, beta):
        z = xp.abs(d)
        return xp.where(z < beta, 0.5 * d * d / (beta or 1), z - 0.5 * beta).astype(d.dtype, copy=False)

    @staticmethod
    def derivative(d, beta):
        return where(d.abs() < beta, d / (beta or 1), d.sign())


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    input, target = _same_shape("smooth_l1_loss", input, target)
    if beta == 0:                      # PyTorch's shortcut: plain L1
        return l1_loss(input, target, reduction=reduction)
    return SmoothL1Loss.apply(input, target, reduction, float(beta))


class HuberLoss(_PointwiseLoss):
    """ℓ(d) = ½d² if |d| < δ else δ(|d| − ½δ);   ℓ'(d) = d if |d| < δ else δ·sign(d)"""
    node_name = "HuberLossBackward0"

    @staticmethod
    def loss(xp, d, delta):
        z = xp.abs(d)
        return xp.where(z < delta, 0.5 * d * d, delta * (z - 0.5 * delta)).astype(d.dtype, copy=False)

    @staticmethod
    def derivative(d, delta):
        return where(d.abs() < delta, d, d.sign() * delta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight=None) -> Tensor:
    reduction = _reduction(None, None, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    input, target = _same_shape("huber_loss", input, target)
    return HuberLoss.apply(input, target.to(input.dtype), reduction, float(delta))


class NllLoss(Function):
    """ℓₙ = −w_{tₙ}·x[n, tₙ] (0 where tₙ = ignore_index); mean divides by Σ w_{tₙ}.
    ∂L/∂x[n, c] = −w_{tₙ}·gₙ where c = tₙ, else 0  (gₙ = g/Σw for mean)"""
    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, x, target, weight, reduction, ignore_index):
        xp, a = x._xp, x._data
        c = a.shape[1] if a.ndim > 1 else a.shape[0]
        rows = xp.moveaxis(a, 1, -1).reshape(-1, c) if a.ndim > 1 else a.reshape(1, c)
        t = target._data.reshape(-1)
        valid = t != ignore_index
        bad = valid & ((t < 0) | (t >= c))
        if bad.any():                             # one boolean read back (a GPU round trip)
            raise IndexError(f"Target {int(t[bad][0])} is out of bounds.")
        tc = xp.where(valid, t, 0)
        w = (weight._data[tc] if weight is not None else xp.ones(t.shape, a.dtype)) * valid
        w = w.astype(a.dtype, copy=False)
        losses = -rows[xp.arange(t.size), tc] * w
        ctx.shape, ctx.reduction = a.shape, reduction
        ctx.index, ctx.w, ctx.valid = tc, w, valid
        if reduction == "none":
            return losses.reshape(target._data.shape)
        total = losses.sum(dtype=a.dtype)
        if reduction == "sum":
            return total
        ctx.total_weight = w.sum(dtype=a.dtype)
        return total / ctx.total_weight

    @staticmethod
    def backward(ctx, g):
        dev = g.device
        index, w = _wrap(ctx.index, dev), _wrap(ctx.w, dev)
        shape = ctx.shape
        c = shape[1] if len(shape) > 1 else shape[0]
        if ctx.reduction == "none":
            per = g.reshape(-1) * w
        elif ctx.reduction == "sum":
            per = g * w
        else:                    # ignored targets get no gradient, even when Σw = 0
            per = (g * w / _wrap(ctx.total_weight, dev)).masked_fill(~_wrap(ctx.valid, dev), 0.0)
        with indices_in_range():             # forward checked the targets
            rows = zeros(index.shape[0], c, dtype=g.dtype, device=dev).scatter(1, index.unsqueeze(1),
                                                                               -per.unsqueeze(1))
        if len(shape) <= 1:
            return rows.reshape(shape), None, None, None, None
        moved = (shape[0],) + tuple(shape[2:]) + (c,)
        return rows.reshape(moved).movedim(-1, 1), None, None, None, None


class NllLoss2d(NllLoss):
    """nll_loss over spatial maps (N, C, H, W): same math, PyTorch's separate kernel name"""
    node_name = "NllLoss2DBackward0"


def _nll(input: Tensor, target: Tensor, weight, reduction: str, ignore_index: int) -> Tensor:
    """Dispatch as PyTorch does: inputs of 3 or more dims go through the 2-d kernel, folded to
    (N, C, 1, rest) unless they are 4-d already."""
    if input.ndim < 3:
        return NllLoss.apply(input, target, weight, reduction, ignore_index)
    if input.ndim == 4:
        return NllLoss2d.apply(input, target, weight, reduction, ignore_index)
    n, c = input.shape[:2]
    out = NllLoss2d.apply(input.reshape(n, c, 1, -1), target.reshape(n, 1, -1), weight, reduction,
                          ignore_index)
    return out.view(target.shape) if reduction == "none" else out


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of the target classes, given log-probabilities ``input``
    of shape (C), (N, C) or (N, C, d₁, ...)."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_nll(input, target, weight)
    if weight is not None:
        weight = weight.to(input.dtype)
    return _nll(input, target, weight, reduction, ignore_index)


def _class_shaped(weight: Tensor, ndim: int) -> Tensor:
    """Weights (C,) viewed to broadcast along the class dim (dim 1, or 0 for a 1-d input)."""
    shape = [1] * ndim
    shape[1 if ndim > 1 else 0] = weight.shape[0]
    return weight.reshape(shape)


def _cross_entropy_probs(logp, target, weight, reduction, eps, class_dim, n_classes):
    if not target.dtype.is_floating_point:
        raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                           f"{target.dtype._legacy}")
    if eps > 0:
        target = target * (1 - eps) + eps / n_classes
    terms = logp * target
    if weight is not None:
        terms = terms * _class_shaped(weight.to(logp.dtype), logp.ndim)
    if reduction == "none":
        return -terms.sum(class_dim)
    total = -terms.sum()
    if reduction == "sum":
        return total
    if logp.numel() == 0:
        with no_grad():                 # PyTorch fills the empty mean with nan, history kept
            return total.fill_(float("nan"))
    return DivScalar.apply(total, logp.numel() / n_classes)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                  ignore_index: int = -100, reduce=None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """−log softmax(input)[target]: class indices (N) or class probabilities (N, C) as targets.

    With ``label_smoothing`` ε the target is mixed with the uniform distribution:
    (1 − ε)·nll + ε/C·Σ_c(−w_c·log p_c), normalised as PyTorch normalises each part."""
    reduction = _reduction(size_average, reduce, reduction)
    need_tensor("cross_entropy_loss", input)
    need_tensor("cross_entropy_loss", target, 2, "target")
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 1 if input.ndim > 1 else 0
    logp = log_softmax(input, class_dim)
    n_classes = input.shape[class_dim] if input.ndim else 1
    if input.shape == target.shape:
        return _cross_entropy_probs(logp, target, weight, reduction, label_smoothing, class_dim, n_classes)
    _check_nll(input, target, weight)
    weight = None if weight is None else weight.to(input.dtype)
    nll = _nll(logp, target, weight, reduction, ignore_index)
    if label_smoothing == 0:
        return nll
    keep = target != ignore_index
    per_class = logp * _class_shaped(weight, logp.ndim) if weight is not None else logp
    smooth = (-per_class.sum(class_dim)).masked_fill(~keep, 0.0)
    if reduction == "mean":
        if weight is not None:
            smooth = smooth.sum() / weight.gather(0, target.masked_select(keep).flatten()).sum()
        else:
            smooth = smooth.sum() / keep.sum()
    elif reduction == "sum":
        smooth = smooth.sum()
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / n_classes)


class BinaryCrossEntropy(Function):
    """ℓ = −w·(y·log x + (1 − y)·log(1 − x)), each log clamped at −100 (finite at x = 0 or 1).
    ∂ℓ/∂x = w·(x − y)/max(x(1 − x), 1e−12);   ∂ℓ/∂y = w·(log(1 − x) − log x) (clamped logs)"""
    node_name = "BinaryCrossEntropyBackward0"
    elementwise = True

    @staticmethod
    def forward(ctx, x, y, w, reduction):
        xp, a, b = x._xp, x._data, y._data
        if a.size and ((a < 0) | (a > 1)).any():
            raise RuntimeError("all elements of input should be between 0 and 1")
        log_x = xp.maximum(xp.log(a), -100)
        log_1mx = xp.maximum(xp.log1p(-a), -100)
        losses = -(b * log_x + (1 - b) * log_1mx)
        if w is not None:
            losses = losses * w._data
        ctx.save_for_backward(x, y, w)
        ctx.reduction = reduction
        return _reduce(losses.astype(a.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        x, y, w = ctx.saved_tensors
        g = _unreduce(g, ctx.reduction, x.numel())
        if w is not None:
            g = g * w
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = g * (x - y) / (x * (1 - x)).clamp(min=1e-12)
        if ctx.needs_input_grad[1]:
            gy = g * ((1 - x).log().clamp(min=-100) - x.log().clamp(min=-100))
        return gx, gy, None, None


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Binary cross entropy of probabilities ``input`` (in [0, 1]) against ``target``."""
    reduction = _reduction(size_average, reduce, reduction)
    need_tensor("binary_cross_entropy", input)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    if weight is not None:
        weight = weight.to(input.dtype).expand(input.shape)
    return BinaryCrossEntropy.apply(input, target, weight, reduction)


class BinaryCrossEntropyWithLogits(Function):
    """ℓ = w·((1 − y)·x + L·softplus(−x)),  L = 1 + (p − 1)·y  (p: pos_weight), which equals
    −w·(p·y·log σ(x) + (1 − y)·log(1 − σ(x))) without ever forming σ(x) (finite for any x).
    ∂ℓ/∂x = w·((1 − y) − L·σ(−x));   ∂ℓ/∂y = w·((p − 1)·softplus(−x) − x)"""
    node_name = "BinaryCrossEntropyWithLogitsBackward0"
    elementwise = True

    @staticmethod
    def layout_operands(args) -> list:
        """PyTorch starts from (1 − target) and works in place: the target's layout wins."""
        return [args[1]._data]

    @staticmethod
    def forward(ctx, x, y, w, pos_weight, reduction):
        xp, a, b = x._xp, x._data, y._data
        softplus_neg = xp.logaddexp(0, -a)
        if pos_weight is not None:
            losses = (1 - b) * a + (1 + (pos_weight._data - 1) * b) * softplus_neg
        else:
            losses = (1 - b) * a + softplus_neg
        if w is not None:
            losses = losses * w._data
        ctx.save_for_backward(x, y, w, pos_weight)
        ctx.reduction = reduction
        return _reduce(losses.astype(a.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        x, y, w, p = ctx.saved_tensors
        g = _unreduce(g, ctx.reduction, x.numel())
        if w is not None:
            g = g * w
        gx = gy = None
        if ctx.needs_input_grad[0]:
            big_l = 1 + (p - 1) * y if p is not None else 1
            gx = g * ((1 - y) - big_l * (-x).sigmoid())
        if ctx.needs_input_grad[1]:
            gy = g * (((p - 1) * (-x).exp().log1p() - x) if p is not None else -x)
        return gx, gy, None, None, None


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average=None, reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """sigmoid + binary cross entropy in one numerically stable step."""
    reduction = _reduction(size_average, reduce, reduction)
    need_tensor("binary_cross_entropy_with_logits", input)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    shape = input.shape
    if weight is not None:
        weight = weight.to(input.dtype).expand(shape)
    if pos_weight is not None:
        pos_weight = pos_weight.to(input.dtype).expand(shape)
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """KL(target ‖ exp(input)) per element: target·(log target − input), 0 where target = 0
    (or exp(target)·(target − input) when ``log_target``); ``batchmean`` divides by the batch."""
    reduction = _reduction(size_average, reduce, reduction, _REDUCTIONS + ("batchmean",))
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support "
                      "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
                      "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
                      "major release.", stacklevel=2)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = where(target > 0, target * target.log(), 0.0) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss
