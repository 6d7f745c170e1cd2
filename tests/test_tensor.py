"""The Tensor API beside the ops: creation, conversions, Python protocols, memory sharing."""
import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ndgrad


def same(n, t):
    assert n.dtype.name == str(t.dtype).split(".")[1], (n.dtype, t.dtype)
    assert tuple(n.shape) == tuple(t.shape)
    np.testing.assert_allclose(n.numpy().astype(np.float64), t.numpy().astype(np.float64), rtol=1e-6)


@pytest.mark.parametrize("expr", [
    "zeros(2, 3)", "zeros((2, 3))", "zeros([2, 3], dtype=L.int32)", "ones(4)", "ones(2, 1, dtype=L.bool)",
    "full([2, 3], 10)", "full((2,), 2.5)", "full((2,), True)", "full((2,), 7, dtype=L.float64)",
    "eye(3)", "eye(2, 4)", "arange(0, 10, 2)", "arange(5)", "arange(0, 1, 0.1)", "arange(1, 2.5, 0.5)",
    "arange(10, 0, -3)", "linspace(0, 11, 10)", "linspace(-1, 1, 5)", "linspace(0, 1, 1)",
    "logspace(0, 2, 3)", "tensor(3)", "tensor([])", "tensor([[1, 2], [3, 4]], dtype=L.float16)",
    "zeros_like(L.ones(2, 3, dtype=L.int8))", "ones_like(L.zeros(2))", "full_like(L.zeros(2), 4)",
    "Tensor([2])", "Tensor([[2, 3, 4], [5, 6, 7]])", "tensor(np.arange(6).reshape(2, 3))",
    "tensor(np.float64(2.5))", "as_tensor([1, 2])", "from_numpy(np.ones(3, dtype=np.float32))",
])
def test_creation_like_torch(expr):
    ns = {"np": np}
    n = eval(f"L.{expr}", dict(ns, L=ndgrad))
    t = eval(f"L.{expr}", dict(ns, L=torch))
    same(n, t)


@pytest.mark.parametrize("expr", ["zeros(-1)", "arange(0, 10, 0)", "arange(10, 0, 1)", "tensor('a')",
                                  "tensor([[1, 2], [3]])", "eye(-1)", "linspace(0, 1, -1)"])
def test_creation_errors_like_torch(expr):
    with pytest.raises(Exception) as t:
        eval(f"L.{expr}", {"L": torch})
    base = next(c for c in type(t.value).__mro__ if c.__module__ == "builtins")
    with pytest.raises(base):
        eval(f"L.{expr}", {"L": ndgrad})


def test_from_numpy_shares_memory_both_ways():
    arr = np.array([2, 3, 4])
    t = ndgrad.from_numpy(arr)
    arr[0] = 100
    assert t[0].item() == 100
    t[1] = -1
    assert arr[1] == -1
    assert t.numpy() is arr
    with pytest.raises(TypeError):
        ndgrad.from_numpy([1, 2])


def test_tensor_copies_its_data():
    arr = np.array([1.0, 2.0])
    t = ndgrad.tensor(arr)
    arr[0] = 5
    assert t[0].item() == 1.0 and t.dtype is ndgrad.float64


def test_numpy_refuses_tensors_that_require_grad():
    x = ndgrad.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="detach"):
        x.numpy()
    assert x.detach().numpy().tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError):
        np.asarray(x)
    assert np.asarray(ndgrad.tensor([1, 2])).tolist() == [1, 2]


def test_item_tolist_and_python_protocols_like_torch():
    for lib in (ndgrad, torch):
        x = lib.tensor([[1.5, 2.0], [3.0, 4.0]])
        assert x[0, 1].item() == 2.0 and isinstance(x[0, 1].item(), float)
        assert lib.tensor(3).item() == 3 and isinstance(lib.tensor(3).item(), int)
        assert lib.tensor(True).item() is True
        assert x.tolist() == [[1.5, 2.0], [3.0, 4.0]]
        assert len(x) == 2 and [r.tolist() for r in x] == [[1.5, 2.0], [3.0, 4.0]]
        assert float(lib.tensor([2.5])) == 2.5 and int(lib.tensor(7)) == 7
        assert bool(lib.tensor([1])) and not bool(lib.tensor(0.0))
        assert [0, 1, 2][lib.tensor(1)] == 1
        assert x.size() == (2, 2) and x.size(1) == 2 and x.size(-1) == 2
        assert x.dim() == x.ndim == 2 and x.numel() == 4
        assert x.t().stride() == (1, 2) and not x.t().is_contiguous() and x.is_contiguous()
        assert f"{lib.tensor(3.14159):.2f}" == "3.14"
    for fn in (lambda L: len(L.tensor(1)), lambda L: iter(L.tensor(1)), lambda L: L.ones(2).item(),
               lambda L: bool(L.ones(2)), lambda L: L.ones(2).size(2), lambda L: float(L.ones(2))):
        with pytest.raises(Exception) as t:
            fn(torch)
        base = next(c for c in type(t.value).__mro__ if c.__module__ == "builtins")
        with pytest.raises(base):
            fn(ndgrad)


