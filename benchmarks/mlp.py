"""MLP 784-512-256-10 training step (forward, cross-entropy, backward, SGD step): ndgrad vs
PyTorch (CPU) vs a hand-written NumPy forward/backward, the floor for any NumPy framework.

Run: python benchmarks/mlp.py [--repeat 20] [--json results.json]
Targets (issue 4): ndgrad ≤ 1.3× NumPy at batch 512, ≤ 2× PyTorch at batch 64.
"""
import argparse
import json

import numpy as np

from _timing import alternating_medians, sgd_step

SIZES = (784, 512, 256, 10)


def _data(batch):
    rng = np.random.default_rng(0)
    return rng.standard_normal((batch, SIZES[0])).astype(np.float32), rng.integers(0, 10, batch)


def mlp(nn):
    """The MLP 784-512-256-10 with ReLUs."""
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def _framework_step(lib, batch):
    x, y = _data(batch)
    return sgd_step(lib, mlp(lib.nn), lib.from_numpy(x), lib.from_numpy(y))


def _numpy_step(batch):
    """The same step written by hand: the least work any NumPy implementation can do."""
    x, y = _data(batch)
    rng = np.random.default_rng(1)
    ws = [rng.uniform(-1 / np.sqrt(i), 1 / np.sqrt(i), (o, i)).astype(np.float32)
          for i, o in zip(SIZES, SIZES[1:])]
    bs = [np.zeros(o, np.float32) for o in SIZES[1:]]
    rows = np.arange(batch)

    def step():
        acts = [x]
        for i, (w, b) in enumerate(zip(ws, bs)):
            z = acts[-1] @ w.T + b
            acts.append(np.maximum(z, 0) if i < len(ws) - 1 else z)
        z = acts[-1]
        z = z - z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        g = p
        g[rows, y] -= 1
        g /= batch
        for i in reversed(range(len(ws))):
            gw, gb = g.T @ acts[i], g.sum(0)
            if i:
                g = (g @ ws[i]) * (acts[i] > 0)
            ws[i] -= 0.01 * gw
            bs[i] -= 0.01 * gb
    return step


def main(repeat: int, out: str | None):
    import torch

    import ndgrad
    torch.set_num_threads(torch.get_num_threads())
    rows = []
    for batch in (64, 512):
        t_nd, t_th, t_np = alternating_medians([_framework_step(ndgrad, batch), _framework_step(torch, batch),
                                  _numpy_step(batch)], repeat)
        rows.append({"batch": batch, "ndgrad_ms": t_nd * 1e3, "torch_ms": t_th * 1e3, "numpy_ms": t_np * 1e3,
                     "ndgrad_vs_numpy": t_nd / t_np, "ndgrad_vs_torch": t_nd / t_th})
    print(f"{'batch':>5} {'ndgrad ms':>10} {'torch ms':>9} {'numpy ms':>9} {'nd/numpy':>9} {'nd/torch':>9}")
    for r in rows:
        print(f"{r['batch']:>5} {r['ndgrad_ms']:>10.2f} {r['torch_ms']:>9.2f} {r['numpy_ms']:>9.2f} "
              f"{r['ndgrad_vs_numpy']:>8.2f}x {r['ndgrad_vs_torch']:>8.2f}x")
    if out:
        with open(out, "w") as f:
            json.dump({"benchmark": "mlp", "sizes": SIZES, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="calls per block (5 blocks each)")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    main(args.repeat, args.json)
