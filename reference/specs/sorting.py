"""Order statistics (``ndgrad/ops/sorting.py``): max/min/amax/amin/argmax/argmin over all dims or
one dim, and elementwise; sort, argsort, msort, topk, kthvalue, median on distinct values (ties
make the chosen indices implementation-defined) and on ties; unique."""
import numpy as np
from hypothesis import strategies as st

from ..spec import Arr, Sample, register
from ..strategies import ALL, BAD_DIM, FLOATS, NUMERIC, arrays, bad_dim, reduction, shapes
from ._shared import reduction_forms

EMPTY = (("empty input without dim", arrays(FLOATS, (0,)).map(lambda a: Sample((a,)))),)
for _name in ("max", "min"):
    register(_name, reduction_forms(_name, binary=lambda lib, x, name=_name: getattr(lib, name)(x, x * 0.5)),
             reduction(ALL, min_side=1, tuple_dims=False, none_dim=True),
             errors=tuple(case + (("function", "method"),) for case in BAD_DIM + EMPTY),
             note="no dim: 0-d max; dim: (values, indices); a tensor: elementwise")
for _name in ("amax", "amin"):
    register(_name, reduction_forms(_name), reduction(ALL, min_side=1), errors=BAD_DIM + EMPTY)
for _name in ("argmax", "argmin"):
    register(_name, reduction_forms(_name), reduction(NUMERIC, min_side=1, tuple_dims=False), grad=False,
             errors=BAD_DIM + EMPTY)


@st.composite
def _distinct(draw, **kw):
    """Distinct values (ties make the chosen indices implementation-defined)."""
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    n = int(np.prod(shape))
    vals = draw(st.lists(st.integers(-50, 50), min_size=n, max_size=n, unique=True))
    dt = draw(st.sampled_from(NUMERIC))
    x = np.asarray(vals, dtype=np.float64).reshape(shape) / 4
    x = (x.astype(dt) if np.dtype(dt).kind == "f"
         else np.clip(np.asarray(vals).reshape(shape), 0 if dt == "uint8" else -50, 50).astype(dt))
    if np.dtype(dt).kind != "f" and len(np.unique(x)) != x.size:
        x = np.arange(x.size).reshape(shape).astype(dt)
    arr = Arr(x, "transposed" if x.ndim >= 2 and draw(st.booleans()) else "contiguous")
    nd = x.ndim
    return Sample((arr,), {"dim": draw(st.integers(-nd, nd - 1)), **{k: draw(v) for k, v in kw.items()}})


register("sort", reduction_forms("sort"),
         _distinct(descending=st.booleans())
         | reduction(ALL, lo=-2, hi=2, none_dim=False, tuple_dims=False, keepdim=False),
         errors=BAD_DIM, note="ties: stable order, as PyTorch's CPU sort")
register("argsort", reduction_forms("argsort"), _distinct(descending=st.booleans()), grad=False,
         errors=BAD_DIM)
register("msort", reduction_forms("msort"), _distinct().map(lambda s: Sample(s.args)),
         errors=(("a list", st.just(Sample(([2.0, 1.0],))), ("function",)),))


@st.composite
def _k(draw, kth=False, **kw):
    s = draw(_distinct(**kw))
    n = s.args[0].values.shape[s.kwargs["dim"]]
    return (Sample(s.args + (draw(st.integers(1 if kth else 0, n)),), s.kwargs) if n or not kth
            else Sample(s.args + (1,), s.kwargs))


register("topk", reduction_forms("topk"), _k(largest=st.booleans()),
         errors=(("k larger than the dim", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 4)))),))
register("kthvalue", reduction_forms("kthvalue"), _k(kth=True, keepdim=st.booleans()),
         errors=(("k out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 4)))),))
register("median", reduction_forms("median"), _distinct(keepdim=st.booleans()) | arrays(
    ("bool",) + NUMERIC, shapes(min_side=1), lo=-2, hi=2).map(lambda a: Sample((a,))),
         errors=BAD_DIM)
register("unique", reduction_forms("unique"), arrays(ALL, lo=-3, hi=3).flatmap(
    lambda a: st.fixed_dictionaries(
        {"return_inverse": st.booleans(), "return_counts": st.booleans()}).map(lambda kw: Sample((a,), kw))),
    grad=False, errors=(("dim out of range", bad_dim(ALL)),))
