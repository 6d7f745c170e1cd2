"""Linear layers (``ndgrad/nn/functional/linear.py``): linear and bilinear, with and without bias,
any leading dims, and their layers run with the sample's weights."""
from hypothesis import strategies as st

from ...spec import Sample, register
from ...strategies import FLOATS, arrays, shapes
from .._shared import with_weights


@st.composite
def _linear(draw):
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    lead = draw(shapes(max_dims=2))
    dt = draw(st.sampled_from(FLOATS))
    x = draw(arrays((dt,), lead + (n_in,)))
    w = draw(arrays((dt,), (n_out, n_in)))
    kw = {"weight": w}
    if draw(st.booleans()):
        kw["bias"] = draw(arrays((dt,), (n_out,)))
    else:
        kw["bias"] = None
    return Sample((x,), kw)


def _linear_fn(lib, x, weight, bias):
    return lib.nn.functional.linear(x, weight, bias)


def _linear_module(lib, x, weight, bias):
    m = lib.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, dtype=weight.dtype)
    return with_weights(m, weight, bias)(x)


register("F.linear", {"function": _linear_fn, "module": _linear_module}, _linear(), covers=("nn.Linear",),
         errors=(("in_features mismatch", st.builds(lambda x, w: Sample((x,), {"weight": w, "bias": None}),
                                                    arrays(FLOATS, (2, 3)), arrays(FLOATS, (4, 2)))),
                 ("dtype mismatch", st.builds(lambda x, w, b: Sample((x,), {"weight": w, "bias": b}),
                                              arrays(("float64",), (2, 3)), arrays(("float32",), (4, 3)),
                                              arrays(("float32",), (4,)))),
                 ("0-d input", st.builds(lambda x, w: Sample((x,), {"weight": w, "bias": None}),
                                         arrays(FLOATS, ()), arrays(FLOATS, (4, 2))))),
         rtol=1e-4, atol=1e-5)


@st.composite
def _bilinear(draw):
    i1, i2, o = (draw(st.integers(1, 3)) for _ in range(3))
    lead = draw(shapes(min_dims=1, max_dims=2))
    dt = draw(st.sampled_from(FLOATS))
    return Sample((draw(arrays((dt,), lead + (i1,))), draw(arrays((dt,), lead + (i2,))),
                   draw(arrays((dt,), (o, i1, i2)))),
                  {"bias": draw(st.none() | arrays((dt,), (o,)))})


def _bilinear_module(lib, x1, x2, weight, bias):
    m = lib.nn.Bilinear(weight.shape[1], weight.shape[2], weight.shape[0], bias=bias is not None,
                        dtype=weight.dtype)
    return with_weights(m, weight, bias)(x1, x2)


register("F.bilinear", {"function": lambda lib, *a, **kw: lib.nn.functional.bilinear(*a, **kw),
                        "module": _bilinear_module}, _bilinear(), covers=("nn.Bilinear",), node_name=False,
         rtol=1e-4, atol=1e-5,
         errors=(("batch dims differ", st.builds(lambda a, b, w: Sample((a, b, w)), arrays(FLOATS, (2, 3)),
                                                 arrays(FLOATS, (3, 3)), arrays(FLOATS, (2, 3, 3)))),),
         note="bilinear is one einsum here (PyTorch: _trilinear), so grad_fn names differ; values "
              "and gradients are compared")
