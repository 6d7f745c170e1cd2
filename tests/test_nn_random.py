"""Everything in ``nn`` that draws random numbers draws PyTorch's: seeded layer construction,
``nn.init``, dropout (functions, modules, gradients) and a training step with dropout.

Each check runs the same code under the same seed with both libraries (``lib`` is ndgrad or torch)
and compares bits: values, dtypes, state_dict key order, and where each generator is left
afterwards (a following ``rand(3)``)."""
import warnings

import numpy as np
import pytest
import torch

import ndgrad


def _seeded(fn, seed=3):
    """fn(lib) after manual_seed(seed), for torch then ndgrad: (its results, then rand(3))."""
    out = []
    for lib in (torch, ndgrad):
        lib.manual_seed(seed)
        result = fn(lib)
        out.append((result, lib.rand(3).numpy()))
    (th, th_next), (nd, nd_next) = out
    assert np.array_equal(th_next, nd_next), "the generator is left somewhere else than PyTorch's"
    return th, nd


def _same_bits(a, b, what=""):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape, f"{what}: {a.dtype}{a.shape} != {b.dtype}{b.shape}"
    assert np.array_equal(a, b, equal_nan=True), (
        f"{what}: values differ, at most by {np.nanmax(np.abs(a - b))}")


# ---- seeded construction -----------------------------------------------------------------------------------

LAYERS = {
    "Linear": lambda nn, lib: nn.Linear(7, 5),
    "Linear-nobias-float64": lambda nn, lib: nn.Linear(20, 30, bias=False, dtype=lib.float64),
    "Bilinear": lambda nn, lib: nn.Bilinear(3, 4, 5),
    "Conv1d": lambda nn, lib: nn.Conv1d(4, 6, 3),
    "Conv2d-groups-nobias": lambda nn, lib: nn.Conv2d(4, 6, 3, groups=2, bias=False),
    "Conv2d": lambda nn, lib: nn.Conv2d(3, 8, (3, 5), stride=2),
    "ConvTranspose2d": lambda nn, lib: nn.ConvTranspose2d(4, 6, 3, groups=2),
    "Embedding-padding-maxnorm": lambda nn, lib: nn.Embedding(10, 4, padding_idx=2, max_norm=1.0),
    "Embedding": lambda nn, lib: nn.Embedding(30, 8),
    "RNN": lambda nn, lib: nn.RNN(3, 5, num_layers=2, bidirectional=True, bias=False),
    "LSTM": lambda nn, lib: nn.LSTM(3, 5, num_layers=2, bidirectional=True),
    "GRU": lambda nn, lib: nn.GRU(3, 5, num_layers=2, bias=False),
    "BatchNorm2d": lambda nn, lib: nn.BatchNorm2d(4),
    "LayerNorm": lambda nn, lib: nn.LayerNorm([3, 4]),
    "Sequential": lambda nn, lib: nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(),
                                                nn.Linear(16, 10), nn.Dropout(), nn.LSTM(10, 4),
                                                nn.Embedding(5, 3), nn.Linear(3, 2)),
}


@pytest.mark.parametrize("name", LAYERS)
def test_seeded_layers_have_pytorchs_state_dict(name):
    th, nd = _seeded(lambda lib: LAYERS[name](lib.nn, lib).state_dict())
    assert list(nd) == list(th)
    for key in th:
        _same_bits(th[key].numpy(), nd[key].numpy(), key)


# ---- nn.init -----------------------------------------------------------------------------------------------

INITS = {
    "uniform_": lambda I, t, g: I.uniform_(t, -0.3, 0.7, generator=g),
    "normal_": lambda I, t, g: I.normal_(t, 0.5, 2.0, generator=g),
    "xavier_uniform_": lambda I, t, g: I.xavier_uniform_(t, gain=1.7, generator=g),
    "xavier_normal_": lambda I, t, g: I.xavier_normal_(t, generator=g),
    "kaiming_uniform_": lambda I, t, g: I.kaiming_uniform_(t, a=0.1, mode="fan_out", nonlinearity="relu",
                                                          generator=g),
    "kaiming_uniform_-linear": lambda I, t, g: I.kaiming_uniform_(t, a=5 ** 0.5, generator=g),
    "kaiming_normal_": lambda I, t, g: I.kaiming_normal_(t, mode="FAN_IN", generator=g),
    "trunc_normal_": lambda I, t, g: I.trunc_normal_(t, generator=g),
    "trunc_normal_-narrow": lambda I, t, g: I.trunc_normal_(t, 0.01, 0.1, -0.02, 0.03, generator=g),
    "trunc_normal_-tail": lambda I, t, g: I.trunc_normal_(t, 0.0, 1.0, 1.5, 4.0, generator=g),
}


