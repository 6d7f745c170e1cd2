"""The generators themselves against PyTorch's: seeds, Generator objects, state bytes that restore
across the two libraries, fork_rng, and the errors. (Each sampler's numbers: test_random_streams.py.)"""
import numpy as np
import pytest
import torch

import ndgrad


def _same(a, b):
    assert np.array_equal(np.asarray(a.numpy()), np.asarray(b.numpy()))


@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 32 + 7, 2 ** 64 - 1, -1, -2 ** 63, 3.7])
def test_manual_seed_gives_torch_numbers_and_initial_seed(seed):
    g_t, g_n = torch.manual_seed(seed), ndgrad.manual_seed(seed)
    assert isinstance(g_n, ndgrad.Generator) and g_n is ndgrad.default_generator
    assert ndgrad.initial_seed() == torch.initial_seed() == g_t.initial_seed()
    _same(ndgrad.rand(5), torch.rand(5))
    _same(ndgrad.randn(20), torch.randn(20))
    _same(ndgrad.get_rng_state(), torch.get_rng_state())


@pytest.mark.parametrize("bad", [2 ** 64, -2 ** 63 - 1])
def test_seeds_out_of_range_raise_torch_error(bad):
    with pytest.raises(ValueError) as want:
        torch.manual_seed(bad)
    with pytest.raises(ValueError, match=str(want.value)):
        ndgrad.manual_seed(bad)
    with pytest.raises(ValueError):
        ndgrad.Generator().manual_seed(bad)


def test_a_new_generator_starts_from_torch_default_seed():
    g_n, g_t = ndgrad.Generator(), torch.Generator()
    assert g_n.initial_seed() == g_t.initial_seed() == 67280421310721
    _same(ndgrad.randperm(10, generator=g_n), torch.randperm(10, generator=g_t))
    _same(g_n.get_state(), g_t.get_state())
    assert g_n.device == ndgrad.device("cpu") and str(g_t.device) == "cpu"
    assert g_n.manual_seed(5) is g_n


def test_generators_are_independent_of_the_default_stream():
    ndgrad.manual_seed(3)
    torch.manual_seed(3)
    g_n, g_t = ndgrad.Generator().manual_seed(9), torch.Generator().manual_seed(9)
    _same(ndgrad.rand(4, generator=g_n), torch.rand(4, generator=g_t))
    _same(ndgrad.rand(4), torch.rand(4))                 # the default stream did not move
    _same(ndgrad.randn(3, generator=g_n), torch.randn(3, generator=g_t))


def test_seed_reseeds_from_entropy():
    a = ndgrad.seed()
    assert ndgrad.initial_seed() == a and 0 <= a < 2 ** 64
    assert ndgrad.seed() != a
    g = ndgrad.Generator()
    s = g.seed()
    assert g.initial_seed() == s


@pytest.mark.parametrize("draws", [lambda lib: None, lambda lib: lib.rand(7), lambda lib: lib.randn(3),
                                   lambda lib: lib.randn(5, dtype=lib.float64), lambda lib: lib.randperm(700),
                                   lambda lib: lib.randint(0, 2 ** 40, (9,))],
                         ids=["fresh", "rand", "odd-randn-caches-a-normal", "randn-float64", "past-a-twist",
                              "random64"])
def test_states_are_torch_bytes_and_restore_both_ways(draws):
    torch.manual_seed(11)
    ndgrad.manual_seed(11)
    draws(torch)
    draws(ndgrad)
    s_t, s_n = torch.get_rng_state(), ndgrad.get_rng_state()
    assert s_n.dtype is ndgrad.uint8 and tuple(s_n.shape) == (5056,)
    _same(s_n, s_t)
    # PyTorch's state into ndgrad, and ndgrad's into PyTorch: both continue alike (cached normal too)
    ndgrad.manual_seed(0)
    ndgrad.set_rng_state(ndgrad.from_numpy(s_t.numpy().copy()))
    _same(ndgrad.randn(3, dtype=ndgrad.float64), torch.randn(3, dtype=torch.float64))
    torch.manual_seed(0)
    torch.set_rng_state(torch.from_numpy(s_n.numpy().copy()))
    ndgrad.set_rng_state(s_n)
    _same(ndgrad.rand(5), torch.rand(5))


