"""Every public op has an OpSpec, the reference CLI lists exactly the registry, and each spec is
registered in the spec file that mirrors its op's file (``python -m reference --where NAME``)."""
import ast
import dataclasses
import os
import subprocess
import sys

import pytest

import ndgrad
from reference import REGISTRY, RNG_REGISTRY, where
from reference.__main__ import main

SAMPLERS = ("uniform_", "normal_", "bernoulli_", "exponential_", "random_", "geometric_", "log_normal_",
            "cauchy_")


def test_every_public_op_has_an_opspec():
    covered = {name for spec in REGISTRY.values() for name in spec.names}
    missing = [name for name in ndgrad.ops.public_ops() if name not in covered]
    assert not missing, f"public ops without an OpSpec in reference/: {missing}"


def test_every_random_sampler_has_an_rngspec():
    covered = {name for spec in RNG_REGISTRY.values() for name in spec.names}
    wanted = list(ndgrad.ops.random.__all__) + ["Tensor." + m for m in SAMPLERS]
    assert not [name for name in wanted if name not in covered]
    assert all(callable(getattr(ndgrad.Tensor, m)) for m in SAMPLERS)
    assert not [name for name, spec in RNG_REGISTRY.items() if not spec.errors]


def test_every_opspec_lists_error_cases():
    silent = [name for name, spec in REGISTRY.items() if not spec.errors and not spec.no_errors]
    assert not silent, f"OpSpecs without error cases (or a no_errors reason): {silent}"


def test_every_op_of_the_foundation_is_registered():
    foundation = """add sub mul div neg abs pow sqrt rsqrt square exp expm1 log log1p log2 log10 sin cos
    tan tanh sigmoid relu clamp reciprocal sign floor ceil round trunc minimum maximum where eq ne lt
    le gt ge sum mean prod max min argmax argmin amax amin std var matmul mm bmm mv dot outer reshape
    view view_as transpose permute t T squeeze unsqueeze flatten expand expand_as contiguous
    clone""".split()
    assert not [n for n in foundation if n not in REGISTRY]


