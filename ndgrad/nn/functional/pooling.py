"""Pooling over (H, W): max_pool2d, avg_pool2d, adaptive_avg_pool2d.

The windows are a strided view of the (padded) input, so a pool is one reduction over the
view's two kernel axes; no copy of the windows is made for averaging.
"""
from __future__ import annotations

from ... import backend
from ..._layout import c_contiguous
from ...autograd.function import Function
from ...ops._checks import indices_in_range, need_tensor
from ...tensor import Tensor, _wrap
from .conv import Col2Im, _pair, offset_slices, padded, windows

__all__ = ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d"]


def _out_size(size, k, s, p, d, ceil_mode) -> int:
    """PyTorch's pooling output size; in ceil mode the last window must start inside the input
    or its left padding."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_args(name, input, kernel_size, stride, padding, dilation, ceil_mode):
    need_tensor(name, input)
    if name == "avg_pool2d" and input.ndim < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [-{max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got -3)")
    if input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    k = _pair(kernel_size)
    s = k if stride is None or stride == [] or stride == () else _pair(stride)
    p, d = _pair(padding), _pair(dilation)
    if min(s) == 0:
        raise RuntimeError("stride should not be zero")
    if min(k) <= 0 or min(s) < 0:
        raise RuntimeError("kernel_size and stride must be greater than zero, "
                           f"but got kernel_size={k}, stride={s}")
    if min(d) <= 0:
        raise RuntimeError("dilation should be greater than zero, "
                           f"but got dilationH: {d[0]} dilationW: {d[1]}")
    if min(p) < 0 or any(p[i] > k[i] // 2 for i in range(2)):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[0]}, "
                           f"kernel_size={k[0]} and dilation={d[0]}")
    h, w = input.shape[-2:]
    out = (_out_size(h, k[0], s[0], p[0], d[0], ceil_mode), _out_size(w, k[1], s[1], p[1], d[1], ceil_mode))
    if min(out) < 1:
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, input.shape[-3:]))}). Calculated output "
                           f"size: ({input.shape[-3]}x{out[0]}x{out[1]}). Output size is too small")
    return k, s, p, d, out


def _pads(size, k, s, p, d, out) -> tuple:
    """(top, bottom, left, right) so that every window of the output lies inside the array."""
    return tuple(v for i in range(2)
                 for v in (p[i], max(p[i], (out[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - size[i] - p[i])))


class MaxPoolScatter(Function):
    """max pooling's backward as a Function of g: each window's gradient added at its maximum,
    one strided pass per kernel offset (no window-sized temporaries);
    its own gradient picks those positions back out: ∂/∂g = gg.flatten()[indices]"""
    node_name = "MaxPool2DWithIndicesBackwardBackward0"

    @staticmethod
    def forward(ctx, g, pick, indices, geometry, shape):
        xp, a = g._xp, g._data
        (k, s, d, (t, b, l, r)) = geometry
        ctx.indices, ctx.shape = indices, shape
        a = a[None] if a.ndim == 3 else a
        n, c, h, w = (1,) + shape if len(shape) == 3 else shape
        ho, wo = a.shape[2:]
        gx = xp.zeros((n, c, h + t + b, w + l + r), dtype=a.dtype)
        p = pick._data
        zero = xp.zeros((), dtype=a.dtype)
        for offset in range(k[0] * k[1]):
            gx[offset_slices(offset // k[1], offset % k[1], d, s,
                             (ho, wo))] += backend.select(p == offset, a, zero)
        return c_contiguous(gx[:, :, t:t + h, l:l + w].reshape(shape))

    @staticmethod
    def backward(ctx, gg):
        idx = ctx.indices
        with indices_in_range():             # forward's argmax positions
            flat = gg.flatten(-2).gather(-1, idx.flatten(-2))
        return flat.reshape(idx.shape), None, None, None, None


class MaxPool2DWithIndices(Function):
    """y = max over each window;   ∂L/∂x = g put back at each window's argmax (summed where
    windows overlap); the indices count positions in the unpadded H×W plane"""
    node_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, k, s, p, d, out):
        xp, a = x._xp, x._data
        ctx.shape = a.shape
        a = a[None] if a.ndim == 3 else a          # unbatched (C, H, W)
        h, w = a.shape[2:]
        fill = -xp.inf if a.dtype.kind == "f" else xp.iinfo(a.dtype).min
        pads = _pads((h, w), k, s, p, d, out)
        view = windows(xp, padded(xp, a, pads, fill), k, s, d, out)
        # one pass per kernel offset: keep the larger value and which offset gave it (a later NaN
        # wins, as in PyTorch's kernel; maximum propagates NaN alike). Offsets fit in a small int.
        small = "int8" if k[0] * k[1] < 128 else "int64"
        best, pick = view[:, :, 0, 0].copy(), xp.zeros(view.shape[:2] + tuple(out), dtype=small)
        for offset in range(1, k[0] * k[1]):
            v = view[:, :, offset // k[1], offset % k[1]]
            pick = backend.select((v > best) | (v != v), xp.asarray(offset, dtype=small), pick)
            best = xp.maximum(best, v)
        pick64 = pick.astype("int64")
        ctx.pick, ctx.geometry = _wrap(pick, x._device), (k, s, d, pads)
        rows = xp.arange(out[0])[:, None] * s[0] - p[0] + (pick64 // k[1]) * d[0]
        cols = xp.arange(out[1])[None, :] * s[1] - p[1] + (pick64 % k[1]) * d[1]
        idx = c_contiguous((rows * w + cols).reshape(ctx.shape[:-2] + out))
        ctx.indices = _wrap(idx, x._device)
        return c_contiguous(best.reshape(idx.shape)), idx

    @staticmethod
    def backward(ctx, g, g_idx):
        return (MaxPoolScatter.apply(g, ctx.pick, ctx.indices, ctx.geometry, ctx.shape),
                None, None, None, None, None)


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """The largest value of each kernel_size window (windows step by ``stride``, default the kernel)."""
    k, s, p, d, out = _pool_args("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode)
    values, idx = MaxPool2DWithIndices.apply(input, k, s, p, d, out)
    return (values, idx) if return_indices else values


def _counts(xp, size, k, s, p, out, count_include_pad):
    """How many elements each window averages: the window clipped to the padded input, and to
    the input itself unless ``count_include_pad``."""
    per_dim = []
    for i in range(2):
        start = xp.arange(out[i]) * s[i] - p[i]
        end = xp.minimum(start + k[i], size[i] + p[i])
        if not count_include_pad:
            start, end = xp.maximum(start, 0), xp.minimum(end, size[i])
        per_dim.append(end - start)
    return per_dim[0][:, None] * per_dim[1][None, :]


def _into_input(per_offset: Tensor, geometry, size) -> Tensor:
    """(N, C, kh·kw, H', W') values per window offset → (N, C, H, W): each added to the input
    pixel it came from (fold into the padded plane, then cut the padding away)."""
    (k, s, d, (t, b, l, r)), (h, w) = geometry, size
    n, c = per_offset.shape[:2]
    cols = per_offset.reshape(n, c * k[0] * k[1], -1)
    gx = Col2Im.apply(cols, (h + t + b, w + l + r), k, d, (0, 0), s)
    return gx[:, :, t:t + h, l:l + w]


class AvgPool2D(Function):
    """y = Σ window / count;   ∂L/∂x = fold(g / count spread over each window)"""
    node_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, k, s, p, out, count_include_pad, divisor_override):
        xp, a = x._xp, x._data
        unbatched = a.ndim == 3
        a = a[None] if unbatched else a
        h, w = a.shape[2:]
        pads = _pads((h, w), k, s, p, (1, 1), out)
        sums = windows(xp, padded(xp, a, pads), k, s, (1, 1), out).sum((2, 3))
        if divisor_override:
            count = divisor_override
        else:
            count = _counts(xp, (h, w), k, s, p, out, count_include_pad).astype(a.dtype)
        ctx.count, ctx.geometry, ctx.size = count, (k, s, (1, 1), pads), (h, w)
        out = c_contiguous((sums / count).astype(a.dtype, copy=False))
        return out[0] if unbatched else out

    @staticmethod
    def backward(ctx, g):
        unbatched = g.ndim == 3
        g = g.unsqueeze(0) if unbatched else g
        share = g / (ctx.count if isinstance(ctx.count, int) else _wrap(ctx.count, g.device))
        k = ctx.geometry[0]
        per_offset = share.unsqueeze(2).expand(share.shape[0], share.shape[1], k[0] * k[1], *share.shape[2:])
        gx = _into_input(per_offset, ctx.geometry, ctx.size)
        return gx[0] if unbatched else gx, None, None, None, None, None, None


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """The mean of each kernel_size window (zero padding counted unless count_include_pad=False)."""
    k, s, p, _, out = _pool_args("avg_pool2d", input, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    return AvgPool2D.apply(input, k, s, p, out, count_include_pad, divisor_override)


def _averaging(xp, n_in: int, n_out: int, dtype):
    """(n_out, n_in) matrix whose row i averages input[⌊i·n_in/n_out⌋ : ⌈(i+1)·n_in/n_out⌉]."""
    i = xp.arange(n_out)
    start, end = (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)
    j = xp.arange(n_in)
    inside = (j[None, :] >= start[:, None]) & (j[None, :] < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


class AdaptiveAvgPool2D(Function):
    """y = A_H · x · A_Wᵀ, A averaging each output's slice of the input (adaptive pooling is
    separable);   ∂L/∂x = A_Hᵀ · g · A_W"""
    node_name = "AdaptiveAvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, out):
        xp, a = x._xp, x._data
        ah = _averaging(xp, a.shape[-2], out[0], a.dtype)
        aw = _averaging(xp, a.shape[-1], out[1], a.dtype)
        ctx.ah, ctx.aw = _wrap(ah, x._device), _wrap(aw, x._device)
        return c_contiguous(ah @ a @ aw.T)

    @staticmethod
    def backward(ctx, g):
        return ctx.ah.t() @ g @ ctx.aw, None


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Average pooling to a fixed (H', W') whatever the input size; None keeps that input dim."""
    need_tensor("adaptive_avg_pool2d", input)
    if input.ndim not in (3, 4) or 0 in input.shape[-2:]:
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {list(input.shape)}")
    if not input.is_floating_point():
        raise NotImplementedError(f'"adaptive_avg_pool2d" not implemented for \'{input.dtype._legacy}\'')
    out = tuple(input.shape[-2 + i] if v is None else v for i, v in enumerate(_pair(output_size)))
    if out == (1, 1):
        return input.mean((-2, -1), keepdim=True)        # PyTorch's shortcut (grad_fn MeanBackward1)
    return AdaptiveAvgPool2D.apply(input, out)
