"""Where an op lives, one hop from its name: its implementation, its Function classes, and its spec.

The spec files mirror the op files (``mirror``): the spec of an op whose public function is
defined in ``ndgrad/ops/X.py`` is registered in ``reference/specs/X.py``; one defined in
``ndgrad/nn/functional/X.py`` in ``reference/specs/nn/X.py``, and a layer with no function of
its own (``nn.LSTM``: ``ndgrad/nn/modules/X.py``) in ``reference/specs/nn/modules/X.py``.
``python -m reference --where NAME`` prints all three places and what the spec verifies.
"""
from __future__ import annotations

import ast
import difflib
import functools
import inspect
import os
import sys
import textwrap

import ndgrad
import ndgrad.nn.functional
from ndgrad.autograd.function import Function

from .compare import tolerance
from .rng import RNG_REGISTRY
from .spec import REGISTRY

__all__ = ["ROOT", "resolve", "op_name", "implementation", "functions", "mirror", "mirrored", "misplaced",
           "find", "describe"]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _rel(path: str) -> str:
    return os.path.relpath(os.path.abspath(path), ROOT).replace(os.sep, "/")


# ---- the op behind a name ---------------------------------------------------------------------

def resolve(name: str):
    """The public object a spec name (or a name a spec covers) stands for: ``F.x`` a function of
    ``ndgrad.nn.functional``, ``nn.X`` a layer, ``Tensor.x`` a Tensor attribute, anything else an
    op of ``ndgrad.ops`` (``index`` too), of ``ndgrad`` or a Tensor attribute (``T``); None if none."""
    if name.startswith("F."):
        return getattr(ndgrad.nn.functional, name[2:], None)
    if name.startswith("nn."):
        return getattr(ndgrad.nn, name[3:], None)
    if name.startswith("Tensor."):
        return getattr(ndgrad.Tensor, name[7:], None)
    for space in (vars(ndgrad.ops), vars(ndgrad)):
        obj = space.get(name)
        if obj is not None and not inspect.ismodule(obj):
            return obj
    return getattr(ndgrad.Tensor, name, None)


def op_name(spec) -> str:
    """The public name whose implementation a spec checks (``OpSpec.op`` where the spec's own
    name is none, as ``F.pad_circular``: F.pad in circular mode)."""
    return getattr(spec, "op", "") or spec.name


def _code_object(obj):
    """The function (or class) whose source defines ``obj``: a property's getter, a layer class."""
    if isinstance(obj, property):
        return obj.fget
    if isinstance(obj, (staticmethod, classmethod)):
        return obj.__func__
    return obj


@functools.lru_cache(maxsize=None)
def _tree(path: str) -> ast.Module:
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), path)


