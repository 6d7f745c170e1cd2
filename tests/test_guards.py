"""Architecture guards: the layers of DESIGN.md (no module imports a later one), the backend
alone imports NumPy/CuPy, torch never; no file over 500 lines, and a line budget for ndgrad/."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "ndgrad"
# the CPU random generator is NumPy's MT19937 and its samplers are PyTorch's CPU kernels: host code
ALLOWED = {"backend.py", "dtypes.py", "random/cpu.py", "random/vecmath.py"}

# DESIGN.md's layers, in order: a module may import modules of its own layer and of the layers
# above it. A folder ("ops/") holds every module under it; a file named on its own overrides it.
LAYERS = [
    ("backend", ["backend.py", "_malloc.py", "_layout.py",
                 "random/cpu.py", "random/vecmath.py", "random/cuda.py",     # the generators' engines
                 "utils/hooks.py",         # RemovableHandle: imports nothing, Tensor and Module use it
                 "utils/__init__.py"]),    # runs before utils/hooks.py: it must not load utils.data
    ("dtypes", ["dtypes.py"]),
    ("tensor", ["tensor.py", "_printing.py",
                "autograd/grad_mode.py",   # a leaf: Tensor reads the grad mode on every op
                "random/generator.py", "random/__init__.py",   # a Generator's state is a ByteTensor
                "cuda.py"]),               # seeds the GPUs' generators
    ("autograd", ["autograd/"]),
    ("ops", ["ops/",
             "autograd/functional.py", "autograd/gradcheck.py"]),   # built on ops, loaded on first use
    ("nn", ["nn/"]),
    ("optim", ["optim/"]),
    ("utils.data", ["utils/data/"]),
    ("vision", ["vision/"]),
    ("serialization", ["serialization.py"]),
]
# the public namespace, ndgrad/__init__.py, imports every layer to re-export it: it is the top,
# exempt as an importer; importing it from inside ndgrad counts as importing a layer above all
TOP = len(LAYERS)
# An import inside a function runs at call time, so it can reach a later layer without a cycle at
# import time; each one that does is listed here with its reason (the test fails on any other one).
DEFERRED = {
    ("tensor.py", "ndgrad.ops.creation"):
        "Tensor(...), the legacy constructor, builds its result with the op library, which imports tensor.py",
    ("tensor.py", "ndgrad.autograd.engine"):
        "Tensor.backward runs the engine, which imports tensor.py",
    ("tensor.py", "ndgrad.autograd.views"):
        "an in-place op through a view records CopySlices, a Function; Function imports tensor.py",
    ("autograd/engine.py", "ndgrad.ops.creation"):
        "a gradient given as a number or a list becomes a tensor with ops.creation; ops import autograd",
    ("autograd/engine.py", "ndgrad.ops.reduction"):
        "backward undoes broadcasting with the op sum_to_size; ops import autograd",
}
MAX_LINES = 500
# A budget against bloat, not a reason for code golf (tinygrad's CI does the same); raise it deliberately.
LINE_BUDGET = 16_500


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


# ---- layers ----------------------------------------------------------------------------------
def _file_of(root, module: str) -> str:
    """'ndgrad.ops.creation' -> 'ops/creation.py'; a package -> its __init__.py."""
    parts = module.split(".")[1:]
    folder = root.joinpath(*parts)
    return "/".join(parts + ["__init__.py"]) if folder.is_dir() else "/".join(parts) + ".py"


def _layer(rel: str):
    """The layer's index of a module (a path relative to ndgrad/), None when the table has none."""
    if rel == "__init__.py":
        return TOP
    best, index = "", None
    for i, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            if entry == rel:
                return i
            if entry.endswith("/") and rel.startswith(entry) and len(entry) > len(best):
                best, index = entry, i
    return index


