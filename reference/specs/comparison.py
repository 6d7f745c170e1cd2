"""Comparisons and bitwise/logical operators: every dtype pair, scalars, bool results."""
import operator

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..spec import Arr, Sample, register
from ..strategies import ALL, FLOATS, INTS, arrays, bad_dim, binary, mismatched, reduction
from .unary import NOT_A_TENSOR

MISMATCH = (("shapes that do not broadcast", mismatched()),)


def _cmp(name, op, *aliases):
    forms = {"function": lambda lib, a, b: getattr(lib, name)(a, b),
             "method": lambda lib, a, b: getattr(a, name)(b),
             "operator": lambda lib, a, b: op(a, b)}
    for a in aliases:
        forms[a] = lambda lib, x, y, a=a: getattr(lib, a)(x, y)
    register(name, forms, binary(ALL, -3, 3), grad=False, errors=MISMATCH, covers=aliases)


_cmp("eq", operator.eq)
_cmp("ne", operator.ne, "not_equal")
_cmp("lt", operator.lt, "less")
_cmp("le", operator.le, "less_equal")
_cmp("gt", operator.gt, "greater")
_cmp("ge", operator.ge, "greater_equal")


def _bit(name, op):
    register(name, {"function": lambda lib, a, b: getattr(lib, name)(a, b),
                    "method": lambda lib, a, b: getattr(a, name)(b),
                    "operator": lambda lib, a, b: op(a, b)},
             binary(("bool",) + INTS + ("float32",), -20, 20, scalar_kinds=("int", "bool")),
             grad=False, errors=MISMATCH)


_bit("bitwise_and", operator.and_)
_bit("bitwise_or", operator.or_)
_bit("bitwise_xor", operator.xor)
register("bitwise_not", {"function": lambda lib, a: lib.bitwise_not(a),
                         "method": lambda lib, a: a.bitwise_not(),
                         "operator": lambda lib, a: ~a},
         binary(ALL, -20, 20, scalar=False).map(lambda s: type(s)(s.args[:1])), grad=False,
         errors=(("a float tensor", arrays(FLOATS).map(lambda a: Sample((a,))), ("function", "method")),
                 ("a list", st.just(Sample(([1, 2],))), ("function",))))


# ---- tests, logic, closeness, truth reductions ---------------------------------------------------

SPECIAL = (float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1.5, -2.0)


@st.composite
def _with_specials(draw, dtypes=ALL, shape=None):
    """An Arr whose float values include nan, ±inf and signed zeros."""
    a = draw(arrays(dtypes, shape))
    v = a.values
    if v.dtype.kind == "f" and v.size:
        mask = draw(hnp.arrays(bool, v.shape))
        pick = draw(hnp.arrays(v.dtype, v.shape, elements=st.sampled_from(SPECIAL)))
        v = np.where(mask, pick, v).astype(v.dtype)
    return Arr(v, a.layout)


def _one(name, strategy, **kw):
    register(name, {"function": lambda lib, x: getattr(lib, name)(x),
                    "method": lambda lib, x: getattr(x, name)()},
             strategy.map(lambda a: Sample((a,))), grad=False, errors=NOT_A_TENSOR, **kw)


for _name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf"):
    _one(_name, _with_specials())
register("logical_not", {"function": lambda lib, x: lib.logical_not(x),
                         "method": lambda lib, x: x.logical_not(),
                         "inplace": lambda lib, x: x.clone().logical_not_()},
         _with_specials().map(lambda a: Sample((a,))), grad=False, errors=NOT_A_TENSOR)
for _name in ("logical_and", "logical_or", "logical_xor"):
    register(_name, {"function": lambda lib, a, b, name=_name: getattr(lib, name)(a, b),
                     "method": lambda lib, a, b, name=_name: getattr(a, name)(b),
                     "inplace": lambda lib, a, b, name=_name: getattr(a.clone(), name + "_")(b)},
             binary(ALL, -2, 2, scalar=False), grad=False, errors=MISMATCH)


@st.composite
def _close_pair(draw, same_dtype=True, options=True):
    """Two tensors of one shape whose values are equal, nearly equal, or far apart."""
    a = draw(_with_specials())
    v = a.values
    if v.dtype.kind == "b":
        b = draw(hnp.arrays(bool, v.shape))
    else:
        step = draw(st.sampled_from([0.0, 1e-9, 1e-6, 1e-4, 0.1, 3.0]))
        noise = draw(hnp.arrays(np.float64, v.shape, elements=st.floats(-1, 1)))
        with np.errstate(all="ignore"):
            b = (v.astype(np.float64) + step * noise * (1 + np.abs(v.astype(np.float64)))).astype(v.dtype)
    if not same_dtype:
        b = b.astype(np.float64 if v.dtype != np.float64 else np.float32)
    kw = {}
    if options:
        for key, values in (("rtol", [0.0, 1e-5, 1e-3, 0.1]), ("atol", [0.0, 1e-8, 1e-3]),
                            ("equal_nan", [False, True])):
            if draw(st.booleans()):
                kw[key] = draw(st.sampled_from(values))
    return Sample((a, Arr(np.asarray(b), a.layout)), kw)


_CLOSE_ERRORS = (("different dtypes", _close_pair(same_dtype=False, options=False)),
                 ("negative rtol", arrays(FLOATS, (2,)).map(lambda a: Sample((a, a), {"rtol": -1.0}))))
register("isclose", {"function": lambda lib, a, b, **kw: lib.isclose(a, b, **kw),
                     "method": lambda lib, a, b, **kw: a.isclose(b, **kw)},
         _close_pair(), grad=False, errors=_CLOSE_ERRORS, note="integers wrap in |a - b| as in PyTorch")
register("allclose", {"function": lambda lib, a, b, **kw: lib.allclose(a, b, **kw),
                      "method": lambda lib, a, b, **kw: a.allclose(b, **kw)},
         _close_pair(), grad=False, errors=_CLOSE_ERRORS)


@st.composite
def _equal_pair(draw):
    a = draw(arrays(ALL, lo=-2, hi=2))
    kind = draw(st.sampled_from(["same", "cast", "other", "reshaped"]))
    v = a.values
    if kind == "cast":
        v = v.astype(draw(st.sampled_from(ALL)))
    elif kind == "other":
        v = draw(arrays((v.dtype.name,), v.shape, lo=-2, hi=2)).values
    elif kind == "reshaped":
        v = v.reshape((1,) + v.shape)
    return Sample((a, Arr(np.asarray(v))))


register("equal", {"function": lambda lib, a, b: lib.equal(a, b),
                   "method": lambda lib, a, b: a.equal(b)},
         _equal_pair(), grad=False, errors=(("a list as other", arrays(FLOATS, (2,)).map(
             lambda a: Sample((a, [1.0, 2.0]))), ("function",)),))
for _name in ("all", "any", "count_nonzero"):
    register(_name, {"function": lambda lib, x, name=_name, **kw: getattr(lib, name)(x, **kw),
                     "method": lambda lib, x, name=_name, **kw: getattr(x, name)(**kw)},
             reduction(ALL, lo=-1, hi=1, keepdim=_name != "count_nonzero"), grad=False,
             errors=(("dim out of range", bad_dim()),))
