"""The GPU promise: ``ndgrad.set_device("cuda")`` and the same code trains there.

These run on the ``cuda`` fixture: the real GPU where CuPy sees one, else the simulated one
(reference/simulated_cupy.py), which keeps NumPy's arrays behind CuPy's rules. The host
round-trip audit at the end always uses the simulation: only it can count the round trips.
"""
import io

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

import ndgrad
from ndgrad import nn
from ndgrad.utils.data import DataLoader, TensorDataset
from reference import simulated_cupy


def test_set_device_makes_new_tensors_and_modules_default_to_the_gpu(cuda):
    ndgrad.set_device(cuda)
    try:
        made = [ndgrad.zeros(2), ndgrad.tensor([1.0]), ndgrad.randn(3), ndgrad.arange(4), ndgrad.rand(2),
                ndgrad.randint(0, 5, (3,)), ndgrad.randperm(4), ndgrad.empty(2), ndgrad.full((2,), 7.0),
                nn.Linear(3, 2).weight, nn.BatchNorm1d(3).running_mean]
        assert all(t.device == ndgrad.device("cuda", 0) for t in made), [t.device for t in made]
        assert ndgrad.get_device() == ndgrad.device("cuda:0")
    finally:
        ndgrad.set_device("cpu")
    assert ndgrad.zeros(1).device.type == "cpu"


def test_to_cuda_and_cpu_move_both_ways_and_gradients_follow(cuda):
    x = ndgrad.tensor([1.0, -2.0, 3.0], requires_grad=True)
    g = x.cuda()
    assert g.is_cuda and g.device == ndgrad.device("cuda:0") and g.requires_grad
    assert (x.get_device(), g.get_device()) == (torch.ones(1).get_device(), 0)
    assert x.to("cuda").device == x.to(ndgrad.device("cuda")).device == g.device
    assert g.to("cuda") is g and g.cpu().cpu().device.type == "cpu"
    y = (g * g).sum().cpu()          # the graph crosses devices both ways
    y.backward()
    assert x.grad.device.type == "cpu"
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, -4.0, 6.0])
    h = ndgrad.ones(2, dtype=ndgrad.float16).to("cuda", ndgrad.float32)
    assert h.is_cuda and h.dtype is ndgrad.float32


def test_numpy_of_a_gpu_tensor_raises_torch_typeerror(cuda):
    t = ndgrad.ones(2, device=cuda)
    with pytest.raises(TypeError, match=r"^can't convert cuda:0 device type tensor to numpy\. Use "
                                        r"Tensor\.cpu\(\) to copy the tensor to host memory first\.$"):
        t.numpy()
    assert t.cpu().numpy().tolist() == [1.0, 1.0] and t.tolist() == [1.0, 1.0] and t.sum().item() == 2.0


def test_mixed_devices_raise_torch_error(cuda):
    a, b = ndgrad.ones(2), ndgrad.ones(2, device=cuda)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but found at "
                                           "least two devices, cpu and cuda:0!"):
        a + b
    assert (b * 2).device.type == "cuda" and (b + 1).device.type == "cuda"


def test_random_ops_draw_on_the_gpu_and_are_reproducible(cuda):
    def draw():
        ndgrad.manual_seed(7)
        w = nn.Linear(4, 3).to(cuda).weight
        fresh = nn.Linear(4, 3, device=cuda).weight
        x = ndgrad.empty(100, device=cuda)
        d = nn.functional.dropout(ndgrad.ones(1000, device=cuda), 0.5)
        return [w, fresh, ndgrad.randn(5, device=cuda), ndgrad.rand(5, device=cuda),
                ndgrad.randint(0, 9, (5,), device=cuda), ndgrad.randperm(6, device=cuda),
                x.normal_(), x.clone().uniform_(-1, 1), d]
    first, again = draw(), draw()
    assert all(t.is_cuda for t in first)
    for a, b in zip(first, again):
        assert ndgrad.equal(a, b)
    dropped = first[-1]
    assert set(dropped.unique().tolist()) == {0.0, 2.0}


