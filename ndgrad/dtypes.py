"""ndgrad's dtypes and PyTorch's type promotion rules (not NumPy's).

This is one of the two modules allowed to import numpy: it maps each dtype to the
NumPy/CuPy dtype that stores it.
"""
from __future__ import annotations

import builtins

import numpy

from ._layout import broadcast_shapes

__all__ = ["dtype", "float16", "half", "float32", "float", "float64", "double", "int8",
           "int16", "short", "int32", "int", "int64", "long", "uint8", "bool",
           "get_default_dtype", "set_default_dtype", "promote_types", "result_type",
           "is_floating_point", "from_numpy_dtype", "can_cast"]


class dtype:
    """A tensor element type, e.g. ``ndgrad.float32``."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category",
                 "_legacy")

    def __init__(self, name, np_dtype, category, legacy):
        self.name = name
        self.np = numpy.dtype(np_dtype)
        self._category = category          # 0 bool, 1 integer, 2 floating
        self.is_floating_point = category == 2
        self.is_signed = name not in ("uint8", "bool")
        self.itemsize = self.np.itemsize
        self._legacy = legacy              # PyTorch's scalar-type name: Float, Long, ...

    def __repr__(self):
        return f"ndgrad.{self.name}"

    def __reduce__(self):
        return self.name        # pickled by name (ndgrad.dtypes.float32): one object per dtype

    @property
    def is_complex(self):
        return False

    def to_real(self):
        return self


bool = dtype("bool", numpy.bool_, 0, "Bool")
uint8 = dtype("uint8", numpy.uint8, 1, "Byte")
int8 = dtype("int8", numpy.int8, 1, "Char")
int16 = short = dtype("int16", numpy.int16, 1, "Short")
int32 = int = dtype("int32", numpy.int32, 1, "Int")
int64 = long = dtype("int64", numpy.int64, 1, "Long")
float16 = half = dtype("float16", numpy.float16, 2, "Half")
float32 = float = dtype("float32", numpy.float32, 2, "Float")
float64 = double = dtype("float64", numpy.float64, 2, "Double")

ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NUMPY = {d.np: d for d in ALL}
_default_float = float32


def from_numpy_dtype(np_dtype) -> dtype:
    try:
        return _BY_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{numpy.dtype(np_dtype).name}. The only "
            "supported types are: float64, float32, float16, int64, int32, int16, int8, "
            "uint8, and bool.") from None


def get_default_dtype() -> dtype:
    return _default_float


def set_default_dtype(d: dtype) -> None:
    global _default_float
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def is_floating_point(t) -> builtins.bool:
    return t.dtype.is_floating_point


def promote_types(a: dtype, b: dtype) -> dtype:
    """PyTorch's table: any float wins over integers (int64 + float16 -> float16)."""
    if a is b:
        return a
    if a._category == 2 or b._category == 2:
        if a._category != 2:
            return b
        if b._category != 2:
            return a
    return _BY_NUMPY[numpy.promote_types(a.np, b.np)]


def _promote_skip_none(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return promote_types(a, b)


def _combine_categories(higher, lower):
    """c10's rule: a lower-priority operand only matters if it is of a higher category."""
    if higher is not None and higher._category == 2:
        return higher
    if higher is bool or (lower is not None and lower._category == 2):
        return _promote_skip_none(higher, lower)
    return higher if higher is not None else lower


def scalar_dtype(x) -> dtype:
    """The dtype a Python number takes when it is the only operand."""
    if isinstance(x, builtins.bool):
        return bool
    if isinstance(x, builtins.int):
        return int64
    if isinstance(x, builtins.float):
        return _default_float
    raise TypeError(f"unsupported scalar type {type(x).__name__}")


def result_type(*operands) -> dtype:
    """``torch.result_type``: dimensioned tensors > 0-d tensors > Python scalars, by category."""
    dim = zero = wrapped = None
    for x in operands:
        dt = getattr(x, "dtype", None)
        if dt is not None and dt.__class__ is dtype:
            if x.ndim:
                dim = _promote_skip_none(dim, dt)
            else:
                zero = _promote_skip_none(zero, dt)
        else:
            wrapped = _promote_skip_none(wrapped, scalar_dtype(x))
    return _combine_categories(dim, _combine_categories(zero, wrapped))


def can_cast(from_: dtype, to: dtype) -> builtins.bool:
    """In-place results may not go down a category (float -> int, int -> bool)."""
    return from_._category <= to._category


# ---- operands of an op, in PyTorch's result dtype ---------------------------------------------
# A Tensor is told apart by its ``_data`` array (this module comes before tensor.py in the layers).

def not_implemented(kernel: str, dt: dtype) -> NotImplementedError:
    """PyTorch's error for a kernel that has no version for a dtype."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{dt._legacy}\'')


def _int_scalar(x: builtins.int, dt: dtype) -> builtins.int:
    """A Python int wrapped into an integer dtype's range (PyTorch wraps, NumPy raises)."""
    if dt is bool:
        return builtins.bool(x)
    bits = dt.itemsize * 8
    lo = -(1 << (bits - 1)) if dt.is_signed else 0
    return (x - lo) % (1 << bits) + lo


def operand(x, dt: dtype):
    """``x`` as an array (Tensor) or weak scalar (Python number) of dtype ``dt``."""
    d = getattr(x, "_data", None)
    if d is not None:
        return d if d.dtype == dt.np else d.astype(dt.np)
    if dt.is_floating_point or isinstance(x, builtins.bool):
        return x            # NumPy's weak scalars keep the array's dtype
    return _int_scalar(builtins.int(x), dt)


def operands(a, b):
    """Both operands (Tensors or Python numbers) in PyTorch's result dtype, and that dtype."""
    da, db = getattr(a, "_data", None), getattr(b, "_data", None)
    if da is not None and db is not None:
        if da.shape != db.shape:
            broadcast_shapes(da.shape, db.shape)
        if da.dtype == db.dtype:
            return da, db, a.dtype
    if da is not None and b.__class__ is builtins.float and da.dtype.kind == "f":
        return da, b, a.dtype
    _check_scalar(a, da)
    _check_scalar(b, db)
    dt = result_type(a, b)
    return operand(a, dt), operand(b, dt), dt


def _check_scalar(x, data):
    if data is None and not isinstance(x, (builtins.bool, builtins.int, builtins.float)):
        raise TypeError(f"unsupported operand type: expected a Tensor or a number, got "
                        f"{type(x).__name__}")


def float_operands(a, b, kernel: str = ""):
    """Both operands of a float-only binary function (atan2, hypot...) and its dtype: integer
    operands give the default float dtype, or PyTorch's NotImplementedError when ``kernel``
    (like ``"hypot_cpu"``) has no integer version."""
    x, y, dt = operands(a, b)
    if not dt.is_floating_point:
        if kernel:
            raise not_implemented(kernel, dt)
        dt = get_default_dtype()
        x, y = operand(a, dt), operand(b, dt)
    return x, y, dt


def float_array(t):
    """A Tensor's array, converted to the default float dtype when it is integer or bool."""
    d = t._data
    return d if d.dtype.kind == "f" else d.astype(get_default_dtype().np)
