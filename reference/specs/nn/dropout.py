"""Dropout (``ndgrad/nn/functional/dropout.py``): every dropout function and its layer."""
from hypothesis import strategies as st

from ...spec import Sample, register
from ...strategies import FLOATS, arrays, shapes
from .._shared import nn_forms, quiet


# Only p = 0 and p = 1 here: between them the draws are PyTorch's on the CPU alone (a GPU keeps
# CuPy's generator), and tests/test_nn_random.py compares those, bit for bit, under one seed.
@st.composite
def _dropout(draw, min_dims=0, max_dims=4):
    x = draw(arrays(FLOATS, draw(shapes(min_dims=min_dims, max_dims=max_dims))))
    return Sample((x,), {"p": draw(st.sampled_from([0.0, 1.0])), "inplace": draw(st.booleans())})


def _training(name):
    """F.alpha_dropout and F.feature_alpha_dropout default to training=False: ask for training."""
    return lambda lib, *a, **kw: quiet(lambda: getattr(lib.nn.functional, name)(*a, training=True, **kw))


def _bad(shape, dtype="float32", **kw):
    return arrays((dtype,), shape).map(lambda a: Sample((a,), {"p": 0.5, **kw}))


for _name, _cls, _dims in (("dropout", "Dropout", (0, 4)), ("dropout1d", "Dropout1d", (2, 3)),
                           ("dropout2d", "Dropout2d", (3, 4)), ("dropout3d", "Dropout3d", (4, 5)),
                           ("alpha_dropout", "AlphaDropout", (0, 4)),
                           ("feature_alpha_dropout", "FeatureAlphaDropout", (2, 4))):
    _dropout_forms = nn_forms(_name, _cls)
    if "alpha" in _name:
        _dropout_forms["function"] = _training(_name)
    _errors = [("p out of range", _bad((3,), p=1.5)), ("integer input", _bad((2, 3), "int64"))]
    if _name in ("dropout1d", "dropout2d", "feature_alpha_dropout"):       # dropout3d adds a batch dim
        _errors.append(("too few dims", _bad((3,))))
    register(f"F.{_name}", _dropout_forms, _dropout(*_dims), covers=(f"nn.{_cls}",), errors=tuple(_errors),
             note="p = 0 (the input itself) and p = 1 (times a zero), in place or not")
