"""Optimizers and schedulers against PyTorch: same parameters after every step, same state,
same printed optimizer, same learning-rate sequences, same errors."""
import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ndgrad
from reference.compare import assert_same
from reference.training import optimizer_configs, run_optimizer, run_scheduler, scheduler_configs


def _tol(config):
    return 1e-5 if config["params"][0].dtype == np.float32 else 1e-10


def _compare_state(nd_state, th_state, tol, device="cpu"):
    assert list(nd_state["param_groups"]) and len(nd_state["param_groups"]) == len(th_state["param_groups"])
    for a, b in zip(nd_state["param_groups"], th_state["param_groups"]):
        assert list(a) == list(b)                       # same keys, same order
        assert a == b
    assert sorted(nd_state["state"]) == sorted(th_state["state"])
    for i, s in th_state["state"].items():
        assert list(nd_state["state"][i]) == list(s)
        for k, v in s.items():
            # state lives on the parameter's device; the step count on the CPU, as in PyTorch
            where = "cpu" if k == "step" else device
            if tol > 1e-6:                              # float32: the suite's float32 tolerances
                assert_same(nd_state["state"][i][k], v, where=f"state[{i}][{k!r}]", layout=False,
                            device=where)
            else:
                assert nd_state["state"][i][k].device.type == where
                np.testing.assert_allclose(nd_state["state"][i][k].cpu().numpy(), v.numpy(),
                                           rtol=tol, atol=tol)


@given(config=optimizer_configs())
def test_optimizers_match_torch(config, device):
    nd_hist, nd_state, nd_repr = run_optimizer(ndgrad, config, device=device)
    th_hist, th_state, th_repr = run_optimizer(torch, config)
    tol = _tol(config)
    for step, (a, b) in enumerate(zip(nd_hist, th_hist)):
        for i, (x, y) in enumerate(zip(a, b)):
            np.testing.assert_allclose(x, y, rtol=tol * 10, atol=tol,
                                       err_msg=f"param {i} after step {step + 1}")
    _compare_state(nd_state, th_state, tol, device)
    assert nd_repr == th_repr


@given(config=optimizer_configs(), data=st.data())
def test_optimizer_state_dict_resumes_training(config, data, device):
    """Rebuilding an optimizer from its state_dict mid-run changes nothing (checked against an
    uninterrupted PyTorch run)."""
    at = data.draw(st.integers(0, len(config["grads"]) - 1))
    nd_hist, _, _ = run_optimizer(ndgrad, config, reload_at=at, device=device)
    th_hist, _, _ = run_optimizer(torch, config)
    for a, b in zip(nd_hist[-1], th_hist[-1]):
        np.testing.assert_allclose(a, b, rtol=_tol(config) * 10, atol=_tol(config))


@given(config=scheduler_configs())
def test_schedulers_match_torch(config):
    nd, th = run_scheduler(ndgrad, config), run_scheduler(torch, config)
    assert len(nd) == len(th)
    for epoch, (a, b) in enumerate(zip(nd, th)):
        np.testing.assert_allclose(np.array(_numbers(a)), np.array(_numbers(b)), rtol=1e-12, atol=1e-15,
                                   err_msg=f"{config['name']} after {epoch} epochs")


def _numbers(record):
    out = []
    for item in record:
        for v in (item if isinstance(item, tuple) else (item,)):
            out += list(v) if isinstance(v, tuple) else [float("nan") if v is None else v]
    return out


def test_step_with_closure_returns_the_loss():
    for lib in (ndgrad, torch):
        w = lib.nn.Parameter(lib.tensor([1.0, -2.0]))
        opt = lib.optim.SGD([w], lr=0.1)

        def closure():
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss
        loss = opt.step(closure)
        assert float(loss) == 5.0
    np.testing.assert_allclose(w.detach().numpy(), [0.8, -1.6])


@pytest.mark.parametrize("call", [
    lambda lib, p: lib.optim.SGD([p], lr=-1),
    lambda lib, p: lib.optim.SGD([p], lr=0.1, nesterov=True),
    lambda lib, p: lib.optim.Adam([p], betas=(1.0, 0.9)),
    lambda lib, p: lib.optim.Adam([p], eps=-1),
    lambda lib, p: lib.optim.RMSprop([p], alpha=-0.1),
    lambda lib, p: lib.optim.Adagrad([p], lr_decay=-1),
    lambda lib, p: lib.optim.SGD([], lr=0.1),
    lambda lib, p: lib.optim.SGD([p * 2], lr=0.1),
    lambda lib, p: lib.optim.SGD([p, 3], lr=0.1),
    lambda lib, p: lib.optim.SGD([lib.nn.Parameter(lib.zeros(1))]).add_param_group({"params": {p}}),
    lambda lib, p: lib.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1),
    lambda lib, p: lib.optim.lr_scheduler.StepLR("not an optimizer", 2),
    lambda lib, p: lib.optim.lr_scheduler.ReduceLROnPlateau(lib.optim.SGD([p]), factor=1.5),
    lambda lib, p: lib.optim.lr_scheduler.OneCycleLR(lib.optim.SGD([p]), max_lr=1.0),
    lambda lib, p: lib.optim.SGD([p]).load_state_dict({"state": {}, "param_groups": []}),
], ids=["negative lr", "nesterov without momentum", "beta1 = 1", "negative eps", "negative alpha",
        "negative lr_decay", "no params", "non-leaf", "not a tensor", "a group given as a set",
        "duplicate across groups", "scheduler without optimizer", "plateau factor ≥ 1",
        "one-cycle without steps", "wrong group count"])
def test_optimizer_errors_match_torch(call):
    errors = []
    for lib in (torch, ndgrad):
        p = lib.nn.Parameter(lib.zeros(2)) if lib is ndgrad else torch.nn.Parameter(torch.zeros(2))
        with pytest.raises(Exception) as info:
            call(lib, p)
        errors.append(info.value)
    assert isinstance(errors[1], type(errors[0]).__mro__[
        [c.__module__ for c in type(errors[0]).__mro__].index("builtins")]), errors


def test_optimizer_follows_a_module_moved_after_it_was_built():
    """``model.to(dtype)`` keeps the Parameter objects, so an optimizer built before still works."""
    model = ndgrad.nn.Linear(2, 1)
    opt = ndgrad.optim.SGD(model.parameters(), lr=0.1)
    model.double()
    model(ndgrad.ones(1, 2, dtype=ndgrad.float64)).sum().backward()
    before = model.weight.detach().clone()
    opt.step()
    assert model.weight.dtype is ndgrad.float64 and not ndgrad.equal(model.weight.detach(), before)