def _def_line(obj, path: str) -> int:
    """The line of ``obj``'s ``def`` (or ``class``) statement, past its decorators (OSError for a
    class that no ``class`` statement of ``path`` defines: one made by ``type(...)``)."""
    if not hasattr(obj, "__code__"):                 # a class: the statement of its qualified name
        body, node = _tree(path).body, None
        for part in obj.__qualname__.split("."):
            node = next((n for n in body if isinstance(n, ast.ClassDef) and n.name == part), None)
            if node is None:
                raise OSError(f"no class statement for {obj.__qualname__} in {path}")
            body = node.body
        return node.lineno
    first = obj.__code__.co_firstlineno
    for node in ast.walk(_tree(path)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == obj.__name__:
            if first in [node.lineno] + [d.lineno for d in node.decorator_list]:
                return node.lineno
    return first


def _op_modules():
    """The loaded op modules (``ndgrad/ops/*.py``, ``ndgrad/nn/functional/*.py``), helpers aside."""
    for mod_name, mod in sorted(sys.modules.items()):
        if (mod_name.startswith(("ndgrad.ops.", "ndgrad.nn.functional."))
                and not mod_name.rsplit(".", 1)[1].startswith("_")):
            yield mod


def _binding(obj):
    """(module, assignment) of the op module whose top level assigns ``obj`` to a name
    (``FloorDivide = no_derivative(...)``): where an object made by a factory in a helper is defined."""
    for mod in _op_modules():
        path = getattr(mod, "__file__", None)
        if not path:
            continue
        for node in _tree(path).body:
            if isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(vars(mod).get(n) is obj for n in names):
                    return mod, node
    return None


def implementation(name: str) -> tuple:
    """(file relative to the repository root, line, how) of the op ``name``'s definition: its
    ``def`` (or ``class``) line; for an object made by a factory in a helper module (``no_derivative``),
    the op module's line that assigns it, ``how`` naming the factory. None if ``name`` is no op."""
    obj = resolve(name)
    if obj is None:
        return None
    code = _code_object(obj)
    try:
        path = inspect.getsourcefile(code)
    except TypeError:
        return None
    if os.path.basename(path).startswith("_") and not inspect.isclass(code):
        found = _binding(obj)
        if found is not None:
            mod, node = found
            factory = _rel(path) + ":" + str(_def_line(code, path))
            return _rel(mod.__file__), node.lineno, f"{ast.unparse(node)}  (made in {factory})"
    kind = "property" if isinstance(obj, property) else "class" if inspect.isclass(code) else "def"
    return _rel(path), _def_line(code, path), f"{kind} {code.__name__}"


def _is_function_class(v) -> bool:
    return inspect.isclass(v) and issubclass(v, Function) and v is not Function


def _lookup(node, space: dict):
    """The object an ast Name or dotted Attribute refers to in ``space``, or None."""
    if isinstance(node, ast.Name):
        return space.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _lookup(node.value, space)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def _scan(code, space: dict, found: dict, calls: dict, via: str, depth: int, seen: set) -> None:
    """Function subclasses named in ``code``'s source (and in the same module's private helpers it
    calls, ``depth`` levels down), and the public ops it calls."""
    if code in seen:
        return
    seen.add(code)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(code)))
    except (OSError, TypeError, SyntaxError):
        return
    module = getattr(code, "__module__", None)
    helpers = []
    for node in ast.walk(tree):
        if not via and _tensor_op(node):              # the op's own body: x.abs(), x ** 2
            calls.setdefault(_tensor_op(node), None)
        if not isinstance(node, (ast.Name, ast.Attribute)):
            continue
        v = _lookup(node, space)
        if _is_function_class(v):
            found.setdefault(v, via)
        elif inspect.isfunction(v) and v is not code and isinstance(getattr(node, "ctx", None), ast.Load):
            if v.__name__.startswith("_") and v.__module__ == module and depth:
                helpers.append(v)
            elif not v.__name__.startswith("_") and _in_op_file(v):
                calls.setdefault(v.__name__, None)
    for v in helpers:                  # after the op's own names, so that those come first
        _scan(v, {**v.__globals__, **_closure(v)}, found, calls, via or v.__name__, depth - 1, seen)


_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
              ast.Pow: "**", ast.MatMult: "@", ast.USub: "unary -", ast.Invert: "~"}


