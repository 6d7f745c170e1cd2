"""``ndgrad.utils``: ``hooks`` (RemovableHandle) and ``data`` (datasets, samplers, DataLoader).

The two sit at opposite ends of the layers: Tensor and autograd return hook handles, while the
DataLoader builds on the whole op library. Importing ``ndgrad.utils.hooks`` (tensor.py does) runs
this file first, so it imports neither submodule: each is imported when first asked for.
"""
import importlib

__all__ = ["data", "hooks"]


def __getattr__(name):
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(f"{__name__}.{name}")     # binds it here: asked once
