"""Comparisons and tests (``ndgrad/ops/comparison.py``): every dtype pair and Python scalars for
eq/ne/lt/le/gt/ge; nan, ±inf and signed zeros for isnan/isinf/isfinite/isposinf/isneginf;
equal, nearly equal and far-apart pairs for isclose/allclose; equal."""
import operator

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..spec import Arr, Sample, register
from ..strategies import ALL, FLOATS, MISMATCH, NOT_A_TENSOR, arrays, binary, with_specials


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


def _one(name, strategy, **kw):
    register(name, {"function": lambda lib, x: getattr(lib, name)(x),
                    "method": lambda lib, x: getattr(x, name)()},
             strategy.map(lambda a: Sample((a,))), grad=False, errors=NOT_A_TENSOR, **kw)


for _name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf"):
    _one(_name, with_specials())


@st.composite
def _close_pair(draw, same_dtype=True, options=True):
    """Two tensors of one shape whose values are equal, nearly equal, or far apart."""
    a = draw(with_specials())
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
