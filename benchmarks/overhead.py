"""Autograd overhead on a tiny graph: ``(a*b + a).sum().backward()`` on 10-element tensors.

With so little arithmetic, the time is the framework's own bookkeeping: creating graph
nodes, ordering them, calling each backward, accumulating into ``.grad``. PyTorch does this
in C++; ndgrad in Python. Run: ``python benchmarks/overhead.py [--repeat 7] [--breakdown]``.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def step_fn(lib):
    a = lib.randn(10, requires_grad=True)
    b = lib.randn(10, requires_grad=True)

    def step():
        (a * b + a).sum().backward()
    return step


def breakdown_fns(lib):
    """Smaller pieces of the same work: where a framework spends its time."""
    a = lib.randn(10, requires_grad=True)
    b = lib.randn(10, requires_grad=True)
    return {
        "recorded a*b (forward only)": lambda: a * b,
        "forward of the 3-op graph": lambda: (a * b + a).sum(),
        "a.sum().backward() (1 node)": lambda: a.sum().backward(),
    }


def measure(step, repeat: int, number: int) -> list:
    """Seconds per step, one figure per repetition (after a warm-up)."""
    step()
    return [t / number for t in timeit.repeat(step, repeat=repeat, number=number)]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--number", type=int, default=2000)
    p.add_argument("--breakdown", action="store_true", help="also time the pieces of the step")
    args = p.parse_args(argv)
    import ndgrad
    results = {"ndgrad": measure(step_fn(ndgrad), args.repeat, args.number)}
    try:
        import torch
        torch.set_num_threads(1)
        results["torch"] = measure(step_fn(torch), args.repeat, args.number)
    except ImportError:
        print("(PyTorch not installed: ndgrad only)")
    print(f"{'library':<8} {'median µs':>10} {'min µs':>8} {'max µs':>8}")
    med = {}
    for name, ts in results.items():
        med[name] = statistics.median(ts)
        print(f"{name:<8} {med[name] * 1e6:10.1f} {min(ts) * 1e6:8.1f} {max(ts) * 1e6:8.1f}")
    if "torch" in med:
        print(f"ndgrad / torch = {med['ndgrad'] / med['torch']:.2f}  (target <= 0.75)")
    if args.breakdown:
        libs = [("ndgrad", ndgrad)] + ([("torch", torch)] if "torch" in med else [])
        pieces = {name: breakdown_fns(lib) for name, lib in libs}
        print(f"\n{'piece (median µs)':<30}" + "".join(f"{name:>10}" for name, _ in libs))
        for label in pieces["ndgrad"]:
            row = [statistics.median(measure(pieces[name][label], args.repeat, args.number))
                   for name, _ in libs]
            print(f"{label:<30}" + "".join(f"{t * 1e6:10.1f}" for t in row))
    return med


if __name__ == "__main__":
    main()
