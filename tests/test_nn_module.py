"""nn.Module's API, the printed model tree, init, dropout and nn.utils against PyTorch.

Each check builds the same thing with both libraries (``lib`` is ndgrad or torch) and compares
what they print, return or raise."""
import math
from collections import OrderedDict

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ndgrad


def _model(lib):
    nn = lib.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(OrderedDict([("fc", nn.Linear(4, 8)), ("act", nn.LeakyReLU(0.2))]))
            self.heads = nn.ModuleList([nn.Linear(8, 2) for _ in range(3)] + [nn.Dropout(0.1)])
            self.extra = nn.ModuleDict({"norm": nn.Softmax(dim=1), "flat": nn.Flatten()})
            self.register_buffer("steps", lib.zeros(1))
            self.register_buffer("cache", lib.zeros(2), persistent=False)

        def forward(self, x):
            return self.heads[0](self.features(x))
    return Net()


LAYERS = [
    lambda nn: nn.Linear(3, 2, bias=False), lambda nn: nn.Bilinear(2, 3, 4), lambda nn: nn.Identity(),
    lambda nn: nn.ReLU(inplace=True), lambda nn: nn.ReLU6(), lambda nn: nn.ELU(alpha=0.5, inplace=True),
    lambda nn: nn.GELU(approximate="tanh"), lambda nn: nn.SiLU(), lambda nn: nn.Sigmoid(),
    lambda nn: nn.Tanh(), lambda nn: nn.LogSoftmax(dim=-1), lambda nn: nn.Softplus(beta=2.0),
    lambda nn: nn.Hardtanh(-2.0, 2.0), lambda nn: nn.Dropout(p=0.3, inplace=True),
    lambda nn: nn.Unflatten(1, (2, 5)), lambda nn: nn.MSELoss(),
    lambda nn: nn.CrossEntropyLoss(label_smoothing=0.1), lambda nn: nn.BCEWithLogitsLoss(),
    lambda nn: nn.KLDivLoss(), lambda nn: nn.Sequential(), lambda nn: nn.ModuleList(),
    lambda nn: nn.Sequential(nn.Linear(1, 1), nn.ReLU())[1:],
]


@pytest.mark.parametrize("make", LAYERS)
def test_every_layer_prints_like_pytorch(make):
    assert repr(make(ndgrad.nn)) == repr(make(torch.nn))


def test_model_tree_names_and_state_dict_match_pytorch():
    nd, th = _model(ndgrad), _model(torch)
    assert repr(nd) == repr(th)
    for attr in ("named_parameters", "named_buffers", "named_modules", "named_children"):
        assert [n for n, _ in getattr(nd, attr)()] == [n for n, _ in getattr(th, attr)()], attr
    assert list(nd.state_dict()) == list(th.state_dict())
    assert type(nd.state_dict()) is OrderedDict
    assert sum(p.numel() for p in nd.parameters()) == sum(p.numel() for p in th.parameters())
    assert [type(m).__name__ for m in nd.children()] == [type(m).__name__ for m in th.children()]


def _raise(call):
    with pytest.raises(Exception) as info:
        call()
    return info.value


@pytest.mark.parametrize("state", [
    lambda lib, sd: {k: v for k, v in sd.items() if k != "heads.1.bias"},
    lambda lib, sd: dict(sd, surplus=lib.zeros(1)),
    lambda lib, sd: dict(sd, **{"features.fc.weight": lib.zeros(8, 5)}),
    lambda lib, sd: dict({k: v for k, v in sd.items() if k != "steps"}, a=lib.zeros(1),
                         **{"heads.0.bias": lib.zeros(3)}),
], ids=["missing", "unexpected", "size mismatch", "all three"])
def test_load_state_dict_errors_read_like_pytorchs(state):
    out = []
    for lib in (ndgrad, torch):
        m = _model(lib)
        err = _raise(lambda: m.load_state_dict(state(lib, m.state_dict())))
        out.append((type(err), str(err).replace("ndgrad.", "torch.")))
        own = m.state_dict()                     # non-strict still refuses a size mismatch: leave those out
        res = _model(lib).load_state_dict({k: v for k, v in state(lib, own).items()
                                          if k not in own or v.shape == own[k].shape}, strict=False)
        out.append(repr(res))
    assert out[0] == out[2] and out[1] == out[3]


