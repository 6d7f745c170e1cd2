"""utils.data draws what PyTorch's draws: sampler orders, random_split, a shuffling DataLoader epoch
after epoch (and where the default stream is left afterwards), and each worker's seeds — every
check run against torch.utils.data with the same seed."""
import random

import numpy as np
import pytest
import torch
import torch.utils.data as T
from torch.utils.data._utils.worker import _generate_state

import ndgrad
import ndgrad.utils.data as N
from ndgrad import backend


def _both(seed):
    ndgrad.manual_seed(seed)
    torch.manual_seed(seed)


def _stream_agrees():
    assert np.array_equal(ndgrad.rand(3).numpy(), torch.rand(3).numpy())


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("kw", [{}, {"num_samples": 23}, {"num_samples": 4}, {"replacement": True},
                                {"replacement": True, "num_samples": 70}], ids=str)
@pytest.mark.parametrize("with_generator", [False, True])
def test_random_sampler_orders(seed, kw, with_generator):
    _both(seed)
    gen = ({"generator": (ndgrad.Generator().manual_seed(3), torch.Generator().manual_seed(3))}
           if with_generator else {})
    got = N.RandomSampler(range(10), generator=gen["generator"][0] if gen else None, **kw)
    want = T.RandomSampler(range(10), generator=gen["generator"][1] if gen else None, **kw)
    for _ in range(2):                                        # two epochs
        assert list(got) == list(want)
    assert len(got) == len(want)
    _stream_agrees()


def test_an_endless_sampler_draws_as_it_goes():
    _both(1)
    got = iter(N.RandomSampler(range(50), replacement=True, num_samples=10 ** 10))
    want = iter(T.RandomSampler(range(50), replacement=True, num_samples=10 ** 10))
    assert [next(got) for _ in range(100)] == [next(want) for _ in range(100)]


def test_sampler_errors_are_torch_errors():
    for bad in (dict(replacement=1), dict(num_samples=0), dict(num_samples=2.5)):
        with pytest.raises(Exception) as want:
            T.RandomSampler(range(3), **bad)
        with pytest.raises(want.type):
            N.RandomSampler(range(3), **bad)
    for bad in (dict(num_samples=0), dict(num_samples=True), dict(num_samples=2, replacement=1),
                dict(weights=[[1.0, 2.0]], num_samples=2)):
        args = {"weights": [1.0, 2.0], **bad}
        with pytest.raises(ValueError):
            T.WeightedRandomSampler(**args)
        with pytest.raises(ValueError):
            N.WeightedRandomSampler(**args)


@pytest.mark.parametrize("seed", [0, 5])
def test_subset_and_weighted_samplers(seed):
    _both(seed)
    assert list(N.SubsetRandomSampler([3, 9, 4, 1, 7])) == list(T.SubsetRandomSampler([3, 9, 4, 1, 7]))
    weights = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
    for n, replacement in ((5, True), (40, True), (5, False)):
        assert list(N.WeightedRandomSampler(weights, n, replacement)) == \
            list(T.WeightedRandomSampler(weights, n, replacement))
    g_n, g_t = ndgrad.Generator().manual_seed(2), torch.Generator().manual_seed(2)
    assert list(N.WeightedRandomSampler(weights, 9, generator=g_n)) == \
        list(T.WeightedRandomSampler(weights, 9, generator=g_t))
    _stream_agrees()


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.3, 0.4], [0.5, 0.5], [1.0, 0.0]], ids=str)
@pytest.mark.parametrize("with_generator", [False, True])
def test_random_split(lengths, with_generator):
    _both(4)
    kw_n = {"generator": ndgrad.Generator().manual_seed(42)} if with_generator else {}
    kw_t = {"generator": torch.Generator().manual_seed(42)} if with_generator else {}
    with pytest.warns(UserWarning) if 0.0 in lengths else _nothing():
        got = N.random_split(range(10), lengths, **kw_n)
    want = T.random_split(range(10), lengths, **kw_t)
    assert [list(s.indices) for s in got] == [list(s.indices) for s in want]
    _stream_agrees()
    with pytest.raises(ValueError, match="Fraction at index 0 is not between 0 and 1"):
        N.random_split(range(10), [-0.5, 1.5])


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("with_generator", [False, True])
@pytest.mark.parametrize("batch_size", [4, None])
def test_a_shuffling_loader_gives_torch_batches_epoch_after_epoch(with_generator, batch_size):
    _both(0)
    x = np.arange(30, dtype=np.float32).reshape(10, 3)
    kw_n = {"generator": ndgrad.Generator().manual_seed(9)} if with_generator else {}
    kw_t = {"generator": torch.Generator().manual_seed(9)} if with_generator else {}
    got = N.DataLoader(N.TensorDataset(ndgrad.from_numpy(x)), batch_size=batch_size, shuffle=True, **kw_n)
    want = T.DataLoader(T.TensorDataset(torch.from_numpy(x)), batch_size=batch_size, shuffle=True, **kw_t)
    for _ in range(3):
        assert [b[0].tolist() for b in got] == [b[0].tolist() for b in want]
    _stream_agrees()


def test_an_iterator_draws_its_base_seed_even_without_workers():
    _both(3)
    iter(N.DataLoader(N.TensorDataset(ndgrad.zeros(4)), batch_size=2))
    iter(T.DataLoader(T.TensorDataset(torch.zeros(4)), batch_size=2))
    _stream_agrees()


class _Draws:
    """Items made of the three generators a worker seeds: Python's, the tensor library's, NumPy's."""

    def __init__(self, lib):
        self.lib = lib

    def __len__(self):
        return 6

    def __getitem__(self, i):
        info = (N if self.lib is ndgrad else T).get_worker_info()
        return [random.random(), float(self.lib.rand(1)), float(np.random.rand()), info.seed, info.id]


@pytest.mark.parametrize("persistent", [False, True])
def test_workers_are_seeded_as_torch_seeds_them(persistent):
    _both(11)
    got = N.DataLoader(_Draws(ndgrad), batch_size=None, num_workers=2, persistent_workers=persistent)
    want = T.DataLoader(_Draws(torch), batch_size=None, num_workers=2, persistent_workers=persistent)
    first_n, first_t = list(got), list(want)
    assert first_n == first_t
    assert len({row[0] for row in first_n}) == 6          # the workers do not repeat each other
    _stream_agrees()
    second = list(got)
    if not persistent:                                    # a new epoch, new seeds
        assert second == list(want) and second != first_n
    _stream_agrees()


@pytest.mark.parametrize("base_seed,worker_id", [(0, 0), (12345678901234, 3), (2 ** 63 - 1, 7)])
def test_numpy_is_seeded_with_torch_generate_state(base_seed, worker_id):
    backend.seed_numpy_global(base_seed, worker_id)
    ours = np.random.get_state()[1].copy()
    np.random.seed(_generate_state(base_seed, worker_id))
    assert np.array_equal(ours, np.random.get_state()[1])
