"""Joining, splitting and rearranging: lists of tensors of matching shapes (and mixed dtypes),
split sizes and section lists, shifts, repeats, diagonals with offsets."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, FLOATS, arrays, shapes


def _forms(name, fn_too=True, inplace=False, **extra):
    forms = dict(extra, method=lambda lib, x, *a, **kw: getattr(x, name)(*a, **kw))
    if fn_too:
        forms["function"] = lambda lib, x, *a, **kw: getattr(lib, name)(x, *a, **kw)
    if inplace:
        forms["inplace"] = lambda lib, x, *a, **kw: getattr(x.clone(), name + "_")(*a, **kw)
    return forms


@st.composite
def _tensors(draw, same=False, min_dims=1):
    """A list of tensors that agree in every dim but ``dim`` (every dim when ``same``)."""
    shape = draw(shapes(min_dims=min_dims, max_dims=3))
    nd = len(shape)
    dim = draw(st.integers(-max(nd, 1), max(nd, 1) - 1)) if nd else 0
    out = []
    for _ in range(draw(st.integers(1, 3))):
        s = list(shape)
        if not same and nd:
            s[dim] = draw(st.integers(0, 3))
        out.append(draw(arrays(ALL, tuple(s))))
    return out, dim


def _list_forms(name, *aliases):
    forms = {"function": lambda lib, ts, **kw: getattr(lib, name)(ts, **kw)}
    for a in aliases:
        forms[a] = lambda lib, ts, a=a, **kw: getattr(lib, a)(ts, **kw)
    return forms


BAD_LIST = ("a tensor, not a list", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a,))))
register("cat", _list_forms("cat", "concat", "concatenate"),
         _tensors().map(lambda t: Sample((t[0],), {"dim": t[1]})), covers=("concat", "concatenate"),
         errors=(BAD_LIST, ("sizes that differ outside dim", st.tuples(arrays(FLOATS, (2, 3)), arrays(FLOATS, (3, 3))).map(
             lambda t: Sample((list(t),), {"dim": 1}))),
                 ("zero-dimensional tensors", arrays(FLOATS, ()).map(lambda a: Sample(([a, a],))))))
register("stack", _list_forms("stack"),
         _tensors(same=True, min_dims=0).map(lambda t: Sample((t[0],), {"dim": t[1]})),
         errors=(BAD_LIST, ("different shapes", st.tuples(arrays(FLOATS, (2, 3)), arrays(FLOATS, (3, 3))).map(
             lambda t: Sample((list(t),))))))
for _name in ("hstack", "vstack"):
    register(_name, _list_forms(_name), _tensors(same=True, min_dims=0).map(lambda t: Sample((t[0],))),
             errors=(BAD_LIST,))


@st.composite
def _split(draw, kind):
    x = draw(arrays(ALL, shapes(min_dims=1)))
    nd = x.values.ndim
    dim = draw(st.integers(-nd, nd - 1))
    n = x.values.shape[dim]
    if kind == "sections":
        cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
        sizes = [b - a for a, b in zip([0] + cuts, cuts + [n])]
        return Sample((x, sizes, dim))
    if kind == "chunk":
        return Sample((x, draw(st.integers(1, 4)), dim))
    return Sample((x, draw(st.integers(1, 4)) if n else 0, dim))


register("split", _forms("split"), _split("size") | _split("sections"),
         errors=(("sections that do not add up", arrays(FLOATS, (4,)).map(lambda a: Sample((a, [1, 2])))),))
register("chunk", _forms("chunk"), _split("chunk"),
         errors=(("zero chunks", arrays(FLOATS, (4,)).map(lambda a: Sample((a, 0)))),))


@st.composite
def _one_dim(draw, min_dims=1, **extra):
    x = draw(arrays(ALL, shapes(min_dims=min_dims)))
    nd = max(x.values.ndim, 1)
    kw = {k: draw(v) for k, v in extra.items()}
    return Sample((x, draw(st.integers(-nd, nd - 1))), kw)


register("unbind", _forms("unbind"), _one_dim(),
         errors=(("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 2)))),))


@st.composite
def _narrow(draw):
    x = draw(arrays(ALL, shapes(min_dims=1)))
    nd = x.values.ndim
    dim = draw(st.integers(-nd, nd - 1))
    n = x.values.shape[dim]
    start = draw(st.integers(-n, n))
    length = draw(st.integers(0, n - (start % n if n and start != n else n)))
    return Sample((x, dim, start, length))


register("narrow", _forms("narrow"), _narrow(),
         errors=(("past the end", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 1, 1, 3)))),
                 ("start out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 1, 4, 0))))))


@st.composite
def _dims(draw):
    x = draw(arrays(ALL))
    nd = x.values.ndim
    dims = draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd)) if nd else []
    return Sample((x, tuple(d - nd if draw(st.booleans()) else d for d in dims)))


register("flip", _forms("flip"), _dims(),
         errors=(("repeated dim", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (0, 0))))),))
register("fliplr", _forms("fliplr"), arrays(ALL, shapes(min_dims=2)).map(lambda a: Sample((a,))),
         errors=(("1-D input", arrays(FLOATS, (3,)).map(lambda a: Sample((a,)))),))
register("flipud", _forms("flipud"), arrays(ALL, shapes(min_dims=1)).map(lambda a: Sample((a,))),
         errors=(("0-d input", arrays(FLOATS, ()).map(lambda a: Sample((a,)))),))


@st.composite
def _roll(draw):
    x = draw(arrays(ALL))
    nd = x.values.ndim
    if not nd or draw(st.booleans()):
        return Sample((x, draw(st.integers(-5, 5))))
    dims = draw(st.lists(st.integers(-nd, nd - 1), min_size=1, max_size=3))
    shifts = [draw(st.integers(-5, 5)) for _ in dims]
    return Sample((x, tuple(shifts), tuple(dims)) if len(dims) > 1 else (x, shifts[0], dims[0]))


register("roll", _forms("roll"), _roll(),
         errors=(("shifts and dims of different lengths", arrays(FLOATS, (2, 3)).map(
             lambda a: Sample((a, (1, 2), (0,))))),))


@st.composite
def _repeat(draw, tile=False):
    x = draw(arrays(ALL, shapes(max_dims=3, max_side=3)))
    nd = x.values.ndim
    reps = tuple(draw(st.lists(st.integers(0, 3), min_size=0 if tile else nd, max_size=nd + 2)))
    return Sample((x, reps) if tile else (x,) + reps)


register("repeat", {"method": lambda lib, x, *r: x.repeat(*r)}, _repeat(),
         errors=(("fewer sizes than dims", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 2)))),))
register("tile", _forms("tile"), _repeat(tile=True),
         errors=(("negative reps", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (-1, 2))))),))
register("broadcast_to", _forms("broadcast_to"), arrays(ALL, shapes(max_dims=3, max_side=3)).flatmap(
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


register("unflatten", _forms("unflatten"), _unflatten(),
         errors=(("sizes that do not multiply up", arrays(FLOATS, (2, 6)).map(lambda a: Sample((a, 1, (4, 2))))),))


@st.composite
def _movedim(draw):
    x = draw(arrays(ALL, shapes(min_dims=1)))
    nd = x.values.ndim
    k = draw(st.integers(1, nd))
    src = draw(st.permutations(range(nd)))[:k]
    dst = draw(st.permutations(range(nd)))[:k]
    return Sample((x, tuple(src), tuple(dst)) if k > 1 else (x, src[0], dst[0] - nd * draw(st.integers(0, 1))))


register("movedim", _forms("movedim", moveaxis=lambda lib, x, s, d: lib.moveaxis(x, s, d)), _movedim(),
         covers=("moveaxis",), errors=(("repeated destination", arrays(FLOATS, (2, 3)).map(
             lambda a: Sample((a, (0, 1), (1, 1))))),))
for _name in ("tril", "triu"):
    register(_name, _forms(_name, inplace=True), arrays(ALL, shapes(min_dims=2)).flatmap(
        lambda a: st.integers(-3, 3).map(lambda k: Sample((a, k)))),
        errors=(("1-D input", arrays(FLOATS, (3,)).map(lambda a: Sample((a,)))),))
register("diag", _forms("diag"), arrays(ALL, shapes(min_dims=1, max_dims=2)).flatmap(
    lambda a: st.integers(-3, 3).map(lambda k: Sample((a, k)))),
    errors=(("3-D input", arrays(FLOATS, (2, 2, 2)).map(lambda a: Sample((a,)))),))


@st.composite
def _diagonal(draw):
    x = draw(arrays(ALL, shapes(min_dims=2)))
    nd = x.values.ndim
    d1, d2 = draw(st.permutations(range(nd)))[:2]
    return Sample((x,), {"offset": draw(st.integers(-3, 3)), "dim1": d1, "dim2": d2 - nd * draw(st.integers(0, 1))})


register("diagonal", _forms("diagonal"), _diagonal(),
         errors=(("identical dims", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a,), {"dim1": 1, "dim2": 1}))),))
