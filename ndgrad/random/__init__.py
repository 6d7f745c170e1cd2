"""``ndgrad.random`` (``torch.random``): seeding, the generators' state, and ``fork_rng``.

On the CPU every draw is PyTorch's: the same mt19937 stream (``cpu.py``), transformed by the
same kernels, so ``manual_seed(s)`` then any draw gives PyTorch's numbers. GPUs draw with CuPy's
generator (``cuda.py``).
"""
from .generator import (Generator, default_generator, fork_rng, get_rng_state, initial_seed, manual_seed,
                        seed, set_rng_state)

__all__ = ["set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed", "fork_rng", "Generator",
           "default_generator"]
