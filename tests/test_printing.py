"""repr/str of tensors is PyTorch's text, module name aside (hypothesis over dtypes, shapes,
magnitudes, inf/nan, summarised sizes, autograd suffixes)."""
import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def _same_text(arr, requires_grad=False):
    t = torch.from_numpy(arr.copy())
    n = ndgrad.from_numpy(arr.copy())
    if requires_grad:
        t.requires_grad_(True)
        n.requires_grad_(True)
    assert repr(n).replace("ndgrad.", "torch.") == repr(t)
    assert str(n).replace("ndgrad.", "torch.") == str(t)


@st.composite
def float_arrays(draw, max_side=5):
    dtype = draw(st.sampled_from(["float16", "float32", "float64"]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=max_side))
    scale = draw(st.sampled_from([1e-9, 1e-5, 1e-2, 1.0, 1e3, 1e9]))
    width = {"float16": 16, "float32": 32, "float64": 64}[dtype]
    elems = st.one_of(st.floats(-1000, 1000, width=width), st.sampled_from([0.0, 1.0, -2.0]),
                      st.sampled_from([float("inf"), float("-inf"), float("nan")]))
    arr = draw(hnp.arrays(dtype, shape, elements=elems))
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(arr * np.asarray(scale, dtype)).astype(dtype)


@given(float_arrays(), st.booleans())
def test_float_tensors_print_like_pytorch(arr, requires_grad):
    _same_text(arr, requires_grad)


@given(hnp.arrays(st.sampled_from(DTYPES[:6]),
                  hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)))
def test_integer_and_bool_tensors_print_like_pytorch(arr):
    _same_text(arr)


@given(st.sampled_from(DTYPES), st.sampled_from([(1001,), (40, 30), (3, 400), (12, 11, 10)]))
def test_summarised_tensors_print_like_pytorch(dtype, shape):
    rng = np.random.default_rng(0)
    arr = (rng.standard_normal(shape) * 100).astype(dtype)
    _same_text(arr)


@pytest.mark.parametrize("expr", ["x * 2", "x + 1", "x.sum()", "x.exp()", "x[0]", "x.mean()",
                                  "x.view(-1)", "x.t()", "x.max()", "x @ x.t()"])
def test_grad_fn_suffix_like_pytorch(expr):
    data = np.array([[1.5, -2.0], [3.25, 4.0]], dtype=np.float32)
    t_text = repr(eval(expr, {"x": torch.from_numpy(data.copy()).requires_grad_(True)}))
    n_text = repr(eval(expr, {"x": ndgrad.from_numpy(data.copy()).requires_grad_(True)}))
    assert n_text.replace("ndgrad.", "torch.") == t_text


def test_default_dtype_changes_the_dtype_suffix():
    ndgrad.set_default_dtype(ndgrad.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for data in ([1.5, 2.0], [1, 2]):
            assert repr(ndgrad.tensor(data)).replace("ndgrad.", "torch.") == repr(torch.tensor(data))
        assert repr(ndgrad.tensor([1.0], dtype=ndgrad.float32)).replace("ndgrad.", "torch.") == \
            repr(torch.tensor([1.0], dtype=torch.float32))
    finally:
        ndgrad.set_default_dtype(ndgrad.float32)
        torch.set_default_dtype(torch.float32)


def test_size_and_dtype_and_device_reprs():
    assert repr(ndgrad.zeros(2, 3).shape) == "ndgrad.Size([2, 3])"
    assert repr(ndgrad.float64) == "ndgrad.float64"
    assert repr(ndgrad.device("cuda:0")) == repr(torch.device("cuda:0"))
    assert str(ndgrad.device("cpu")) == str(torch.device("cpu"))
    assert repr(ndgrad.max(ndgrad.tensor([[1., 5.], [3., 2.]]), 1)).replace("ndgrad.", "torch.") == \
        repr(torch.max(torch.tensor([[1., 5.], [3., 2.]]), 1))
    assert repr(ndgrad.nn.Parameter(ndgrad.ones(2))).replace("ndgrad.", "torch.") == \
        repr(torch.nn.Parameter(torch.ones(2)))
