"""Comparisons and bitwise/logical operators: every dtype pair, scalars, bool results."""
import operator

from ..spec import register
from ..strategies import ALL, INTS, binary, mismatched

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
         binary(ALL, -20, 20, scalar=False).map(lambda s: type(s)(s.args[:1])), grad=False)
