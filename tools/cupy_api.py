"""Write reference/cupy_api.json: the names CuPy offers, which the simulated GPU allows.

The simulated device (reference/simulated_cupy.py) runs ndgrad's CUDA path on NumPy arrays
kept behind CuPy's rules. It should also refuse what CuPy does not have: a NumPy function
without a CuPy twin works on the CPU, then fails on a real GPU. The lists come from an installed
CuPy, which can be imported on a machine without a GPU:

    pip install cupy-cuda12x && python tools/cupy_api.py
"""
import json
import pathlib
import types

import cupy
import cupy.lib.stride_tricks


def public(obj):
    return sorted(n for n in dir(obj) if not n.startswith("_") and n != "annotations")


api = {
    "version": cupy.__version__,
    "cupy": [n for n in public(cupy) if not isinstance(getattr(cupy, n), types.ModuleType)],
    "cupy.ndarray": public(cupy.ndarray),
    "cupy.ufunc": public(cupy.ufunc),
    "cupy.linalg": public(cupy.linalg),
    "cupy.lib.stride_tricks": [n for n in public(cupy.lib.stride_tricks) if n != "np"],
    "cupy.random": public(cupy.random),
    "cupy.random.Generator": public(cupy.random.Generator),
}
out = pathlib.Path(__file__).resolve().parents[1] / "reference" / "cupy_api.json"
out.write_text(json.dumps(api, indent=0) + "\n")
print(f"wrote {out} (CuPy {cupy.__version__})")
