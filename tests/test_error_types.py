"""Bad input raises PyTorch's exception type (issue 18's list of wrong types and silent
acceptances), each case run on both libraries."""
import pytest
import torch

import ndgrad

CASES = {
    "cat of an empty list": lambda L: L.cat([]),
    "stack of an empty list": lambda L: L.stack([]),
    "an integer Parameter requiring grad": lambda L: L.nn.Parameter(L.tensor([1, 2]), requires_grad=True),
    "index_select out of range along dim 0": lambda L: L.ones(3, 2).index_select(0, L.tensor([5])),
    "index_select out of range along dim 1": lambda L: L.ones(3, 2).index_select(1, L.tensor([5])),
    "index_select out of range along dim 2": lambda L: L.ones(3, 2, 2).index_select(2, L.tensor([-3])),
    "index_select of a 0-d tensor with two indices":
        lambda L: L.tensor(1.0).index_select(0, L.tensor([0, 9])),
    "randn with an integer dtype": lambda L: L.randn(2, dtype=L.int64),
    "rand with an integer dtype": lambda L: L.rand(2, dtype=L.int32),
}


def _raised(fn, lib):
    try:
        fn(lib)
    except Exception as e:      # the type is what is compared
        return type(e)
    return None


@pytest.mark.parametrize("name", CASES)
def test_the_same_exception_type_as_pytorch(name):
    expected = _raised(CASES[name], torch)
    assert expected is not None
    assert _raised(CASES[name], ndgrad) is expected
