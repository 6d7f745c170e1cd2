"""Shape utilities (``ndgrad/nn/functional/misc.py``): one_hot, pad in every mode (negative pads
crop), normalize."""
import numpy as np
from hypothesis import strategies as st

from ...spec import Arr, Sample, register
from ...strategies import FLOATS, arrays, shapes
from .._shared import functional


@st.composite
def _one_hot(draw):
    shape = draw(shapes(max_dims=3))
    c = draw(st.integers(1, 5))
    t = draw(st.lists(st.integers(0, c - 1), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    kw = {"num_classes": draw(st.sampled_from([-1, c, c + 2]))} if t else {"num_classes": c}
    return Sample((Arr(np.array(t, dtype=np.int64).reshape(shape), grad=False),), kw)


def _ints(values, **kw):
    return st.just(Sample((Arr(np.array(values), grad=False),), kw))


register("F.one_hot", functional("one_hot"), _one_hot(), grad=False, errors=(
    ("negative class", _ints([-1])), ("class ≥ num_classes", _ints([3], num_classes=2)),
    ("float indices", st.just(Sample((Arr(np.array([1.0]), grad=False),)))),
    ("empty without num_classes", st.just(Sample((Arr(np.zeros(0, np.int64), grad=False),))))))


@st.composite
def _pad(draw, mode="constant"):
    if mode == "constant":
        shape = draw(shapes(min_dims=1))
        k = draw(st.integers(1, len(shape)))
        pads = []
        for n in reversed(shape[-k:]):
            pads += [draw(st.integers(-n // 2, 2)), draw(st.integers(-(n - n // 2), 2))]
        return Sample((draw(arrays(FLOATS, shape)), tuple(pads)),
                      {"mode": "constant", "value": draw(st.sampled_from([0.0, 1.5, -2.0]))})
    k = draw(st.integers(1, 3))
    batch = draw(st.integers(0, 1))
    shape = draw(shapes(min_dims=k, max_dims=k, min_side=2 if mode == "reflect" else 1))
    shape = (2,) * (1 + batch) + shape
    limit = (lambda n: n - 1) if mode == "reflect" else (lambda n: n) if mode == "circular" else (lambda n: 3)
    pads = []
    for n in reversed(shape[-k:]):
        pads += [draw(st.integers(0, limit(n))), draw(st.integers(0, limit(n)))]
    return Sample((draw(arrays(FLOATS, shape)), tuple(pads)), {"mode": mode})


_PAD_ERRORS = (
    ("odd pad length", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (1,))))),
    ("reflect pad ≥ size", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (3, 0)), {"mode": "reflect"}))),
    ("reflect of a 1-d input", arrays(FLOATS, (3,)).map(lambda a: Sample((a, (1, 1)), {"mode": "reflect"}))),
    ("circular wraps twice", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (4, 0)), {"mode": "circular"}))),
    ("crop below zero", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (-4, 0))))),
)
register("F.pad", functional("pad"), _pad() | _pad("reflect") | _pad("replicate"), errors=_PAD_ERRORS,
         note="constant (negative pads crop), reflect and replicate")
register("F.pad_circular", functional("pad"), _pad("circular"), op="F.pad", node_name=False,
         errors=_PAD_ERRORS[3:4],
         note="circular padding gathers indices here; PyTorch copies slices (CopySlices), so grad_fn "
              "names differ; values and gradients are compared")


@st.composite
def _normalize(draw):
    shape = draw(shapes(min_dims=1))
    return Sample((draw(arrays(FLOATS, shape)),), {"p": draw(st.sampled_from([1.0, 2.0, 3.0])),
                                                   "dim": draw(st.integers(-len(shape), len(shape) - 1))})


register("F.normalize", functional("normalize"), _normalize(), rtol=1e-4, atol=1e-6, errors=(
    ("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a,), {"dim": 3}))),))
