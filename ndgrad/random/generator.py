"""``ndgrad.Generator`` and the default generators: one for the CPU, one per GPU.

``manual_seed(s)`` seeds them all. The CPU's is PyTorch's mt19937 (``cpu.py``), so a seed gives
PyTorch's numbers; each GPU's is CuPy's own (``cuda.py``).
"""
from __future__ import annotations

import contextlib
import os

from .. import backend, dtypes
from ..tensor import Tensor, _wrap
from .cpu import DEFAULT_SEED, CPUGenerator
from .cuda import CUDAGenerator

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
           "set_rng_state", "fork_rng", "engine", "seed_gpus"]


def _nondeterministic_seed() -> int:
    return int.from_bytes(os.urandom(8), "little")


def _check_seed(s) -> int:
    """A seed as PyTorch reads it: any int in [−2⁶³, 2⁶⁴), negative ones taken modulo 2⁶⁴."""
    s = int(s)
    if not -2 ** 63 <= s < 2 ** 64:
        raise ValueError("Overflow when unpacking long long")
    return s % 2 ** 64


class Generator:
    """An independent random stream (``torch.Generator``): ``Generator().manual_seed(42)`` makes
    ``randperm``, ``random_split`` or a DataLoader's shuffling reproducible on its own. A new one
    starts from PyTorch's default seed, 67280421310721."""

    def __init__(self, device="cpu"):
        self.device = backend.canonical(device)
        self._engine = (CPUGenerator(DEFAULT_SEED) if self.device.type == "cpu"
                        else CUDAGenerator(self.device, DEFAULT_SEED))

    def manual_seed(self, seed) -> "Generator":
        self._engine.manual_seed(_check_seed(seed))
        return self

    def seed(self) -> int:
        """Reseed from the operating system's entropy; return the seed."""
        s = _nondeterministic_seed()
        self._engine.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._engine.seed

    def get_state(self) -> Tensor:
        """The CPU stream's state as PyTorch lays it out: 5056 bytes (uint8), so a state PyTorch
        saved restores here and the other way round."""
        return _wrap(self._engine.get_state(), backend.CPU)

    def set_state(self, new_state: Tensor) -> "Generator":
        if not isinstance(new_state, Tensor) or new_state.dtype is not dtypes.uint8:
            raise TypeError(f"expected a torch.ByteTensor, but got {_type_name(new_state)}")
        self._engine.set_state(backend.to_little_endian_bytes(new_state._data)[2])
        return self

    def __repr__(self):
        return f"<ndgrad.Generator object at {id(self):#x}>"


def _type_name(x) -> str:
    if isinstance(x, Tensor):
        return f"torch.{x.dtype._legacy}Tensor"
    return type(x).__name__


default_generator = Generator().manual_seed(_nondeterministic_seed())   # as PyTorch's: seeded at random
_cuda_generators: dict = {}
_cuda_seed = default_generator.initial_seed()


def engine(dev, user: Generator | None = None):
    """The sampler behind a draw on ``dev``: the user's ``generator=`` when one is given, else the
    device's default generator."""
    if user is not None:
        if user.device.type != dev.type:
            raise RuntimeError(f"Expected a '{dev.type}' device type for generator but found "
                               f"'{user.device.type}'")
        return user._engine
    if dev.type == "cpu":
        return default_generator._engine
    gen = _cuda_generators.get(dev)
    if gen is None:
        gen = _cuda_generators[dev] = CUDAGenerator(dev, _cuda_seed)
    return gen


def manual_seed(seed) -> Generator:
    """Seed the CPU's generator and every GPU's (``torch.manual_seed``)."""
    seed_gpus(seed)
    return default_generator.manual_seed(seed)


def seed_gpus(seed) -> None:
    """Seed every GPU's generator, now and as each is first used (``torch.cuda.manual_seed_all``)."""
    global _cuda_seed
    _cuda_seed = _check_seed(seed)
    for gen in _cuda_generators.values():
        gen.manual_seed(_cuda_seed)


def seed() -> int:
    """Seed every generator from the operating system's entropy and return that seed."""
    s = _nondeterministic_seed()
    manual_seed(s)
    return s


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The CPU generator's state (a uint8 tensor laid out as PyTorch's)."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled: bool = True, _caller: str = "fork_rng", _devices_kw: str = "devices",
             device_type: str = "cuda"):
    """Draw freely inside the block; afterwards the CPU generator is back where it was.

    CuPy's generators keep their state on the GPU, unreadable, so GPU streams are not restored."""
    if not enabled:
        yield
        return
    saved = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(saved)