@pytest.mark.parametrize("call", [
    lambda lib, m: setattr(m, "weight", lib.zeros(2, 3)),
    lambda lib, m: m.register_parameter("w", lib.zeros(1)),
    lambda lib, m: m.register_parameter("a.b", None),
    lambda lib, m: m.register_parameter("", None),
    lambda lib, m: m.register_buffer("weight", lib.zeros(1)),
    lambda lib, m: m.register_buffer(3, lib.zeros(1)),
    lambda lib, m: m.add_module("x", 3),
    lambda lib, m: m.train(1),
    lambda lib, m: m.to(lib.int64),
    lambda lib, m: m.nothing_here,
    lambda lib, m: lib.nn.Sequential(m)[3],
], ids=["tensor as parameter", "tensor registered as parameter", "dotted name", "empty name",
        "buffer over a parameter", "non-string name", "non-module child", "non-bool mode", "integer dtype",
        "unknown attribute", "index out of range"])
def test_registration_errors_match_pytorch(call):
    errs = [_raise(lambda: call(lib, lib.nn.Linear(3, 2))) for lib in (torch, ndgrad)]
    assert type(errs[1]) is type(errs[0]) and str(errs[1]).replace("ndgrad", "torch") == str(errs[0])


def test_hooks_modes_apply_and_conversion():
    for lib in (ndgrad, torch):
        m = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Dropout(0.5))
        seen = []
        h1 = m[0].register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
        h2 = m[0].register_forward_hook(lambda mod, args, out: out + 1)
        m[0].register_forward_hook(lambda mod, args, out: seen.append(out.sum().item()))
        out = m.eval()(lib.ones(1, 2))
        assert not m.training and not m[1].training
        assert np.allclose(out.detach().numpy(), m[0].bias.detach().numpy() + 1) and len(seen) == 1
        h1.remove()
        h2.remove()
        assert np.allclose(m(lib.zeros(1, 2)).detach().numpy(), m[0].bias.detach().numpy())
        order = []
        m.apply(lambda mod: order.append(type(mod).__name__))
        assert order == ["Linear", "Dropout", "Sequential"]
        weight = m[0].weight
        m.double()
        assert m[0].weight is weight and m[0].weight.dtype == lib.float64
        m.requires_grad_(False)
        assert not any(p.requires_grad for p in m.parameters())


def test_default_initialisation_has_pytorchs_bounds():
    ndgrad.manual_seed(0)
    lin, bil = ndgrad.nn.Linear(400, 300), ndgrad.nn.Bilinear(50, 20, 30)
    for w, bound in ((lin.weight, 1 / math.sqrt(400)), (lin.bias, 1 / math.sqrt(400)),
                     (bil.weight, 1 / math.sqrt(50)), (bil.bias, 1 / math.sqrt(50))):
        v = w.detach().numpy()
        assert v.min() >= -bound and v.max() <= bound
        assert abs(v.std() - bound / math.sqrt(3)) < 0.1 * bound          # U(−b, b) has std b/√3
    t = ndgrad.empty(200, 300)
    ndgrad.nn.init.xavier_normal_(t, gain=ndgrad.nn.init.calculate_gain("tanh"))
    assert abs(t.numpy().std() - 5 / 3 * math.sqrt(2 / 500)) < 0.01
    for name in ("relu", "tanh", "sigmoid", "linear", "selu"):
        assert ndgrad.nn.init.calculate_gain(name) == torch.nn.init.calculate_gain(name)
    assert ndgrad.nn.init.calculate_gain("leaky_relu", 0.2) == torch.nn.init.calculate_gain("leaky_relu", 0.2)
    with pytest.raises(ValueError):
        ndgrad.nn.init.kaiming_uniform_(ndgrad.empty(3))


