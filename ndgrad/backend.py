"""Devices and the array library behind each device (random generators: ``ndgrad/random``).

This is one of the two modules allowed to import numpy (dtypes.py is the other);
every op asks for its array module with :func:`array_module` instead of naming
numpy or cupy itself, so the same op code runs on the CPU and on the GPU.
"""
from __future__ import annotations

import importlib

import numpy

from ._malloc import keep_freed_memory

__all__ = ["device", "set_device", "get_device", "array_module", "device_of_array", "cuda_available",
           "cuda_device_count"]

keep_freed_memory()      # once, at import: _malloc.py says why

_DEVICE_TYPES = ("cpu", "cuda")
# PyTorch returns inf/nan silently (1/0, log(0), overflow); NumPy would warn on each.
numpy.seterr(divide="ignore", invalid="ignore", over="ignore", under="ignore")
_CUPY_FIX = 'install CuPy with: pip install "ndgrad[cuda]"'


class device:
    """``ndgrad.device("cpu" | "cuda" | "cuda:0")``, like ``torch.device``."""

    __slots__ = ("type", "index")

    def __init__(self, type: "str | device", index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        elif isinstance(type, int) and index is None:
            type, index = "cuda", type
        elif not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type!r})")
        else:
            name, sep, idx = type.partition(":")
            if name not in _DEVICE_TYPES:
                raise RuntimeError(
                    f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of device string: "
                    f"{type}")
            if sep:
                if index is not None:
                    raise RuntimeError("type (string) must not include an index because index was passed "
                                       f"explicitly: {type}")
                if not idx.isdigit():
                    raise RuntimeError(f"Invalid device string: '{type}'")
                index = int(idx)
            type = name
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        if type == "cpu" and index not in (None, 0):
            raise RuntimeError(f"CPU device index must be -1 or zero, got {index}")
        self.type = type
        self.index = None if type == "cpu" else index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


CPU = device("cpu")
_default_device = CPU
_cupy = None


def _import_cupy():
    """Import CuPy on first use, so that the CPU path never needs it."""
    global _cupy
    if _cupy is None:
        try:
            _cupy = importlib.import_module("cupy")
        except ImportError as e:
            raise RuntimeError(f"ndgrad: CUDA needs CuPy, which is not installed; {_CUPY_FIX}") from e
    return _cupy


def cuda_available() -> bool:
    try:
        return _import_cupy().cuda.runtime.getDeviceCount() > 0
    except Exception:  # no CuPy, no driver or no GPU all mean "not available"
        return False


def cuda_device_count() -> int:
    return _import_cupy().cuda.runtime.getDeviceCount() if cuda_available() else 0


def canonical(dev) -> device:
    """A tensor's device: 'cuda' means the current GPU, 'cuda:0'."""
    if dev is None:
        return _default_device
    if dev.__class__ is not device:
        dev = device(dev)
    if dev.type == "cuda":
        if not cuda_available():
            raise RuntimeError(
                "ndgrad: no CUDA device is available (CuPy missing or no GPU); "
                f"{_CUPY_FIX}, or stay on 'cpu'")
        if dev.index is None:
            dev = device("cuda", _import_cupy().cuda.runtime.getDevice())
        elif dev.index >= cuda_device_count():
            raise RuntimeError(f"CUDA error: invalid device ordinal (cuda:{dev.index}, "
                               f"{cuda_device_count()} device(s) present)")
    elif dev.index is not None:
        dev = CPU
    return dev


def set_device(dev) -> None:
    """Make ``dev`` the default device for new tensors and modules."""
    global _default_device
    _default_device = canonical(dev)


def get_device() -> device:
    return _default_device


def array_module(dev: device):
    """numpy for the CPU, cupy for CUDA devices."""
    return numpy if dev.type == "cpu" else _import_cupy()


def device_of_array(arr) -> device:
    if isinstance(arr, numpy.ndarray):
        return CPU
    return device("cuda", arr.device.id)


def use_device(dev: device):
    """Context in which CuPy allocates on ``dev`` (a no-op on the CPU)."""
    if dev.type == "cpu":
        return _NULL_CONTEXT
    return _import_cupy().cuda.Device(dev.index)


class _NullContext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


_NULL_CONTEXT = _NullContext()

