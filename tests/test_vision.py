"""ndgrad.vision: IDX reading, MNIST/FashionMNIST (on small IDX files the tests write, downloads
from file:// mirrors with checksums), the bundled subset, and the transforms (against PyTorch
for the arithmetic, against Pillow for the geometry)."""
import gzip
import hashlib

import numpy as np
import pytest
import torch
from PIL import Image

import ndgrad
from ndgrad.vision import datasets, transforms as T


def _idx(array: np.ndarray, code: int = 0x08) -> bytes:
    big = array.astype(array.dtype.newbyteorder(">"))
    return (bytes([0, 0, code, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
            + big.tobytes())


def _write_mnist(folder, n=6, gz=True, prefix="train"):
    rng = np.random.default_rng(0)
    images, labels = (rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
                      rng.integers(0, 10, n).astype(np.uint8))
    folder.mkdir(parents=True, exist_ok=True)
    for kind, data in (("images-idx3", images), ("labels-idx1", labels)):
        raw = _idx(data)
        name = f"{prefix}-{kind}-ubyte"
        if gz:
            (folder / (name + ".gz")).write_bytes(gzip.compress(raw))
        else:
            (folder / name).write_bytes(raw)
    return images, labels


@pytest.mark.parametrize("dtype,code", [("uint8", 0x08), ("int16", 0x0B), ("int32", 0x0C), ("float64", 0x0E)])
def test_read_idx_round_trip(tmp_path, dtype, code):
    a = ((np.arange(24).reshape(2, 3, 4) - 5).astype(dtype) if dtype != "uint8"
         else np.arange(24, dtype=np.uint8))
    (tmp_path / "x.idx").write_bytes(_idx(a, code))
    (tmp_path / "x.idx.gz").write_bytes(gzip.compress(_idx(a, code)))
    for name in ("x.idx", "x.idx.gz"):
        got = datasets.read_idx(tmp_path / name)
        assert got.dtype == a.dtype and np.array_equal(got, a)


def test_read_idx_refuses_foreign_and_truncated_files(tmp_path):
    (tmp_path / "bad").write_bytes(b"PK\x03\x04 not an idx file")
    with pytest.raises(RuntimeError, match="not an IDX file"):
        datasets.read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(_idx(np.zeros((3, 4), np.uint8))[:-2])
    with pytest.raises(RuntimeError, match="truncated"):
        datasets.read_idx(tmp_path / "short")


@pytest.mark.parametrize("gz", [True, False])
def test_mnist_reads_a_root_like_torchvision(tmp_path, gz):
    images, labels = _write_mnist(tmp_path / "MNIST" / "raw", gz=gz)
    ds = datasets.MNIST(str(tmp_path), train=True)
    assert len(ds) == 6 and ds.data.dtype is ndgrad.uint8 and ds.targets.dtype is ndgrad.int64
    assert np.array_equal(ds.data.numpy(), images) and ds.targets.tolist() == labels.tolist()
    img, target = ds[2]
    assert isinstance(img, Image.Image) and img.mode == "L" and img.size == (28, 28)
    assert np.array_equal(np.array(img), images[2]) and target == int(labels[2]) and type(target) is int
    ds = datasets.MNIST(str(tmp_path), transform=T.ToTensor(), target_transform=lambda y: y + 100)
    x, y = ds[1]
    assert x.shape == (1, 28, 28) and x.dtype is ndgrad.float32 and y == labels[1] + 100
    with pytest.raises(RuntimeError, match="Dataset not found"):
        datasets.MNIST(str(tmp_path), train=False)
    with pytest.raises(RuntimeError, match="Dataset not found"):
        datasets.FashionMNIST(str(tmp_path))          # its own folder: FashionMNIST/raw
    assert datasets.MNIST.classes[3] == "3 - three" and datasets.FashionMNIST.classes[9] == "Ankle boot"


def _mirror(tmp_path, monkeypatch, cls, corrupt=None):
    """A file:// mirror holding the four files; resources' MD5s set to those files' own."""
    src = tmp_path / "mirror"
    for prefix in ("train", "t10k"):
        _write_mnist(src, n=4, prefix=prefix)
    resources = []
    for name, _ in cls.resources:
        data = (src / name).read_bytes()
        resources.append((name, hashlib.md5(data).hexdigest()))
        if name == corrupt:
            (src / name).write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    monkeypatch.setattr(cls, "resources", resources)
    monkeypatch.setattr(cls, "mirrors", [(tmp_path / "nowhere").as_uri() + "/", src.as_uri() + "/"])


@pytest.mark.parametrize("cls", [datasets.MNIST, datasets.FashionMNIST])
def test_download_tries_each_mirror_and_checks_md5(tmp_path, monkeypatch, cls):
    _mirror(tmp_path, monkeypatch, cls)
    root = tmp_path / "root"
    ds = cls(str(root), train=False, download=True)
    assert len(ds) == 4 and (root / cls.__name__ / "raw" / "t10k-images-idx3-ubyte.gz").is_file()
    cls(str(root), download=True)                 # already there: nothing fetched again


def test_download_refuses_a_file_with_the_wrong_md5(tmp_path, monkeypatch):
    _mirror(tmp_path, monkeypatch, datasets.MNIST, corrupt="train-labels-idx1-ubyte.gz")
    with pytest.raises(RuntimeError, match="checksum mismatch"):
        datasets.MNIST(str(tmp_path / "root"), download=True)
    raw = tmp_path / "root" / "MNIST" / "raw"
    assert not (raw / "train-labels-idx1-ubyte.gz").exists()
    assert sorted(p.name for p in raw.iterdir()) == ["train-images-idx3-ubyte.gz"]   # no temp files left


def test_bundled_subset_is_balanced_and_small():
    train = datasets.MNIST(datasets.BUNDLED_ROOT, train=True)
    test = datasets.MNIST(datasets.BUNDLED_ROOT, train=False)
    assert (len(train), len(test)) == (4000, 1000)
    assert np.bincount(train.targets.numpy()).tolist() == [400] * 10
    assert np.bincount(test.targets.numpy()).tolist() == [100] * 10
    assert train.data.float().mean().item() == pytest.approx(33.3, abs=1.5)      # MNIST's mean pixel
    size = sum(p.stat().st_size
               for p in (datasets.pathlib.Path(datasets.BUNDLED_ROOT) / "MNIST" / "raw").iterdir())
    assert size < 2 * 2**20


def test_to_tensor_and_normalize_match_pytorch_arithmetic():
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, (5, 4, 3), dtype=np.uint8)
    for pic, arr in ((Image.fromarray(rgb), rgb), (rgb, rgb), (rgb[:, :, 0], rgb[:, :, :1])):
        got = T.ToTensor()(pic)
        want = torch.from_numpy(arr.copy()).permute(2, 0, 1).float().div(255)
        assert got.dtype is ndgrad.float32 and np.array_equal(got.numpy(), want.numpy())
    floats = rng.standard_normal((2, 2, 1))
    assert (T.ToTensor()(floats).dtype is ndgrad.float64
            and np.array_equal(T.ToTensor()(floats).numpy()[0], floats[:, :, 0]))
    mean, std = (0.5, 0.4, 0.3), (0.2, 0.25, 0.3)
    x = T.ToTensor()(rgb)
    want = ((torch.from_numpy(x.numpy()) - torch.tensor(mean).view(-1, 1, 1))
            / torch.tensor(std).view(-1, 1, 1))
    np.testing.assert_allclose(T.Normalize(mean, std)(x).numpy(), want.numpy(), rtol=1e-6)
    y = x.clone()
    assert T.Normalize(mean, std, inplace=True)(y) is y
    with pytest.raises(TypeError):
        T.Normalize(mean, std)(rgb)
    with pytest.raises(ValueError, match="std evaluated to zero"):
        T.Normalize((0.0,), (0.0,))(ndgrad.ones(1, 2, 2))
    with pytest.raises(TypeError):
        T.ToTensor()([1, 2])


def test_compose_lambda_and_reprs():
    t = T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,)), T.Lambda(lambda x: x * 2)])
    assert repr(t) == ("Compose(\n    ToTensor()\n    Normalize(mean=(0.1307,), std=(0.3081,))\n"
                       "    Lambda()\n)")
    out = t(np.full((2, 2), 255, np.uint8))
    assert (out.shape == (1, 2, 2)
            and out[0, 0, 0].item() == pytest.approx(2 * (1 - 0.1307) / 0.3081, rel=1e-6))
    with pytest.raises(TypeError):
        T.Lambda(3)