def test_a_saved_state_replays_the_same_draws():
    ndgrad.manual_seed(4)
    ndgrad.randn(5)
    state = ndgrad.get_rng_state()
    first = ndgrad.randn(5), ndgrad.rand(30), ndgrad.randint(0, 9, (4,))
    ndgrad.set_rng_state(state)
    again = ndgrad.randn(5), ndgrad.rand(30), ndgrad.randint(0, 9, (4,))
    for a, b in zip(first, again):
        _same(a, b)
    g = ndgrad.Generator().manual_seed(2)
    s = g.get_state()
    x = ndgrad.randn(17, generator=g)
    _same(ndgrad.randn(17, generator=g.set_state(s)), x)


@pytest.mark.parametrize("bad", [lambda lib: [1, 2], lambda lib: lib.zeros(10, dtype=lib.uint8),
                                 lambda lib: lib.zeros(5056, dtype=lib.uint8), lambda lib: lib.zeros(5056),
                                 lambda lib: lib.full((5056,), 255, dtype=lib.uint8),
                                 lambda lib: lib.get_rng_state()[:5048]],
                         ids=["list", "short", "unseeded", "float", "left-out-of-range", "legacy-size"])
def test_bad_states_raise_torch_errors(bad):
    with pytest.raises(Exception) as want:
        torch.set_rng_state(bad(torch))
    with pytest.raises(want.type):
        ndgrad.set_rng_state(bad(ndgrad))


def test_fork_rng_restores_the_cpu_stream():
    for lib in (ndgrad, torch):
        lib.manual_seed(8)
    with ndgrad.random.fork_rng(), torch.random.fork_rng():
        _same(ndgrad.rand(5), torch.rand(5))
        _same(ndgrad.randn(3), torch.randn(3))
    _same(ndgrad.rand(5), torch.rand(5))                 # the draws inside did not count
    with ndgrad.random.fork_rng(enabled=False), torch.random.fork_rng(enabled=False):
        ndgrad.rand(2), torch.rand(2)
    _same(ndgrad.rand(2), torch.rand(2))


def test_random_module_mirrors_torch_random():
    for name in ("manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state", "fork_rng"):
        assert callable(getattr(ndgrad.random, name)) and hasattr(torch.random, name)
    assert ndgrad.random.default_generator is ndgrad.default_generator


def test_a_cpu_generator_cannot_draw_on_another_device_type(cuda):
    with pytest.raises(RuntimeError, match="Expected a 'cuda' device type for generator but found 'cpu'"):
        ndgrad.randn(3, device=cuda, generator=ndgrad.Generator())


def test_gpu_draws_repeat_per_seed_and_cuda_manual_seed_leaves_the_cpu_stream(cuda):
    ndgrad.manual_seed(1)
    a = (ndgrad.randn(40, device=cuda), ndgrad.rand(5, device=cuda),
         ndgrad.randint(0, 2 ** 40, (6,), device=cuda))
    ndgrad.manual_seed(1)
    b = (ndgrad.randn(40, device=cuda), ndgrad.rand(5, device=cuda),
         ndgrad.randint(0, 2 ** 40, (6,), device=cuda))
    for x, y in zip(a, b):
        assert ndgrad.equal(x, y) and x.is_cuda
    state = ndgrad.get_rng_state()
    ndgrad.cuda.manual_seed(3)
    _same(ndgrad.get_rng_state(), state)


def test_the_default_streams_give_distributions_of_the_right_shape():
    """Independent of PyTorch: the samplers' moments (a check on the transforms themselves)."""
    ndgrad.manual_seed(0)
    x = ndgrad.randn(200_000, dtype=ndgrad.float64)
    assert abs(x.mean().item()) < 0.01 and abs(x.std().item() - 1) < 0.01
    e = ndgrad.empty(200_000, dtype=ndgrad.float64).exponential_(2.0)
    assert abs(e.mean().item() - 0.5) < 0.01
    counts = np.bincount(ndgrad.multinomial(ndgrad.tensor([1.0, 3.0]), 40_000, True).numpy(), minlength=2)
    assert abs(counts[1] / 40_000 - 0.75) < 0.01


