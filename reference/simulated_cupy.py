"""A simulated CuPy, so that ndgrad's CUDA path can be tested on a machine without a GPU.

NumPy does the arithmetic, but its arrays are kept behind the rules CuPy enforces on device
memory. Run on the simulated device, ndgrad's code meets what would break or stall on a GPU:

- mixing device and host arrays (``gpu + numpy_array``, ``gpu[numpy_index]``), or handing a
  device array to NumPy (``numpy.asarray(gpu)``), raises CuPy's TypeError;
- only what CuPy has exists: its functions, ndarray methods, ufunc methods and random
  draws, as listed in ``cupy_api.json`` (taken from CuPy itself by tools/cupy_api.py), and a
  call with a keyword CuPy's version lacks (``clip(min=...)``, ``sum(initial=...)``) raises;
- reductions and scalar indexing give 0-d device arrays, as CuPy's do;
- every host round trip is recorded (see :func:`host_round_trips`): ``float()``, ``bool()``,
  ``.item()``, ``.get()``, ``.tolist()``, printing, and the ops whose output size depends on the
  data (``nonzero``, boolean masks, ``unique``, ``bincount``), which make CuPy wait for the GPU.

What it cannot find: the numerical differences of CUDA kernels, and argument values or dtypes
that a CuPy function refuses although NumPy's accepts them. Those need a real GPU.

Tests switch it on with :func:`active` (tests/conftest.py's ``device`` fixture); ndgrad itself
never imports this module.
"""
from __future__ import annotations

import contextlib
import inspect
import json
import operator
import pathlib
import sys
import types

import numpy

# {namespace: {name: parameters}}: what CuPy offers, and the parameters its callables take
_API = json.loads(pathlib.Path(__file__).with_name("cupy_api.json").read_text())
__version__ = f"{_API['version']}+simulated"

_IMPLICIT = ("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to "
             "construct a NumPy array explicitly.")
# Functions whose output size depends on the values: CuPy copies a count back to the host first.
_DATA_DEPENDENT = frozenset({"nonzero", "flatnonzero", "argwhere", "unique", "compress", "extract",
                             "bincount"})

_record: list | None = None


def _round_trip(what: str) -> None:
    if _record is not None:
        _record.append((what, _caller()))


