"""Arithmetic of two or more tensors (``ndgrad/ops/pointwise.py``): broadcasting shape pairs,
every dtype pair (PyTorch's promotion), Python scalar operands, alpha, operator, reflected,
augmented and in-place forms; where, clamp (number and tensor bounds), lerp."""
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..spec import Arr, Sample, register
from ..strategies import (
    ALL,
    FLOATS,
    HALF,
    INTS,
    MISMATCH,
    NUMERIC,
    arrays,
    binary,
    mismatched,
    scalars,
    with_kwargs,
)
from ._shared import binary_forms


def _iadd(lib, a, b):
    a = a.clone()
    a += b
    return a


def _isub(lib, a, b):
    a = a.clone()
    a -= b
    return a


def _imul(lib, a, b):
    a = a.clone()
    a *= b
    return a


register("add", binary_forms("add", lambda a, b: a + b, lambda b, a: b + a, _iadd),
         binary(ALL) | with_kwargs(binary(ALL), alpha=scalars(("int", "float"))), errors=MISMATCH)
register("sub", binary_forms("sub", lambda a, b: a - b, lambda b, a: b - a, _isub, "subtract"),
         binary(ALL) | with_kwargs(binary(ALL), alpha=scalars(("int", "float"))), errors=MISMATCH,
         covers=("subtract",))
register("rsub", {"function": lambda lib, a, b, **kw: lib.rsub(a, b, **kw)},
         binary(ALL) | with_kwargs(binary(ALL), alpha=scalars(("int",))), errors=MISMATCH)
register("mul", binary_forms("mul", lambda a, b: a * b, lambda b, a: b * a, _imul, "multiply"),
         binary(ALL), errors=MISMATCH, covers=("multiply",))
register("pow", {"function": lambda lib, a, b: lib.pow(a, b),
                 "method": lambda lib, a, b: a.pow(b),
                 "operator": lambda lib, a, b: a ** b,
                 "inplace": lambda lib, a, b: a.clone().pow_(b),
                 "scalar_base": lambda lib, a, b: 2.5 ** a},
         binary(NUMERIC, 0.5, 3.0, -2.0, 2.0),
         errors=(MISMATCH[0] + (("function", "method", "operator", "inplace"),),))
register("minimum", binary_forms("minimum", inplace=False), binary(ALL, scalar=False), errors=MISMATCH)
register("maximum", binary_forms("maximum", inplace=False), binary(ALL, scalar=False), errors=MISMATCH)


@st.composite
def _where(draw):
    sc, sa, sb = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=4)).input_shapes
    cond = draw(arrays(("bool",), sc))
    cond = Arr(cond.values, cond.layout, grad=False)
    a = draw(arrays(ALL, sa))
    b = draw(st.one_of(arrays(ALL, sb), scalars(("int", "float"))))
    return Sample((cond, a, b))


register("where",
         {"function": lambda lib, c, a, b: lib.where(c, a, b),
          "method": lambda lib, c, a, b: a.where(c, b) if hasattr(a, "where") else lib.where(c, a, b)},
         _where(), errors=(("float condition", binary(FLOATS, scalar=False).map(
             lambda s: Sample((s.args[0], s.args[0], s.args[1])))),))


@st.composite
def _clamp(draw):
    x = draw(arrays(ALL))
    kinds = st.sampled_from(["none", "number", "tensor"])
    lo_kind, hi_kind = draw(kinds), draw(kinds)
    if lo_kind == "none" and hi_kind == "none":
        lo_kind = "number"
    if "tensor" in (lo_kind, hi_kind):
        lo_kind = "tensor" if lo_kind != "none" else "none"
        hi_kind = "tensor" if hi_kind != "none" else "none"

    def bound(kind):
        if kind == "none":
            return None
        if kind == "number":
            return draw(scalars(("int", "float"), -5, 5))
        return draw(arrays((x.values.dtype.name,) if x.values.dtype.kind == "f" else FLOATS,
                           shape=x.values.shape[1:], lo=-5, hi=5))
    return Sample((x,), {"min": bound(lo_kind), "max": bound(hi_kind)})


register("clamp", {"function": lambda lib, x, **kw: lib.clamp(x, **kw),
                   "method": lambda lib, x, **kw: x.clamp(**kw),
                   "inplace": lambda lib, x, **kw: x.clone().clamp_(**kw),
                   "clip": lambda lib, x, **kw: lib.clip(x, **kw)},
         _clamp(), covers=("clip",),
         errors=(("no bounds", arrays(FLOATS).map(lambda a: Sample((a,)))),))


@st.composite
def _lerp(draw, same_dtype=True):
    s0, s1, s2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=4)).input_shapes
    dt = draw(st.sampled_from(HALF + FLOATS))
    start = draw(arrays((dt,), s0))
    end = draw(arrays((dt if same_dtype else "float64" if dt != "float64" else "float32",), s1))
    weight = draw(st.one_of(st.floats(-1, 2), arrays((dt,), s2, -1, 2)))
    return Sample((start, end, weight))


register("lerp", {"function": lambda lib, a, b, w: lib.lerp(a, b, w),
                  "method": lambda lib, a, b, w: a.lerp(b, w),
                  "inplace": lambda lib, a, b, w: a.clone().lerp_(b, w)},
         _lerp() | binary(ALL, scalar=False).map(lambda s: Sample(s.args + (0.5,))),
         errors=(("end of another dtype", _lerp(same_dtype=False)),
                 ("integer tensors", arrays(INTS, (3,)).map(lambda a: Sample((a, a, 0.5)))),
                 ("shapes that do not broadcast", mismatched().map(lambda s: Sample(s.args + (0.5,))))))
