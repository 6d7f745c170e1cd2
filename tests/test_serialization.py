"""ndgrad.save / ndgrad.load: round trips of nested structures, PyTorch's safetensors loader
reads a saved state_dict, pickles are refused unexecuted, corrupt files give clear errors,
and a failed save leaves the old file intact."""
import io
import math
import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st
from safetensors.torch import load_file, save_file

import ndgrad

_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


@st.composite
def _tensors(draw):
    dtype = draw(st.sampled_from(_DTYPES))
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    values = np.random.default_rng(draw(st.integers(0, 2**31))).standard_normal(shape) * 10
    t = ndgrad.tensor(values.astype(dtype))
    if draw(st.booleans()) and len(shape) == 2:
        t = t.t()                                     # a non-contiguous tensor saves its values
    return t


_plain = st.one_of(st.none(), st.booleans(), st.integers(-2**60, 2**60), st.text(max_size=5),
                   st.floats(allow_nan=True), _tensors())
_objects = st.recursive(_plain, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 9)), inner, max_size=3),
    st.dictionaries(st.text(max_size=4), inner, max_size=3).map(OrderedDict)), max_leaves=8)


def _same(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, ndgrad.Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad
        assert np.array_equal(a.numpy(), b.numpy(), equal_nan=True)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b)
    else:
        assert a == b


@given(obj=_objects)
def test_round_trip_of_nested_structures(obj):
    buf = io.BytesIO()
    ndgrad.save(obj, buf)
    buf.seek(0)
    _same(obj, ndgrad.load(buf))