def test_horizontal_flip_on_images_and_tensors():
    arr = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert np.array_equal(np.array(T.RandomHorizontalFlip(p=1.0)(Image.fromarray(arr))), arr[:, ::-1])
    assert np.array_equal(np.array(T.RandomHorizontalFlip(p=0.0)(Image.fromarray(arr))), arr)
    t = ndgrad.from_numpy(arr[None].copy())
    assert np.array_equal(T.RandomHorizontalFlip(p=1.0)(t).numpy(), arr[None, :, ::-1])
    ndgrad.manual_seed(0)
    flips = sum(T.RandomHorizontalFlip()(t)[0, 0, 0].item() == 3 for _ in range(400))
    assert 160 < flips < 240


def _square():
    return np.random.default_rng(2).integers(1, 256, (8, 8), dtype=np.uint8)


def test_rotation_by_quarter_turns_is_exact():
    arr = _square()
    t = ndgrad.from_numpy(arr[None].copy())
    # counter-clockwise, like PIL's rotate and numpy's rot90
    assert np.array_equal(np.array(T.RandomRotation((90, 90))(Image.fromarray(arr))), np.rot90(arr))
    assert np.array_equal(T.RandomRotation((90, 90))(t).numpy()[0], np.rot90(arr))
    # RandomAffine's angle turns clockwise, as torchvision's affine does
    assert np.array_equal(T.RandomAffine((90, 90))(t).numpy()[0], np.rot90(arr, -1))
    assert np.array_equal(np.array(T.RandomAffine((90, 90))(Image.fromarray(arr))), np.rot90(arr, -1))


def test_random_rotation_draws_from_ndgrad_and_matches_pillow():
    arr = _square()
    ndgrad.manual_seed(5)
    out = T.RandomRotation(30, fill=7)(Image.fromarray(arr))
    ndgrad.manual_seed(5)
    angle = ndgrad.empty(1).uniform_(-30.0, 30.0).item()      # torchvision's draw of the angle
    assert np.array_equal(np.array(out), np.array(Image.fromarray(arr).rotate(angle, fillcolor=7)))


@pytest.mark.parametrize("seed", range(5))
def test_affine_on_tensors_matches_pillow(seed):
    """The tensor path re-implements PIL's nearest-neighbour affine map: on the same parameters the
    two agree on nearly every pixel (exact ties at pixel edges may round either way)."""
    arr = np.random.default_rng(seed).integers(1, 256, (20, 16), dtype=np.uint8)
    aug = T.RandomAffine(25, translate=(0.1, 0.2), scale=(0.8, 1.2), shear=(-10, 10, -5, 5), fill=3)
    ndgrad.manual_seed(seed)
    pil = np.array(aug(Image.fromarray(arr)))
    ndgrad.manual_seed(seed)
    ten = aug(ndgrad.from_numpy(arr[None].copy())).numpy()[0]
    assert (pil == ten).mean() > 0.98 and (pil == 3).any()
