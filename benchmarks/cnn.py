"""The seed CNN's training step at batch 64 (Conv-ReLU-Pool ×2 + Linear on 1×28×28 images,
cross-entropy, backward, SGD step): ndgrad vs PyTorch on the CPU, in one run.

Run: python benchmarks/cnn.py [--repeat 10] [--batch 64] [--json results.json]
Target (issue 5): ndgrad ≤ 3× PyTorch's time.
"""
import argparse
import json

import numpy as np

from _timing import alternating_medians, sgd_step


def seed_cnn(nn):
    """Conv2d(1, 32, 3, padding=1) → ReLU → MaxPool2d(2), twice (32 → 64 channels), then Linear."""
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 7 * 7, 10))


def _step(lib, batch):
    rng = np.random.default_rng(0)
    x = lib.from_numpy(rng.standard_normal((batch, 1, 28, 28)).astype(np.float32))
    y = lib.from_numpy(rng.integers(0, 10, batch))
    return sgd_step(lib, seed_cnn(lib.nn), x, y)


def main(repeat: int, batch: int, out: str | None):
    import torch

    import ndgrad
    t_nd, t_th = alternating_medians([_step(ndgrad, batch), _step(torch, batch)], repeat)
    row = {"batch": batch, "ndgrad_ms": t_nd * 1e3, "torch_ms": t_th * 1e3, "ndgrad_vs_torch": t_nd / t_th}
    print(f"{'batch':>5} {'ndgrad ms':>10} {'torch ms':>9} {'nd/torch':>9}")
    print(f"{batch:>5} {row['ndgrad_ms']:>10.2f} {row['torch_ms']:>9.2f} {row['ndgrad_vs_torch']:>8.2f}x")
    if out:
        with open(out, "w") as f:
            json.dump({"benchmark": "cnn", "rows": [row]}, f, indent=2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="calls per block (5 blocks each)")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    main(args.repeat, args.batch, args.json)