def test_cuda_functions_on_the_gpu(cuda):
    assert ndgrad.cuda.is_available() and ndgrad.cuda.device_count() >= 1
    assert ndgrad.cuda.current_device() == 0
    ndgrad.cuda.synchronize()
    ndgrad.cuda.synchronize("cuda:0")
    ndgrad.cuda.manual_seed(3)


def _cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3), nn.GroupNorm(2, 6), nn.Tanh(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.LayerNorm(6), nn.Linear(6, 3))


@pytest.mark.parametrize("optimizer", ["SGD", "Adam", "RMSprop", "Adagrad"])
def test_training_on_the_gpu_matches_the_cpu(cuda, optimizer):
    """The same model, data and optimizer: the GPU run follows the CPU run step by step, and every
    parameter, gradient and optimizer buffer lives on the GPU (the step count stays on the CPU,
    as in PyTorch)."""
    ndgrad.manual_seed(0)
    models = {"cpu": _cnn()}
    models["cuda"] = _cnn().to(cuda)
    models["cuda"].load_state_dict(models["cpu"].state_dict())
    x, y = ndgrad.randn(8, 1, 10, 10), ndgrad.randint(0, 3, (8,))
    losses = {}
    for dev, model in models.items():
        kw = {"lr": 0.05, "momentum": 0.9} if optimizer in ("SGD", "RMSprop") else {"lr": 0.01}
        opt = getattr(ndgrad.optim, optimizer)(model.parameters(), **kw)
        sched = ndgrad.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        losses[dev] = []
        for _ in range(4):
            loss = nn.functional.cross_entropy(model(x.to(dev)), y.to(dev))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            losses[dev].append(loss.item())
    np.testing.assert_allclose(losses["cuda"], losses["cpu"], rtol=1e-4)
    gpu = models["cuda"]
    assert all(t.is_cuda
               for t in list(gpu.parameters()) + list(gpu.buffers()) + [p.grad for p in gpu.parameters()])
    for state in opt.state.values():
        assert all(v.device.type == ("cpu" if k == "step" else "cuda") for k, v in state.items())
    for a, b in zip(models["cpu"].parameters(), gpu.parameters()):
        np.testing.assert_allclose(b.detach().cpu().numpy(), a.detach().numpy(), rtol=1e-3, atol=1e-5)


def test_save_and_load_gpu_tensors(cuda):
    model = nn.Linear(3, 2).to(cuda)
    opt = ndgrad.optim.Adam(model.parameters())
    model(ndgrad.ones(1, 3, device=cuda)).sum().backward()
    opt.step()
    buf = io.BytesIO()
    ndgrad.save({"model": model.state_dict(), "opt": opt.state_dict(),
                 "t": ndgrad.arange(3, device=cuda)}, buf)
    buf.seek(0)
    back = ndgrad.load(buf)
    assert back["t"].is_cuda and back["model"]["weight"].is_cuda
    assert ndgrad.equal(back["model"]["weight"], model.weight.detach())
    buf.seek(0)
    on_cpu = ndgrad.load(buf, map_location="cpu")
    assert on_cpu["model"]["weight"].device.type == "cpu"
    np.testing.assert_array_equal(on_cpu["model"]["weight"].numpy(), model.weight.detach().cpu().numpy())
    restored = ndgrad.optim.Adam(nn.Linear(3, 2).to(cuda).parameters())
    restored.load_state_dict(on_cpu["opt"])           # state follows the parameters to the GPU
    assert restored.state_dict()["state"][0]["exp_avg"].is_cuda
    cpu_saved = io.BytesIO()
    ndgrad.save(nn.Linear(3, 2).state_dict(), cpu_saved)
    cpu_saved.seek(0)
    assert ndgrad.load(cpu_saved, map_location="cuda")["bias"].is_cuda


def test_pytorch_reads_a_state_dict_saved_from_the_gpu(cuda, tmp_path):
    w = ndgrad.randn(2, 3, device=cuda)
    ndgrad.save({"w": w}, tmp_path / "w.safetensors")
    got = load_file(tmp_path / "w.safetensors")
    np.testing.assert_array_equal(got["w"].numpy(), w.cpu().numpy())


