"""Creation functions: tensor, zeros, ones, full, arange, linspace, ... and *_like (random ones:
random.py)."""
from __future__ import annotations

import math

from .. import backend, dtypes
from ..tensor import Size, Tensor, _wrap
from ._checks import check_shape

__all__ = ["tensor", "as_tensor", "from_numpy", "zeros", "zeros_like", "ones", "ones_like", "full",
           "full_like", "empty", "empty_like", "eye", "arange", "linspace", "logspace"]


def _finish(arr, dev, requires_grad) -> Tensor:
    t = _wrap(arr, dev)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _unnest(data):
    """Replace Tensors inside nested lists by their values (NumPy cannot read them)."""
    if isinstance(data, Tensor):
        d = data._data
        return d if data._device.type == "cpu" else d.get()
    if isinstance(data, (list, tuple)):
        return [_unnest(x) for x in data]
    return data


def _is_numpy_scalar(x) -> bool:
    return hasattr(x, "dtype") and not isinstance(x, (list, tuple))


def _infer(data, xp):
    """An array from Python data with PyTorch's dtype inference (not NumPy's)."""
    if isinstance(data, xp.ndarray):
        dtypes.from_numpy_dtype(data.dtype)       # refuses unsupported dtypes
        return data, dtypes.from_numpy_dtype(data.dtype)
    if isinstance(data, Tensor):
        return data._data, data.dtype
    if isinstance(data, (str, bytes)) or data is None:
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if isinstance(data, (list, tuple)):
        data = _unnest(data)
    try:
        arr = xp.asarray(data)
    except (ValueError, TypeError) as e:
        raise ValueError(f"could not build a tensor from ragged or invalid nested data: {e}") from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr, (dtypes.from_numpy_dtype(arr.dtype) if _is_numpy_scalar(data)
                     else dtypes.get_default_dtype())
    if kind in "iu":
        if arr.dtype.itemsize == 8 and kind == "u":
            raise RuntimeError("Overflow when unpacking long")
        return arr, (dtypes.from_numpy_dtype(arr.dtype) if _is_numpy_scalar(data) else dtypes.int64)
    if kind == "b":
        return arr, dtypes.bool
    if kind == "O" and arr.size and all(isinstance(x, int) for x in arr.flat):
        raise RuntimeError("Overflow when unpacking long")
    raise TypeError(f"new(): invalid data type '{type(data).__name__}'")


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """A new tensor holding a copy of ``data``; ints give int64, floats the default dtype."""
    dev = backend.canonical(device if device is not None or not isinstance(data, Tensor) else data.device)
    xp = backend.array_module(dev)
    with backend.use_device(dev):
        arr, dt = _infer(data, xp)
        dt = dtype or dt
        if isinstance(arr, xp.ndarray) and arr.dtype == dt.np:
            arr = arr.copy()
        else:
            arr = xp.array(arr, dtype=dt.np)
    return _finish(arr, dev, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like ``tensor`` but shares memory when no conversion is needed."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype) if (device or dtype) else data
    dev = backend.canonical(device)
    xp = backend.array_module(dev)
    if isinstance(data, xp.ndarray) and (dtype is None or data.dtype == dtype.np):
        dtypes.from_numpy_dtype(data.dtype)
        return _wrap(data, dev)
    return tensor(data, dtype=dtype, device=dev)


def from_numpy(ndarray) -> Tensor:
    """A CPU tensor that shares memory with ``ndarray`` (writes show through both ways)."""
    np = backend.array_module(backend.CPU)
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    dtypes.from_numpy_dtype(ndarray.dtype)
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    return _wrap(ndarray, backend.CPU)


def _make(fill, size, dtype, device, requires_grad, default=None) -> Tensor:
    shape = check_shape(size)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: {list(shape)}")
    dt = dtype or default or dtypes.get_default_dtype()
    dev = backend.canonical(device)
    xp = backend.array_module(dev)
    nbytes = math.prod(shape) * dt.itemsize
    if nbytes >= 2**63:                     # PyTorch's sizes are int64: the byte count must fit
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(shape)}")
    try:
        with backend.use_device(dev):
            arr = fill(xp, shape, dt)
    except MemoryError as e:                # NumPy's, and CuPy's OutOfMemoryError (a subclass)
        raise RuntimeError(f"{dev}: can't allocate memory: you tried to allocate {nbytes} bytes "
                           f"({type(e).__name__}: {e})") from None
    return _finish(arr, dev, requires_grad)


def _preserved_layout(t: Tensor, like: Tensor):
    """t's array re-laid in like's dim order (a copy only when like is not C-contiguous)."""
    src = like._data
    if src.flags.c_contiguous or src.ndim < 2 or t._device != like._device:
        return t._data
    out = t._xp.empty_like(src, dtype=t._data.dtype)        # order="K": like's dim order, dense
    out[...] = t._data
    return out