def _init_run(fn, shape, dtype, with_generator, transposed=False):
    def run(lib):
        t = lib.empty(*shape, dtype=getattr(lib, dtype))
        t = t.t() if transposed else t
        g = lib.Generator().manual_seed(123) if with_generator else None
        assert fn(lib.nn.init, t, g) is t
        return t.numpy().copy(), (lib.rand(3, generator=g).numpy() if g is not None else None)
    return _seeded(run)


@pytest.mark.parametrize("with_generator", [False, True], ids=["default", "generator"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(4, 2), (5, 3), (64, 40), (6, 2, 3, 3)], ids=str)
@pytest.mark.parametrize("name", INITS)
def test_init_functions_draw_pytorchs_numbers(name, shape, dtype, with_generator):
    (th, th_state), (nd, nd_state) = _init_run(INITS[name], shape, dtype, with_generator)
    _same_bits(th, nd, name)
    if with_generator:
        _same_bits(th_state, nd_state, "the generator's next numbers")


@pytest.mark.parametrize("name", ["uniform_", "normal_", "trunc_normal_", "trunc_normal_-tail"])
def test_init_of_a_transposed_tensor_fills_it_in_memory_order(name):
    (th, _), (nd, _) = _init_run(INITS[name], (30, 20), "float32", False, transposed=True)
    _same_bits(th, nd, name)


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
def test_kaiming_of_an_empty_tensor_warns_and_draws_nothing(name):
    def run(lib):
        t = lib.empty(0, 3)
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            assert getattr(lib.nn.init, name)(t) is t
    _seeded(run)


def test_trunc_normal_warns_about_a_mean_far_from_the_interval():
    def run(lib):
        with pytest.warns(UserWarning, match="mean is more than 2 std from"):
            return lib.nn.init.trunc_normal_(lib.empty(50), 3.0, 0.5, -1.0, 1.0).numpy()
    th, nd = _seeded(run)
    _same_bits(th, nd)
    assert (nd >= -1).all() and (nd <= 1).all()


@pytest.mark.parametrize("with_generator", [False, True], ids=["default", "generator"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (6, 2, 3, 3), (16, 16), (1, 7)], ids=str)
def test_orthogonal_matches_pytorch_to_rounding(shape, dtype, with_generator):
    def run(lib):
        t = lib.empty(*shape, dtype=getattr(lib, dtype))
        g = lib.Generator().manual_seed(5) if with_generator else None
        assert lib.nn.init.orthogonal_(t, gain=1.5, generator=g) is t
        return t.numpy().copy(), (lib.rand(3, generator=g).numpy() if g is not None else None)
    (th, th_state), (nd, nd_state) = _seeded(run)
    assert nd.dtype == th.dtype
    tol = 1e-5 if dtype == "float32" else 1e-12                 # LAPACKs differ in the last bits
    np.testing.assert_allclose(nd, th, rtol=tol, atol=tol)
    flat = nd.reshape(shape[0], -1).astype(np.float64) / 1.5
    small = min(flat.shape)
    gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
    np.testing.assert_allclose(gram, np.eye(small), atol=10 * tol)
    if with_generator:
        _same_bits(th_state, nd_state)


def test_orthogonal_refuses_vectors():
    for lib in (torch, ndgrad):
        with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions"):
            lib.nn.init.orthogonal_(lib.empty(4))


# ---- erfinv (the inverse error function) -------------------------------------------------------------------

def test_erfinv_float32_is_pytorchs_to_one_ulp():
    y = np.random.default_rng(0).uniform(-1, 1, 100_000)
    y = np.concatenate([y, 1 - np.logspace(-7.5, -1, 2000), [0, -0.0, 1, -1, 2, np.nan]]).astype(np.float32)
    th = torch.from_numpy(y).erfinv().numpy()
    nd = ndgrad.from_numpy(y).erfinv().numpy()
    assert nd.dtype == np.float32
    assert np.array_equal(np.isnan(nd), np.isnan(th)) and np.array_equal(nd[np.isinf(nd)], th[np.isinf(th)])
    ulps = np.abs(nd.view(np.int32).astype(np.int64) - th.view(np.int32))[np.isfinite(th)]
    assert ulps.max() <= 1 and (ulps == 0).mean() > 0.98


def test_erfinv_float64_lies_within_a_few_ulps():
    y = np.random.default_rng(1).uniform(-1, 1, 50_000)
    y = np.concatenate([y, 1 - np.logspace(-16, -1, 2000), -(1 - np.logspace(-16, -1, 2000))])
    th = torch.from_numpy(y).erfinv().numpy()
    nd = ndgrad.from_numpy(y).erfinv().numpy()
    ulps = np.abs(nd.view(np.int64) - th.view(np.int64))
    assert ulps[np.abs(y) <= 0.7].max() <= 8 and ulps.max() <= 30


