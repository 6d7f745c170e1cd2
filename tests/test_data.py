"""utils.data against PyTorch: default_collate structures, datasets, samplers, DataLoader
batches (in worker processes too), worker errors, early exits, validation errors."""
import collections
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ndgrad
from reference.compare import assert_same

Point = collections.namedtuple("Point", "x y")


@st.composite
def _structure(draw, depth=0):
    """A sample's structure: a leaf kind, or a dict / tuple / list / namedtuple of them."""
    kinds = ["leaf"] if depth >= 2 else ["leaf", "dict", "tuple", "list", "namedtuple"]
    kind = draw(st.sampled_from(kinds))
    if kind == "leaf":
        return ("leaf", draw(st.sampled_from(["int", "float", "bool", "str", "numpy32", "numpy64", "numpyint",
                                             "tensor32", "tensorint", "npscalar"])))
    if kind == "namedtuple":
        return ("namedtuple", [draw(_structure(depth + 1)), draw(_structure(depth + 1))])
    n = draw(st.integers(1, 3))
    return (kind, [draw(_structure(depth + 1)) for _ in range(n)])


def _make(lib, structure, rng):
    kind, spec = structure
    if kind == "leaf":
        v = rng.standard_normal(3)
        return {"int": int(v[0] * 10), "float": float(v[0]), "bool": bool(v[0] > 0),
                "str": "s%d" % (v[0] > 0),
                "numpy32": v.astype("float32"), "numpy64": v, "numpyint": (v * 10).astype("int64"),
                "tensor32": lib.tensor(v.astype("float32")),
                "tensorint": lib.tensor((v * 10).astype("int64")), "npscalar": np.float64(v[0])}[spec]
    items = [_make(lib, s, rng) for s in spec]
    if kind == "dict":
        return {f"k{i}": v for i, v in enumerate(items)}
    if kind == "namedtuple":
        return Point(*items)
    return tuple(items) if kind == "tuple" else items


def _same_structure(nd, th, where="batch"):
    if isinstance(th, torch.Tensor):
        assert_same(nd, th, where=where)
    elif isinstance(th, dict):
        assert type(nd) is type(th) and list(nd) == list(th), where
        for k in th:
            _same_structure(nd[k], th[k], f"{where}[{k!r}]")
    elif isinstance(th, (list, tuple)):
        assert type(nd) is type(th) and len(nd) == len(th), f"{where}: {type(nd)} vs {type(th)}"
        for i, (a, b) in enumerate(zip(nd, th)):
            _same_structure(a, b, f"{where}[{i}]")
    else:
        assert nd == th, where


@given(structure=_structure(), size=st.integers(1, 4), seed=st.integers(0, 2**31))
def test_default_collate_matches_torch(structure, size, seed):
    batches = []
    for lib, collate in ((ndgrad, ndgrad.utils.data.default_collate),
                         (torch, torch.utils.data.default_collate)):
        rng = np.random.default_rng(seed)
        batches.append(collate([_make(lib, structure, rng) for _ in range(size)]))
    _same_structure(*batches)


def _loader_batches(lib, n, **kw):
    xs = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    ds = lib.utils.data.TensorDataset(lib.tensor(xs), lib.tensor(np.arange(n)))
    return list(lib.utils.data.DataLoader(ds, **kw))


@settings(max_examples=15)
@given(n=st.integers(1, 12), batch_size=st.sampled_from([None, 1, 3, 5]), drop_last=st.booleans(),
       workers=st.sampled_from([0, 0, 2]))
def test_dataloader_batches_match_torch(n, batch_size, drop_last, workers):
    kw = {"batch_size": batch_size, "drop_last": drop_last and batch_size is not None}
    nd = _loader_batches(ndgrad, n, num_workers=workers, **kw)
    th = _loader_batches(torch, n, **kw)
    _same_structure(nd, th)
    ds = ndgrad.utils.data.TensorDataset(ndgrad.zeros(n))
    assert len(ndgrad.utils.data.DataLoader(ds, **kw)) == len(th)


