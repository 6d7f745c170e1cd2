"""Special functions (``ndgrad/ops/special.py``): erf, erfc, erfinv in their domains, every
dtype; logaddexp of two broadcasting float tensors."""
from ..spec import Sample, register
from ..strategies import FLOATS, HALF, MISMATCH, arrays, binary
from ._shared import binary_forms, register_unary

register_unary("erf", -7.0, 7.0)
register_unary("erfc", -7.0, 7.0)
register_unary("erfinv", -0.99, 0.99)
register("logaddexp", binary_forms("logaddexp", inplace=False), binary(HALF + FLOATS, scalar=False),
         errors=MISMATCH + (("a number as other", arrays(FLOATS).map(lambda a: Sample((a, 2.0)))),))
