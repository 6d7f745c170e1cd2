"""Elementwise functions of one tensor (``ndgrad/ops/unary.py``): every dtype, values in each
function's domain; rounding with decimals; nan_to_num with nan and ±inf in the input; and
``F.sigmoid``, which is ``ops.sigmoid`` itself, with its layer."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, NOT_A_TENSOR, activation_input, unary, with_specials
from ._shared import register_activation, register_unary

register_unary("neg", aliases=("negative",), operator=lambda lib, x: -x)
register_unary("abs", aliases=("absolute",), operator=lambda lib, x: abs(x), exclude=(-0.01, 0.01))
register_unary("sqrt", 0.0, 10.0, exclude=(-0.1, 0.1))
register_unary("rsqrt", 0.1, 10.0)
register_unary("square", operator=lambda lib, x: x ** 2)
register_unary("exp", -10.0, 5.0)
register_unary("expm1", -10.0, 5.0)
register_unary("log", 0.1, 10.0)
register_unary("log1p", -0.9, 10.0)
register_unary("log2", 0.1, 10.0)
register_unary("log10", 0.1, 10.0)
register_unary("exp2", -10.0, 5.0)
register_unary("sigmoid")
register_unary("relu", exclude=(-0.01, 0.01))
register_unary("reciprocal", exclude=(-0.1, 0.1))
register_unary("sign")
register_unary("floor")
register_unary("ceil")
register_unary("trunc", aliases=("fix",))
register_unary("frac")


@st.composite
def _nan_to_num(draw):
    kw = {k: draw(st.floats(-5, 5)) for k in ("nan", "posinf", "neginf") if draw(st.booleans())}
    return Sample((draw(with_specials()),), kw)


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
register_activation("sigmoid", "Sigmoid", activation_input(),
                    no_errors="every float input is valid; ops.sigmoid's spec covers the rest")
