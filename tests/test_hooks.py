"""Hook handles: one ``RemovableHandle`` (``ndgrad.utils.hooks``, PyTorch's ``torch.utils.hooks``)
for a leaf's hooks, a non-leaf's hooks (kept on its graph node) and a module's forward hooks;
``remove()`` takes off exactly the hook it registered, as in PyTorch."""
import pytest
import torch

import ndgrad

LIBS = pytest.mark.parametrize("lib", [ndgrad, torch], ids=["ndgrad", "torch"])


@LIBS
def test_every_register_hook_returns_the_one_handle_class(lib):
    x = lib.ones(2, requires_grad=True)
    m = lib.nn.Linear(2, 2)
    handles = [x.register_hook(lambda g: g), (x * 2).register_hook(lambda g: g),
               m.register_forward_hook(lambda mod, args, out: None),
               m.register_forward_pre_hook(lambda mod, args: None)]
    assert {type(h) for h in handles} == {lib.utils.hooks.RemovableHandle}
    ids = [h.id for h in handles]
    assert ids == sorted(set(ids))                  # one counter: no two handles share an id


def _backward_with_hooks(lib, removed):
    """The same function registered twice on a leaf and twice on a non-leaf; remove some handles."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    calls = []

    def double(g):
        calls.append("x")
        return g * 2

    def tenfold(g):
        calls.append("y")
        return g * 10
    handles = {"x1": x.register_hook(double), "x2": x.register_hook(double)}
    y = x * 3
    handles.update(y1=y.register_hook(tenfold), y2=y.register_hook(tenfold))
    for name in removed:
        handles[name].remove()
    y.sum().backward()
    return x.grad.tolist(), calls


@pytest.mark.parametrize("removed", [[], ["x1"], ["x2", "x1"], ["y2"], ["x1", "y1", "y2"], ["x1", "x1"]])
def test_remove_takes_off_exactly_its_hook(removed):
    assert _backward_with_hooks(ndgrad, removed) == _backward_with_hooks(torch, removed)


@LIBS
def test_a_handle_used_as_a_context_removes_its_hook_on_leaving(lib):
    m = lib.nn.Linear(2, 2)
    x = lib.ones(1, 2, requires_grad=True)
    with m.register_forward_hook(lambda mod, args, out: out + 100):
        assert (m(x) > 50).all()
    assert not (m(x) > 50).any()
    with x.register_hook(lambda g: g * 0):
        m(x).sum().backward()
    assert (x.grad == 0).all()
    m(x).sum().backward()
    assert (x.grad != 0).any()