def test_erfinv_gradient_and_in_place_forms():
    values = [-0.95, -0.3, 0.0, 0.5, 0.99]
    grads = []
    for lib in (torch, ndgrad):
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        x.erfinv().sum().backward()
        grads.append(x.grad.numpy())
        z = lib.tensor(values)
        assert z.erfinv_() is z
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12)


# ---- dropout -----------------------------------------------------------------------------------------------

FUNCTIONS = {"dropout": [(4, 5), (3, 4, 5), (2, 3, 4, 5), (2, 2, 3, 4, 5), (40, 50)],
             "dropout1d": [(4, 5), (3, 4, 5)],
             "dropout2d": [(3, 4, 5), (2, 3, 4, 5)],
             "dropout3d": [(2, 3, 4, 5), (2, 2, 3, 4, 5)],
             "alpha_dropout": [(4, 5), (2, 3, 4, 5), (40, 50)],
             "feature_alpha_dropout": [(4, 5), (2, 3, 4, 5), (2, 2, 3, 4, 5)]}
MODULES = {"dropout": "Dropout", "dropout1d": "Dropout1d", "dropout2d": "Dropout2d", "dropout3d": "Dropout3d",
           "alpha_dropout": "AlphaDropout", "feature_alpha_dropout": "FeatureAlphaDropout"}
CASES = [(name, shape) for name, shapes in FUNCTIONS.items() for shape in shapes]


def _dropout_run(call, shape, dtype, inplace, transposed=False):
    """call(lib, x) on a fresh input that requires grad (a non-leaf copy when in place), then
    backward with a fixed upstream gradient: output, its grad_fn's name, strides, input gradient."""
    x0 = np.random.default_rng(1).standard_normal(shape).astype(dtype)
    g0 = np.random.default_rng(2).standard_normal(shape).astype(dtype)

    def run(lib):
        x = lib.from_numpy(np.ascontiguousarray(x0.T).T if transposed else x0.copy()).requires_grad_(True)
        inp = x * 1 if inplace else x
        y = call(lib, inp)
        if inplace:
            assert y is inp
        node = y.grad_fn and (type(y.grad_fn).__name__ if lib is torch else y.grad_fn.name())
        y.backward(lib.from_numpy(g0.copy()))
        return y.detach().numpy(), node, y.stride(), x.grad.numpy()
    return _seeded(run)


def _check_dropout(call, shape, dtype, inplace, transposed=False):
    (th, th_node, th_stride, th_grad), (nd, nd_node, nd_stride, nd_grad) = _dropout_run(
        call, shape, dtype, inplace, transposed)
    _same_bits(th, nd, "output")
    _same_bits(th_grad, nd_grad, "input gradient")
    assert nd_stride == th_stride
    if not inplace:
        assert nd_node == th_node


@pytest.mark.parametrize("inplace", [False, True], ids=["out-of-place", "inplace"])
@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.77, 1.0])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,shape", CASES, ids=[f"{n}-{len(s)}d-{s[0]}" for n, s in CASES])
def test_dropout_functions_equal_pytorchs(name, shape, dtype, p, inplace):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                     # dropout2d's 3-D warning
        _check_dropout(lambda lib, x: getattr(lib.nn.functional, name)(x, p, True, inplace),
                       shape, dtype, inplace)


@pytest.mark.parametrize("name", ["dropout", "alpha_dropout"])
def test_dropout_of_a_transposed_input_draws_in_its_memory_order(name):
    _check_dropout(lambda lib, x: getattr(lib.nn.functional, name)(x, 0.4, True), (40, 50), "float32", False,
                   transposed=True)


