"""Embedding (``ndgrad/nn/functional/embedding.py``): index tensors of any shape, padding_idx,
scale_grad_by_freq, and the layer."""
import numpy as np
from hypothesis import strategies as st

from ...spec import Arr, Sample, register
from ...strategies import FLOATS, arrays, float_array
from .._shared import FUNCTION, functional


@st.composite
def _embedding(draw):
    dt = draw(st.sampled_from(FLOATS))
    rows, dim = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    idx = np.array(draw(st.lists(st.integers(0, rows - 1), min_size=int(np.prod(shape)),
                                 max_size=int(np.prod(shape)))),
                   dtype=draw(st.sampled_from(["int64", "int32"])))
    kw = {"padding_idx": draw(st.none() | st.integers(-rows, rows - 1)),
          "scale_grad_by_freq": draw(st.booleans())}
    return Sample((Arr(idx.reshape(shape), grad=False), float_array(draw, (rows, dim), dt)), kw)


def _embedding_module(lib, idx, weight, padding_idx, scale_grad_by_freq):
    m = lib.nn.Embedding(weight.shape[0], weight.shape[1], padding_idx=padding_idx,
                         scale_grad_by_freq=scale_grad_by_freq, dtype=weight.dtype)
    del m.weight
    m.weight = weight
    return m(idx)


register("F.embedding", {"function": functional("embedding"), "module": _embedding_module}, _embedding(),
         covers=("nn.Embedding",),
         errors=(("index out of range", st.builds(lambda w: Sample((Arr(np.array([1, 7]), grad=False), w)),
                                                  arrays(("float32",), (5, 3))), FUNCTION),
                 ("float indices", st.builds(lambda i, w: Sample((i, w)), arrays(("float32",), (2,)),
                                             arrays(("float32",), (5, 3))), FUNCTION),
                 ("padding_idx out of range", st.builds(
                     lambda w: Sample((Arr(np.array([1]), grad=False), w), {"padding_idx": 7}),
                     arrays(("float32",), (5, 3))), FUNCTION),
                 ("1-d weight", st.builds(lambda w: Sample((Arr(np.array([1]), grad=False), w)),
                                          arrays(("float32",), (5,))), FUNCTION)))
