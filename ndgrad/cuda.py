"""``ndgrad.cuda``: is a GPU usable through CuPy?"""
from . import backend
from .random.generator import seed_gpus

__all__ = ["is_available", "device_count", "synchronize", "manual_seed", "manual_seed_all",
           "current_device"]


def is_available() -> bool:
    """True when CuPy is installed and sees at least one GPU."""
    return backend.cuda_available()


def device_count() -> int:
    return backend.cuda_device_count()


def current_device() -> int:
    return backend.canonical("cuda").index


def synchronize(device=None) -> None:
    backend.synchronize(device)


def manual_seed(seed: int) -> None:
    """Seed the GPUs' generators (the CPU's keeps its stream, as in PyTorch)."""
    seed_gpus(seed)


manual_seed_all = manual_seed
