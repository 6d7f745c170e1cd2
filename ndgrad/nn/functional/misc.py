"""Tensor utilities of nn.functional: one_hot, pad, normalize."""
from __future__ import annotations

from ... import dtypes
from ..._layout import c_contiguous
from ...autograd.function import Function
from ...ops._checks import index_range, indices_in_range, need_tensor
from ...ops.creation import zeros
from ...tensor import Tensor, _wrap

__all__ = ["one_hot", "pad", "normalize"]


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 indices (…) → int64 (…, num_classes) with a 1 at each index (no gradient)."""
    need_tensor("one_hot", tensor)
    if tensor.dtype is not dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    xp, t = tensor._xp, tensor._data
    if num_classes == -1:               # the output's size depends on the values: read them back
        if not t.size:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(t.max()) + 1
    bad = index_range(t, 0, num_classes)
    if bad:
        raise RuntimeError("Class values must be non-negative." if bad[0] < 0 else
                           "Class values must be smaller than num_classes.")
    out = (t[..., None] == xp.arange(num_classes)).astype("int64")
    return _wrap(out, tensor._device)


def _pad_index(xp, n: int, before: int, after: int, mode: str):
    """For one dim of size n padded by (before, after): which input index each output reads."""
    i = xp.arange(-before, n + after)
    if mode == "reflect":
        period = 2 * (n - 1)
        i = xp.abs(i) % period if period else i * 0
        return xp.where(i >= n, period - i, i)
    if mode == "replicate":
        return xp.clip(i, 0, n - 1)
    return i % n                                          # circular


class PadGather(Function):
    """reflect / replicate / circular padding: out = x[idx] along each padded dim;
    ∂L/∂x = Σ of g over the outputs that read each input (index_add along each dim)."""
    node_name = "ReflectionPadBackward0"

    @staticmethod
    def forward(ctx, x, indices):
        a = x._data
        ctx.indices, ctx.shape = indices, a.shape
        for dim, idx in indices:
            a = a.take(idx, axis=dim)
        return c_contiguous(a)

    @staticmethod
    def backward(ctx, g):
        for dim, idx in reversed(ctx.indices):
            shape = list(g.shape)
            shape[dim] = ctx.shape[dim]
            with indices_in_range():         # forward made them
                g = zeros(*shape, dtype=g.dtype, device=g.device).index_add(dim, _wrap(idx, g.device), g)
        return g, None


# PyTorch names the node after the mode and the number of padded dims
_GATHER_NODES = {(mode, k): type(f"{prefix}Pad{k}d", (PadGather,), {"node_name": f"{prefix}Pad{k}DBackward0"})
                 for mode, prefix in (("reflect", "Reflection"), ("replicate", "Replication"))
                 for k in (1, 2, 3)}


def _negated(pads) -> list:
    """The torch-ordered pad list that undoes ``pads`` ((before, after) per dim, first dim first)."""
    out = []
    for lo, hi in reversed(pads):
        out += [-lo, -hi]
    return out


class ConstantPad(Function):
    """out = x framed by ``value`` (negative pads crop);   ∂L/∂x = g cropped back to x's region"""
    node_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, pads, value):
        xp, a = x._xp, x._data
        shape = [n + lo + hi for n, (lo, hi) in zip(a.shape, pads)]
        if any(s < 0 for s in shape):
            raise RuntimeError(f"The input size {a.shape[-len(pads)]}, plus negative padding "
                               f"{pads[-1][0]} and {pads[-1][1]} resulted in a negative output size, which "
                               "is invalid. Check dimension 1 of your input.")
        out = xp.full(shape, value, dtype=a.dtype)
        src = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for n, (lo, hi) in zip(a.shape, pads))
        dst = tuple(slice(max(lo, 0), max(lo, 0) + s.stop - s.start) for (lo, _), s in zip(pads, src))
        out[dst] = a[src]
        ctx.pads = pads
        return out

    @staticmethod
    def backward(ctx, g):
        return pad(g, _negated(ctx.pads)), None, None


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last len(pad)//2 dims: ``pad = (left, right, top, bottom, ...)``, last dim first.

    ``mode``: 'constant' (with ``value``, any number of dims; negative pads crop), 'reflect',
    'replicate' or 'circular' (the last 1–3 dims of a batched input)."""
    need_tensor("pad", input)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           "dimension but got padding length "
                           f"{len(pad)} and input of dimension {input.ndim}")
    k = len(pad) // 2
    pairs = [(0, 0)] * (input.ndim - k) + [(int(pad[2 * i]), int(pad[2 * i + 1])) for i in reversed(range(k))]
    if mode == "constant":
        return ConstantPad.apply(input, tuple(pairs), 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value not in (None, 0):
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if not (1 <= k <= 3 and input.ndim in (k + 1, k + 2)):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    xp = input._xp
    indices = []
    for dim, (lo, hi) in enumerate(pairs):
        if lo or hi:
            n = input.shape[dim]
            if mode == "reflect" and (lo >= n or hi >= n):
                raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input "
                                   f"dimension, but got: padding ({lo}, {hi}) at dimension {dim} of input "
                                   f"{list(input.shape)}")
            if mode == "circular" and (lo > n or hi > n):
                raise RuntimeError("Padding value causes wrapping around more than once.")
            indices.append((dim, _pad_index(xp, n, lo, hi, mode)))
    return _GATHER_NODES.get((mode, k), PadGather).apply(input, tuple(indices))


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    """x / max(‖x‖_p along dim, eps), as PyTorch composes it (norm, clamp_min, expand, div)."""
    need_tensor("normalize", input)
    denom = input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)
    return input / denom