def _ndgrad_imports(root, path):
    """(module, line, deferred) for each import of an ndgrad module: deferred when inside a function."""
    rel = path.relative_to(root)
    package = ["ndgrad", *rel.parent.parts]

    def visit(node, deferred):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                yield from ((a.name, child.lineno, deferred) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package[:len(package) - child.level + 1] + ([base] if base else []))
                for a in child.names:          # `from ndgrad import dtypes` imports ndgrad.dtypes
                    sub = f"{base}.{a.name}"
                    yield (sub if (root / _file_of(root, sub)).is_file() else base), child.lineno, deferred
            yield from visit(child, deferred or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return [(m, line, d) for m, line, d in visit(ast.parse(path.read_text()), False)
            if m == "ndgrad" or m.startswith("ndgrad.")]


def _layer_report(root, deferred_ok):
    """(problems, deferred imports of a later layer found) over every module under root."""
    problems, upward = [], set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel == "__init__.py":
            continue
        mine = _layer(rel)
        if mine is None:
            problems.append(f"{rel}: no layer in LAYERS")
            continue
        for module, line, deferred in _ndgrad_imports(root, path):
            theirs = _layer(_file_of(root, module))
            if theirs is None or theirs <= mine:
                continue
            name = LAYERS[theirs][0] if theirs < TOP else "the ndgrad namespace"
            if not deferred:
                problems.append(f"{rel}:{line} imports {module} ({name}) at import time")
            elif (rel, module) in deferred_ok:
                upward.add((rel, module))
            else:
                problems.append(f"{rel}:{line} imports {module} ({name}) in a function, not in DEFERRED")
    return problems, upward


def test_no_module_imports_a_later_layer():
    problems, _ = _layer_report(ROOT, DEFERRED)
    assert not problems, "\n".join(problems)


def test_every_deferred_import_listed_is_still_there():
    _, upward = _layer_report(ROOT, DEFERRED)
    assert set(DEFERRED) - upward == set(), "stale DEFERRED entries: remove them"


def test_every_module_named_in_layers_exists():
    missing = [e for _, entries in LAYERS for e in entries if not (ROOT / e).exists()]
    assert not missing, f"stale LAYERS entries: {missing}"


def test_layer_guard_sees_an_import_of_a_later_layer(tmp_path):
    files = {"backend.py": "from .tensor import Tensor\n",
             "dtypes.py": "def f():\n    from . import tensor\n",
             "tensor.py": "def g():\n    from .ops import creation\n",
             "ops/__init__.py": "", "ops/creation.py": "from .. import tensor\n", "new.py": ""}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    problems, upward = _layer_report(tmp_path, {("tensor.py", "ndgrad.ops.creation"): "a reason"})
    assert problems == ["backend.py:1 imports ndgrad.tensor (tensor) at import time",
                        "dtypes.py:2 imports ndgrad.tensor (tensor) in a function, not in DEFERRED",
                        "new.py: no layer in LAYERS"]
    assert upward == {("tensor.py", "ndgrad.ops.creation")}


# ---- size ------------------------------------------------------------------------------------
def _line_counts(root) -> dict:
    return {str(p.relative_to(root)): len(p.read_text().splitlines()) for p in sorted(root.rglob("*.py"))}


def _too_long(counts: dict) -> list:
    return [f"{name}: {n} lines" for name, n in counts.items() if n > MAX_LINES]


def test_no_file_is_over_500_lines():
    assert not _too_long(_line_counts(ROOT)), "split these by what they do"


def test_ndgrad_stays_within_its_line_budget():
    total = sum(_line_counts(ROOT).values())
    assert total <= LINE_BUDGET, f"ndgrad/ has {total} lines, over its budget of {LINE_BUDGET}"


def test_size_guards_see_a_long_file(tmp_path):
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "short.py").write_text("x = 1\n" * 3)
    counts = _line_counts(tmp_path)
    assert _too_long(counts) == [f"long.py: {MAX_LINES + 1} lines"]
    assert sum(counts.values()) == MAX_LINES + 4


# ---- each op one hop from its name -----------------------------------------------------------
OP_FILES = sorted([p for p in (ROOT / "ops").glob("*.py")
                   if not p.name.startswith("_") and p.name != "methods.py"]
                  + [p for p in (ROOT / "nn" / "functional").glob("*.py") if p.name != "__init__.py"])


def _misplaced(path) -> list:
    """Public functions of an op file that are not right below the class they apply: walking up
    from the def, only sibling functions that apply the same class (``ne`` below ``eq`` below
    ``Compare``) and aliases (``negative = neg``) may stand between it and its class."""
    tree = ast.parse(path.read_text())
    public = next((ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                   and getattr(n.targets[0], "id", None) == "__all__"), [])
    classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}

    def applied(fn) -> set:
        return {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id in classes}

    bad = []
    for i, fn in enumerate(tree.body):
        if not (isinstance(fn, ast.FunctionDef) and fn.name in public and applied(fn)):
            continue                                  # built from other ops: no class of its own
        for node in reversed(tree.body[:i]):
            if isinstance(node, ast.ClassDef) and node.name in applied(fn):
                break
            sibling = (isinstance(node, ast.FunctionDef) and node.name in public
                       and applied(node) & applied(fn))
            alias = isinstance(node, ast.Assign) and isinstance(node.value, (ast.Name, ast.Tuple))
            if not (sibling or alias):
                bad.append(f"{path.parent.name}/{path.name}:{fn.lineno} {fn.name}")
                break
    return bad


def test_each_public_op_is_right_below_its_function_class():
    assert [b for p in OP_FILES for b in _misplaced(p)] == []


def test_public_ops_are_written_out_not_generated():
    import ndgrad
    from ndgrad.nn import functional as F
    # a generated function renamed after the fact still has its factory's code name (``fn``)
    generated = [name for lib in (ndgrad.ops, F) for name in lib.__all__
                 if getattr(getattr(lib, name), "__code__", None) is not None
                 and getattr(lib, name).__code__.co_name != getattr(lib, name).__name__]
    assert generated == []


def test_the_placement_check_sees_a_distant_function(tmp_path):
    bad = tmp_path / "op.py"
    bad.write_text('__all__ = ["exp"]\n\n\nclass Exp:\n    pass\n\n\ndef _other():\n    pass\n\n\n'
                   'def exp(x):\n    return Exp.apply(x)\n')
    assert _misplaced(bad) == [f"{tmp_path.name}/op.py:12 exp"]
    bad.write_text('__all__ = ["exp"]\n\n\nclass Exp:\n    pass\n\n\ndef exp(x):\n    return Exp.apply(x)\n')
    assert _misplaced(bad) == []
