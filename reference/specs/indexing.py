"""``x[key]`` and ``x[key] = v``: basic keys (ints, slices with steps, None, Ellipsis),
integer-array keys (lists and tensors, repeated indices), bool masks, and mixes."""
import numpy as np
from hypothesis import assume, strategies as st
from hypothesis.extra import numpy as hnp

from ..spec import Arr, Sample, register
from ..strategies import ALL, FLOATS, arrays, shapes


def _as_key_part(draw, part):
    """Index arrays travel as tensors (never requiring grad) or as Python lists."""
    if isinstance(part, np.ndarray):
        return Arr(part.astype(np.int64), grad=False) if draw(st.booleans()) else part.tolist()
    return part


@st.composite
def keys(draw, shape):
    kind = draw(st.sampled_from(["basic", "advanced", "mask", "mixed"]))
    if kind == "basic" or not shape:
        key = draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    elif kind == "advanced":
        key = draw(hnp.integer_array_indices(shape, result_shape=shapes(max_dims=2, max_side=3)))
        key = tuple(_as_key_part(draw, k) for k in key)
    elif kind == "mask":
        n = draw(st.integers(1, len(shape)))
        key = Arr(draw(hnp.arrays(np.bool_, shape[:n])), grad=False)
    else:
        idx = draw(hnp.arrays(np.int64, draw(shapes(max_dims=1, min_dims=1, max_side=3)),
                              elements=st.integers(-shape[0], shape[0] - 1))) if shape[0] else None
        if idx is None:
            key = (slice(None),)
        else:
            key = (_as_key_part(draw, idx),) + tuple(
                draw(st.sampled_from([slice(None), slice(None, None, 2), 0])) for _ in shape[1:2])
    if isinstance(key, tuple) and len(key) == 1 and draw(st.booleans()):
        key = key[0]
    return key


def _numpy_key(key):
    if isinstance(key, Arr):
        return key.values
    if isinstance(key, tuple):
        return tuple(_numpy_key(k) for k in key)
    if isinstance(key, list):
        return np.asarray(key)
    return key


@st.composite
def _getitem(draw):
    x = draw(arrays(ALL, shapes(min_side=1)))
    return Sample((x, draw(keys(x.values.shape))))


@st.composite
def _setitem(draw):
    x = draw(arrays(ALL, shapes(min_side=1)))
    key = draw(keys(x.values.shape))
    try:
        positions = np.arange(x.values.size).reshape(x.values.shape)[_numpy_key(key)]
        target = positions.shape
        # writing twice to one element is undefined in PyTorch (which write wins varies)
        assume(np.unique(positions).size == positions.size)
    except (IndexError, ValueError):
        target = ()
    value = draw(st.one_of(
        st.floats(-5, 5, allow_nan=False) if x.values.dtype.kind == "f" else st.integers(-5, 5),
        arrays((x.values.dtype.name,) if x.values.dtype.kind == "f" else FLOATS,
               shape=target[draw(st.integers(0, len(target))):], lo=-5, hi=5)))
    if isinstance(value, Arr) and x.values.dtype.kind != "f":
        # PyTorch lets a float value that requires grad make an integer tensor "require grad";
        # ndgrad keeps integer tensors out of autograd, so that case is not compared.
        value = Arr(value.values, value.layout, grad=False)
    return Sample((x, key, value))


def _set(lib, x, key, v):
    y = x.clone()
    y[key] = v
    return y


def _out_of_range(draw_shape=(3, 4)):
    return arrays(FLOATS, draw_shape).map(lambda a: Sample((a, (0, 7))))


# node_name=False: PyTorch records a key like x[0, 1:, None] as a chain of nodes (Select, Slice,
# Unsqueeze); ndgrad records one node, named after the last step. Values and gradients match.
register("index", {"getitem": lambda lib, x, k: x[k]}, _getitem(), node_name=False,
         errors=(("index out of range", _out_of_range()),
                 ("too many indices", arrays(FLOATS, (3,)).map(lambda a: Sample((a, (0, 0))))),
                 ("float index tensor",
                  arrays(FLOATS, (3,)).map(lambda a: Sample((a, Arr(np.array([0.5]), grad=False))))),
                 ("negative step", arrays(FLOATS, (3,)).map(lambda a: Sample((a, slice(None, None, -1)))))),
         note="view for basic keys; repeated indices accumulate in backward")
# node_name=False: PyTorch names x[key] = v after the path its set_item takes: CopySlices for a
# strict sub-view (as ndgrad), IndexPutBackward0 for advanced keys (as ndgrad), but FillBackward3 or
# CopyBackwards when the key covers the whole tensor; values and gradients are compared in all cases.
register("index_put", {"setitem": _set}, _setitem(), node_name=False,
         errors=(("index out of range", _out_of_range().map(lambda s: Sample(s.args + (1.0,)))),))
