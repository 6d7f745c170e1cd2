"""Binary arithmetic: broadcasting shape pairs, every dtype pair (PyTorch's promotion),
Python scalar operands, alpha / rounding_mode options, operator and in-place forms."""
import numpy as np
from hypothesis import strategies as st

from ..spec import Arr, Sample, register
from ..strategies import ALL, FLOATS, HALF, INTS, NUMERIC, arrays, binary, mismatched, scalars
from hypothesis.extra import numpy as hnp

MISMATCH = (("shapes that do not broadcast", mismatched()),)


def _forms(name, op=None, rop=None, iop=None, *aliases):
    forms = {"function": lambda lib, a, b, **kw: getattr(lib, name)(a, b, **kw),
             "method": lambda lib, a, b, **kw: getattr(a, name)(b, **kw),
             "inplace": lambda lib, a, b, **kw: getattr(a.clone(), name + "_")(b, **kw)}
    if op:
        forms["operator"] = lambda lib, a, b: op(a, b)
    if rop:
        forms["reflected"] = lambda lib, a, b: rop(b, a) if not hasattr(b, "shape") else op(a, b)
    if iop:
        forms["augmented"] = iop
    for a in aliases:
        forms[a] = lambda lib, x, y, a=a, **kw: getattr(lib, a)(x, y, **kw)
    return forms


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


def _idiv(lib, a, b):
    a = a.clone()
    a /= b
    return a


def _away_from_jumps(sample):
    """Floor/trunc quotients jump where a/b is an integer: a gradient there depends on rounding."""
    a, b = sample.args
    q = a.values / (b.values if isinstance(b, Arr) else b)
    return bool(np.all(np.abs(q - np.round(q)) > 1e-3))


@st.composite
def _with_kw(draw, base, **options):
    s = draw(base)
    return Sample(s.args, {k: draw(v) for k, v in options.items()})


register("add", _forms("add", lambda a, b: a + b, lambda b, a: b + a, _iadd),
         binary(ALL) | _with_kw(binary(ALL), alpha=scalars(("int", "float"))), errors=MISMATCH)
register("sub", _forms("sub", lambda a, b: a - b, lambda b, a: b - a, _isub, "subtract"),
         binary(ALL) | _with_kw(binary(ALL), alpha=scalars(("int", "float"))), errors=MISMATCH,
         covers=("subtract",))
register("rsub", {"function": lambda lib, a, b, **kw: lib.rsub(a, b, **kw)},
         binary(ALL) | _with_kw(binary(ALL), alpha=scalars(("int",))), errors=MISMATCH)
register("mul", _forms("mul", lambda a, b: a * b, lambda b, a: b * a, _imul, "multiply"),
         binary(ALL), errors=MISMATCH, covers=("multiply",))
register("div", _forms("div", lambda a, b: a / b, lambda b, a: b / a, _idiv, "divide", "true_divide"),
         binary(ALL, exclude2=(-0.25, 0.25)) | _with_kw(
             binary(NUMERIC, exclude2=(-0.25, 0.25), scalar_kinds=("int", "float")),
             rounding_mode=st.sampled_from([None, "trunc", "floor"])),
         errors=MISMATCH, covers=("divide", "true_divide"), note="true division and rounding_mode")
INT_ZERO = (("integer division by zero", st.tuples(arrays(("int32", "int64"), (3,), 1, 5), st.just(0)).map(
    lambda t: Sample(t)), ("function", "method", "inplace")),)
for _name, _op, _iop in (("floor_divide", lambda a, b: a // b, "__ifloordiv__"),
                         ("remainder", lambda a, b: a % b, "__imod__"), ("fmod", None, None)):
    register(_name, _forms(_name, _op, _op and (lambda b, a, op=_op: op(b, a)),
                           _iop and (lambda lib, a, b, iop=_iop: getattr(a.clone(), iop)(b))),
             binary(ALL, exclude2=(-0.25, 0.25), scalar_kinds=("int", "float")),
             grad_sample=binary(FLOATS, exclude2=(-0.25, 0.25), scalar_kinds=("int", "float")).filter(
                 _away_from_jumps),
             errors=MISMATCH + INT_ZERO, note="signs follow the divisor (remainder) or dividend (fmod)")
for _name in ("atan2", "hypot", "logaddexp"):
    register(_name, _forms(_name), binary(NUMERIC if _name == "atan2" else HALF + FLOATS, scalar=False),
             covers=("arctan2",) if _name == "atan2" else (), errors=MISMATCH + (
                 ("a number as other", arrays(FLOATS).map(lambda a: Sample((a, 2.0)))),))
register("pow", {"function": lambda lib, a, b: lib.pow(a, b),
                 "method": lambda lib, a, b: a.pow(b),
                 "operator": lambda lib, a, b: a ** b,
                 "inplace": lambda lib, a, b: a.clone().pow_(b),
                 "scalar_base": lambda lib, a, b: 2.5 ** a},
         binary(NUMERIC, 0.5, 3.0, -2.0, 2.0),
         errors=(MISMATCH[0] + (("function", "method", "operator", "inplace"),),))
register("minimum", _forms("minimum"), binary(ALL, scalar=False), errors=MISMATCH)
register("maximum", _forms("maximum"), binary(ALL, scalar=False), errors=MISMATCH)


@st.composite
def _where(draw):
    sc, sa, sb = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=4)).input_shapes
    cond = draw(arrays(("bool",), sc))
    cond = Arr(cond.values, cond.layout, grad=False)
    a = draw(arrays(ALL, sa))
    b = draw(st.one_of(arrays(ALL, sb), scalars(("int", "float"))))
    return Sample((cond, a, b))


register("where", {"function": lambda lib, c, a, b: lib.where(c, a, b),
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
