"""Run one seed snippet with ``torch`` being either PyTorch or ndgrad (``import ndgrad as torch``).

Random draws cannot agree between two libraries, so in the ndgrad run rand/randn/randint/
randperm return PyTorch's numbers for the same seed; and uninitialised memory
(``torch.Tensor(2, 3)``) is filled with NaN in both runs, as PyTorch's deterministic mode
does. Layers initialise through ``uniform_`` and ``normal_``, and DataLoaders shuffle, with PyTorch's
numbers too.
Everything else the snippet prints is ndgrad's own.
Usage: python tests/seed_runner.py {torch|ndgrad} SNIPPET.py
"""
import importlib
import os
import runpy
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _random_from_torch(ndgrad, name):
    draw = getattr(torch, name)

    def fn(*args, dtype=None, requires_grad=False, **kwargs):
        args = [tuple(a) if isinstance(a, ndgrad.Size) else a for a in args]
        t = draw(*args, **kwargs)
        out = ndgrad.from_numpy(t.numpy().copy())
        if dtype is not None:
            out = out.to(dtype)
        return out.requires_grad_(requires_grad)
    return fn


def _nan_empty(ndgrad):
    fill = ndgrad.ops.creation.full

    def empty(*size, dtype=None, **kwargs):
        size = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        dtype = dtype or ndgrad.get_default_dtype()
        value = float("nan") if dtype.is_floating_point else np.iinfo(dtype.np).max
        return fill(tuple(size), value, dtype=dtype, **kwargs)
    return empty


def _uniform_from_torch(ndgrad):
    """``t.uniform_(a, b)`` drawing PyTorch's numbers (its kernel computes u·(b − a) + a from
    ``rand``'s u), so layers initialise alike."""
    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        u = torch.rand(tuple(self.shape), dtype=getattr(torch, str(self.dtype).split(".")[-1]))
        with ndgrad.no_grad():
            return self.copy_(ndgrad.from_numpy((u * (b - a) + a).numpy().copy()))
    return uniform_


def _normal_from_torch(ndgrad):
    """``t.normal_(mean, std)`` drawing PyTorch's numbers (``randn``'s stream), for Embedding's init."""
    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        z = torch.randn(tuple(self.shape), dtype=getattr(torch, str(self.dtype).split(".")[-1]))
        with ndgrad.no_grad():
            return self.copy_(ndgrad.from_numpy((z * std + mean).numpy().copy()))
    return normal_


def _shuffle_from_torch(ndgrad):
    """A DataLoader's worker seed and RandomSampler's permutation drawn as PyTorch draws them: one
    int64 from the default stream each (in the same order), then ``randperm`` from a Generator
    seeded with the sampler's draw."""
    data = ndgrad.utils.data

    def seed_draw(low, high, size):
        return ndgrad.tensor(torch.empty((), dtype=torch.int64).random_().item())

    def randperm(n, generator):
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(generator.initial_seed()))
        return ndgrad.from_numpy(perm.numpy().copy())
    data.dataloader.randint = data.sampler.randint = seed_draw
    data.sampler.randperm = randperm


def main(lib, path):
    os.environ["MPLBACKEND"] = "Agg"             # plt.show() draws nothing, in both runs
    torch.manual_seed(0)
    np.random.seed(0)
    torch.use_deterministic_algorithms(True)
    torch.utils.deterministic.fill_uninitialized_memory = True
    if lib == "ndgrad":
        import ndgrad
        ndgrad.ops.creation.empty = _nan_empty(ndgrad)
        for name in ("rand", "randn", "randint", "randperm"):
            setattr(ndgrad, name, _random_from_torch(ndgrad, name))
        ndgrad.Tensor.uniform_ = _uniform_from_torch(ndgrad)
        ndgrad.Tensor.normal_ = _normal_from_torch(ndgrad)
        _shuffle_from_torch(ndgrad)
        sys.modules["torch"] = ndgrad
        # PyTorch's own submodules are already imported: point their names at ndgrad's
        for sub in ("nn", "nn.functional", "nn.init", "optim", "optim.lr_scheduler", "utils", "utils.data"):
            sys.modules["torch." + sub] = importlib.import_module("ndgrad." + sub)
    runpy.run_path(path, run_name="__main__")


if __name__ == "__main__":
    main(*sys.argv[1:])
