"""Devices, the default device, CUDA availability without CuPy/GPU, per-device seeding."""
import importlib.util

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad import backend

HAS_GPU = ndgrad.cuda.is_available()


@pytest.mark.parametrize("spec", ["cpu", "cuda", "cuda:0", "cuda:1"])
def test_device_objects_like_torch(spec):
    n, t = ndgrad.device(spec), torch.device(spec)
    assert (n.type, n.index) == (t.type, t.index)
    assert str(n) == str(t) and repr(n) == repr(t)
    assert n == ndgrad.device(spec) and n == spec


@pytest.mark.parametrize("spec", ["gpu", "cuda:x", "cpu:1x", ""])
def test_bad_device_strings_raise_like_torch(spec):
    with pytest.raises(RuntimeError):
        torch.device(spec)
    with pytest.raises(RuntimeError):
        ndgrad.device(spec)


def test_default_device_is_cpu():
    assert ndgrad.get_device() == ndgrad.device("cpu")
    assert ndgrad.zeros(2).device == ndgrad.device("cpu")
    ndgrad.set_device("cpu")
    assert ndgrad.ones(1).device.type == "cpu"


@pytest.mark.skipif(HAS_GPU, reason="checks the error a machine without a GPU gives")
def test_cuda_unavailable_gives_a_clear_error():
    assert ndgrad.cuda.is_available() is False
    assert ndgrad.cuda.device_count() == 0
    with pytest.raises(RuntimeError, match="ndgrad\\[cuda\\]|no CUDA device"):
        ndgrad.set_device("cuda")
    with pytest.raises(RuntimeError, match="ndgrad\\[cuda\\]|no CUDA device"):
        ndgrad.ones(2).to("cuda")
    assert ndgrad.get_device().type == "cpu"


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="CuPy is installed")
def test_cpu_path_never_imports_cupy():
    import sys
    ndgrad.ones(3).exp().sum()
    assert "cupy" not in sys.modules


def test_manual_seed_makes_draws_repeatable():
    ndgrad.manual_seed(123)
    a = ndgrad.randn(5), ndgrad.rand(3), ndgrad.randint(0, 10, (4,)), ndgrad.randperm(6)
    ndgrad.manual_seed(123)
    b = ndgrad.randn(5), ndgrad.rand(3), ndgrad.randint(0, 10, (4,)), ndgrad.randperm(6)
    for x, y in zip(a, b):
        assert np.array_equal(x.numpy(), y.numpy())
    assert ndgrad.initial_seed() == 123
    s = ndgrad.seed()
    assert ndgrad.initial_seed() == s


def test_random_dtypes_and_ranges_like_torch():
    for name, args in [("rand", (100,)), ("randn", (100,)), ("randint", (3, 7, (100,))), ("randperm", (9,))]:
        n, t = getattr(ndgrad, name)(*args), getattr(torch, name)(*args)
        assert n.dtype.name == str(t.dtype).split(".")[1] and tuple(n.shape) == tuple(t.shape)
    r = ndgrad.randint(3, 7, (1000,))
    assert r.min().item() >= 3 and r.max().item() <= 6
    assert sorted(ndgrad.randperm(9).tolist()) == list(range(9))
    u = ndgrad.rand(1000)
    assert 0 <= u.min().item() and u.max().item() < 1
    x = ndgrad.normal(2.0, 0.5, (20000,))
    assert abs(x.mean().item() - 2.0) < 0.05 and abs(x.std().item() - 0.5) < 0.05


def test_array_module_and_device_of_array():
    assert backend.array_module(ndgrad.device("cpu")) is np
    assert backend.device_of_array(np.zeros(1)) == ndgrad.device("cpu")


def test_mixed_devices_are_refused_before_any_work():
    """Without a GPU, stamp a tensor with a CUDA device to check the guard every op goes through."""
    a, b = ndgrad.ones(2), ndgrad.ones(2)
    b._device = ndgrad.device("cuda", 0)
    for op in (lambda: a + b, lambda: a * b, lambda: ndgrad.matmul(a, b), lambda: ndgrad.where(a > 0, a, b)):
        with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but found "
                                               "at least two devices, cpu and cuda:0!"):
            op()
