"""Malloc tuning for NumPy's arrays, done once when ndgrad is imported (by ``backend.py``)."""
from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["keep_freed_memory"]


def keep_freed_memory() -> None:
    """Ask glibc to keep freed memory for reuse instead of returning it to the system.

    NumPy takes array memory from malloc, which maps fresh pages for every block above a
    threshold and unmaps them on free; each new activation or gradient of a CNN then pays a page
    fault per 4 KiB on its first write, about a third of a training step in benchmarks/cnn.py.
    PyTorch avoids the same cost with its caching allocator. Blocks up to 32 MiB (glibc's limit)
    now come from the heap, which is not trimmed. NDGRAD_KEEP_FREED_MEMORY=0 leaves malloc alone.
    """
    if os.environ.get("NDGRAD_KEEP_FREED_MEMORY", "1") == "0" or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:              # not glibc (musl...): nothing to tune
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_mmap_threshold, 32 << 20)
    libc.mallopt(m_trim_threshold, 1 << 30)