def test_data_loader_batches_move_to_the_gpu(cuda):
    data = TensorDataset(ndgrad.arange(10.0).reshape(5, 2), ndgrad.arange(5))
    seen = []
    for x, y in DataLoader(data, batch_size=2, shuffle=True, generator=ndgrad.Generator().manual_seed(0)):
        x, y = x.to(cuda), y.to(cuda)
        assert x.is_cuda and y.is_cuda
        seen += y.tolist()
    assert sorted(seen) == list(range(5))
    gpu_data = TensorDataset(ndgrad.arange(6.0, device=cuda), ndgrad.arange(6, device=cuda))
    batch = next(iter(DataLoader(gpu_data, batch_size=4)))
    assert batch[0].is_cuda and batch[0].tolist() == [0.0, 1.0, 2.0, 3.0]


# ---- host round trips ---------------------------------------------------------------------
class _Bag(nn.Module):
    """Token ids -> mean of their embeddings -> classes."""

    def __init__(self):
        super().__init__()
        self.embed, self.out = nn.Embedding(20, 6, padding_idx=0), nn.Linear(6, 3)

    def forward(self, ids):
        return self.out(self.embed(ids).mean(1))


@pytest.mark.parametrize("make,shape,checks", [
    (lambda: nn.Sequential(_cnn(), nn.Dropout(0.1), nn.Linear(3, 3)), (4, 1, 10, 10), ["loss.py"]),
    (_Bag, (4, 7), ["_checks.py:", "loss.py"]),
], ids=["cnn", "embedding"])
def test_a_training_step_makes_only_its_input_checks_host_round_trips(make, shape, checks):
    """On a GPU every host round trip stalls the queue of kernels. A training step (forward,
    backward, optimizer and scheduler steps) makes one per input check, which PyTorch does inside
    its kernels instead: cross-entropy's target range, an embedding's index range. Backward
    re-checks nothing."""
    with simulated_cupy.active():
        ndgrad.set_device("cuda")
        try:
            ndgrad.manual_seed(0)
            model = make()
            opt = ndgrad.optim.Adam(model.parameters(), lr=1e-3)
            sched = ndgrad.optim.lr_scheduler.StepLR(opt, 1)
            x = ndgrad.randn(*shape) if len(shape) > 2 else ndgrad.randint(0, 20, shape)
            y = ndgrad.randint(0, 3, (shape[0],))
            for _ in range(2):
                with simulated_cupy.host_round_trips() as trips:
                    loss = nn.functional.cross_entropy(model(x), y)
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    sched.step()
                assert [what for what, _ in trips] == ["bool"] * len(checks), trips
                assert all(where.startswith(c) for (_, where), c in zip(trips, checks)), trips
        finally:
            ndgrad.set_device("cpu")


def test_the_simulation_refuses_what_cupy_refuses():
    """The audit is only as good as the simulation's rules: check that they bite."""
    with simulated_cupy.active():
        a = ndgrad.ones(3, device="cuda")._data
        with pytest.raises(TypeError, match="Implicit conversion to a NumPy array is not allowed"):
            np.asarray(a)
        with pytest.raises(TypeError, match="Unsupported type"):
            a + np.ones(3)
        with pytest.raises(AttributeError, match="has no attribute 'erf'"):
            simulated_cupy.erf
        with pytest.raises(AttributeError, match="has no attribute 'permutation'"):
            simulated_cupy.random.default_rng(0).permutation
        with simulated_cupy.host_round_trips() as trips:
            s = a.sum()
            assert type(s) is simulated_cupy.ndarray and s.shape == ()
            float(s), a[a > 0], simulated_cupy.nonzero(a), a.get()
        assert [w for w, _ in trips] == ["float", "boolean mask index", "nonzero", "get"]


def test_cuda_generators_reseed_but_do_not_expose_their_state(cuda):
    g = ndgrad.Generator(cuda).manual_seed(5)
    first = ndgrad.randn(4, generator=g, device=cuda)
    g.manual_seed(5)
    assert ndgrad.equal(ndgrad.randn(4, generator=g, device=cuda), first)
    with pytest.raises(NotImplementedError, match="CPU generators only"):
        g.get_state()
