"""Circular and hyperbolic functions and their inverses (``ndgrad/ops/trig.py``): values in each
function's domain, every dtype; atan2 and hypot of two broadcasting tensors; and ``F.tanh``,
which is ``ops.tanh`` itself, with its layer."""
from ..spec import Sample, register
from ..strategies import FLOATS, HALF, MISMATCH, NUMERIC, activation_input, arrays, binary
from ._shared import binary_forms, register_activation, register_unary

register_unary("sin")
register_unary("cos")
register_unary("tan", -1.2, 1.2)
register_unary("tanh")
register_unary("asin", -0.95, 0.95, aliases=("arcsin",))
register_unary("acos", -0.95, 0.95, aliases=("arccos",))
register_unary("atan", aliases=("arctan",))
register_unary("sinh", -5.0, 5.0)
register_unary("cosh", -5.0, 5.0)
register_unary("asinh", aliases=("arcsinh",))
register_unary("acosh", 1.1, 10.0, aliases=("arccosh",))
register_unary("atanh", -0.95, 0.95, aliases=("arctanh",))
for _name in ("atan2", "hypot"):
    register(_name, binary_forms(_name), binary(NUMERIC if _name == "atan2" else HALF + FLOATS, scalar=False),
             covers=("arctan2",) if _name == "atan2" else (), errors=MISMATCH + (
                 ("a number as other", arrays(FLOATS).map(lambda a: Sample((a, 2.0)))),))
register_activation("tanh", "Tanh", activation_input(),
                    no_errors="every float input is valid; ops.tanh's spec covers the rest")