def test_state_dict_is_read_by_pytorchs_safetensors_loader(tmp_path):
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(3, 4), ndgrad.nn.ReLU(), ndgrad.nn.Linear(4, 2))
    path = tmp_path / "model.pth"
    ndgrad.save(model.state_dict(), path)
    loaded = load_file(str(path))
    assert list(loaded) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    th = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    th.load_state_dict(loaded)
    x = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")
    np.testing.assert_allclose(th(torch.from_numpy(x)).detach().numpy(),
                               model(ndgrad.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
    # (float32 matmuls: PyTorch's summation order varies run to run, so an output near zero once
    # missed rtol=1e-6 alone; wrong weights would be off by ~0.1)


def test_loads_a_safetensors_file_written_by_pytorch(tmp_path):
    path = tmp_path / "w.safetensors"
    save_file({"w": torch.arange(6.0).reshape(2, 3), "i": torch.tensor([1, 2])}, str(path))
    got = ndgrad.load(path)
    assert list(got) == ["i", "w"] and got["w"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_checkpoint_resumes_model_and_optimizer(tmp_path):
    model = ndgrad.nn.Linear(2, 1)
    opt = ndgrad.optim.Adam(model.parameters(), lr=0.1)
    model(ndgrad.ones(3, 2)).sum().backward()
    opt.step()
    ndgrad.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 1}, tmp_path / "ckpt.pth")
    ckpt = ndgrad.load(tmp_path / "ckpt.pth")
    model2 = ndgrad.nn.Linear(2, 1)
    model2.load_state_dict(ckpt["model"])
    opt2 = ndgrad.optim.Adam(model2.parameters(), lr=0.1)
    opt2.load_state_dict(ckpt["opt"])
    for m, o in ((model, opt), (model2, opt2)):
        o.zero_grad()
        m(ndgrad.ones(3, 2)).sum().backward()
        o.step()
    assert ndgrad.equal(model.weight, model2.weight) and ckpt["epoch"] == 1


class _Exploit:
    def __reduce__(self):
        return (open, (os.environ["NDGRAD_MARKER"], "w"))


def test_a_malicious_pickle_is_refused_and_never_runs(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    monkeypatch.setenv("NDGRAD_MARKER", str(marker))
    payload = pickle.dumps({"weight": _Exploit()})
    for name, data in (("raw.pkl", payload), ("old.pkl", pickle.dumps({"w": _Exploit()}, protocol=0))):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(RuntimeError, match="pickle"):
            ndgrad.load(tmp_path / name)
    torch.save({"w": torch.zeros(2)}, tmp_path / "torch.pth")
    with pytest.raises(RuntimeError, match="zip archive"):
        ndgrad.load(tmp_path / "torch.pth")
    assert not marker.exists()


@pytest.mark.parametrize("damage", ["truncate", "header", "offsets", "empty", "length"])
def test_corrupt_files_give_a_clear_error(tmp_path, damage):
    path = tmp_path / "m.pth"
    ndgrad.save({"w": ndgrad.arange(10.0)}, path)
    data = path.read_bytes()
    n = int.from_bytes(data[:8], "little")
    assert b'"data_offsets":[0,40]' in data
    data = {"truncate": data[:-7], "header": data[:8] + b"[" + data[9:], "empty": b"",
            "offsets": data.replace(b'"data_offsets":[0,40]', b'"data_offsets":[0,48]'),
            "length": (n + 10**6).to_bytes(8, "little") + data[8:]}[damage]
    path.write_bytes(data)
    with pytest.raises(RuntimeError, match="not a valid ndgrad/safetensors file"):
        ndgrad.load(path)


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "m.pth"
    ndgrad.save({"w": ndgrad.ones(2)}, path)
    before = path.read_bytes()
    with pytest.raises(TypeError, match="no pickle"):
        ndgrad.save({"w": ndgrad.zeros(2), "f": object()}, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.pth"]


def test_parameters_and_gpu_locations():
    buf = io.BytesIO()
    ndgrad.save({"p": ndgrad.nn.Parameter(ndgrad.ones(2))}, buf)
    buf.seek(0)
    p = ndgrad.load(buf, map_location="cpu")["p"]
    assert isinstance(p, ndgrad.nn.Parameter) and p.requires_grad


def _with_structure(path, edit):
    """Rewrite the JSON structure record inside a saved file (a safetensors header)."""
    import json
    import struct
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header["__metadata__"]["structure"] = edit(header["__metadata__"]["structure"])
    new = json.dumps(header).encode()
    new += b" " * (-len(new) % 8)
    path.write_bytes(struct.pack("<Q", len(new)) + new + raw[8 + n:])


@pytest.mark.parametrize("name", ["builtins", "Tensor", "__class__", "dtype", "numpy", "", "FLOAT32"])
def test_a_dtype_record_can_only_name_a_dtype(tmp_path, name):
    path = tmp_path / "d.safetensors"
    ndgrad.save({"d": ndgrad.float32, "x": ndgrad.ones(2)}, path)
    assert ndgrad.load(path)["d"] is ndgrad.float32
    _with_structure(path, lambda s: s.replace('"float32"', f'"{name}"'))
    with pytest.raises(RuntimeError, match="names no ndgrad dtype"):
        ndgrad.load(path)


def _safetensors_file(header: dict, body: bytes, encoding="utf-8", prefix="") -> bytes:
    import json
    import struct
    text = (prefix + json.dumps(header)).encode(encoding)
    return struct.pack("<Q", len(text)) + text + body


_GOOD = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
         "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}
_BODY = bytes(range(12))


def _entry(name, **kw):
    return {**_GOOD, name: {**_GOOD[name], **kw}}


@pytest.mark.parametrize("header,body,kw", [
    (_entry("a", shape=[2.0]), _BODY, {}),
    (_entry("a", shape=[2.5]), _BODY, {}),
    (_entry("a", shape=["2"]), _BODY, {}),
    (_entry("b", shape=[True]), _BODY, {}),
    (_entry("b", data_offsets=[4, 8], shape=[1]), _BODY, {}),             # overlaps a
    (_entry("b", data_offsets=[0, 4]), _BODY, {}),                          # starts where a does
    (_GOOD, _BODY + b"\0\0\0\0", {}),                                       # trailing bytes
    (_entry("b", data_offsets=[8.0, 12.0]), _BODY, {}),
    (_GOOD, _BODY, {"encoding": "utf-16"}),
    (_GOOD, _BODY, {"encoding": "utf-32"}),
    (_GOOD, _BODY, {"prefix": "\ufeff"}),
    (_entry("a", dtype="F31"), _BODY, {}),
], ids=["float-shape", "fractional-shape", "string-shape", "bool-shape", "overlap", "duplicate-offsets",
        "trailing-bytes", "float-offsets", "utf16", "utf32", "bom", "unknown-dtype"])
def test_the_loader_rejects_what_safetensors_rejects(tmp_path, header, body, kw):
    import safetensors
    import safetensors.torch
    data = _safetensors_file(header, body, **kw)
    with pytest.raises(safetensors.SafetensorError):
        safetensors.torch.load(data)
    (tmp_path / "bad.safetensors").write_bytes(data)
    with pytest.raises(RuntimeError, match="not a valid ndgrad/safetensors file"):
        ndgrad.load(tmp_path / "bad.safetensors")


def test_a_valid_file_with_an_unsupported_dtype_says_so(tmp_path):
    import safetensors.torch
    data = _safetensors_file(_entry("a", dtype="BF16", shape=[4]), _BODY)
    assert safetensors.torch.load(data)["a"].dtype == torch.bfloat16
    (tmp_path / "bf16.safetensors").write_bytes(data)
    with pytest.raises(RuntimeError, match="dtype BF16, which ndgrad does not support"):
        ndgrad.load(tmp_path / "bf16.safetensors")
    good = tmp_path / "good.safetensors"
    good.write_bytes(_safetensors_file(_GOOD, _BODY))
    assert {k: v.shape for k, v in ndgrad.load(good).items()} == {"a": (2,), "b": (1,)}


@pytest.mark.parametrize("structure", [
    '{"__size__": "ab"}', '{"__size__": 3}', '{"__tuple__": 5}', '{"__dict__": [[1]]}', '{"__float__": [1]}',
    '{"__odict__": 7}', '{"__tensor__": ["x"]}', "[" * 100_000 + "]" * 100_000, '{"__dtype__": ["float32"]}',
], ids=["size-string", "size-int", "tuple-int", "dict-pair", "float-list", "odict-int", "tensor-list", "deep",
        "dtype-list"])
def test_a_damaged_structure_record_gives_the_loaders_error(tmp_path, structure):
    path = tmp_path / "s.safetensors"
    ndgrad.save({"x": ndgrad.ones(2)}, path)
    _with_structure(path, lambda s: structure)
    with pytest.raises(RuntimeError, match="not a valid ndgrad/safetensors file"):
        ndgrad.load(path)


def test_a_saved_file_gets_the_mode_pytorch_gives_it(tmp_path):
    old = os.umask(0o022)
    try:
        for umask in (0o022, 0o077, 0o002):
            os.umask(umask)
            torch.save({"w": torch.ones(2)}, tmp_path / f"torch-{umask}.pth")
            ndgrad.save({"w": ndgrad.ones(2)}, tmp_path / f"ndgrad-{umask}.pth")
            modes = {os.stat(tmp_path / f"{lib}-{umask}.pth").st_mode & 0o777 for lib in ("torch", "ndgrad")}
            assert modes == {0o666 & ~umask}
        os.chmod(tmp_path / "ndgrad-2.pth", 0o640)         # overwriting keeps the file's own mode
        ndgrad.save({"w": ndgrad.zeros(2)}, tmp_path / "ndgrad-2.pth")
        assert os.stat(tmp_path / "ndgrad-2.pth").st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


def test_saving_to_a_symlink_writes_its_target(tmp_path):
    target, link = tmp_path / "real.pth", tmp_path / "link.pth"
    ndgrad.save({"w": ndgrad.ones(2)}, target)
    link.symlink_to(target)
    ndgrad.save({"w": ndgrad.zeros(3)}, link)
    assert link.is_symlink() and ndgrad.load(target)["w"].shape == (3,)
    assert sorted(os.listdir(tmp_path)) == ["link.pth", "real.pth"]


def test_a_killed_save_leaves_the_old_file_and_the_next_save_clears_its_debris(tmp_path):
    import subprocess
    import sys
    path = tmp_path / "m.pth"
    ndgrad.save({"w": ndgrad.ones(2)}, path)
    before = path.read_bytes()
    # a save killed while writing: os._exit stands in for the kill, after the temporary is written
    code = ("import os, ndgrad, ndgrad.serialization as s\n"
            "os.replace = lambda *a: os._exit(9)\n"
            f"ndgrad.save({{'w': ndgrad.zeros(5)}}, {str(path)!r})\n")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 9
    debris = [e for e in os.listdir(tmp_path) if e != "m.pth"]
    assert len(debris) == 1 and path.read_bytes() == before
    ndgrad.save({"w": ndgrad.zeros(4)}, path)
    assert os.listdir(tmp_path) == ["m.pth"] and ndgrad.load(path)["w"].shape == (4,)


# ---- shared memory: tied weights and views (issue 18, item 3) --------------------------------------

def _tied_model(L, device):
    L.manual_seed(0)
    emb, out = L.nn.Embedding(10, 4), L.nn.Linear(4, 10, bias=False)
    out.weight = emb.weight                    # a decoder sharing the embedding's weight
    return L.nn.Sequential(emb, out).to(device).state_dict()


SHARING = {
    "one tensor twice": lambda L, w: {"a": w, "b": w},
    "two tensors detached from one": lambda L, w: {"a": w.detach(), "b": w.detach()},
    "a state_dict with tied weights": lambda L, w: _tied_model(L, w.device),
    "a base and its views": lambda L, w: {"x": w, "row": w[1], "col": w[:, 2], "t": w.t(),
                                         "rows": w.expand(2, 3, 4)[1]},
    "views without their base": lambda L, w: [w[0], w[2], w[1:, 1:]],
    "a Parameter twice, in a tuple": lambda L, w: (L.nn.Parameter(w), "x", [1.5]),
    "a view and a copy": lambda L, w: {"v": w[1:], "c": w[1:].clone()},
}


def _loaded_tensors(obj, L, device="cpu"):
    buf = io.BytesIO()
    L.save(obj, buf)
    buf.seek(0)
    out = L.load(buf)
    flat = []

    def walk(o):
        if isinstance(o, L.Tensor):
            flat.append(o)
        elif isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, (list, tuple)):
            for v in o:
                walk(v)
    walk(out)
    return flat


def _relations(ts, L):
    """Which loaded tensors are one object, and which see an in-place write to which."""
    same = [[a is b for b in ts] for a in ts]
    sees = []
    with L.no_grad():
        for a in ts:
            before = [b.clone() for b in ts]
            a.add_(1)
            sees.append([not L.equal(b, old) for b, old in zip(ts, before)])
            a.sub_(1)
    return same, sees


@pytest.mark.parametrize("case", SHARING)
def test_shared_memory_comes_back_shared_as_from_pytorch(case, device):
    make = SHARING[case]
    th = _loaded_tensors(make(torch, torch.arange(12.0).reshape(3, 4)), torch)
    nd = _loaded_tensors(make(ndgrad, ndgrad.arange(12.0, device=device).reshape(3, 4)), ndgrad)
    assert len(nd) == len(th)
    for a, b in zip(nd, th):
        assert a.tolist() == b.tolist() and tuple(a.shape) == tuple(b.shape) and a.stride() == b.stride()
        assert type(a).__name__ == type(b).__name__ and a.requires_grad == b.requires_grad
        assert str(a.device).startswith(device)
    assert _relations(nd, ndgrad) == _relations(th, torch)


def test_tied_weights_are_written_once():
    w = ndgrad.randn(64, 64)
    tied, copied = io.BytesIO(), io.BytesIO()
    ndgrad.save({"a": w, "b": w.detach()}, tied)
    ndgrad.save({"a": w, "b": w.clone()}, copied)
    assert len(copied.getvalue()) - len(tied.getvalue()) >= w.numel() * 4 - 64
    assert list(load_file_bytes(tied.getvalue())) == ["a"]      # what safetensors sees: one tensor


def load_file_bytes(data: bytes) -> dict:
    import safetensors.torch
    return safetensors.torch.load(data)


@pytest.mark.parametrize("view,inside", [
    ([0, [3, 4], [4, 1]], True), ([1, [11], [1]], True), ([0, [4, 3], [1, 4]], True),
    ([11, [12], [-1]], True), ([0, [5, 2], [0, 1]], True), ([12, [0], [1]], True),
    ([0, [2, 0], [99, 1]], True),
    ([1, [3, 4], [4, 1]], False), ([0, [13], [1]], False), ([0, [2, 2], [20, 1]], False),
    ([12, [1], [1]], False), ([2, [4], [-1]], False), ([-1, [2], [1]], False), ([13, [0], [1]], False),
    ([0, [2**62], [2**62]], False), ([0, [2.0], [1]], False), ([0, [2], [1.5]], False), ([0, [2], []], False),
    ([0, [2]], False), ("x", False), ([True, [2], [1]], False),
], ids=str)
def test_a_view_record_cannot_reach_outside_its_entry(tmp_path, view, inside):
    import json
    path = tmp_path / "v.safetensors"
    w = ndgrad.arange(12.0)
    ndgrad.save({"a": w, "b": w[1:]}, path)
    _with_structure(path, lambda s: s.replace('"view": [1, [11], [1]]', f'"view": {json.dumps(view)}'))
    if inside:
        b = ndgrad.load(path)["b"]
        assert b.shape == tuple(view[1]) and b.stride() == tuple(view[2])
        strided = np.lib.stride_tricks.as_strided(np.arange(12.0)[view[0]:], view[1],
                                                  [8 * s for s in view[2]])
        assert np.array_equal(b.numpy(), strided)
    else:
        with pytest.raises(RuntimeError, match="not a valid ndgrad/safetensors file"):
            ndgrad.load(path)


@pytest.mark.parametrize("same", ["1", "-1", "0.0", '"a"', "[0]"])
def test_a_same_record_names_only_a_tensor_met_before(tmp_path, same):
    path = tmp_path / "s.safetensors"
    w = ndgrad.ones(2)
    ndgrad.save([w, w], path)
    loaded = ndgrad.load(path)
    assert loaded[0] is loaded[1]
    _with_structure(path, lambda s: s.replace('{"__same__": 0}', f'{{"__same__": {same}}}'))
    with pytest.raises(RuntimeError, match="names no tensor met before it"):
        ndgrad.load(path)


@pytest.mark.parametrize("name", ["tpu", "xla:0", "meta", "cuda:x", "7"])
def test_an_unknown_device_in_a_file_is_named(tmp_path, name):
    path = tmp_path / "d.safetensors"
    ndgrad.save({"x": ndgrad.ones(2)}, path)
    _with_structure(path, lambda s: s.replace('"device": "cpu"', f'"device": "{name}"'))
    with pytest.raises(RuntimeError, match=f"saved on device '{name}', which ndgrad does not know"):
        ndgrad.load(path)
    assert ndgrad.load(path, map_location={name: "cpu"})["x"].tolist() == [1.0, 1.0]
