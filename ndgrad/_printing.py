"""``repr(tensor)`` in PyTorch's print format (``tensor([1., 2.], requires_grad=True)``).

The layout rules follow PyTorch's own printer: one width for every element, fixed-point
with 4 decimals unless the magnitudes call for scientific notation, integers-valued floats
printed as ``1.``, ``...`` summaries above 1000 elements, 80-column lines.
"""
from __future__ import annotations

import math

from . import backend, dtypes

__all__ = ["set_printoptions", "tensor_repr"]


class _PrintOptions:
    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode = None


PRINT_OPTS = _PrintOptions()


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None,
                     sci_mode=None):
    """Same options as ``torch.set_printoptions``."""
    if profile is not None:
        PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = {
            "default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


class _Formatter:
    """Picks one format (int / fixed / scientific) and one width for all elements."""

    def __init__(self, arr):
        self.floating = arr.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        p = PRINT_OPTS.precision
        if not self.floating:
            for v in arr.reshape(-1).tolist():
                self.max_width = max(self.max_width, len(str(v)))
        else:
            flat = arr.reshape(-1)
            xp = backend.array_module(backend.CPU)
            nz = flat[xp.isfinite(flat) & (flat != 0)]
            if nz.size:
                mags = xp.abs(nz).astype("float64")
                lo, hi = float(mags.min()), float(mags.max())
                self.int_mode = bool((nz == xp.ceil(nz)).all())
                if self.int_mode:
                    if hi / lo > 1000.0 or hi > 1.0e8:
                        self.sci_mode = True
                        self._widen(nz, lambda v: f"{v:.{p}e}")
                    else:
                        self._widen(nz, lambda v: f"{v:.0f}", extra=1)
                elif hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4:
                    self.sci_mode = True
                    self._widen(nz, lambda v: f"{v:.{p}e}")
                else:
                    self._widen(nz, lambda v: f"{v:.{p}f}")
        if PRINT_OPTS.sci_mode is not None:
            self.sci_mode = PRINT_OPTS.sci_mode

    def _widen(self, values, fmt, extra=0):
        for v in values.tolist():
            self.max_width = max(self.max_width, len(fmt(v)) + extra)

    def format(self, value) -> str:
        p = PRINT_OPTS.precision
        if self.floating:
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{p}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{p}f}"
        else:
            ret = str(value)
        return (self.max_width - len(ret)) * " " + ret


def _vector_str(arr, indent, summarize, fmt):
    element_length = fmt.max_width + 2
    per_line = max(1, int(math.floor((PRINT_OPTS.linewidth - indent) / element_length)))
    e = PRINT_OPTS.edgeitems
    if summarize and arr.shape[0] > 2 * e:
        data = ([fmt.format(v) for v in arr[:e].tolist()] + [" ..."]
                + [fmt.format(v) for v in arr[-e:].tolist()])
    else:
        data = [fmt.format(v) for v in arr.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(arr, indent, summarize, fmt):
    dim = arr.ndim
    if dim == 0:
        return fmt.format(arr.item())
    if dim == 1:
        return _vector_str(arr, indent, summarize, fmt)
    e = PRINT_OPTS.edgeitems
    if summarize and arr.shape[0] > 2 * e:
        slices = ([_tensor_str_with_formatter(arr[i], indent + 1, summarize, fmt) for i in range(e)]
                  + ["..."]
                  + [_tensor_str_with_formatter(arr[i], indent + 1, summarize, fmt)
                     for i in range(len(arr) - e, len(arr))])
    else:
        slices = [_tensor_str_with_formatter(arr[i], indent + 1, summarize, fmt)
                  for i in range(arr.shape[0])]
    return ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices).join("[]")


def _summarized(arr):
    """Only the edge items that will be shown (so that hidden values do not set the width)."""
    xp = backend.array_module(backend.CPU)
    e = PRINT_OPTS.edgeitems
    if arr.ndim == 0:
        return arr
    if arr.ndim == 1:
        return xp.concatenate((arr[:e], arr[-e:])) if arr.shape[0] > 2 * e else arr
    rows = list(range(e)) + list(range(len(arr) - e, len(arr))) if arr.shape[0] > 2 * e else range(len(arr))
    return xp.stack([_summarized(arr[i]) for i in rows])


def _tensor_str(arr, indent):
    if arr.size == 0:
        return "[]"
    summarize = arr.size > PRINT_OPTS.threshold
    if arr.dtype.kind == "f" and arr.dtype.itemsize == 2:
        arr = arr.astype("float32")
    fmt = _Formatter(_summarized(arr) if summarize else arr)
    return _tensor_str_with_formatter(arr, indent, summarize, fmt)


def _add_suffixes(tensor_str, suffixes, indent):
    parts = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        # measured as PyTorch's "torch.float64", so that lines break where PyTorch's do
        n = len(suffix.replace("ndgrad.", "torch."))
        if last_line_len + n + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + n
        else:
            parts.append(", " + suffix)
            last_line_len += n + 2
    parts.append(")")
    return "".join(parts)


def tensor_repr(t, prefix: str = "tensor(") -> str:
    indent = len(prefix)
    suffixes = []
    dev = t.device
    if dev.type != backend.get_device().type:
        suffixes.append(f"device='{dev}'")
    arr = t._data if dev.type == "cpu" else t._data.get()
    dt = t.dtype
    if arr.size == 0:
        if arr.ndim != 1:
            suffixes.append(f"size={tuple(arr.shape)}")
        if dt is not dtypes.get_default_dtype():
            suffixes.append(f"dtype={dt!r}")
        body = "[]"
    else:
        if dt not in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool):
            suffixes.append(f"dtype={dt!r}")
        body = _tensor_str(arr, indent)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