def transfer(arr, dev: device):
    """Copy an array to another device (host <-> GPU, or GPU <-> GPU)."""
    if dev.type == "cpu":
        return arr.get() if not isinstance(arr, numpy.ndarray) else arr.copy()
    with use_device(dev):
        return _import_cupy().asarray(arr)


def address(arr) -> int:
    """The address of arr's first element (host memory for NumPy, device memory for CuPy)."""
    if isinstance(arr, numpy.ndarray):
        return arr.__array_interface__["data"][0]
    return arr.data.ptr


def memory_offset(arr) -> int:
    """How many bytes past the start of its memory block arr's first element lies (0 unless arr
    is a view): the block is owned by the last array in arr's chain of bases."""
    root, b = arr, arr.base
    while b is not None:
        if isinstance(b, type(arr)):
            root = b
        b = getattr(b, "base", None)      # NumPy's as_strided puts a helper object in the chain
    return address(arr) - address(root)


def to_little_endian_bytes(arr) -> tuple[str, tuple, bytes]:
    """(dtype name, shape, raw little-endian C-order bytes) of an array on any device: what a
    file stores."""
    host = transfer(arr, CPU) if not isinstance(arr, numpy.ndarray) else arr
    host = host if host.flags.c_contiguous else host.copy(order="C")    # (ascontiguousarray makes 0-d 1-d)
    return host.dtype.name, host.shape, host.astype(host.dtype.newbyteorder("<"), copy=False).tobytes()


def host_array(obj):
    """A NumPy array copy of a PIL image, a nested list or an array: input data of the host."""
    return numpy.array(obj, copy=True)


def is_host_array(obj) -> bool:
    return isinstance(obj, numpy.ndarray)


def from_little_endian_bytes(buffer, dtype_name: str, shape: tuple):
    """A NumPy array (a copy, in native byte order) from what ``to_little_endian_bytes`` stored."""
    return _from_bytes(buffer, dtype_name, shape, "<")


def from_big_endian_bytes(buffer, dtype_name: str, shape: tuple):
    """A NumPy array (a copy, in native byte order) from big-endian C-order bytes (IDX files)."""
    return _from_bytes(buffer, dtype_name, shape, ">")


def _from_bytes(buffer, dtype_name: str, shape: tuple, order: str):
    dt = numpy.dtype(dtype_name)
    return numpy.frombuffer(buffer, dtype=dt.newbyteorder(order)).astype(dt, copy=True).reshape(shape)


def itemsize(dtype_name: str) -> int:
    return numpy.dtype(dtype_name).itemsize


def select(cond, x, y):
    """cond ? x : y, elementwise, for arrays of one dtype (numbers as 0-d arrays).

    NumPy's ``where`` branches per element, and on an unpredictable condition (ReLU's backward:
    about half the activations are positive) that costs 20x a plain multiply. The same bits
    come out of integer AND/OR with a mask of all-ones or all-zeros, NaNs and -0.0 included,
    so on the CPU the selection is done that way. CuPy's kernel has no branches to mispredict.
    """
    if not isinstance(cond, numpy.ndarray) or x.dtype.itemsize not in (1, 2, 4, 8):
        return array_module(device_of_array(cond)).where(cond, x, y)
    bits = numpy.dtype(f"i{x.dtype.itemsize}")
    mask = numpy.negative(cond.view(numpy.int8))       # True -> -1 (all ones), sign-extended below
    xb, yb = x.view(bits), y.view(bits)
    if yb.ndim == 0 and yb == 0:
        return numpy.bitwise_and(xb, mask).view(x.dtype)          # cond ? x : +0, a backward's usual case
    return numpy.bitwise_or(numpy.bitwise_and(xb, mask), numpy.bitwise_and(yb, ~mask)).view(x.dtype)


def synchronize(dev=None) -> None:
    """Wait for every kernel queued on the GPU (a no-op without one)."""
    if _cupy is not None and cuda_available():
        _cupy.cuda.Device(None if dev is None else canonical(dev).index).synchronize()


def seed_numpy_global(base_seed: int, worker_id: int) -> None:
    """Seed NumPy's global generator in a DataLoader worker as PyTorch does: with four words of
    NumPy's SeedSequence over [worker_id, base_seed's low and high 32 bits, 0] (PyTorch's
    ``_generate_state`` is that algorithm), so that workers draw different numbers."""
    entropy = [worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32, 0]
    numpy.random.seed(numpy.random.SeedSequence(entropy).generate_state(4))
