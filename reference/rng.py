"""RngSpec: the cross-check of one random sampler against PyTorch's CPU stream.

Both libraries are seeded alike (``manual_seed(seed)``, or a ``Generator`` seeded with it), make
the same call, and must then agree on the result (dtype, shape and values) and on the generator's
state afterwards (PyTorch's 5056 state bytes), so that every later draw agrees too. On CUDA,
where ndgrad draws with CuPy's generator, a draw must repeat for the same seed and have the dtype
and shape of PyTorch's.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

import ndgrad

from .spec import caller

__all__ = ["RngSpec", "RNG_REGISTRY", "register_rng", "check_stream", "check_rng_error", "target"]


@dataclass
class RngSpec:
    """A sampler: ``call(lib, generator, **params)`` (generator None: the default stream),
    the hypothesis strategy of ``params`` dicts, and why its values agree to the last bit."""
    name: str
    call: object
    params: object
    exact: str                      # why the values are bit-equal (the spec's stated reason)
    errors: tuple = ()              # (description, fn(lib)) calls that must raise PyTorch's type
    covers: tuple = ()
    where: tuple = ()               # (file, line) of the spec module's statement that registered it

    @property
    def names(self) -> tuple:
        return (self.name,) + tuple(self.covers)


RNG_REGISTRY: dict = {}


def register_rng(name: str, call, params, exact: str, **kw) -> RngSpec:
    if name in RNG_REGISTRY:
        raise ValueError(f"RngSpec {name!r} registered twice")
    RNG_REGISTRY[name] = spec = RngSpec(name, call, params, exact,
                                        where=kw.pop("where", None) or caller(), **kw)
    return spec


def target(lib, shape, dtype: str, layout: str = "contiguous"):
    """An uninitialised tensor to sample into (on the default device): contiguous, transposed
    (reversed strides) or sliced (every other element of its last dim)."""
    dt = getattr(lib, dtype)
    if layout == "transposed" and len(shape) >= 2:
        return lib.empty(tuple(shape[::-1]), dtype=dt).permute(*range(len(shape) - 1, -1, -1))
    if layout == "sliced" and len(shape) >= 1:
        return lib.empty(tuple(shape[:-1]) + (2 * shape[-1],), dtype=dt)[..., ::2]
    return lib.empty(tuple(shape), dtype=dt)


def _draw(spec: RngSpec, lib, params: dict, device="cpu"):
    seed = params["seed"]
    kw = {k: v for k, v in params.items() if k not in ("seed", "generator")}
    if lib is ndgrad:
        ndgrad.set_device(device)
    try:
        if params.get("generator"):
            g = lib.Generator(device) if lib is ndgrad else lib.Generator()
            g.manual_seed(seed)
        else:
            g = None
            lib.manual_seed(seed)
        out = spec.call(lib, g, **kw)
        state = None if device != "cpu" else (g.get_state() if g is not None else lib.get_rng_state())
        return out, state
    finally:
        if lib is ndgrad:
            ndgrad.set_device("cpu")


def _host(t) -> np.ndarray:
    return t.detach().cpu().numpy() if isinstance(t, ndgrad.Tensor) else t.detach().numpy()


def check_stream(spec: RngSpec, params: dict, device="cpu") -> None:
    want, want_state = _draw(spec, torch, params)
    got, got_state = _draw(spec, ndgrad, params, device)
    assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1], (got.dtype, want.dtype)
    assert tuple(got.shape) == tuple(want.shape), (got.shape, want.shape)
    assert got.device.type == device.split(":")[0]
    if device != "cpu":
        again, _ = _draw(spec, ndgrad, params, device)
        assert np.array_equal(_host(again), _host(got), equal_nan=True), "a CUDA draw did not repeat"
        return
    g, w = _host(got), _host(want)
    assert np.array_equal(g, w, equal_nan=True), (
        f"{spec.name} {params}: {np.sum(g != w)} of {w.size} values differ; first at "
        f"{np.argwhere(g != w)[:1].tolist()}: ndgrad {g[g != w][:3]} torch {w[g != w][:3]}")
    assert np.array_equal(_host(got_state), _host(want_state)), (
        f"{spec.name} {params}: generator states differ")


def check_rng_error(spec: RngSpec, fn, device="cpu") -> None:
    try:
        fn(torch)
    except Exception as e:
        want = type(e)
    else:
        raise AssertionError(f"{spec.name}: the error case does not raise in PyTorch")
    ndgrad.set_device(device)
    try:
        fn(ndgrad)
    except Exception as e:
        assert type(e) is want, f"ndgrad raised {type(e).__name__}: {e}; PyTorch raises {want.__name__}"
    else:
        raise AssertionError(f"{spec.name}: ndgrad does not raise; PyTorch raises {want.__name__}")
    finally:
        ndgrad.set_device("cpu")