def _caller() -> str:
    """Who asked for the host: the two innermost frames outside this module, as
    "file:line (function) < file:line (function)"."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    where = []
    while frame is not None and len(where) < 2:
        where.append(f"{pathlib.Path(frame.f_code.co_filename).name}:{frame.f_lineno} "
                     f"({frame.f_code.co_name})")
        frame = frame.f_back
    return " < ".join(where) or "?"


@contextlib.contextmanager
def host_round_trips():
    """Record the host round trips made inside the block: a list of (what, file:line)."""
    global _record
    outer, _record = _record, []
    try:
        yield _record
    finally:
        _record = outer


# ---- CuPy's signatures ------------------------------------------------------------------------
_SIGNATURES: dict = {}


def _checked(qualname: str, name: str, f):
    """``f``, refusing the calls CuPy's version of it would refuse: unknown keywords, too many
    positional arguments (parameters as tools/cupy_api.py read them from CuPy)."""
    params = _API[qualname].get(name)
    if params is None:
        return f
    key = (qualname, name)
    if key not in _SIGNATURES:
        _SIGNATURES[key] = _signature(params)
    signature = _SIGNATURES[key]

    def call(*args, **kwargs):
        try:
            signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{qualname}.{name}(): {e} (CuPy's parameters: {', '.join(params)})") from None
        return f(*args, **kwargs)
    return call


def _signature(params: list) -> inspect.Signature:
    P = inspect.Parameter
    kind = P.POSITIONAL_ONLY if "/" in params else P.POSITIONAL_OR_KEYWORD
    out = []
    for p in params:
        if p == "/":
            kind = P.POSITIONAL_OR_KEYWORD
        elif p == "*":
            kind = P.KEYWORD_ONLY
        elif p.startswith("**"):
            out.append(P(p[2:], P.VAR_KEYWORD))
        elif p.startswith("*"):
            out.append(P(p[1:], P.VAR_POSITIONAL))
            kind = P.KEYWORD_ONLY
        else:              # defaults are not recorded: every parameter may be left out
            out.append(P(p, kind, default=None))
    return inspect.Signature(out)


# ---- values in and out of the device wall --------------------------------------------------
def _unwrap(x):
    """The NumPy array behind a device array; host arrays are refused, as CuPy refuses them."""
    if type(x) is ndarray:
        return x._a
    if isinstance(x, numpy.ndarray):
        raise TypeError(f"Unsupported type {type(x)}")
    if type(x) in (list, tuple):
        return type(x)(_unwrap(i) for i in x)
    if type(x) is dict:                 # keyword arguments (out=...)
        return {k: _unwrap(v) for k, v in x.items()}
    return x


def _wrap(r):
    """Results as CuPy gives them: arrays (0-d ones for scalars) on the device."""
    if isinstance(r, numpy.ndarray):
        return _device_array(r)
    if isinstance(r, numpy.generic):
        return _device_array(numpy.asarray(r))
    if type(r) in (list, tuple):
        return type(r)(_wrap(i) for i in r)
    return r


def _device_array(a: numpy.ndarray) -> "ndarray":
    arr = object.__new__(ndarray)
    arr._a = a
    return arr


def _index(key):
    """An index key. Host index arrays are refused (on a GPU they would be a copy per call at
    best); a boolean mask makes the result's size depend on the data: a round trip."""
    parts = key if type(key) is tuple else (key,)
    if any(getattr(p, "dtype", None) == bool and getattr(p, "ndim", 0) > 0 for p in parts):
        _round_trip("boolean mask index")
    unwrapped = _unwrap(parts)
    return unwrapped if type(key) is tuple else unwrapped[0]


class _Device:
    """``cupy.cuda.Device``: the one simulated GPU, as an allocation context."""

    def __init__(self, device=None):
        self.id = 0 if device is None else int(device)
        if self.id != 0:
            raise RuntimeError(f"cudaErrorInvalidDevice: invalid device ordinal ({self.id})")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def synchronize(self):
        pass


class ndarray:
    """A device array: a NumPy array that NumPy itself may not read."""

    __slots__ = ("_a",)
    __hash__ = None

    def __init__(self, shape, dtype=float):
        self._a = numpy.empty(shape, dtype)

    # NumPy stays outside the wall: no implicit conversion, NumPy calls dispatched to CuPy's.
    def __array__(self, *args, **kwargs):
        raise TypeError(_IMPLICIT)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return getattr(_Ufunc(ufunc), method)(*inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        if func.__name__ not in _API["cupy"]:
            return NotImplemented
        return getattr(sys.modules[__name__], func.__name__)(*args, **kwargs)

    # the attributes CuPy's ndarray has
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: _device_array(self._a.T))
    mT = property(lambda self: _device_array(self._a.mT))
    real = property(lambda self: _device_array(self._a.real))
    imag = property(lambda self: _device_array(self._a.imag))
    device = property(lambda self: _Device(0))
    # cupy.cuda.MemoryPointer; .ptr is the address of the first element
    data = property(lambda self: types.SimpleNamespace(ptr=self._a.__array_interface__["data"][0]))

    @property
    def base(self):
        return None if self._a.base is None else _device_array(self._a.base)

    def __getattr__(self, name):
        if name not in _API["cupy.ndarray"]:
            raise AttributeError(f"'cupy.ndarray' object has no attribute '{name}'")
        if name == "nonzero":
            _round_trip("nonzero")
        method = getattr(self._a, name)
        return _checked("cupy.ndarray", name,
                        lambda *args, **kwargs: _wrap(method(*_unwrap(args), **_unwrap(kwargs))))

    # host round trips
    def get(self, stream=None, order="C", out=None, blocking=True):
        _round_trip("get")
        return numpy.array(self._a, order=order, copy=True)

    def __reduce__(self):
        return _device_array, (self.get(),)

    def set(self, arr):
        """Copy a host array in (host -> device)."""
        numpy.copyto(self._a, arr)

    # containers
    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (_wrap(row) for row in self._a)

    def __getitem__(self, key):
        return _wrap(self._a[_index(key)])

    def __setitem__(self, key, value):
        if isinstance(value, numpy.ndarray) and value.ndim:
            raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
        self._a[_index(key)] = value._a if type(value) is ndarray else value

    def __copy__(self):
        return _device_array(self._a.copy())

    def __deepcopy__(self, memo):
        return _device_array(self._a.copy())


