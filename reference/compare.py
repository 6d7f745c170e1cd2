"""Run an op on ndgrad and on PyTorch with the same inputs and compare everything:
values, dtypes, shapes, in-place effects, float64 gradients (VJPs), node names, errors."""
from __future__ import annotations

import numpy as np
import torch

import ndgrad

from .spec import Arr, OpSpec, Sample

__all__ = ["build", "check_values", "check_grads", "check_error", "assert_same", "tolerance"]

_TOL = {"float16": (1e-3, 1e-3), "float32": (1.3e-5, 1e-5), "float64": (1e-7, 1e-7)}


def tolerance(dtype_name: str, spec: OpSpec | None = None):
    rtol, atol = _TOL.get(dtype_name, (0.0, 0.0))
    if spec is not None and dtype_name == "float32":
        rtol = spec.rtol or rtol
        atol = spec.atol or atol
    if spec is not None and dtype_name == "float16" and spec.rtol:
        rtol, atol = max(rtol, spec.rtol * 100), max(atol, (spec.atol or 0) * 100)
    return rtol, atol


def _layout(values: np.ndarray, layout: str) -> np.ndarray:
    if layout == "transposed":
        return np.ascontiguousarray(values.T).T       # same values, reversed strides
    return values.copy()


def build(sample: Sample, lib, float64=False, requires_grad=False, device="cpu"):
    """The sample's arguments as ``lib`` tensors on ``device`` (PyTorch's always stay on the CPU:
    they are the reference); returns (args, kwargs, grad leaves, all tensors)."""
    leaves, tensors = [], []

    def conv(x):
        if isinstance(x, Arr):
            v = x.values
            if float64 and v.dtype.kind == "f":
                v = v.astype(np.float64)
            t = lib.from_numpy(_layout(v, x.layout))
            if lib is ndgrad and device != "cpu":
                t = t.to(device)
            if requires_grad and x.grad and v.dtype.kind == "f":
                t.requires_grad_(True)
                leaves.append(t)
            tensors.append(t)
            return t
        if isinstance(x, tuple):
            return tuple(conv(i) for i in x)
        if isinstance(x, list):
            return [conv(i) for i in x]
        return x
    args = tuple(conv(a) for a in sample.args)
    kwargs = {k: conv(v) for k, v in sample.kwargs.items()}
    return args, kwargs, leaves, tensors


def _call(fn, lib, args, kwargs, device="cpu"):
    """fn(lib, ...) with tensors it creates itself landing on ``device`` too (ndgrad's default)."""
    if lib is ndgrad:
        ndgrad.set_device(device)
    try:
        return fn(lib, *args, **kwargs), None
    except Exception as e:  # the comparison decides whether raising was right
        return None, e
    finally:
        if lib is ndgrad:
            ndgrad.set_device("cpu")


def _dtype_name(dt) -> str:
    return str(dt).rsplit(".", 1)[-1]


def _flatten(out):
    if isinstance(out, (tuple, list)):
        return [y for x in out for y in _flatten(x)]
    return [out]


def assert_same(nd, th, spec=None, where="output", layout=True, device=None):
    """ndgrad's result equals PyTorch's: type, structure, dtype, shape, strides (``layout``;
    size-1 dims aside) and values; and it lies on ``device`` (a device type) when one is given."""
    if isinstance(th, torch.Tensor):
        assert isinstance(nd, ndgrad.Tensor), f"{where}: torch gave a Tensor, ndgrad gave {type(nd).__name__}"
        assert device is None or nd.device.type == device, f"{where}: on {nd.device}, not on {device}"
        assert _dtype_name(nd.dtype) == _dtype_name(th.dtype), \
            f"{where}: dtype {_dtype_name(nd.dtype)} != torch's {_dtype_name(th.dtype)}"
        assert tuple(nd.shape) == tuple(th.shape), \
            f"{where}: shape {tuple(nd.shape)} != torch's {tuple(th.shape)}"
        if layout and th.numel() > 1:
            st_n = tuple(s for s, n in zip(nd.stride(), th.shape) if n > 1)
            st_t = tuple(s for s, n in zip(th.stride(), th.shape) if n > 1)
            assert st_n == st_t, f"{where}: strides {nd.stride()} != torch's {th.stride()}"
        rtol, atol = tolerance(_dtype_name(th.dtype), spec)
        got = torch.from_numpy(np.array(nd.detach().cpu().numpy()))
        torch.testing.assert_close(got, th.detach(), rtol=rtol, atol=atol, equal_nan=True,
                                   msg=lambda m: f"{where}: values differ from torch's\n{m}")
    elif isinstance(th, (tuple, list)):
        assert isinstance(nd, (tuple, list)) and len(nd) == len(th), \
            f"{where}: torch gave {len(th)} results, ndgrad {nd!r}"
        for i, (a, b) in enumerate(zip(nd, th)):
            assert_same(a, b, spec, f"{where}[{i}]", layout, device)
    elif isinstance(th, float):
        assert isinstance(nd, float) and (np.isclose(nd, th, equal_nan=True)), f"{where}: {nd!r} != {th!r}"
    else:
        assert type(nd) is type(th) and nd == th, f"{where}: {nd!r} != torch's {th!r}"


