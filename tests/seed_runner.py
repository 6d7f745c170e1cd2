"""Run one seed snippet with ``torch`` being either PyTorch or ndgrad (``import ndgrad as torch``).

ndgrad's own random numbers are PyTorch's (seeded streams, layer initialisation, dropout,
shuffling), so nothing random is borrowed from PyTorch; only uninitialised memory
(``torch.Tensor(2, 3)``) is filled with NaN in both runs, as PyTorch's deterministic mode does.
Everything the snippet prints is ndgrad's own.
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


def _nan_empty(ndgrad):
    fill = ndgrad.ops.creation.full

    def empty(*size, dtype=None, **kwargs):
        size = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        dtype = dtype or ndgrad.get_default_dtype()
        value = float("nan") if dtype.is_floating_point else np.iinfo(dtype.np).max
        return fill(tuple(size), value, dtype=dtype, **kwargs)
    return empty


def main(lib, path):
    os.environ["MPLBACKEND"] = "Agg"             # plt.show() draws nothing, in both runs
    torch.manual_seed(0)
    np.random.seed(0)
    torch.use_deterministic_algorithms(True)
    torch.utils.deterministic.fill_uninitialized_memory = True
    if lib == "ndgrad":
        import ndgrad
        ndgrad.manual_seed(0)                    # PyTorch's run starts from manual_seed(0) too
        ndgrad.ops.creation.empty = _nan_empty(ndgrad)
        sys.modules["torch"] = ndgrad
        # PyTorch's own submodules are already imported: point their names at ndgrad's
        for sub in ("nn", "nn.functional", "nn.init", "optim", "optim.lr_scheduler", "utils", "utils.data"):
            sys.modules["torch." + sub] = importlib.import_module("ndgrad." + sub)
    runpy.run_path(path, run_name="__main__")


if __name__ == "__main__":
    main(*sys.argv[1:])