def _seeded_training(lib):
    """Data noise, initial weights, dropout masks and shuffling all drawn after one manual_seed."""
    lib.manual_seed(0)
    x = lib.randn(96, 8)
    y = (x[:, :2].sum(dim=1) > 0).long()
    model = lib.nn.Sequential(lib.nn.Linear(8, 16), lib.nn.ReLU(), lib.nn.Dropout(0.3), lib.nn.Linear(16, 2))
    opt = lib.optim.SGD(model.parameters(), lr=0.2)
    loader = lib.utils.data.DataLoader(lib.utils.data.TensorDataset(x, y), batch_size=16, shuffle=True)
    losses = []
    for _ in range(3):
        for xb, yb in loader:
            opt.zero_grad()
            loss = lib.nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return losses, lib.rand(2).tolist()


def test_a_seeded_training_loop_with_dropout_and_shuffling_follows_torch():
    """Every random decision is PyTorch's, so the losses agree to float32 rounding (the matrix
    products' own last bits may differ: another BLAS), and the stream ends in the same place."""
    (got, after_n), (want, after_t) = _seeded_training(ndgrad), _seeded_training(torch)
    assert len(got) == len(want) == 18
    np.testing.assert_allclose(got, want, rtol=1e-4)
    assert after_n == after_t


def test_the_fused_multiply_adds_round_once():
    """vecmath's FMAs against exact rational arithmetic (Fraction → float rounds correctly), on
    random operands and on products that land on a tie, nudged by a tiny addend."""
    from fractions import Fraction

    from ndgrad.random import vecmath
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(3000), rng.standard_normal(3000)
    c = rng.standard_normal(3000) * 10.0 ** rng.integers(-300, 20, 3000)
    tie_a, tie_b = 1 + 2.0 ** -30, 1 + 2.0 ** -23 + 2.0 ** -52          # a·b = 1 + … + half an ulp
    a, b = np.append(a, [tie_a] * 3), np.append(b, [tie_b] * 3)
    c = np.append(c, [1e-300, -1e-300, 0.0])
    want = [float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)]
    assert np.array_equal(vecmath.fma64(a, b, c), np.array(want))
    a32, b32, c32 = (v.astype(np.float32) for v in (a[:3000], b[:3000], rng.standard_normal(3000)))
    want32 = [_nearest_float32(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z)))
              for x, y, z in zip(a32, b32, c32)]
    assert np.array_equal(vecmath.fma32(a32, b32, c32), np.array(want32, dtype=np.float32))


def _nearest_float32(exact):
    """The float32 nearest to a Fraction, ties to even (NumPy would round through float64)."""
    from fractions import Fraction
    guess = np.float32(float(exact))
    candidates = [np.nextafter(guess, np.float32(-np.inf)), guess, np.nextafter(guess, np.float32(np.inf))]
    return min(candidates, key=lambda f: (abs(Fraction(float(f)) - exact),
                                          int(np.array(f).view(np.int32)) & 1))


@pytest.mark.parametrize("draw", [lambda lib, m, s: lib.normal(m, s), lambda lib, m, s: lib.normal(m, 2.0),
                                  lambda lib, m, s: lib.normal(1.0, s),
                                  lambda lib, m, s: lib.bernoulli(m.sigmoid()),
                                  lambda lib, m, s: lib.bernoulli(m, 0.3)],
                         ids=["normal(T, T)", "normal(T, f)", "normal(f, T)", "bernoulli(p)",
                              "bernoulli(x, p)"])
def test_samples_carry_a_zero_gradient_to_their_parameters(draw):
    """PyTorch records these draws (NormalBackward1..3, BernoulliBackward0) with zero gradients, and
    bernoulli(x, p) as a node whose backward raises."""
    out = {}
    for lib in (ndgrad, torch):
        lib.manual_seed(0)
        m = lib.zeros(3, requires_grad=True)
        s = lib.ones(3, requires_grad=True)
        y = draw(lib, m, s)
        try:
            y.sum().backward()
            refused = None
        except RuntimeError as e:                            # bernoulli(x, p): PyTorch has no derivative
            refused = str(e)
        out[lib] = (y.requires_grad, type(y.grad_fn).__name__,
                    m.grad.tolist() if m.grad is not None else None,
                    s.grad.tolist() if s.grad is not None else None, y.tolist(), refused)
    assert out[ndgrad] == out[torch]
