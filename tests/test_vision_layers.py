"""Vision and sequence layers beyond the OpSpecs: second-order gradients against PyTorch, and
state_dicts that load both ways — ndgrad's side on each device (PyTorch's on the CPU)."""
import numpy as np
import pytest
import torch

import ndgrad

RNG = np.random.default_rng(0)
X4 = RNG.standard_normal((2, 4, 7, 6))

SECOND_ORDER = {
    "conv2d": (lambda F, x, w: F.conv2d(x, w, stride=(2, 1), padding=1, groups=2), (6, 2, 3, 3)),
    "conv2d dilated": (lambda F, x, w: F.conv2d(x, w, dilation=2, padding="same"), (3, 4, 3, 2)),
    "conv_transpose2d": (lambda F, x, w: F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1,
                                                            groups=2),
                         (4, 3, 3, 3)),
    "conv1d": (lambda F, x, w: F.conv1d(x[:, :, 0], w, stride=2), (5, 4, 3)),
    "max_pool2d": (lambda F, x, w: F.max_pool2d(x * w.sum(), 3, stride=2, padding=1, ceil_mode=True), (1,)),
    "avg_pool2d": (lambda F, x, w: F.avg_pool2d(x * w.sum(), 3, stride=2, padding=1, count_include_pad=False),
                   (1,)),
    "adaptive_avg_pool2d": (lambda F, x, w: F.adaptive_avg_pool2d(x * w.sum(), (3, 4)), (1,)),
    "batch_norm": (lambda F, x, w: F.batch_norm(x, None, None, w, None, training=True), (4,)),
    "layer_norm": (lambda F, x, w: F.layer_norm(x, (7, 6), w), (7, 6)),
    "group_norm": (lambda F, x, w: F.group_norm(x, 2, w), (4,)),
    "unfold/fold": (lambda F, x, w: F.fold(F.unfold(x * w.sum(), 2, stride=2), (7, 6), 2, stride=2), (1,)),
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_order_gradients_match_torch(name, device):
    """d/d(x, w) of Σ (∂L/∂x)² with L = Σ y²: the backward passes are differentiable, as PyTorch's."""
    fn, w_shape = SECOND_ORDER[name]
    w_values = RNG.standard_normal(w_shape)
    grads = []
    for lib, dev in ((ndgrad, device), (torch, "cpu")):
        x = lib.tensor(X4, requires_grad=True, device=dev)
        w = lib.tensor(w_values, requires_grad=True, device=dev)
        y = fn(lib.nn.functional, x, w)
        gx, = lib.autograd.grad((y ** 2).sum(), x, create_graph=True)
        (gx ** 2).sum().backward()
        assert x.grad.device.type == dev
        grads.append((gx.detach().cpu().numpy(), x.grad.cpu().numpy(), w.grad.cpu().numpy()))
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


def _cnn(nn):
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(4 * 4 * 4, 3))


def _rnn(nn):
    return nn.LSTM(5, 3, num_layers=2, bidirectional=True, batch_first=True)


@pytest.mark.parametrize("make", [_cnn, _rnn, lambda nn: nn.Embedding(7, 4, padding_idx=0),
                                  lambda nn: nn.ConvTranspose2d(2, 4, 3, stride=2),
                                  lambda nn: nn.GRU(4, 2), lambda nn: nn.GroupNorm(2, 4)],
                         ids=["cnn", "lstm", "embedding", "conv_transpose", "gru", "group_norm"])
def test_state_dicts_load_both_ways(make, device):
    """A PyTorch model's state_dict loads into the ndgrad model (and back), same keys and shapes,
    and the two then compute the same outputs."""
    theirs, ours = make(torch.nn), make(ndgrad.nn).to(device)
    sd = theirs.state_dict()
    assert list(ours.state_dict()) == list(sd)
    assert [tuple(v.shape) for v in ours.state_dict().values()] == [tuple(v.shape) for v in sd.values()]
    ours.load_state_dict({k: ndgrad.from_numpy(v.numpy().copy()) for k, v in sd.items()})
    assert all(v.device.type == device for v in ours.state_dict().values())     # loaded onto the device
    theirs.load_state_dict({k: torch.from_numpy(v.cpu().numpy().copy())
                            for k, v in ours.state_dict().items()})
    theirs.eval()
    ours.eval()
    if isinstance(theirs, torch.nn.Embedding):
        inputs = np.array([[0, 3, 6], [1, 1, 2]])
    elif isinstance(theirs, (torch.nn.LSTM, torch.nn.GRU)):
        inputs = RNG.standard_normal((2, 3, theirs.input_size)).astype(np.float32)
    else:
        inputs = RNG.standard_normal((2, 1 if isinstance(theirs, torch.nn.Sequential) else
                                      (2 if isinstance(theirs, torch.nn.ConvTranspose2d) else 4),
                                      8, 8)).astype(np.float32)
    a, b = ours(ndgrad.from_numpy(inputs).to(device)), theirs(torch.from_numpy(inputs))
    a, b = (a[0], b[0]) if isinstance(b, tuple) else (a, b)
    np.testing.assert_allclose(a.detach().cpu().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