def _operand(x):
    if type(x) is ndarray:
        return x._a
    if isinstance(x, (int, float, complex, numpy.generic)):
        return x
    if isinstance(x, numpy.ndarray):
        raise TypeError(f"Unsupported type {type(x)}")
    return NotImplemented


def _binary(op, reflected=False):
    def method(self, other):
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        return _wrap(op(o, self._a) if reflected else op(self._a, o))
    return method


def _inplace(op):
    def method(self, other):
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        op(self._a, o)
        return self
    return method


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
              "xor", "lshift", "rshift"):
    _op = getattr(operator, f"{_name}_" if _name in ("and", "or") else _name)
    setattr(ndarray, f"__{_name}__", _binary(_op))
    setattr(ndarray, f"__r{_name}__", _binary(_op, reflected=True))
    setattr(ndarray, f"__i{_name}__", _inplace(getattr(operator, f"i{_name}")))
for _name in ("lt", "le", "eq", "ne", "gt", "ge"):
    setattr(ndarray, f"__{_name}__", _binary(getattr(operator, _name)))


def _to_host(what, convert):
    """A method that reads the array back on the host: recorded as a round trip."""
    def method(self, *args):
        _round_trip(what)
        return convert(self._a, *args)
    return method


for _name, _convert in (("item", numpy.ndarray.item), ("tolist", numpy.ndarray.tolist),
                        ("tobytes", numpy.ndarray.tobytes)):
    setattr(ndarray, _name, _to_host(_name, _convert))
for _name, _convert in (("bool", bool), ("float", float), ("int", int), ("complex", complex),
                        ("index", operator.index), ("repr", repr), ("str", str), ("format", format)):
    setattr(ndarray, f"__{_name}__", _to_host(_name, _convert))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(ndarray, f"__{_name}__", (lambda op: lambda self: _wrap(op(self._a)))(getattr(operator, _name)))


# ---- functions --------------------------------------------------------------------------
class _Ufunc:
    """A CuPy ufunc: call it, or its ``at``/``reduce``/``accumulate``/``outer``."""

    def __init__(self, ufunc):
        self._ufunc = ufunc

    def __call__(self, *args, **kwargs):
        return _checked("cupy", self._ufunc.__name__, self._call)(*args, **kwargs)

    def _call(self, *args, **kwargs):
        return _wrap(self._ufunc(*_unwrap(args), **_unwrap(kwargs)))

    def __getattr__(self, name):
        if name not in _API["cupy.ufunc"]:
            raise AttributeError(f"'cupy.ufunc' object has no attribute '{name}'")
        attr = getattr(self._ufunc, name)
        if not callable(attr):
            return attr
        return _checked("cupy.ufunc", name,
                        lambda *args, **kwargs: _wrap(attr(*_unwrap(args), **_unwrap(kwargs))))


def _function(name, f):
    def call(*args, **kwargs):
        if name in _DATA_DEPENDENT:
            _round_trip(name)
        return _wrap(f(*_unwrap(args), **_unwrap(kwargs)))
    call.__name__ = name
    return call