def test_conversions_like_torch():
    for method in ["float", "double", "half", "int", "long", "bool", "short", "char", "byte"]:
        same(getattr(ndgrad.tensor([1.7, -2.2]), method)(), getattr(torch.tensor([1.7, -2.2]), method)())
    for legacy in ["FloatTensor", "DoubleTensor", "IntTensor", "LongTensor"]:
        n = ndgrad.full([2, 3], 10).type(getattr(ndgrad, legacy))
        t = torch.full([2, 3], 10).type(getattr(torch, legacy))
        same(n, t)
        assert isinstance(n, getattr(ndgrad, legacy))
    assert ndgrad.ones(1).type() == "ndgrad.FloatTensor"
    assert ndgrad.ones(1).type("torch.DoubleTensor").dtype is ndgrad.float64
    x = ndgrad.ones(2)
    assert x.to(ndgrad.float32) is x and x.to("cpu") is x
    assert x.to(ndgrad.float64).dtype is ndgrad.float64
    assert x.to(ndgrad.zeros(1, dtype=ndgrad.int32)).dtype is ndgrad.int32
    assert x.to("cpu", ndgrad.float16).dtype is ndgrad.float16
    assert x.cpu() is x
    for lib in (ndgrad, torch):                  # None means "unchanged" (Module.to passes it on)
        y = lib.ones(2)
        assert y.to(None) is y and y.to("cpu", None) is y and y.to(device=None, dtype=None) is y


def test_cast_is_differentiable():
    for lib in (ndgrad, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x.double() * 3).sum()
        y.backward()
        assert x.grad.dtype == lib.float32 and x.grad.tolist() == [3.0, 3.0]


def test_data_and_grad_assignment():
    x = ndgrad.ones(2, requires_grad=True)
    x.data = ndgrad.zeros(2)
    assert x.tolist() == [0.0, 0.0] and x.requires_grad
    with pytest.raises(RuntimeError):
        x.grad = ndgrad.ones(3)
    x.grad = ndgrad.ones(2)
    assert x.grad.tolist() == [1.0, 1.0]


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=20))
def test_fill_zero_copy_uniform_normal(values):
    x = ndgrad.tensor(values)
    assert x.clone().zero_().tolist() == [0.0] * len(values)
    assert x.clone().fill_(2.5).tolist() == [2.5] * len(values)
    y = ndgrad.empty(len(values)).copy_(x)
    assert y.tolist() == x.tolist()
    u = ndgrad.empty(len(values)).uniform_(-1, 1)
    assert all(-1 <= v < 1 for v in u.tolist())
    assert ndgrad.empty(len(values)).normal_().dtype is ndgrad.float32


def test_set_printoptions():
    ndgrad.set_printoptions(precision=2)
    torch.set_printoptions(precision=2)
    try:
        assert repr(ndgrad.tensor([1.12345])) == repr(torch.tensor([1.12345]))
    finally:
        ndgrad.set_printoptions(profile="default")
        torch.set_printoptions(profile="default")


def test_pickle_round_trip_keeps_data_not_graph():
    import copy
    import pickle
    x = ndgrad.tensor([[1.5, 2.0]], dtype=ndgrad.float64, requires_grad=True)
    for y in (pickle.loads(pickle.dumps(x)), copy.deepcopy(x)):
        assert y.tolist() == x.tolist() and y.dtype is ndgrad.float64 and y.requires_grad and y.is_leaf
    p = pickle.loads(pickle.dumps(ndgrad.nn.Parameter(ndgrad.ones(2))))
    assert isinstance(p, ndgrad.nn.Parameter) and p.requires_grad
    z = pickle.loads(pickle.dumps(x * 2))
    assert z.grad_fn is None and z.tolist() == [[3.0, 4.0]]