def _like(fn, input, args, kwargs, dtype, device, requires_grad) -> Tensor:
    """``fn(input.shape, *args, **kwargs)`` with the dtype and device of ``input`` by default, and its
    memory layout (PyTorch's ``preserve_format``: a transposed input gives a transposed result)."""
    t = fn(input.shape, *args, dtype=dtype or input.dtype, device=device or input.device, **kwargs)
    return _finish(_preserved_layout(t, input), t._device, requires_grad)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    return _make(lambda xp, s, dt: xp.zeros(s, dt.np), size, dtype, device, requires_grad)


def zeros_like(input, *args, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None, **kw) -> Tensor:
    """``zeros`` with the shape, dtype, device and layout of ``input``."""
    return _like(zeros, input, args, kw, dtype, device, requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    return _make(lambda xp, s, dt: xp.ones(s, dt.np), size, dtype, device, requires_grad)


def ones_like(input, *args, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None, **kw) -> Tensor:
    """``ones`` with the shape, dtype, device and layout of ``input``."""
    return _like(ones, input, args, kw, dtype, device, requires_grad)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False) -> Tensor:
    """``fill_value`` everywhere; its Python type picks the dtype (bool, int64, default float)."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    default = dtypes.scalar_dtype(fill_value)
    return _make(lambda xp, s, dt: xp.full(s, fill_value, dt.np), (size,), dtype, device,
                 requires_grad, default)


def full_like(input, *args, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None, **kw) -> Tensor:
    """``full`` with the shape, dtype, device and layout of ``input``."""
    return _like(full, input, args, kw, dtype, device, requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None) -> Tensor:
    """Uninitialised memory, as in PyTorch: the values are whatever was there."""
    return _make(lambda xp, s, dt: xp.empty(s, dt.np), size, dtype, device, requires_grad)


def empty_like(input, *args, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None, **kw) -> Tensor:
    """``empty`` with the shape, dtype, device and layout of ``input``."""
    return _like(empty, input, args, kw, dtype, device, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False) -> Tensor:
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    m = n if m is None else m
    return _make(lambda xp, s, dt: xp.eye(n, m, dtype=dt.np), ((n, m),), dtype, device, requires_grad)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False) -> Tensor:
    """[start, end) in steps: int64 for integer arguments, the default float otherwise."""
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    is_int = all(isinstance(v, int) for v in (start, end, step))
    dt = dtype or (dtypes.int64 if is_int else dtypes.get_default_dtype())
    n = max(0, math.ceil((end - start) / step))

    def fill(xp, s, d):
        if is_int and not d.is_floating_point:
            return xp.arange(start, end, step, dtype=d.np)
        return (start + xp.arange(n, dtype="float64") * step).astype(d.np)
    return _make(fill, (n,), dt, device, requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False) -> Tensor:
    """``steps`` points from start to end, computed from both ends as PyTorch does."""
    start, end = _number(start), _number(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")

    def fill(xp, s, d):
        work = d.np if d.is_floating_point else "float64"
        i = xp.arange(steps, dtype=work)
        if steps == 1:
            return xp.full((1,), start, dtype=d.np)
        a, b = xp.asarray(start, dtype=work), xp.asarray(end, dtype=work)
        step = (b - a) / xp.asarray(steps - 1, dtype=work)
        half = steps // 2
        out = xp.where(i < half, a + step * i, b - step * (steps - i - 1))
        return out.astype(d.np)
    return _make(fill, (steps,), dtype, device, requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False) -> Tensor:
    exps = linspace(start, end, steps, dtype=dtypes.float64, device=device)

    def fill(xp, s, d):
        return (xp.asarray(base, dtype="float64") ** exps._data).astype(d.np)
    return _make(fill, (steps,), dtype, device, requires_grad)


def legacy_new(args, device) -> Tensor:
    """``ndgrad.Tensor(...)``: sizes give an uninitialised tensor, data gives a float copy."""
    dt = dtypes.get_default_dtype()
    if not args:
        return empty(0, dtype=dt, device=device)
    if len(args) == 1 and not isinstance(args[0], int):
        a = args[0]
        if isinstance(a, Size):
            return empty(*a, dtype=dt, device=device)
        if isinstance(a, Tensor):
            return a
        return tensor(a, dtype=dt, device=device)
    return empty(*args, dtype=dt, device=device)


# Tensor.new_* build a tensor with self's dtype and device.
def _new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype, device=device or self.device,
                  requires_grad=requires_grad)


def _new_maker(fn):
    def new(self, *size, dtype=None, device=None, requires_grad=False):
        return fn(*size, dtype=dtype or self.dtype, device=device or self.device,
                  requires_grad=requires_grad)
    return new


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device,
                requires_grad=requires_grad)
