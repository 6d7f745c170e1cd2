"""The GPU's random generator: CuPy's own, behind the same samplers as the CPU's.

PyTorch's CUDA streams (Philox, with their own kernels) are not reproduced: a seed gives the
same numbers run after run on one machine, not PyTorch's numbers. The samplers mirror the CPU
ones' signatures (element counts in, flat device arrays out) and their distributions.
"""
from __future__ import annotations

import math

from .. import backend
from .cpu import _INT_RANGE

__all__ = ["CUDAGenerator"]


class CUDAGenerator:
    """A ``cupy.random.Generator`` for one GPU, with the CPU generator's sampler methods."""

    def __init__(self, device, seed: int):
        self.device = device
        self.xp = backend.array_module(device)
        self.manual_seed(seed)

    def manual_seed(self, seed: int) -> None:
        self.seed = seed
        with backend.use_device(self.device):
            self._rng = self.xp.random.default_rng(seed)

    def get_state(self):
        raise NotImplementedError("ndgrad: get_state/set_state work on CPU generators only; CuPy's "
                                  "Generator keeps its state on the GPU, unexposed. Reseed a CUDA generator "
                                  "with manual_seed to replay its draws")

    set_state = get_state

    def _uniform(self, n: int, dtype):
        work = "float64" if dtype == "float64" else "float32"
        return self._rng.random(n, dtype=work)

    def uniform(self, n, dtype, low, high):
        out = (self._uniform(n, dtype) * (high - low) + low).astype(dtype, copy=False)
        return self.xp.where(out == out.dtype.type(high), out.dtype.type(low), out)

    def normal(self, n, dtype, mean, std, contiguous):
        work = "float64" if dtype == "float64" else "float32"
        return (self._rng.standard_normal(n, dtype=work) * std + mean).astype(dtype, copy=False)

    def log_normal(self, n, dtype, mean, std):
        return self.xp.exp(self.normal(n, "float64", mean, std, True)).astype(dtype)

    def exponential(self, n, dtype, lambd):
        return (-1.0 / lambd * self.xp.log1p(-self._uniform(n, "float64"))).astype(dtype)

    def cauchy(self, n, dtype, median, sigma):
        return (median + sigma * self.xp.tan(math.pi * (self._uniform(n, "float64") - 0.5))).astype(dtype)

    def geometric(self, n, dtype, p):
        return self.xp.ceil(self.xp.log(self._uniform(n, "float64")) / math.log1p(-p)).astype(dtype)

    def bernoulli(self, n, p, dtype):
        p = self.xp.asarray(p)
        u = self._uniform(n, "float64" if p.dtype == "float64" else "float32")
        return (u < (p.ravel() if p.ndim else p)).astype(dtype)

    def random_from_to(self, n, dtype, span, low):
        if span <= 2 ** 63:
            return (self._rng.integers(0, span, size=n, dtype="int64") + low).astype(dtype)
        halves = self._rng.integers(0, 2 ** 32, size=(2, n), dtype="int64").astype("uint64")
        words = (halves[0] << 32) | halves[1]
        return (words % span + (low % 2 ** 64)).view("int64").astype(dtype)

    def random_full_range(self, n, dtype):
        return self.random_from_to(n, dtype, 2 ** 64, -2 ** 63)

    def random_(self, n, dtype):
        return self.random_from_to(n, dtype, _INT_RANGE[str(dtype)], 0)

    def randperm(self, n):
        return self.xp.argsort(self._rng.random(n))

    def multinomial_with_replacement(self, probs, n_sample):
        cum = self.xp.cumsum(probs, axis=-1, dtype="float64" if probs.dtype == "float64" else "float32")
        cum /= cum[:, -1:]
        cum[:, -1] = 1
        u = self._rng.random((probs.shape[0], n_sample))
        rows = self.xp.arange(probs.shape[0])[:, None]
        # one search over all rows: row r's cumulative sums shifted to [r, r + 1]
        flat = (cum + rows).ravel()
        return (self.xp.searchsorted(flat, (u + rows).ravel(), side="left").reshape(u.shape)
                - rows * probs.shape[1]).astype("int64")
