"""Matrix products: matching inner sizes (and mismatches), vectors, broadcast batches."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import FLOATS, INTS, arrays

DT = FLOATS + ("int64", "int32")


@st.composite
def _pair(draw, da, db, batch=False, mismatch=False, dtypes=DT):
    """Shapes for an (da)-D @ (db)-D product, optional broadcast batch dims."""
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    k2 = draw(st.integers(1, 4).filter(lambda v: v != k)) if mismatch else k
    dt = draw(st.sampled_from(dtypes))
    ba = bb = ()
    if batch:
        full = tuple(draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2))))
        ba = tuple(draw(st.sampled_from([1, s])) for s in full)
        bb = tuple(draw(st.sampled_from([1, s])) for s in full)[draw(st.integers(0, len(full))):]
    sa = {1: (k,), 2: (n, k)}.get(da, ba + (n, k))
    sb = {1: (k2,), 2: (k2, m)}.get(db, bb + (k2, m))
    return Sample((draw(arrays((dt,), sa, -3, 3)), draw(arrays((dt,), sb, -3, 3))))


def _forms(name, op=None):
    forms = {"function": lambda lib, a, b: getattr(lib, name)(a, b),
             "method": lambda lib, a, b: getattr(a, name)(b)}
    if op:
        forms["operator"] = op
    return forms


BOOL = ("bool",)
register("mm", _forms("mm"), _pair(2, 2), errors=(("inner sizes differ", _pair(2, 2, mismatch=True)),
                                                 ("a vector", _pair(1, 2)),
                                                 ("bool", _pair(2, 2, dtypes=BOOL))))


@st.composite
def _batched(draw, mismatch=False, dtypes=DT):
    b, n, k, m = (draw(st.integers(1, 3)) for _ in range(4))
    k2 = k + 1 if mismatch else k
    dt = (draw(st.sampled_from(dtypes)),)
    return Sample((draw(arrays(dt, (b, n, k), -3, 3)), draw(arrays(dt, (b, k2, m), -3, 3))))


register("bmm", _forms("bmm"), _batched(), errors=(("2-D inputs", _pair(2, 2)),
                                                   ("inner sizes differ", _batched(True)),
                                                   ("bool", _batched(dtypes=BOOL))))
register("mv", _forms("mv"), _pair(2, 1), errors=(("sizes differ", _pair(2, 1, mismatch=True)),
                                                 ("bool", _pair(2, 1, dtypes=BOOL))))
register("dot", _forms("dot"), _pair(1, 1), errors=(("sizes differ", _pair(1, 1, mismatch=True)),
                                                   ("matrices", _pair(2, 2)),
                                                   ("bool", _pair(1, 1, dtypes=BOOL))))
register("outer", _forms("outer"), st.builds(
    lambda a, b: Sample((a, b)), arrays(FLOATS + INTS, shape=(3,)), arrays(FLOATS + INTS, shape=(2,))),
    covers=("ger",), errors=(("matrices", _pair(2, 2)),))
register("matmul", _forms("matmul", lambda lib, a, b: a @ b),
         st.one_of(*[_pair(da, db, batch=True) for da in (1, 2, 3) for db in (1, 2, 3)]),
         errors=(("inner sizes differ", _pair(3, 2, batch=True, mismatch=True)),
                 ("bool", st.one_of(*[_pair(da, db, batch=True, dtypes=BOOL)
                                      for da in (1, 2, 3) for db in (2, 3)]))),
         node_name=False,
         note="1-D, 2-D and broadcast batched operands; the grad_fn of a batched product depends "
              "on how PyTorch folds it into mm/bmm, so node names are checked in mm/bmm/mv/dot")
