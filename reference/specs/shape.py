"""Views: the result shares the input's memory (``ndgrad/ops/shape.py``): reshape/view targets
(with -1), dims in range and out of range, non-contiguous inputs (where ``view`` must refuse),
expand targets, 0-d tensors; narrow, broadcast_to, unflatten, movedim, diagonal."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, FLOATS, NUMERIC, arrays, bad_dim, reshape_target, shapes
from ._shared import method_forms


@st.composite
def _reshape(draw, as_tuple=False):
    x = draw(arrays(ALL))
    target = draw(reshape_target(x.values.size))
    return Sample((x, target)) if as_tuple or draw(st.booleans()) else Sample((x,) + target)


@st.composite
def _bad_reshape(draw):
    x = draw(arrays(FLOATS, shapes(min_side=1).filter(lambda s: 1 < _n(s))))
    return Sample((x, (x.values.size + 1,)))


def _n(s):
    n = 1
    for v in s:
        n *= v
    return n


register("reshape", {"function": lambda lib, x, *s: lib.reshape(x, (s[0] if len(s) == 1
                                                                    and isinstance(s[0], tuple) else s)),
                     "method": lambda lib, x, *s: x.reshape(*s)},
         _reshape(), errors=(("wrong element count", _bad_reshape()),))
register("view", {"method": lambda lib, x, *s: x.view(*s)}, _reshape(),
         errors=(("wrong element count", _bad_reshape()),),
         note="non-contiguous inputs: both refuse or both view")


@st.composite
def _view_dtype(draw, shape=None, to=NUMERIC, source=ALL):
    """Any tensor, read as another dtype (bool left out as a target: most byte values are not one)."""
    return Sample((draw(arrays(source, shape)), draw(st.sampled_from(to))))


def _offset_view(x):
    """x[..., 1:] where that is not empty (NumPy does not move an empty view's start, so its
    storage_offset() is 0 where PyTorch's is 1)."""
    return x[..., 1:] if x.ndim and x.shape[-1] > 1 and x.numel() else x


register("view_dtype", {"method": lambda lib, x, dt: x.view(getattr(lib, dt)),
                        "keyword": lambda lib, x, dt: x.view(dtype=getattr(lib, dt)),
                        "sliced": lambda lib, x, dt: _offset_view(x).view(getattr(lib, dt))},
         _view_dtype(), op="view", grad=False, node_name=False,
         errors=(("a last dim that does not divide", _view_dtype((2, 3), ("float64",), ("float32",)),
                  ("method",)),
                 ("a 0-d tensor to another element size", _view_dtype((), ("float16",), ("float32",)),
                  ("method",)),
                 ("an offset that does not divide", _view_dtype((2, 5), ("float64",), ("int32",)),
                  ("sliced",))),
         note="a bitcast: same bytes, another dtype; transposed and sliced inputs check the stride and "
              "offset rules")


@st.composite
def _view_as(draw):
    x = draw(arrays(ALL))
    t = draw(reshape_target(x.values.size))
    known = _n([v for v in t if v != -1])
    return Sample((x, tuple(x.values.size // known if v == -1 else v for v in t)))


register("view_as", {"method": lambda lib, x, shape: x.view_as(lib.zeros(shape))}, _view_as(),
         errors=(("another number of elements", arrays(ALL, (2, 3)).map(lambda a: Sample((a, (4, 5))))),))


@st.composite
def _flatten(draw):
    x = draw(arrays(ALL))
    n = max(x.values.ndim, 1)
    a = draw(st.integers(-n, n - 1))
    b = draw(st.integers(-n, n - 1))
    return Sample((x,), {"start_dim": a, "end_dim": b})


register("flatten", method_forms("flatten"), _flatten() | arrays(ALL).map(lambda a: Sample((a,))),
         errors=(("dim out of range", bad_dim().map(
                     lambda s: Sample(s.args, {"start_dim": s.kwargs["dim"]}))),))


@st.composite
def _two_dims(draw):
    x = draw(arrays(ALL))
    n = max(x.values.ndim, 1)
    return Sample((x, draw(st.integers(-n, n - 1)), draw(st.integers(-n, n - 1))))


register("transpose", dict(method_forms("transpose"), swapaxes=lambda lib, x, a, b: lib.swapaxes(x, a, b),
                           swapdims=lambda lib, x, a, b: x.swapdims(a, b)),
         _two_dims(), covers=("swapaxes", "swapdims"),
         errors=(("dim out of range", bad_dim().map(lambda s: Sample(s.args + (0, s.kwargs["dim"])))),))


@st.composite
def _permute(draw):
    x = draw(arrays(ALL))
    perm = tuple(draw(st.permutations(range(x.values.ndim))))
    perm = tuple(d - x.values.ndim if draw(st.booleans()) else d for d in perm)
    return Sample((x, perm))


register("permute", {"function": lambda lib, x, p: lib.permute(x, p),
                     "method": lambda lib, x, p: x.permute(*p)},
         _permute(), errors=(("wrong number of dims", arrays(FLOATS, (2, 3)).map(
                                 lambda a: Sample((a, (0,))))),
                             ("repeated dim", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (0, 0)))))))
register("t", method_forms("t"), arrays(ALL, shapes(max_dims=2)).map(lambda a: Sample((a,))),
         errors=(("3-D input", arrays(FLOATS, (2, 2, 2)).map(lambda a: Sample((a,)))),))
register("T", {"property": lambda lib, x: x.T}, arrays(ALL, shapes(max_dims=2)).map(lambda a: Sample((a,))),
         no_errors="a property of every tensor (PyTorch only warns for ndim > 2)")


@st.composite
def _squeeze(draw):
    x = draw(arrays(ALL, shapes(max_side=2)))
    nd = x.values.ndim
    dim = draw(st.one_of(st.none(), st.integers(-max(nd, 1), max(nd, 1) - 1),
                         st.lists(st.integers(0, max(nd - 1, 0)), unique=True, max_size=nd).map(tuple)))
    return Sample((x,) if dim is None else (x, dim))


register("squeeze", method_forms("squeeze"), _squeeze(), errors=(("dim out of range", bad_dim()),))


@st.composite
def _unsqueeze(draw):
    x = draw(arrays(ALL))
    n = x.values.ndim + 1
    return Sample((x, draw(st.integers(-n, n - 1))))


register("unsqueeze", method_forms("unsqueeze"), _unsqueeze(),
         errors=(("dim out of range", arrays(FLOATS, (2,)).map(lambda a: Sample((a, 3)))),))


@st.composite
def _expand(draw, bad=False):
    x = draw(arrays(ALL, shapes(max_dims=3, max_side=3)))
    target = []
    for s in x.values.shape:
        if s == 1:
            target.append(draw(st.sampled_from([1, 2, 3, -1])))
        else:
            target.append(draw(st.sampled_from([s, -1])) if not bad else s + 1)
    lead = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    if bad and all(s == 1 for s in x.values.shape):
        lead = (-1,)
    return Sample((x,) + lead + tuple(target))


register("expand", {"method": lambda lib, x, *s: x.expand(*s)}, _expand(),
         errors=(("non-singleton size changed", _expand(bad=True)),))
register("expand_as", {"method": lambda lib, x, *s: x.expand_as(lib.zeros(tuple(abs(v) for v in s)))},
         _expand().filter(lambda s: -1 not in s.args[1:]),
         errors=(("a shape it does not broadcast to", arrays(ALL, (2, 3)).map(lambda a: Sample((a, 4, 5)))),))


@st.composite
def _narrow(draw):
    x = draw(arrays(ALL, shapes(min_dims=1)))
    nd = x.values.ndim
    dim = draw(st.integers(-nd, nd - 1))
    n = x.values.shape[dim]
    start = draw(st.integers(-n, n))
    length = draw(st.integers(0, n - (start % n if n and start != n else n)))
    return Sample((x, dim, start, length))


register("narrow", method_forms("narrow"), _narrow(),
         errors=(("past the end", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 1, 1, 3)))),
                 ("start out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 1, 4, 0))))))
register("broadcast_to", method_forms("broadcast_to"), arrays(ALL, shapes(max_dims=3, max_side=3)).flatmap(
    lambda a: st.tuples(st.just(a), st.lists(st.integers(1, 3), max_size=2)).map(
        lambda t: Sample((t[0], tuple(t[1]) + tuple(s if s != 1 else 2 for s in t[0].values.shape))))),
         errors=(("non-singleton size changed", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (3, 3))))),))


