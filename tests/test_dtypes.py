"""PyTorch's type promotion (not NumPy's): promote_types and result_type over every pair of
dtypes and every kind of operand (dimensioned tensor, 0-d tensor, Python number)."""
import copy
import itertools
import pickle

import pytest
import torch
from hypothesis import given, strategies as st

import ndgrad

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def nd(name):
    return getattr(ndgrad, name)


def th(name):
    return getattr(torch, name)


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_promote_types_matches_torch(a, b):
    assert ndgrad.promote_types(nd(a), nd(b)).name == str(torch.promote_types(th(a), th(b))).split(".")[1]


operand = st.one_of(
    st.tuples(st.just("tensor"), st.sampled_from(NAMES)),
    st.tuples(st.just("zero_dim"), st.sampled_from(NAMES)),
    st.tuples(st.just("scalar"), st.sampled_from([True, 3, 2.5])))


def _make(lib, kind, value):
    if kind == "scalar":
        return value
    shape = (2,) if kind == "tensor" else ()
    return lib.zeros(shape, dtype=getattr(lib, value))


@given(operand, operand, st.sampled_from(["float32", "float64"]))
def test_result_type_matches_torch(a, b, default):
    if a[0] == "scalar" and b[0] == "scalar":
        a = ("zero_dim", "int8")
    ndgrad.set_default_dtype(nd(default))
    torch.set_default_dtype(th(default))
    try:
        n = [_make(ndgrad, *a), _make(ndgrad, *b)]
        t = [_make(torch, *a), _make(torch, *b)]
        want = str(torch.result_type(*t)).split(".")[1]
        assert ndgrad.result_type(*n).name == want
        if a[0] != "scalar":                 # and an actual op promotes the same way
            assert (n[0] + n[1]).dtype.name == str((t[0] + t[1]).dtype).split(".")[1]
    finally:
        ndgrad.set_default_dtype(ndgrad.float32)
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("data", [[1, 2], [1.5, 2], [True, False], [True, 2], 3, 2.5, [[1], [2]],
                                  [], [[]]])
def test_tensor_infers_dtype_like_torch(data):
    assert ndgrad.tensor(data).dtype.name == str(torch.tensor(data).dtype).split(".")[1]
    assert tuple(ndgrad.tensor(data).shape) == tuple(torch.tensor(data).shape)


def test_default_dtype_round_trip():
    assert ndgrad.get_default_dtype() is ndgrad.float32
    with pytest.raises(TypeError):
        ndgrad.set_default_dtype(ndgrad.int64)


def test_aliases_are_the_same_objects():
    assert ndgrad.float is ndgrad.float32 and ndgrad.double is ndgrad.float64
    assert ndgrad.half is ndgrad.float16 and ndgrad.long is ndgrad.int64 and ndgrad.int is ndgrad.int32
    assert ndgrad.short is ndgrad.int16
    assert ndgrad.float32.is_floating_point and not ndgrad.int8.is_floating_point
    assert ndgrad.is_floating_point(ndgrad.ones(1)) and not ndgrad.is_floating_point(ndgrad.tensor([1]))


def test_a_dtype_pickles_and_copies_to_itself_as_in_pytorch():
    for lib in (torch, ndgrad):
        for name in NAMES:
            d = getattr(lib, name)
            assert pickle.loads(pickle.dumps(d)) is d and copy.deepcopy(d) is d, (lib.__name__, name)
