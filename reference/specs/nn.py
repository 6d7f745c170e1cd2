"""nn.functional and the nn loss modules that exist so far (mse_loss / MSELoss)."""
import warnings

from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import FLOATS, arrays, binary


def _mse(lib, x, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # both warn when the shapes differ
        return lib.nn.functional.mse_loss(x, y, **kw)


def _mse_module(lib, x, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lib.nn.MSELoss(**kw)(x, y)


@st.composite
def _pairs(draw):
    """Input and target of one shape (the intended use; PyTorch warns when they differ, and its
    layout for broadcast unreduced losses follows rules of its own), each in either layout."""
    x = draw(arrays(FLOATS))
    y = draw(arrays(FLOATS, x.values.shape))
    return Sample((x, y), {"reduction": draw(st.sampled_from(["mean", "sum", "none"]))})


@st.composite
def _broadcast_pairs(draw):
    s = draw(binary(FLOATS, scalar=False))
    return Sample(s.args, {"reduction": draw(st.sampled_from(["mean", "sum"]))})


register("mse_loss", {"function": _mse, "module": _mse_module}, _pairs() | _broadcast_pairs(),
         errors=(("unknown reduction", arrays(FLOATS, (2,)).map(
             lambda a: Sample((a, a), {"reduction": "avg"}))),),
         note="nn.functional.mse_loss and nn.MSELoss")
