"""Scans along a dim (``ndgrad/ops/accumulate.py``): cumsum and cumprod of every dtype, negative
dims, zeros in the input."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, FLOATS, arrays, shapes
from ._shared import reduction_forms


@st.composite
def _along_dim(draw, dtypes=ALL, lo=-10.0, hi=10.0, max_side=4, **kw):
    x = draw(arrays(dtypes, shapes(max_side=max_side), lo, hi))
    nd = max(x.values.ndim, 1)
    return Sample((x, draw(st.integers(-nd, nd - 1))), {k: draw(v) for k, v in kw.items()})


register("cumsum", reduction_forms("cumsum", inplace=lambda lib, x, d: x.clone().cumsum_(d)), _along_dim(),
         errors=(("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 2)))),),
         rtol=1e-4, atol=1e-4)
register("cumprod", reduction_forms("cumprod", inplace=lambda lib, x, d: x.clone().cumprod_(d)),
         _along_dim(lo=-2, hi=2, max_side=3), rtol=1e-4, atol=1e-4,
         errors=(("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 2)))),),
         note="gradients with zeros in the input use exclusive products")