def _tensor_op(node) -> str:
    """``.name`` for a call ``x.name(...)`` of a Tensor method that an op file defines, the symbol of
    an operator that may apply to tensors (not ``-1``, ``[None] * n``); "" for anything else."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        fn = getattr(ndgrad.Tensor, node.func.attr, None)
        if inspect.isfunction(fn) and not node.func.attr.startswith("_") and _in_op_file(fn):
            return "." + node.func.attr
    if (isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS
            and not isinstance(node.operand, ast.Constant)):
        return _OPERATORS[type(node.op)]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS and not any(
            isinstance(side, (ast.List, ast.Tuple, ast.JoinedStr)) or isinstance(side, ast.Constant)
            and isinstance(side.value, str) for side in (node.left, node.right)):
        return _OPERATORS[type(node.op)]
    return ""


def _in_op_file(fn) -> bool:
    """Whether ``fn`` is defined in an op file (one that has a mirror): a public op, not a helper."""
    try:
        return mirror(_rel(inspect.getsourcefile(fn))) is not None
    except TypeError:
        return False


def _closure(fn) -> dict:
    try:
        return dict(inspect.getclosurevars(fn).nonlocals)
    except (TypeError, ValueError):
        return {}


def functions(name: str) -> tuple:
    """(Function classes, called ops) of the op ``name``, read from its source with ``ast``:
    ``[(class, file, line, via)]`` for the Function subclasses its body names (``via``: the private
    helper of the same module that names it, or ""), and the public ops it calls, for an op
    implemented by calling other ops. A factory-made function is read at the line assigning it."""
    obj = resolve(name)
    code = _code_object(obj)
    found, calls, seen = {}, {}, set()
    if inspect.isclass(code):                      # a layer: what its forward applies
        code = getattr(code, "forward", code)
    made = inspect.isfunction(code) and os.path.basename(inspect.getsourcefile(code)).startswith("_")
    bound = _binding(obj) if made else None
    if bound is not None:
        mod, node = bound
        for sub in ast.walk(node.value):
            v = _lookup(sub, vars(mod))
            if _is_function_class(v):
                found.setdefault(v, "")
        for v in _closure(code).values():
            if _is_function_class(v):
                found.setdefault(v, "")
    elif inspect.isfunction(code):
        _scan(code, {**code.__globals__, **_closure(code)}, found, calls, "", 2, seen)
    out = []
    for cls, via in found.items():
        out.append((cls.__name__,) + _class_loc(cls) + (via,))
    return out, sorted(calls)


def _class_loc(cls) -> tuple:
    """(file, line) of a Function class's ``class`` statement, or of the op module's line that
    makes it with a factory (``FloorDivide = no_derivative(DivRounding, ...)``)."""
    path = inspect.getsourcefile(cls)
    try:
        return _rel(path), _def_line(cls, path)
    except OSError:
        found = _binding(cls)
        if found is None:
            return _rel(path), 0
        return _rel(found[0].__file__), found[1].lineno


# ---- spec files mirror op files ------------------------------------------------------------------

_MIRRORS = (("ndgrad/ops/", "reference/specs/"), ("ndgrad/nn/functional/", "reference/specs/nn/"),
            ("ndgrad/nn/modules/", "reference/specs/nn/modules/"))


def mirror(impl_file: str) -> str | None:
    """The spec file for ops implemented in ``impl_file`` (paths relative to the repository root):
    ``ndgrad/ops/X.py`` → ``reference/specs/X.py``, ``ndgrad/nn/functional/X.py`` →
    ``reference/specs/nn/X.py``, ``ndgrad/nn/modules/X.py`` → ``reference/specs/nn/modules/X.py``.
    None for any other file, and for helpers (``_checks.py``, ``__init__.py``)."""
    folder, _, base = impl_file.replace(os.sep, "/").rpartition("/")
    if base.startswith("_") or not base.endswith(".py"):
        return None
    for op_dir, spec_dir in _MIRRORS:
        if folder + "/" == op_dir:
            return spec_dir + base
    return None


def mirrored(spec_file: str) -> str | None:
    """The op file a spec file mirrors (the inverse of ``mirror``), None for a helper module."""
    folder, _, base = spec_file.replace(os.sep, "/").rpartition("/")
    if base.startswith("_") or not base.endswith(".py"):
        return None
    for op_dir, spec_dir in _MIRRORS:
        if folder + "/" == spec_dir:
            return op_dir + base
    return None


def misplaced(specs) -> list:
    """``[(name, registered in, should be in)]`` for each spec not registered in the mirror of
    its op's implementation file."""
    bad = []
    for spec in specs:
        impl = implementation(op_name(spec))
        want = mirror(impl[0]) if impl else None
        if want is None or spec.where[0] != want:
            bad.append((spec.name, spec.where[0], want))
    return bad


# ---- python -m reference --where NAME ----------------------------------------------------------

def _aliases(name: str) -> list:
    """Spellings of ``name`` a spec may go by: without ``torch.``/``ndgrad.``, ``F.`` for
    ``nn.functional.``, a Tensor method without ``Tensor.``."""
    out = [name]
    for prefix, repl in (("torch.nn.functional.", "F."), ("ndgrad.nn.functional.", "F."),
                         ("nn.functional.", "F."), ("torch.", ""), ("ndgrad.", "")):
        if name.startswith(prefix):
            out.append(repl + name[len(prefix):])
    out += [n[7:] for n in list(out) if n.startswith("Tensor.")]
    return out


def find(name: str):
    """(spec, form) for a name: a spec's name, a name it covers, or ``x_`` for the in-place form
    of spec ``x`` (form None otherwise); (None, None) when no spec covers it."""
    specs = list(REGISTRY.values()) + list(RNG_REGISTRY.values())
    for n in _aliases(name):
        for s in specs:
            if n in s.names:
                return s, None
    for n in _aliases(name):
        if n.endswith("_"):
            s = REGISTRY.get(n[:-1])
            if s is not None and "inplace" in s.forms:
                return s, "inplace"
    return None, None


