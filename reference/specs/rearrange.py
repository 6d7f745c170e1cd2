"""Copies in a new order (``ndgrad/ops/rearrange.py``): flips over dims (negative, none),
shifts, repeats and tiles (zeros too), triangles and diagonals with offsets."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, FLOATS, arrays, shapes
from ._shared import method_forms


@st.composite
def _dims(draw):
    x = draw(arrays(ALL))
    nd = x.values.ndim
    dims = draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd)) if nd else []
    return Sample((x, tuple(d - nd if draw(st.booleans()) else d for d in dims)))


register("flip", method_forms("flip"), _dims(),
         errors=(("repeated dim", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (0, 0))))),))
register("fliplr", method_forms("fliplr"), arrays(ALL, shapes(min_dims=2)).map(lambda a: Sample((a,))),
         errors=(("1-D input", arrays(FLOATS, (3,)).map(lambda a: Sample((a,)))),))
register("flipud", method_forms("flipud"), arrays(ALL, shapes(min_dims=1)).map(lambda a: Sample((a,))),
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


register("roll", method_forms("roll"), _roll(),
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
register("tile", method_forms("tile"), _repeat(tile=True),
         errors=(("negative reps", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (-1, 2))))),))
for _name in ("tril", "triu"):
    register(_name, method_forms(_name, inplace=True), arrays(ALL, shapes(min_dims=2)).flatmap(
        lambda a: st.integers(-3, 3).map(lambda k: Sample((a, k)))),
        errors=(("1-D input", arrays(FLOATS, (3,)).map(lambda a: Sample((a,)))),))
register("diag", method_forms("diag"), arrays(ALL, shapes(min_dims=1, max_dims=2)).flatmap(
    lambda a: st.integers(-3, 3).map(lambda k: Sample((a, k)))),
    errors=(("3-D input", arrays(FLOATS, (2, 2, 2)).map(lambda a: Sample((a,)))),))