def test_reference_list_cli_prints_the_registry():
    out = subprocess.run([sys.executable, "-m", "reference", "--list"], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == sorted(REGISTRY) + sorted(RNG_REGISTRY)


def test_reference_table_cli_names_every_op():
    out = subprocess.run([sys.executable, "-m", "reference"], capture_output=True, text=True,
                         check=True).stdout
    for name in list(REGISTRY) + list(RNG_REGISTRY):
        assert f"\n{name} " in out or out.startswith(f"{name} ")


# ---- spec files mirror op files (reference/where.py) -------------------------------------------

ALL_SPECS = list(REGISTRY.values()) + list(RNG_REGISTRY.values())
SPEC_DIR = os.path.join(where.ROOT, "reference", "specs")


def _spec_modules() -> list:
    """Every module file under reference/specs/, relative to the repository root."""
    out = []
    for folder, _, files in os.walk(SPEC_DIR):
        out += [os.path.relpath(os.path.join(folder, f), where.ROOT).replace(os.sep, "/")
                for f in files if f.endswith(".py")]
    return sorted(out)


def test_every_spec_is_registered_in_the_mirror_of_its_ops_file():
    assert not where.misplaced(ALL_SPECS), "(spec, registered in, mirror of its op's file)"


def test_names_a_spec_covers_are_implemented_in_its_ops_file():
    """Aliases (negative, arctan2, concat...) live with the op; layers (nn.Linear) are aside."""
    bad = [(name, spec.name) for spec in ALL_SPECS for name in spec.covers if not name.startswith("nn.")
           and where.mirror(where.implementation(name)[0]) != spec.where[0]]
    assert not bad


def test_the_mirror_check_catches_a_misplaced_spec():
    assert where.mirror("ndgrad/ops/unary.py") == "reference/specs/unary.py"
    assert where.mirror("ndgrad/nn/functional/linear.py") == "reference/specs/nn/linear.py"
    assert where.mirror("ndgrad/nn/modules/rnn.py") == "reference/specs/nn/modules/rnn.py"
    assert where.mirror("ndgrad/ops/trig.py") != where.mirror("ndgrad/ops/unary.py")
    assert where.mirror("ndgrad/nn/modules/linear.py") != where.mirror("ndgrad/nn/functional/linear.py")
    assert where.mirror("ndgrad/ops/_checks.py") is None and where.mirror("ndgrad/tensor.py") is None
    assert where.mirrored(where.mirror("ndgrad/nn/functional/conv.py")) == "ndgrad/nn/functional/conv.py"
    exp = REGISTRY["exp"]
    assert exp.where[0] == "reference/specs/unary.py"
    moved = dataclasses.replace(exp, where=("reference/specs/pointwise.py", 1))
    assert where.misplaced([moved]) == [("exp", "reference/specs/pointwise.py", "reference/specs/unary.py")]
    unknown = dataclasses.replace(exp, name="no_such_op")
    assert where.misplaced([unknown]) == [("no_such_op", "reference/specs/unary.py", None)]


def test_every_spec_module_mirrors_an_op_file_and_registers_specs():
    registering = {spec.where[0] for spec in ALL_SPECS}
    orphans, silent = [], []
    for path in _spec_modules():
        if os.path.basename(path).startswith("_"):          # __init__.py, _shared.py: helpers
            assert not any(f == path for f in registering), f"{path} registers specs"
            continue
        op_file = where.mirrored(path)
        if op_file is None or not os.path.exists(os.path.join(where.ROOT, op_file)):
            orphans.append(path)
        if path not in registering:
            silent.append(path)
    assert not orphans, "spec modules that mirror no op file"
    assert not silent, "spec modules that register no spec"


def _imports(path: str) -> set:
    """The reference.specs modules (dotted) that the module at ``path`` imports."""
    package = path[:-3].replace("/", ".")
    if package.endswith(".__init__"):
        package = package[: -len(".__init__")] + ".x"
    found = set()
    for node in ast.walk(ast.parse(open(os.path.join(where.ROOT, path), encoding="utf-8").read())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                sub = f"{mod}.{alias.name}"
                found.add(sub if sub.replace(".", "/") + ".py" in _spec_modules()
                          or sub.replace(".", "/") + "/__init__.py" in _spec_modules() else mod)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("reference.specs")}


def test_spec_modules_import_no_other_spec_module():
    """No import loops: a spec module imports the shared helpers, never another spec module."""
    bad = {}
    for path in _spec_modules():
        if os.path.basename(path) == "__init__.py":
            continue
        others = _imports(path) - {"reference.specs._shared"}
        if others:
            bad[path] = sorted(others)
    assert not bad


def test_specs_package_imports_every_spec_module_explicitly():
    wanted = {p[:-3].replace("/", ".") for p in _spec_modules() if not os.path.basename(p).startswith("_")}
    assert _imports("reference/specs/__init__.py") >= wanted
    assert all(m in sys.modules for m in wanted)


def _where(name, capsys):
    """``python -m reference --where name``, run in this process: (exit status, stdout, stderr)."""
    rc = main(["--where", name])
    out = capsys.readouterr()
    return rc, out.out, out.err


def _line(loc: str) -> str:
    path, line = loc.rsplit(":", 1)
    return open(os.path.join(where.ROOT, path), encoding="utf-8").read().splitlines()[int(line) - 1]


@pytest.mark.parametrize("name,impl,spec_file,function", [
    ("exp", "ndgrad/ops/unary.py", "reference/specs/unary.py", "Exp"),
    ("sum", "ndgrad/ops/reduction.py", "reference/specs/reduction.py", "SumAll"),
    ("F.linear", "ndgrad/nn/functional/linear.py", "reference/specs/nn/linear.py", "Addmm"),
    ("T", "ndgrad/ops/shape.py", "reference/specs/shape.py", "calling other ops (its source calls permute)"),
    ("randn", "ndgrad/ops/random.py", "reference/specs/random.py", None),
])
def test_reference_where_cli_prints_the_ops_files(name, impl, spec_file, function, capsys):
    rc, out, err = _where(name, capsys)
    assert rc == 0, err
    fields = {}
    for line in out.splitlines()[1:]:
        key, _, rest = line.strip().partition("  ")
        if key and key not in fields:
            fields[key] = rest.strip()
    impl_loc = fields["implementation"].split()[0]
    spec_loc = fields["spec"].split()[0]
    assert impl_loc.startswith(impl + ":") and spec_loc.startswith(spec_file + ":")
    spec = REGISTRY.get(name) or RNG_REGISTRY[name]
    assert spec_loc == f"{spec.where[0]}:{spec.where[1]}"
    short = name.split(".")[-1]
    assert (f"def {short}(" in _line(impl_loc) or _line(impl_loc).startswith(f"{short} = ")
            or f"def _{short}(" in _line(impl_loc))
    assert f'"{name}"' in _line(spec_loc)
    if function:
        assert function in out
    assert ("forms" in fields) != (name in RNG_REGISTRY) and "errors" in fields


def test_reference_where_cli_finds_aliases_and_inplace_forms(capsys):
    for alias, spec in (("negative", "neg"), ("nn.Linear", "F.linear"), ("torch.exp", "exp"),
                        ("Tensor.add_", "add"), ("F.pad_circular", "F.pad_circular")):
        rc, out, err = _where(alias, capsys)
        assert rc == 0 and out.startswith(spec), (alias, err)
    rc, out, _ = _where("F.pad_circular", capsys)
    assert "ndgrad/nn/functional/misc.py" in out and "reference/specs/nn/misc.py" in out


def test_reference_where_cli_describes_every_name(capsys):
    """Every name a spec covers: the op's def and the spec's register line are found."""
    for name in where.all_names():
        rc, out, err = _where(name, capsys)
        spec, _ = where.find(name)
        assert rc == 0 and f"  spec            {spec.where[0]}:{spec.where[1]}\n" in out, (name, err)
        assert "implementation  (not found)" not in out and ":0 " not in out, name


def test_reference_where_cli_exits_2_on_an_unknown_name():
    out = subprocess.run([sys.executable, "-m", "reference", "--where", "expo"], capture_output=True,
                         text=True)
    assert out.returncode == 2 and not out.stdout
    assert "expo" in out.stderr and "exp" in out.stderr.split("close matches:")[1].replace(",", " ").split()


def _forms_torch_always_rejects(spec) -> list:
    """The forms of ``spec`` that raise in PyTorch on every drawn sample: both libraries raising
    the same exception counts as agreement, so such a form would check nothing."""
    import warnings

    import torch
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample

    from reference.compare import _call, build

    def torch_returns(fn, sample):
        args, kw, _, _ = build(sample, torch)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _call(fn, torch, args, kw)[1] is None

    quick = settings(max_examples=30, database=None, phases=[Phase.generate], derandomize=True,
                     suppress_health_check=list(HealthCheck))
    dead = []
    for form, fn in spec.forms.items():
        try:
            find(spec.sample, lambda s, fn=fn: torch_returns(fn, s), settings=quick)
        except NoSuchExample:
            dead.append(f"{spec.name} [{form}]")
    return dead


def test_every_form_of_every_opspec_has_a_sample_pytorch_accepts():
    assert [d for spec in REGISTRY.values() for d in _forms_torch_always_rejects(spec)] == []


def test_the_dead_form_check_sees_a_form_that_always_raises():
    from reference.spec import OpSpec
    spec = REGISTRY["exp"]
    broken = OpSpec("exp", dict(spec.forms, keyword=lambda lib, x: lib.exp(x, dim=0)), spec.sample)
    assert _forms_torch_always_rejects(broken) == ["exp [keyword]"]