def all_names() -> list:
    return sorted({n for s in list(REGISTRY.values()) + list(RNG_REGISTRY.values()) for n in s.names})


def _loc(impl) -> str:
    return f"{impl[0]}:{impl[1]}" if impl else "(not found)"


def _cases(errors) -> list:
    return [e[0] + (f" [{', '.join(e[2])}]" if len(e) > 2 else "") for e in errors]


def describe(spec, form=None, asked=None) -> list:
    """The lines ``--where`` prints for one spec (found for the name ``asked``)."""
    op = op_name(spec)
    impl = implementation(op)
    head = (f"the {form} form" if form else "" if not asked or asked == spec.name
            else f"{asked}: a name this spec covers" if asked in spec.covers else f"found as {asked}")
    lines = [f"{spec.name}" + (f"  ({head})" if head else ""),
             f"  implementation  {_loc(impl)}" + (f"  {impl[2]}" if impl else "")]
    if op != spec.name:
        lines[-1] += f"  ({spec.name} checks {op})"
    classes, calls = functions(op) if impl else ([], [])
    for i, (cls, path, line, via) in enumerate(classes):
        lines.append(f"  {'Function' if i == 0 else '':<15} {cls:<22} {path}:{line}"
                     + (f"  (via {via})" if via else ""))
    if not classes and calls:
        lines.append("  Function        none of its own: implemented by calling other ops (its source calls "
                     f"{', '.join(calls)})")
    elif not classes and inspect.isclass(_code_object(resolve(op))):
        lines.append("  Function        none of its own: a layer whose forward calls ops and layers")
    elif not classes:
        lines.append("  Function        none named in its source")
    lines.append(f"  spec            {spec.where[0]}:{spec.where[1]}")
    rng = spec.name in RNG_REGISTRY and RNG_REGISTRY[spec.name] is spec
    if rng:
        lines.append("  verifies        the same seed (default stream or a Generator) gives PyTorch's "
                     "dtype, shape and")
        lines.append("                  values bit for bit, and the same generator state afterwards")
        lines.append("  exact because   " + "\n                  ".join(textwrap.wrap(spec.exact, 88)))
    else:
        lines.append(f"  forms           {', '.join(spec.forms)}")
        checks = "values of every form (dtype, shape, strides, values, in-place effects)"
        if spec.grad:
            checks += "; float64 gradients" + (" and grad_fn names" if spec.node_name
                                               else " (grad_fn names not compared)")
        else:
            checks += "; no gradient check (grad=False: not differentiable)"
        lines.append(f"  verifies        {checks}")
        if spec.grad_sample is not None:
            lines.append("                  gradients on their own samples (grad_sample)")
        r32, a32 = tolerance("float32", spec)
        r16, a16 = tolerance("float16", spec)
        r64, a64 = tolerance("float64", spec)
        lines.append(f"  tolerances      float32 rtol={r32:g} atol={a32:g}"
                     f"{' (the spec' + chr(39) + 's)' if spec.rtol or spec.atol else ' (the defaults)'}; "
                     f"float16 {r16:g}/{a16:g}; float64 {r64:g}/{a64:g}; other dtypes exact")
    cases = _cases(spec.errors)
    lines.append(f"  errors          {len(cases)}: " + "; ".join(cases) if cases else
                 f"  errors          none: {getattr(spec, 'no_errors', '') or '-'}")
    for n in spec.covers:
        lines.append(f"  covers          {n:<22} {_loc(implementation(n))}")
    if getattr(spec, "note", ""):
        lines.append("  note            " + "\n                  ".join(textwrap.wrap(spec.note, 88)))
    return lines


def where(name: str) -> int:
    """Print where ``name``'s op, Functions and spec are; 0, or 2 (with close matches) if no spec
    covers it."""
    spec, form = find(name)
    if spec is None:
        close = difflib.get_close_matches(name, all_names(), n=6, cutoff=0.6)
        print(f"no spec covers {name!r}" + (f"; close matches: {', '.join(close)}" if close else ""),
              file=sys.stderr)
        return 2
    print("\n".join(describe(spec, form, name)))
    return 0
