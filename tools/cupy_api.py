"""Write reference/cupy_api.json: the names CuPy offers, which the simulated GPU allows.

The simulated device (reference/simulated_cupy.py) runs ndgrad's CUDA path on NumPy arrays
kept behind CuPy's rules. It should also refuse what CuPy does not have: a NumPy function
without a CuPy twin, or a keyword CuPy's version lacks, works on the CPU, then fails on a real
GPU. The names and parameters come from an installed CuPy, which imports without a GPU:

    pip install cupy-cuda12x && python tools/cupy_api.py
"""
import inspect
import json
import pathlib
import re
import types

import cupy
import cupy.lib.stride_tricks


def public(obj) -> dict:
    """{name: its parameters} for the public names of a module or class."""
    names = sorted(n for n in dir(obj) if not n.startswith("_") and n not in ("annotations", "np"))
    return {n: parameters(getattr(obj, n)) for n in names
            if not isinstance(getattr(obj, n), types.ModuleType)}


def parameters(f):
    """A callable's parameters in Python's syntax ("x", "/", "*", "*args", "**kwargs"), without
    self; None for non-callables, classes and signatures that cannot be read. Cython functions
    carry theirs in the docstring's first line."""
    if not callable(f) or isinstance(f, type):
        return None
    try:
        params = [str(p).split("=")[0].split(":")[0] for p in inspect.signature(f).parameters.values()]
        params = _with_markers(f, params)
    except (TypeError, ValueError):
        head = (getattr(f, "__doc__", None) or "").split("\n")[0].replace("\\*", "*")
        match = re.fullmatch(r"[\w.]*\((.*)\)(?: -> .*)?", head.strip())
        if not match or "[" in match.group(1):
            return None
        params = [p.split("=")[0].split()[-1] for p in match.group(1).split(",") if p.strip()]
    return [p for p in params if p != "self"]


def _with_markers(f, names):
    """inspect gives bare names; put back "/" and "*" where the kinds change."""
    out, kinds = [], [p.kind for p in inspect.signature(f).parameters.values()]
    for i, (name, kind) in enumerate(zip(names, kinds)):
        if kind is inspect.Parameter.KEYWORD_ONLY and (not i or kinds[i - 1] not in (
                inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_POSITIONAL)):
            out.append("*")
        out.append(name)
        if (kind is inspect.Parameter.POSITIONAL_ONLY
                and (i + 1 == len(kinds) or kinds[i + 1] is not inspect.Parameter.POSITIONAL_ONLY)):
            out.append("/")
    return out


api = {
    "version": cupy.__version__,
    "cupy": public(cupy),
    "cupy.ndarray": public(cupy.ndarray),
    "cupy.ufunc": public(cupy.ufunc),
    "cupy.linalg": public(cupy.linalg),
    "cupy.lib.stride_tricks": public(cupy.lib.stride_tricks),
    "cupy.random": public(cupy.random),
    "cupy.random.Generator": public(cupy.random.Generator),
}
out = pathlib.Path(__file__).resolve().parents[1] / "reference" / "cupy_api.json"
out.write_text(json.dumps(api, indent=0, separators=(",", ":")) + "\n")
print(f"wrote {out} (CuPy {cupy.__version__})")