def assert_same_error(nd_err, th_err, what=""):
    """ndgrad raised an exception of the builtin type PyTorch raised."""
    base = next(c for c in type(th_err).__mro__ if c.__module__ == "builtins")
    assert nd_err is not None, f"{what}: torch raised {type(th_err).__name__}: {th_err}; ndgrad did not"
    if not isinstance(nd_err, base):
        raise AssertionError(f"{what}: torch raised {base.__name__}({th_err}), ndgrad raised "
                             f"{type(nd_err).__name__}({nd_err})") from nd_err


def check_values(spec: OpSpec, form: str, sample: Sample, device="cpu"):
    """Forward on both libraries (ndgrad's on ``device``): same result, or the same exception type."""
    fn = spec.forms[form]
    nd_args, nd_kw, _, nd_ts = build(sample, ndgrad, device=device)
    th_args, th_kw, _, th_ts = build(sample, torch)
    th_out, th_err = _call(fn, torch, th_args, th_kw)
    nd_out, nd_err = _call(fn, ndgrad, nd_args, nd_kw, device)
    what = f"{spec.name} [{form}]"
    if th_err is not None:
        assert_same_error(nd_err, th_err, what)
        return
    if nd_err is not None:
        raise AssertionError(f"{what}: ndgrad raised {type(nd_err).__name__}: {nd_err}; torch returned "
                             f"{th_out!r}") from nd_err
    kind = ndgrad.device(device).type
    assert_same(nd_out, th_out, spec, what, device=kind)
    for i, (a, b) in enumerate(zip(nd_ts, th_ts)):        # in-place forms change their inputs
        assert_same(a, b, spec, f"{what} input {i} after the call", device=kind)


def check_grads(spec: OpSpec, form: str, sample: Sample, seed: int, device="cpu"):
    """float64 VJPs with a random upstream gradient: same gradients, same grad_fn names."""
    fn = spec.forms[form]
    nd_args, nd_kw, nd_leaves, _ = build(sample, ndgrad, float64=True, requires_grad=True, device=device)
    th_args, th_kw, th_leaves, _ = build(sample, torch, float64=True, requires_grad=True)
    th_out, th_err = _call(fn, torch, th_args, th_kw)
    if th_err is not None or not th_leaves:
        return
    nd_out, nd_err = _call(fn, ndgrad, nd_args, nd_kw, device)
    what = f"{spec.name} [{form}]"
    if nd_err is not None:
        raise AssertionError(f"{what}: ndgrad raised {nd_err!r} with float64 inputs") from nd_err
    th_outs = [t for t in _flatten(th_out) if isinstance(t, torch.Tensor)]
    nd_outs = [t for t in _flatten(nd_out) if isinstance(t, ndgrad.Tensor)]
    assert len(nd_outs) == len(th_outs), f"{what}: {len(nd_outs)} tensor outputs, torch {len(th_outs)}"
    pairs = []
    for i, (n, t) in enumerate(zip(nd_outs, th_outs)):
        assert n.requires_grad == t.requires_grad, \
            f"{what}: output {i} requires_grad={n.requires_grad}, torch {t.requires_grad}"
        if spec.node_name and t.grad_fn is not None:
            assert n.grad_fn is not None and n.grad_fn.name() == type(t.grad_fn).__name__, \
                f"{what}: grad_fn {n.grad_fn and n.grad_fn.name()} != torch's {type(t.grad_fn).__name__}"
        if t.requires_grad:
            pairs.append((n, t))
    if not pairs:
        return
    rng = np.random.default_rng(seed)
    ups = [rng.standard_normal(tuple(t.shape)) for _, t in pairs]
    th_g, th_err = _call(lambda lib: torch.autograd.grad(
        [t for _, t in pairs], th_leaves, [torch.from_numpy(u.copy()) for u in ups], allow_unused=True),
        torch, (), {})
    nd_g, nd_err = _call(lambda lib: ndgrad.autograd.grad(
        [n for n, _ in pairs], nd_leaves, [ndgrad.from_numpy(u.copy()).to(device) for u in ups],
        allow_unused=True),
        ndgrad, (), {}, device)
    if th_err is not None:          # a derivative PyTorch does not define: backward must raise too
        assert_same_error(nd_err, th_err, f"{what}: backward")
        return
    if nd_err is not None:
        raise AssertionError(f"{what}: ndgrad's backward raised {nd_err!r}") from nd_err
    kind = ndgrad.device(device).type
    for i, (a, b, leaf) in enumerate(zip(nd_g, th_g, th_leaves)):
        b = torch.zeros_like(leaf) if b is None else b
        a = ndgrad.zeros(*leaf.shape, dtype=ndgrad.float64, device=device) if a is None else a
        # a gradient's memory layout is the engine's business, not part of the contract
        assert_same(a, b, None, f"{what}: gradient of input {i}", layout=False, device=kind)


def check_error(spec: OpSpec, form: str, sample: Sample, what: str, device="cpu"):
    """A bad call: torch raises, and ndgrad raises the same exception type."""
    fn = spec.forms[form]
    th_args, th_kw, _, _ = build(sample, torch)
    nd_args, nd_kw, _, _ = build(sample, ndgrad, device=device)
    th_out, th_err = _call(fn, torch, th_args, th_kw)
    assert th_err is not None, f"{spec.name}: error case {what!r} does not make torch raise"
    _, nd_err = _call(fn, ndgrad, nd_args, nd_kw, device)
    assert_same_error(nd_err, th_err, f"{spec.name} [{form}] {what}")