def test_shuffle_is_a_permutation_reproducible_with_a_generator():
    def run(seed, workers=0):
        g = ndgrad.Generator().manual_seed(seed)
        return [b[1].tolist() for b in _loader_batches(ndgrad, 10, batch_size=4, shuffle=True, generator=g,
                                                       num_workers=workers)]
    first = run(1)
    assert sorted(sum(first, [])) == list(range(10)) and first != [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert run(1) == first and run(1, workers=2) == first and run(2) != first
    ndgrad.manual_seed(3)
    a = [b[1].tolist() for b in _loader_batches(ndgrad, 10, batch_size=4, shuffle=True)]
    ndgrad.manual_seed(3)
    assert a == [b[1].tolist() for b in _loader_batches(ndgrad, 10, batch_size=4, shuffle=True)]


class _Failing(ndgrad.utils.data.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise KeyError(f"sample {i} is missing")
        return ndgrad.tensor([i])


def test_worker_exception_is_reraised_with_its_traceback():
    with pytest.raises(KeyError) as info:
        list(ndgrad.utils.data.DataLoader(_Failing(), batch_size=2, num_workers=2))
    text = str(info.value)
    assert "Caught KeyError in DataLoader worker process" in text and "sample 5 is missing" in text
    assert "Traceback" in text and "__getitem__" in text


def test_dataset_from_main_and_early_break_do_not_hang():
    script = Path(__file__).parent / "scripts" / "loader_in_main.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["[5.0, 50.0, 149.0, 81.0]", "done"]


class _Stream(ndgrad.utils.data.IterableDataset):
    def __iter__(self):
        info = ndgrad.utils.data.get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, 10, step))


class _TorchStream(torch.utils.data.IterableDataset):
    def __iter__(self):
        return iter(range(10))


def test_iterable_dataset_sharded_across_workers():
    single = [b.tolist() for b in ndgrad.utils.data.DataLoader(_Stream(), batch_size=3)]
    assert single == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    multi = [b.tolist() for b in ndgrad.utils.data.DataLoader(_Stream(), batch_size=2, num_workers=2)]
    assert sorted(sum(multi, [])) == list(range(10))
    assert multi[:2] == [[0, 2], [1, 3]]                  # round-robin over the workers, as in PyTorch


def test_datasets_and_samplers_match_torch():
    for lib in (ndgrad, torch):
        D = lib.utils.data
        ds = D.TensorDataset(lib.arange(10), lib.arange(10) * 2)
        cat = D.ConcatDataset([ds, D.Subset(ds, [9, 8])])
        assert len(cat) == 12 and cat[-1][0].item() == 8 and cat[10][1].item() == 18
        parts = D.random_split(ds, [0.7, 0.3], generator=lib.Generator().manual_seed(0))
        assert [len(p) for p in parts] == [7, 3]
        assert sorted(int(p[i][0]) for p in parts for i in range(len(p))) == list(range(10))
        batches = list(D.BatchSampler(D.SequentialSampler(range(7)), 3, drop_last=False))
        assert batches == [[0, 1, 2], [3, 4, 5], [6]]
        assert (sorted(D.RandomSampler(range(6))) == list(range(6))
                and len(D.RandomSampler(range(6), True, 9)) == 9)


@pytest.mark.parametrize("call", [
    lambda D, lib: D.DataLoader(D.TensorDataset(lib.zeros(3)), shuffle=True, sampler=[0, 1]),
    lambda D, lib: D.DataLoader(D.TensorDataset(lib.zeros(3)), batch_size=2, batch_sampler=[[0]]),
    lambda D, lib: D.DataLoader(D.TensorDataset(lib.zeros(3)), batch_size=None, drop_last=True),
    lambda D, lib: D.DataLoader(D.TensorDataset(lib.zeros(3)), num_workers=-1),
    lambda D, lib: D.DataLoader(_Stream() if lib is ndgrad else _TorchStream(), shuffle=True),
    lambda D, lib: D.TensorDataset(lib.zeros(3), lib.zeros(4)),
    lambda D, lib: D.random_split(D.TensorDataset(lib.zeros(3)), [1, 1]),
    lambda D, lib: D.BatchSampler([0, 1], 0, False),
    lambda D, lib: D.ConcatDataset([]),
    lambda D, lib: D.default_collate([object()]),
    lambda D, lib: D.default_collate([[1, 2], [1]]),
], ids=["shuffle with sampler", "batch_sampler with batch_size", "drop_last without batching",
        "negative workers", "shuffled IterableDataset", "size mismatch", "lengths do not sum",
        "batch size 0", "no datasets", "unknown type", "ragged lists"])
def test_data_errors_match_torch(call):
    raised = []
    for lib in (torch, ndgrad):
        with pytest.raises(Exception) as info:
            call(lib.utils.data, lib)
        raised.append(type(info.value))
    builtin = next(c for c in raised[0].__mro__ if c.__module__ == "builtins")
    assert issubclass(raised[1], builtin), raised