def _namespace(qualname: str, numpy_module):
    """Look a CuPy name up in NumPy's twin module, refusing names CuPy does not have."""
    def lookup(name):
        if name not in _API[qualname]:
            raise AttributeError(f"module '{qualname}' has no attribute '{name}'")
        value = getattr(numpy_module, name, None)
        if value is None:
            raise AttributeError(f"{qualname}.{name} exists in CuPy but is not simulated; "
                                 f"add it to {__name__}")
        if isinstance(value, numpy.ufunc):
            return _Ufunc(value)
        if callable(value) and not isinstance(value, type):
            return _checked(qualname, name, _function(name, value))
        return value
    return lookup


__getattr__ = _namespace("cupy", numpy)   # module attributes (PEP 562)


def asarray(a, dtype=None, order=None, *, blocking=False):
    """Host data is copied to the device; a device array stays as it is."""
    if type(a) is ndarray:
        return a if dtype is None else _device_array(a._a.astype(dtype, copy=False))
    return _device_array(numpy.array(_host_data(a), dtype=dtype, order=order or "K"))


def array(obj, dtype=None, copy=True, order="K", subok=False, ndmin=0, *, blocking=False):
    if type(obj) is ndarray:
        return _device_array(numpy.array(obj._a, dtype=dtype, copy=copy, order=order, ndmin=ndmin))
    return _device_array(numpy.array(_host_data(obj), dtype=dtype, order=order, ndmin=ndmin))


def _host_data(obj):
    if type(obj) in (list, tuple):
        return [_host_data(o) for o in obj]
    if type(obj) is ndarray:
        return obj._a
    return obj


def asnumpy(a, stream=None, order="C", out=None, *, blocking=True):
    return a.get(order=order) if type(a) is ndarray else numpy.asarray(a, order=order)


def get_array_module(*args):
    return sys.modules[__name__] if any(type(a) is ndarray for a in args) else numpy


class _Generator:
    """``cupy.random.Generator``: NumPy's PCG64 stream, drawn onto the device, with only the
    distributions CuPy's Generator has (no ``permutation``, ``choice`` or ``bit_generator``)."""

    def __init__(self, seed=None):
        self._rng = numpy.random.default_rng(seed)

    def __getattr__(self, name):
        if name not in _API["cupy.random.Generator"]:
            raise AttributeError(f"'cupy.random.Generator' object has no attribute '{name}'")
        draw = getattr(self._rng, name)
        return _checked("cupy.random.Generator", name,
                        lambda *args, **kwargs: _device_array(numpy.asarray(draw(*args, **kwargs))))


class _Module:
    """A CuPy submodule: its own members, then NumPy's twin module behind CuPy's name list."""

    def __init__(self, qualname, numpy_module, **members):
        self.__dict__.update(members)
        self._lookup = _namespace(qualname, numpy_module)

    def __getattr__(self, name):
        return self._lookup(name)


random = _Module("cupy.random", numpy.random, default_rng=_Generator, Generator=_Generator)
linalg = _Module("cupy.linalg", numpy.linalg)
lib = types.SimpleNamespace(stride_tricks=_Module("cupy.lib.stride_tricks", numpy.lib.stride_tricks))
cuda = types.SimpleNamespace(
    Device=_Device,
    runtime=types.SimpleNamespace(getDeviceCount=lambda: 1, getDevice=lambda: 0,
                                  getDeviceProperties=lambda i: {"name": b"simulated GPU (NumPy)"}))


@contextlib.contextmanager
def active():
    """Let ndgrad's "cuda" device run on this module, for the duration of the block."""
    from ndgrad import backend
    from ndgrad.random import generator
    saved = backend._cupy, backend._default_device, dict(generator._cuda_generators)
    backend._cupy = sys.modules[__name__]
    try:
        yield
    finally:
        backend._cupy, backend._default_device = saved[0], saved[1]
        generator._cuda_generators.clear()
        generator._cuda_generators.update(saved[2])
