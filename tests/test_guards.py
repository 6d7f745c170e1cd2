"""Architecture guards: only the backend and dtypes modules import NumPy/CuPy; torch never."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "ndgrad"
ALLOWED = {"backend.py", "dtypes.py"}


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_only_backend_and_dtypes_import_numpy_or_cupy():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                 if p.name not in ALLOWED or p.parent != ROOT
                 if {"numpy", "cupy"} & set(_imports(p))]
    assert not offenders, f"these modules import numpy/cupy directly: {offenders}"


def test_ndgrad_never_imports_torch():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py") if "torch" in set(_imports(p))]
    assert not offenders


def test_guard_sees_a_real_import(tmp_path):
    bad = tmp_path / "op.py"
    bad.write_text("import numpy as np\n")
    assert "numpy" in set(_imports(bad))
