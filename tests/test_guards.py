"""Architecture guards: only the backend, dtypes and CPU-generator modules import NumPy/CuPy; torch never."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "ndgrad"
# the CPU random generator is NumPy's MT19937 and its samplers are PyTorch's CPU kernels: host code
ALLOWED = {"backend.py", "dtypes.py", "random/cpu.py", "random/vecmath.py"}


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_only_the_backend_layer_imports_numpy_or_cupy():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                 if str(p.relative_to(ROOT)) not in ALLOWED
                 if {"numpy", "cupy"} & set(_imports(p))]
    assert not offenders, f"these modules import numpy/cupy directly: {offenders}"


def test_ndgrad_never_imports_torch():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py") if "torch" in set(_imports(p))]
    assert not offenders


def test_guard_sees_a_real_import(tmp_path):
    bad = tmp_path / "op.py"
    bad.write_text("import numpy as np\n")
    assert "numpy" in set(_imports(bad))