def test_dropout_statistics_gradient_and_eval():
    ndgrad.manual_seed(1)
    x = ndgrad.ones(200, 100, requires_grad=True)
    y = ndgrad.nn.functional.dropout(x, p=0.3)
    v = y.detach().numpy()
    assert abs((v == 0).mean() - 0.3) < 0.02 and np.allclose(v[v != 0], 1 / 0.7)
    y.sum().backward()
    assert np.array_equal(x.grad.numpy(), v)                   # the gradient is the same mask·1/(1−p)
    d = ndgrad.nn.Dropout(0.3).eval()
    assert d(x) is x and ndgrad.nn.functional.dropout(x, 1.0).abs().sum().item() == 0
    for lib in (torch, ndgrad):
        with pytest.raises(ValueError):
            lib.nn.Dropout(1.5)


@given(seed=st.integers(0, 2**31), max_norm=st.sampled_from([0.1, 1.0, 100.0]),
       norm_type=st.sampled_from([1.0, 2.0, 3.0, math.inf]), clip=st.sampled_from([0.05, 0.5]))
def test_nn_utils_match_pytorch(seed, max_norm, norm_type, clip, device):
    rng = np.random.default_rng(seed)
    values = [rng.standard_normal(s).astype("float32") for s in ((3, 2), (4,), ())]
    grads = [rng.standard_normal(v.shape).astype("float32") for v in values]
    results = []
    for lib, dev in ((ndgrad, device), (torch, "cpu")):
        U = lib.nn.utils
        ps = [lib.nn.Parameter(lib.tensor(v, device=dev)) for v in values]
        for p, g in zip(ps, grads):
            p.grad = lib.tensor(g, device=dev)
        total = U.clip_grad_norm_(ps, max_norm, norm_type)
        assert total.device.type == dev
        clipped = [p.grad.cpu().numpy().copy() for p in ps]
        U.clip_grad_value_(ps, clip)
        vec = U.parameters_to_vector(ps)
        U.vector_to_parameters(vec * 2, ps)
        results.append((float(total), clipped, [p.grad.cpu().numpy() for p in ps], vec.detach().cpu().numpy(),
                        [p.detach().cpu().numpy() for p in ps]))
    (t1, c1, v1, vec1, p1), (t2, c2, v2, vec2, p2) = results
    assert math.isclose(t1, t2, rel_tol=1e-5)
    for a, b in zip(c1 + v1 + [vec1] + p1, c2 + v2 + [vec2] + p2):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    for lib in (torch, ndgrad):
        with pytest.raises(TypeError):
            lib.nn.utils.vector_to_parameters([1.0], [])


def test_dropout2d_zeroes_whole_channels():
    ndgrad.manual_seed(2)
    x = ndgrad.ones(50, 40, 3, 3, requires_grad=True)
    y = ndgrad.nn.Dropout2d(0.25)(x)
    v = y.detach().numpy()
    per_channel = v.reshape(50, 40, 9)
    assert (per_channel == per_channel[:, :, :1]).all()        # one draw per (sample, channel)
    assert abs((per_channel[:, :, 0] == 0).mean() - 0.25) < 0.04 and np.allclose(v[v != 0], 1 / 0.75)
    y.sum().backward()
    assert np.array_equal(x.grad.numpy(), v)
    for lib in (torch, ndgrad):
        m = lib.nn.Dropout2d(0.5).eval()
        z = lib.ones(2, 3, 4, 4)
        assert m(z) is z
        assert str(m) == "Dropout2d(p=0.5, inplace=False)"
        with pytest.warns(UserWarning, match="3D input to dropout2d"):
            assert lib.nn.functional.dropout2d(lib.ones(2, 3, 4), 0.5).shape == (2, 3, 4)
