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
    "empty with more bytes than an int64 counts": lambda L: L.empty(2**62, 2**62),
    "zeros with more bytes than an int64 counts": lambda L: L.zeros(2**31, 2**31),
    "a slice assigned a longer tensor": lambda L: L.ones(3).__setitem__(slice(None), L.ones(4)),
    "an element assigned a tensor with more dims": lambda L: L.ones(3, 4).__setitem__(0, L.ones(2, 4)),
    "an index assigned a tensor that does not broadcast":
        lambda L: L.ones(3, 4).__setitem__(L.tensor([0, 1]), L.ones(3, 4)),
    "masked_fill with a mask that does not broadcast":
        lambda L: L.ones(3).masked_fill(L.tensor([True, False]), 0.0),
    "masked_fill_ with a mask that does not broadcast":
        lambda L: L.ones(3).masked_fill_(L.tensor([True, False]), 0.0),
    "view as a wider dtype with an odd last dim": lambda L: L.ones(3).view(L.float64),
    "view with a dtype and a size": lambda L: L.ones(3).view(L.int32, 3),
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
