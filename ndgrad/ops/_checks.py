"""Argument checks the ops share: PyTorch's TypeError for a non-Tensor argument, dims and sizes
given the ways PyTorch accepts them, and index range checks (with the skip backward formulas use)."""
from __future__ import annotations

import contextlib
import threading

from ..tensor import Tensor, _dim

__all__ = ["need_tensor", "norm_dims", "check_shape", "expanded_shape", "index_range", "indices_in_range"]


def need_tensor(fn_name: str, x, position: int = 1, arg: str = "input"):
    """PyTorch's TypeError when a function gets a list or number where a Tensor belongs."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn_name}(): argument '{arg}' (position {position}) must be Tensor, not "
                        f"{type(x).__name__}")


def norm_dims(dim, ndim: int) -> tuple:
    """``dim`` (None, int, or sequence) as a sorted tuple of non-negative dims; None = all."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (list, tuple)):
        dims = tuple(_dim(d, ndim) for d in dim)
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
        return tuple(sorted(dims))
    return (_dim(dim, ndim),)


def check_shape(shape) -> tuple:
    """Sizes given as ``(2, 3)``, ``[2, 3]``, ``2, 3`` or a Size, as a tuple of ints."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    out = []
    for s in shape:
        if isinstance(s, Tensor):
            s = s.__index__()
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"expected a sequence of integers as the size, but got an element of "
                            f"type {type(s).__name__}")
        out.append(s)
    return tuple(out)


_KNOWN_IN_RANGE = threading.local()      # .active: inside indices_in_range()


def expanded_shape(input: Tensor, sizes) -> tuple:
    """The shape ``input.expand(*sizes)`` gets (-1 keeps a dim; new dims go in front), or PyTorch's
    RuntimeError: a size that clashes with a dim that is not 1, or fewer sizes than dims."""
    sizes = check_shape(sizes)
    have = input._data.shape
    lead = len(sizes) - len(have)
    if lead < 0:
        raise RuntimeError(f"expand({input.type()}{{{list(have)}}}, size={list(sizes)}): the number of "
                           "sizes provided (%d) must be greater or equal to the number of dimensions "
                           "in the tensor (%d)" % (len(sizes), len(have)))
    shape = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                                   "non-existing dimension 0")
            shape.append(s)
            continue
        h = have[i - lead]
        if s == -1:
            s = h
        elif h != 1 and s != h:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({h}) at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                               f"Tensor sizes: {list(have)}")
        shape.append(s)
    return tuple(shape)

def index_range(idx, low: int, high: int):
    """(min, max) of the integer array ``idx`` when an index lies outside [low, high), else None.

    All in range, it reads back one boolean: on a GPU, the one host round trip a range check
    costs (PyTorch checks inside its CUDA kernels instead, and a bad index kills the process).
    Inside ``indices_in_range()`` it checks nothing."""
    if (getattr(_KNOWN_IN_RANGE, "active", False) or not idx.size
            or not bool(((idx < low) | (idx >= high)).any())):
        return None
    return int(idx.min()), int(idx.max())


@contextlib.contextmanager
def indices_in_range():
    """For backward formulas: the indices they hand to gather, scatter, index_add... were
    checked in forward (or made there), so those ops skip the check, and its host round trip."""
    outer, _KNOWN_IN_RANGE.active = getattr(_KNOWN_IN_RANGE, "active", False), True
    try:
        yield
    finally:
        _KNOWN_IN_RANGE.active = outer
