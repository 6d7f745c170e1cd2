"""Elements picked or written by an index tensor or mask (``ndgrad/ops/selection.py``): the
gather/scatter family and mask ops, with index tensors drawn within bounds for each dim (and
distinct along the dim for scatter, whose result is otherwise order-dependent), masks that
broadcast, numbers or 0-d tensors as fill values; nonzero."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..spec import Arr, Sample, register
from ..strategies import ALL, FLOATS, arrays, shapes


def _forms(name, inplace=True):
    forms = {"function": lambda lib, x, *a, **kw: getattr(lib, name)(x, *a, **kw),
             "method": lambda lib, x, *a, **kw: getattr(x, name)(*a, **kw)}
    if inplace:
        forms["inplace"] = lambda lib, x, *a, **kw: getattr(x.clone(), name + "_")(*a, **kw)
    return forms


def _index(values):
    return Arr(np.asarray(values, dtype=np.int64), grad=False)


@st.composite
def _along(draw, distinct=False, src=False, dtypes=ALL):
    """(x, dim, index[, src]) for gather/scatter: index no larger than x apart from dim."""
    x = draw(arrays(dtypes, shapes(min_dims=1, min_side=1)))
    xs = x.values.shape
    dim = draw(st.integers(0, len(xs) - 1))
    ishape = tuple(draw(st.integers(0, s if d != dim or distinct else 4)) for d, s in enumerate(xs))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if distinct:     # a prefix of a random permutation along dim: no position written twice
        perm = np.argsort(rng.random(ishape[:dim] + (xs[dim],) + ishape[dim + 1:]), axis=dim)
        idx = np.take(perm, np.arange(ishape[dim]), axis=dim)
    else:
        idx = rng.integers(0, xs[dim], ishape)
    dim = dim - len(xs) if draw(st.booleans()) else dim
    if not src:
        return Sample((x, dim, _index(idx)))
    s = draw(arrays((x.values.dtype.name,), tuple(n + draw(st.integers(0, 1)) for n in ishape)))
    return Sample((x, dim, _index(idx), s))


register("gather", _forms("gather", inplace=False), _along(),
         errors=(("float index", arrays(FLOATS, (2, 3)).map(
                     lambda a: Sample((a, 1, Arr(np.zeros((2, 1)), grad=False))))),
                 ("index out of bounds", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 1, _index([[3]]))))),
                 ("index of another ndim", arrays(FLOATS, (2, 3)).map(
                     lambda a: Sample((a, 1, _index([0])))))))
register("take_along_dim",
         {"function": lambda lib, x, d, i: lib.take_along_dim(x, i, d),
          "method": lambda lib, x, d, i: x.take_along_dim(i, dim=d),
          "flat": lambda lib, x, d, i: lib.take_along_dim(x, i.reshape(-1) % max(x.numel(), 1))},
         _along().filter(lambda s: s.args[0].values.size > 0),
         errors=(("float indices", arrays(FLOATS, (2, 3)).map(
                     lambda a: Sample((a, 1, Arr(np.zeros((2, 3), np.float32), grad=False)))),
                  ("function", "method")),
                 ("shapes that do not broadcast", arrays(FLOATS, (2, 3)).map(
                     lambda a: Sample((a, 1, Arr(np.zeros((4, 3), np.int64), grad=False)))),
                  ("function", "method"))))
register("scatter", _forms("scatter"), _along(distinct=True, src=True) | _along(distinct=True).map(
    lambda s: Sample(s.args + (1.5 if s.args[0].values.dtype.kind == "f" else 1,))),
    errors=(("src of another dtype", arrays(("float32",), (2, 3)).map(
        lambda a: Sample((a, 1, _index([[0]]), Arr(np.ones((1, 1)))))),),
            ("index out of bounds", arrays(FLOATS, (2, 3)).map(
                lambda a: Sample((a, 1, _index([[3]]), 1.0))))))
register("scatter_add", _forms("scatter_add"), _along(src=True, dtypes=FLOATS), rtol=1e-4, atol=1e-5,
         errors=(("src smaller than index", arrays(("float32",), (2, 3)).map(
             lambda a: Sample((a, 1, _index([[0, 1]]), Arr(np.ones((1, 1), np.float32)))))),))


@st.composite
def _vector(draw, kind):
    x = draw(arrays(ALL if kind != "add" else FLOATS, shapes(min_side=1)))
    xs = x.values.shape or (1,)
    dim = draw(st.integers(-len(xs), len(xs) - 1))
    idx = draw(hnp.arrays(np.int64, draw(st.sampled_from([(draw(st.integers(0, 5)),), ()]))
                          if kind == "select" else (draw(st.integers(0, 5)),),
                          elements=st.integers(0, xs[dim] - 1)))
    if kind == "select":
        return Sample((x, dim, Arr(idx, grad=False)))
    if kind == "fill":
        return Sample((x, dim, Arr(idx, grad=False), draw(st.sampled_from([0, 2, -1.5]))))
    shape = list(xs)
    shape[dim] = idx.size
    src = draw(arrays((x.values.dtype.name,), tuple(shape) if x.values.ndim else ()))
    return Sample((x, dim, Arr(idx, grad=False), src), {"alpha": draw(st.sampled_from([1, 2, -0.5]))})


register("index_select", _forms("index_select", inplace=False), _vector("select"),
         errors=(("index that is not a vector", arrays(FLOATS, (2, 3)).map(
                     lambda a: Sample((a, 1, _index([[0]]))))),
                 ("index out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 1, _index([3])))))))
register("index_add", _forms("index_add"), _vector("add").filter(lambda s: s.args[0].values.ndim > 0),
         rtol=1e-4, atol=1e-5,
         errors=(("source of another dtype", arrays(("float32",), (2, 3)).map(
             lambda a: Sample((a, 1, _index([0]), Arr(np.ones((2, 1)))))),),))
register("index_fill", _forms("index_fill"), _vector("fill"),
         errors=(("float index", arrays(FLOATS, (2, 3)).map(
             lambda a: Sample((a, 1, Arr(np.zeros(1), grad=False), 1.0)))),))


@st.composite
def _take(draw):
    x = draw(arrays(ALL, shapes(min_side=1)))
    n = x.values.size
    idx = draw(hnp.arrays(np.int64, shapes(max_dims=2), elements=st.integers(-n, n - 1)))
    return Sample((x, Arr(idx, grad=False)))


register("take", _forms("take", inplace=False), _take(),
         errors=(("index out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, _index([6]))))),))


@st.composite
def _masked(draw, fill=True, inplace_ok=False):
    sx, sm = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4)).input_shapes
    x = draw(arrays(ALL, sx))
    if inplace_ok:
        sm = sm[len(sm) - len(sx):] if len(sm) > len(sx) else sm
        sm = tuple(1 if a != b else a for a, b in zip(sm[::-1], sx[::-1]))[::-1]
    mask = Arr(draw(hnp.arrays(bool, sm)), grad=False)
    if not fill:
        return Sample((x, mask))
    dt = x.values.dtype
    value = draw(st.one_of(st.sampled_from([0, 3, -1.5, True]),
                           arrays((dt.name,), ()) if dt.kind == "f" else st.just(2)))
    return Sample((x, mask, value))


register("masked_fill", {"function": lambda lib, x, m, v: lib.masked_fill(x, m, v),
                         "method": lambda lib, x, m, v: x.masked_fill(m, v),
                         "inplace": lambda lib, x, m, v: x.clone().masked_fill_(m, v)},
         _masked(), errors=(
             ("float mask", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, a, 1.0)))),
             ("1-d value tensor", arrays(FLOATS, (2, 3)).map(
                 lambda a: Sample((a, Arr(np.ones((2, 3), bool), grad=False), Arr(np.ones(1)))))),))
register("masked_select", _forms("masked_select", inplace=False), _masked(fill=False),
         errors=(("float mask", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, a)))),))
register("nonzero", {"function": lambda lib, x: lib.nonzero(x),
                     "method": lambda lib, x: x.nonzero(),
                     "as_tuple": lambda lib, x: lib.nonzero(x, as_tuple=True)},
         st.builds(lambda a: Sample((a,)), arrays(ALL, lo=-1, hi=1)), grad=False,
         errors=(("a list", st.just(Sample(([1, 0],))), ("function",)),))
