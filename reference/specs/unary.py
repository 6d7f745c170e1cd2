"""Elementwise functions of one tensor: every dtype, values in each function's domain."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, unary

#: every function form refuses a Python list where the tensor belongs (TypeError)
NOT_A_TENSOR = (("a list, not a tensor", st.just(Sample(([0.5, 1.5],))), ("function",)),)


def _forms(name, *aliases, operator=None, inplace=True):
    forms = {"function": lambda lib, x: getattr(lib, name)(x),
             "method": lambda lib, x: getattr(x, name)()}
    if inplace:
        forms["inplace"] = lambda lib, x: getattr(x.clone(), name + "_")()
    if operator:
        forms["operator"] = operator
    for a in aliases:
        forms[a] = lambda lib, x, a=a: getattr(lib, a)(x)
    return forms


def _unary(name, lo=-10.0, hi=10.0, exclude=None, dtypes=ALL, aliases=(), operator=None, **kw):
    register(name, _forms(name, *aliases, operator=operator), unary(dtypes, lo, hi, exclude),
             covers=aliases, errors=NOT_A_TENSOR + kw.pop("errors", ()), **kw)


_unary("neg", aliases=("negative",), operator=lambda lib, x: -x)
_unary("abs", aliases=("absolute",), operator=lambda lib, x: abs(x), exclude=(-0.01, 0.01))
_unary("sqrt", 0.0, 10.0, exclude=(-0.1, 0.1))
_unary("rsqrt", 0.1, 10.0)
_unary("square", operator=lambda lib, x: x ** 2)
_unary("exp", -10.0, 5.0)
_unary("expm1", -10.0, 5.0)
_unary("log", 0.1, 10.0)
_unary("log1p", -0.9, 10.0)
_unary("log2", 0.1, 10.0)
_unary("log10", 0.1, 10.0)
_unary("sin")
_unary("cos")
_unary("tan", -1.2, 1.2)
_unary("tanh")
_unary("asin", -0.95, 0.95, aliases=("arcsin",))
_unary("acos", -0.95, 0.95, aliases=("arccos",))
_unary("atan", aliases=("arctan",))
_unary("sinh", -5.0, 5.0)
_unary("cosh", -5.0, 5.0)
_unary("asinh", aliases=("arcsinh",))
_unary("acosh", 1.1, 10.0, aliases=("arccosh",))
_unary("atanh", -0.95, 0.95, aliases=("arctanh",))
_unary("erf", -7.0, 7.0)
_unary("erfc", -7.0, 7.0)
_unary("erfinv", -0.99, 0.99)
_unary("exp2", -10.0, 5.0)
_unary("sigmoid")
_unary("relu", exclude=(-0.01, 0.01))
_unary("reciprocal", exclude=(-0.1, 0.1))
_unary("sign")
_unary("floor")
_unary("ceil")
_unary("trunc", aliases=("fix",))
_unary("frac")


@st.composite
def _nan_to_num(draw):
    from .comparison import _with_specials
    kw = {k: draw(st.floats(-5, 5)) for k in ("nan", "posinf", "neginf") if draw(st.booleans())}
    return Sample((draw(_with_specials()),), kw)


register("nan_to_num", {"function": lambda lib, x, **kw: lib.nan_to_num(x, **kw),
                        "method": lambda lib, x, **kw: x.nan_to_num(**kw),
                        "inplace": lambda lib, x, **kw: x.clone().nan_to_num_(**kw)},
         _nan_to_num(), errors=NOT_A_TENSOR)
register("round", {"function": lambda lib, x, **kw: lib.round(x, **kw),
                   "method": lambda lib, x, **kw: x.round(**kw),
                   "inplace": lambda lib, x, **kw: x.clone().round_(**kw)},
         unary(ALL, decimals=0) | st.builds(lambda s, d: type(s)(s.args, {"decimals": d}),
                                             unary(("float32", "float64")), st.integers(0, 2)),
         errors=NOT_A_TENSOR, note="half to even; decimals=")
