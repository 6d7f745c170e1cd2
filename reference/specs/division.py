"""The divisions (``ndgrad/ops/division.py``): true division and rounding_mode, floor_divide,
remainder, fmod; every dtype pair and Python scalars, divisors kept away from zero, integer
division by zero, gradients away from the quotient's jumps."""
import numpy as np
from hypothesis import strategies as st

from ..spec import Arr, Sample, register
from ..strategies import ALL, FLOATS, MISMATCH, NUMERIC, arrays, binary, with_kwargs
from ._shared import binary_forms


def _idiv(lib, a, b):
    a = a.clone()
    a /= b
    return a


def _away_from_jumps(sample):
    """Floor/trunc quotients jump where a/b is an integer: a gradient there depends on rounding."""
    a, b = sample.args
    q = a.values / (b.values if isinstance(b, Arr) else b)
    return bool(np.all(np.abs(q - np.round(q)) > 1e-3))


register("div", binary_forms("div", lambda a, b: a / b, lambda b, a: b / a, _idiv, "divide", "true_divide"),
         binary(ALL, exclude2=(-0.25, 0.25)) | with_kwargs(
             binary(NUMERIC, exclude2=(-0.25, 0.25), scalar_kinds=("int", "float")),
             rounding_mode=st.sampled_from([None, "trunc", "floor"])),
         errors=MISMATCH, covers=("divide", "true_divide"), note="true division and rounding_mode")
INT_ZERO = (("integer division by zero", st.tuples(arrays(("int32", "int64"), (3,), 1, 5), st.just(0)).map(
    lambda t: Sample(t)), ("function", "method", "inplace")),)
for _name, _op, _iop in (("floor_divide", lambda a, b: a // b, "__ifloordiv__"),
                         ("remainder", lambda a, b: a % b, "__imod__"), ("fmod", None, None)):
    register(_name, binary_forms(_name, _op, _op and (lambda b, a, op=_op: op(b, a)),
                                 _iop and (lambda lib, a, b, iop=_iop: getattr(a.clone(), iop)(b))),
             binary(ALL, exclude2=(-0.25, 0.25), scalar_kinds=("int", "float")),
             grad_sample=binary(FLOATS, exclude2=(-0.25, 0.25), scalar_kinds=("int", "float")).filter(
                 _away_from_jumps),
             errors=MISMATCH + INT_ZERO, note="signs follow the divisor (remainder) or dividend (fmod)")
