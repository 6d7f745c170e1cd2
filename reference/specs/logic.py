"""Logic on truth values and bits (``ndgrad/ops/logic.py``): bitwise and/or/xor/not of bools and
integers (floats refused), logical ops of every dtype with nan and ±inf."""
import operator

from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, FLOATS, INTS, MISMATCH, NOT_A_TENSOR, arrays, binary, with_specials


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
register("logical_not", {"function": lambda lib, x: lib.logical_not(x),
                         "method": lambda lib, x: x.logical_not(),
                         "inplace": lambda lib, x: x.clone().logical_not_()},
         with_specials().map(lambda a: Sample((a,))), grad=False, errors=NOT_A_TENSOR)
for _name in ("logical_and", "logical_or", "logical_xor"):
    register(_name, {"function": lambda lib, a, b, name=_name: getattr(lib, name)(a, b),
                     "method": lambda lib, a, b, name=_name: getattr(a, name)(b),
                     "inplace": lambda lib, a, b, name=_name: getattr(a.clone(), name + "_")(b)},
             binary(ALL, -2, 2, scalar=False), grad=False, errors=MISMATCH)