@pytest.mark.parametrize("inplace", [False, True], ids=["out-of-place", "inplace"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", MODULES)
def test_dropout_modules_equal_pytorchs(name, dtype, inplace):
    shape = FUNCTIONS[name][-1]
    cls = MODULES[name]
    alpha = "alpha" in name                                 # PyTorch's alpha modules ignore inplace
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check_dropout(lambda lib, x: getattr(lib.nn, cls)(0.3, inplace)(x),
                       shape, dtype, inplace and not alpha)
    for lib in (torch, ndgrad):
        m = getattr(lib.nn, cls)(0.25, inplace)
        assert str(m) == f"{cls}(p=0.25, inplace={inplace})"
        x = lib.ones(*shape)
        assert m.eval()(x) is x
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
            getattr(lib.nn, cls)(1.5)


def test_unbatched_channel_dropout_in_place_returns_the_input():
    for name, shape in (("dropout1d", (3, 4)), ("dropout3d", (2, 3, 4, 5))):
        def run(lib):
            x = lib.randn(*shape)
            out = getattr(lib.nn.functional, name)(x, 0.5, True, True)
            assert out is x and tuple(x.shape) == shape
            return x.numpy().copy()
        th, nd = _seeded(run)
        _same_bits(th, nd, name)


def _outcome(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = fn()
            result = ("returned", tuple(out.shape), str(out.dtype).rsplit(".", 1)[-1])
        except Exception as e:  # the comparison is the point
            result = (type(e).__name__, str(e))
    return result, [(str(w.message), w.category) for w in caught]


EDGE_CASES = {
    "p out of range": lambda lib: lib.nn.functional.dropout(lib.ones(3), -0.1),
    "alpha p out of range": lambda lib: lib.nn.functional.alpha_dropout(lib.ones(3), 1.1, True),
    "dropout1d of 4-d": lambda lib: lib.nn.functional.dropout1d(lib.ones(3, 4, 2, 2), 0.5),
    "dropout2d of 1-d": lambda lib: lib.nn.functional.dropout2d(lib.ones(3), 0.5),
    "dropout2d of 1-d in eval": lambda lib: lib.nn.functional.dropout2d(lib.ones(3), 0.5, False),
    "dropout2d of 2-d": lambda lib: lib.nn.functional.dropout2d(lib.ones(3, 4), 0.5),
    "dropout2d of 3-d": lambda lib: lib.nn.functional.dropout2d(lib.ones(3, 4, 2), 0.5),
    "dropout2d of 5-d": lambda lib: lib.nn.functional.dropout2d(lib.ones(1, 3, 4, 2, 2), 0.5),
    "dropout3d of 3-d": lambda lib: lib.nn.functional.dropout3d(lib.ones(3, 4, 2), 0.5),
    "feature alpha of 1-d": lambda lib: lib.nn.functional.feature_alpha_dropout(lib.ones(3), 0.5, True),
    "integers": lambda lib: lib.nn.functional.dropout(lib.arange(3), 0.5),
    "integers, p = 1": lambda lib: lib.nn.functional.dropout(lib.arange(3), 1.0),
    "booleans": lambda lib: lib.nn.functional.dropout(lib.ones(3, dtype=lib.bool), 0.5),
    "empty": lambda lib: lib.nn.functional.dropout(lib.ones(0, 3), 0.5),
    "a list": lambda lib: lib.nn.functional.dropout([1.0, 2.0], 0.5),
    "in place on a leaf": lambda lib: lib.nn.functional.dropout(lib.ones(3, requires_grad=True), 0.5,
                                                                True, True),
}


@pytest.mark.parametrize("case", EDGE_CASES)
def test_dropout_checks_and_warnings_are_pytorchs(case):
    th, nd = _seeded(lambda lib: _outcome(lambda: EDGE_CASES[case](lib)))
    assert nd == th


def test_dropout_returns_the_input_itself_when_it_does_nothing():
    for lib in (torch, ndgrad):
        x = lib.randn(3, 4, requires_grad=True)
        F = lib.nn.functional
        assert F.dropout(x, 0.0) is x and F.dropout(x, 0.5, False) is x and F.alpha_dropout(x, 0.5) is x
        empty, images = lib.ones(0, 3), x.view(1, 3, 4, 1)
        assert F.dropout(empty, 0.5) is empty and F.dropout2d(images, 0.5, False) is images


def test_dropout_with_p_one_keeps_nan():
    th, nd = _seeded(lambda lib: lib.nn.functional.dropout(lib.tensor([1.0, float("nan"), float("inf")]),
                                                           1.0).numpy())
    _same_bits(th, nd)


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
def test_recurrent_dropout_between_layers_draws_pytorchs_masks(cls):
    def run(lib):
        m = getattr(lib.nn, cls)(3, 5, num_layers=3, dropout=0.4, bidirectional=True)
        return m(lib.randn(6, 2, 3))[0].detach().numpy()
    th, nd = _seeded(run)
    np.testing.assert_allclose(nd, th, rtol=1e-5, atol=1e-6)     # one mask off would be far off


# ---- a training step ---------------------------------------------------------------------------------------

def _mlp_losses(lib, steps=5):
    nn = lib.nn
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 16), nn.Tanh(),
                          nn.AlphaDropout(0.2), nn.Linear(16, 3))
    opt = lib.optim.SGD(model.parameters(), lr=0.1)
    x, y = lib.randn(64, 10), lib.randint(0, 3, (64,))
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    return losses, model(x).detach().numpy()


def test_a_seeded_training_step_with_dropout_gives_pytorchs_loss():
    (th_losses, th_out), (nd_losses, nd_out) = _seeded(_mlp_losses, seed=7)
    # the masks are drawn bit for bit alike; the matrix products may round differently
    np.testing.assert_allclose(nd_losses, th_losses, rtol=1e-5)
    np.testing.assert_allclose(nd_out, th_out, rtol=1e-4, atol=1e-5)