@st.composite
def _unflatten(draw):
    x = draw(arrays(ALL, shapes(min_dims=1, min_side=1)))
    nd = x.values.ndim
    dim = draw(st.integers(-nd, nd - 1))
    n = x.values.shape[dim]
    a = draw(st.sampled_from([d for d in range(1, n + 1) if n % d == 0]))
    sizes = [a, n // a]
    if draw(st.booleans()):
        sizes[draw(st.integers(0, 1))] = -1
    return Sample((x, dim, tuple(sizes)))


register("unflatten", method_forms("unflatten"), _unflatten(),
         errors=(("sizes that do not multiply up", arrays(FLOATS, (2, 6)).map(
                     lambda a: Sample((a, 1, (4, 2))))),))


@st.composite
def _movedim(draw):
    x = draw(arrays(ALL, shapes(min_dims=1)))
    nd = x.values.ndim
    k = draw(st.integers(1, nd))
    src = draw(st.permutations(range(nd)))[:k]
    dst = draw(st.permutations(range(nd)))[:k]
    return Sample((x, tuple(src), tuple(dst)) if k > 1
                  else (x, src[0], dst[0] - nd * draw(st.integers(0, 1))))


register("movedim", method_forms("movedim", moveaxis=lambda lib, x, s, d: lib.moveaxis(x, s, d)), _movedim(),
         covers=("moveaxis",), errors=(("repeated destination", arrays(FLOATS, (2, 3)).map(
             lambda a: Sample((a, (0, 1), (1, 1))))),))


@st.composite
def _diagonal(draw):
    x = draw(arrays(ALL, shapes(min_dims=2)))
    nd = x.values.ndim
    d1, d2 = draw(st.permutations(range(nd)))[:2]
    return Sample((x,), {"offset": draw(st.integers(-3, 3)), "dim1": d1,
                         "dim2": d2 - nd * draw(st.integers(0, 1))})


register("diagonal", method_forms("diagonal"), _diagonal(),
         errors=(("identical dims", arrays(FLOATS, (2, 3)).map(
                     lambda a: Sample((a,), {"dim1": 1, "dim2": 1}))),))
