"""Hypothesis strategies for op inputs: dtypes, shapes (0-d, broadcasting), values in a
domain, non-contiguous layouts, Python scalars; and the error cases several spec files share."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .spec import Arr, Sample

FLOATS = ("float32", "float64")
HALF = ("float16",)
INTS = ("uint8", "int8", "int16", "int32", "int64")
ALL = ("bool",) + INTS + HALF + FLOATS
NUMERIC = INTS + HALF + FLOATS
MAX_SIDE = 4


def shapes(min_dims=0, max_dims=4, min_side=0, max_side=MAX_SIDE):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def _elements(dtype: str, lo: float, hi: float):
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return st.booleans()
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return st.integers(max(int(np.ceil(lo)), int(info.min)), min(int(np.floor(hi)), int(info.max)))
    width = {2: 16, 4: 32, 8: 64}[dt.itemsize]
    lo_w, hi_w = dt.type(lo), dt.type(hi)         # bounds rounded inward to the dtype's grid
    if lo_w < lo:
        lo_w = np.nextafter(lo_w, dt.type(np.inf))
    if hi_w > hi:
        hi_w = np.nextafter(hi_w, dt.type(-np.inf))
    return st.floats(float(lo_w), float(hi_w), width=width, allow_nan=False, allow_infinity=False,
                     allow_subnormal=False)


@st.composite
def arrays(draw, dtypes=FLOATS, shape=None, lo=-10.0, hi=10.0, layouts=True, exclude=None):
    """An Arr of one of ``dtypes`` with values in [lo, hi] (``exclude``: (a, b) kept out)."""
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(shapes()) if shape is None else shape
    elems = _elements(dtype, lo, hi)
    if exclude is not None and np.dtype(dtype).kind != "b":
        a, b = exclude
        elems = elems.filter(lambda v: not a < v < b)
    values = draw(hnp.arrays(dtype, shape, elements=elems))
    layout = (draw(st.sampled_from(["contiguous", "transposed"])) if layouts and values.ndim >= 2
              else "contiguous")
    return Arr(values, layout)


def scalars(kinds=("int", "float", "bool"), lo=-10, hi=10):
    """Python numbers, the operands PyTorch promotes with the lowest priority."""
    options = []
    if "int" in kinds:
        options.append(st.integers(int(lo), int(hi)))
    if "float" in kinds:
        options.append(st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False))
    if "bool" in kinds:
        options.append(st.booleans())
    return st.one_of(*options)


@st.composite
def unary(draw, dtypes=FLOATS, lo=-10.0, hi=10.0, exclude=None, **kwargs):
    return Sample((draw(arrays(dtypes, lo=lo, hi=hi, exclude=exclude)),), kwargs)


@st.composite
def binary(draw, dtypes=FLOATS, lo=-10.0, hi=10.0, lo2=None, hi2=None, exclude2=None,
           scalar=True, scalar_kinds=("int", "float", "bool")):
    """Two broadcastable tensors of independently drawn dtypes, or a tensor and a number."""
    sa, sb = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=MAX_SIDE)).input_shapes
    a = draw(arrays(dtypes, sa, lo, hi))
    lo2 = lo if lo2 is None else lo2
    hi2 = hi if hi2 is None else hi2
    if scalar and draw(st.integers(0, 3)) == 0:
        b = draw(scalars(scalar_kinds, lo2, hi2).filter(
            lambda v: exclude2 is None or not exclude2[0] < v < exclude2[1]))
    else:
        b = draw(arrays(dtypes, sb, lo2, hi2, exclude=exclude2))
    return Sample((a, b))


@st.composite
def with_kwargs(draw, base, **options):
    """A sample of ``base`` with keyword arguments drawn from ``options`` (name: strategy)."""
    s = draw(base)
    return Sample(s.args, {k: draw(v) for k, v in options.items()})


@st.composite
def mismatched(draw, dtypes=FLOATS):
    """Two shapes that do not broadcast (PyTorch: RuntimeError)."""
    n = draw(st.integers(2, 4))
    m = draw(st.integers(2, 4).filter(lambda v: v != n))
    lead = draw(shapes(max_dims=2, min_side=1))
    a = draw(arrays(dtypes, lead + (n,)))
    b = draw(arrays(dtypes, (m,)))
    return Sample((a, b))


#: shapes that do not broadcast: every op of two (or more) broadcasting tensors raises
MISMATCH = (("shapes that do not broadcast", mismatched()),)

#: every function form refuses a Python list where the tensor belongs (TypeError)
NOT_A_TENSOR = (("a list, not a tensor", st.just(Sample(([0.5, 1.5],))), ("function",)),)

SPECIAL = (float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1.5, -2.0)


@st.composite
def with_specials(draw, dtypes=ALL, shape=None):
    """An Arr whose float values include nan, ±inf and signed zeros."""
    a = draw(arrays(dtypes, shape))
    v = a.values
    if v.dtype.kind == "f" and v.size:
        mask = draw(hnp.arrays(bool, v.shape))
        pick = draw(hnp.arrays(v.dtype, v.shape, elements=st.sampled_from(SPECIAL)))
        v = np.where(mask, pick, v).astype(v.dtype)
    return Arr(v, a.layout)


def dims_of(ndim: int, allow_none=True, allow_tuple=True):
    """A dim argument valid for ``ndim`` dims: None, an int (negative too) or a tuple."""
    n = max(ndim, 1)
    options = [st.integers(-n, n - 1)]
    if allow_none:
        options.append(st.none())
    if allow_tuple and ndim:
        options.append(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).map(
            lambda ds: tuple(d - ndim if i % 2 else d for i, d in enumerate(ds))))
    return st.one_of(*options)


@st.composite
def reduction(draw, dtypes=FLOATS, min_side=0, dim=True, tuple_dims=True, keepdim=True,
              none_dim=True, lo=-10.0, hi=10.0, max_side=MAX_SIDE, **extra):
    shape = draw(shapes(min_side=min_side, max_side=max_side))
    x = draw(arrays(dtypes, shape, lo, hi))
    kwargs = {}
    if dim:
        d = draw(dims_of(len(shape), allow_none=none_dim, allow_tuple=tuple_dims))
        if d is not None:
            kwargs["dim"] = d
            if keepdim:
                kwargs["keepdim"] = draw(st.booleans())
    for k, v in extra.items():
        kwargs[k] = draw(v)
    return Sample((x,), kwargs)


@st.composite
def bad_dim(draw, dtypes=FLOATS, **fixed):
    """A dim just outside the valid range (PyTorch: IndexError)."""
    shape = draw(shapes(min_side=1))
    n = max(len(shape), 1)
    d = draw(st.sampled_from([n, n + 1, -n - 1]))
    return Sample((draw(arrays(dtypes, shape)),), dict(fixed, dim=d))


BAD_DIM = (("dim out of range", bad_dim()),)


def divisors(n: int) -> list:
    return [d for d in range(1, n + 1) if n % d == 0] or [1]


@st.composite
def reshape_target(draw, n: int):
    """A shape with ``n`` elements (maybe one -1) to reshape/view to."""
    if n == 0:
        dims = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3).filter(lambda d: 0 in d))
    else:
        dims, rest = [], n
        for _ in range(draw(st.integers(0, 3))):
            d = draw(st.sampled_from(divisors(rest)))
            dims.append(d)
            rest //= d
        dims.append(rest)
        dims = draw(st.permutations(dims))
    if n and draw(st.booleans()):
        i = draw(st.integers(0, len(dims) - 1))
        dims = list(dims)
        dims[i] = -1
    return tuple(dims)


# ---- nn functions and layers ------------------------------------------------------------------

def float_array(draw, shape, dt, lo=-2.0, hi=2.0):
    """An Arr of dtype ``dt`` and ``shape`` with values in [lo, hi] (inside a composite)."""
    return draw(arrays((dt,), tuple(shape), lo, hi))


def sample_error(*arrs, **kw):
    """An error case from fixed shapes: float32 arrays of ``arrs`` shapes, options ``kw``."""
    return st.builds(lambda *xs: Sample(xs, kw), *[arrays(("float32",), s) for s in arrs])


@st.composite
def activation_input(draw, lo=-6.0, hi=6.0, **options):
    """A float tensor (half too) for an activation, and its options drawn from ``options``."""
    x = draw(arrays(FLOATS + ("float16",), lo=lo, hi=hi))
    return Sample((x,), {k: draw(v) for k, v in options.items()})
