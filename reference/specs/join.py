"""Many tensors into one and back (``ndgrad/ops/join.py``): lists of tensors of matching shapes
(and mixed dtypes) for cat/stack/hstack/vstack, split sizes and section lists, chunks, unbind."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, FLOATS, arrays, shapes
from ._shared import method_forms


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
         errors=(BAD_LIST, ("sizes that differ outside dim",
                            st.tuples(arrays(FLOATS, (2, 3)), arrays(FLOATS, (3, 3))).map(
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


register("split", method_forms("split"), _split("size") | _split("sections"),
         errors=(("sections that do not add up", arrays(FLOATS, (4,)).map(lambda a: Sample((a, [1, 2])))),))
register("chunk", method_forms("chunk"), _split("chunk"),
         errors=(("zero chunks", arrays(FLOATS, (4,)).map(lambda a: Sample((a, 0)))),))


@st.composite
def _one_dim(draw, min_dims=1, **extra):
    x = draw(arrays(ALL, shapes(min_dims=min_dims)))
    nd = max(x.values.ndim, 1)
    kw = {k: draw(v) for k, v in extra.items()}
    return Sample((x, draw(st.integers(-nd, nd - 1))), kw)


register("unbind", method_forms("unbind"), _one_dim(),
         errors=(("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 2)))),))
