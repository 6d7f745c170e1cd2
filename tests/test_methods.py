"""The Tensor's methods are visible in one place: ``ndgrad/tensor.py`` defines the ones that
are not ops, ``ndgrad/ops/methods.py`` lists every one an op provides, and nothing else
attaches any."""
import ast
import pathlib

import torch

import ndgrad
from ndgrad.ops import methods
from ndgrad.tensor import Tensor

ROOT = pathlib.Path(ndgrad.__file__).parent


def _class_body_names() -> set:
    tree = ast.parse((ROOT / "tensor.py").read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Tensor")
    names = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
    slots = next((n for n in cls.body if isinstance(n, ast.Assign) and n.targets[0].id == "__slots__"), None)
    if slots is not None:
        names.update(ast.literal_eval(slots.value))
    return names


TABLE = set(methods.METHODS) | set(methods.INPLACE) | set(methods.PROPERTIES)


def test_dir_tensor_is_the_class_body_and_the_table():
    body = _class_body_names()
    assert not body & TABLE, f"defined twice: {sorted(body & TABLE)}"
    unlisted = set(dir(Tensor)) - set(dir(object)) - body - TABLE - {"__dict__", "__weakref__", "__module__"}
    assert not unlisted, f"Tensor attributes neither in tensor.py nor in ops/methods.py: {sorted(unlisted)}"
    assert not TABLE - set(dir(Tensor))


def test_each_method_is_its_table_entry():
    for name, fn in methods.METHODS.items():
        assert getattr(Tensor, name) is fn, name
    for name, fn in methods.PROPERTIES.items():
        assert getattr(Tensor, name).fget is fn, name
    for name in methods.INPLACE:
        assert getattr(Tensor, name).__name__ == name


def test_every_listed_method_is_a_pytorch_tensor_method():
    assert sorted(n for n in TABLE if not hasattr(torch.Tensor, n)) == []


def _attaches(path: pathlib.Path) -> list:
    """Statements in ``path`` that set an attribute of Tensor (``setattr(Tensor, ...)``,
    ``Tensor.x = ...``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr" and node.args \
                and getattr(node.args[0], "id", "") == "Tensor":
            found.append(node.lineno)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute)
                                                  and getattr(t.value, "id", "") == "Tensor"
                                                  for t in node.targets):
            found.append(node.lineno)
    return found


def test_only_the_table_attaches_methods():
    offenders = {str(p.relative_to(ROOT)): lines for p in ROOT.rglob("*.py")
                 if p.name != "methods.py" and (lines := _attaches(p))}
    assert offenders == {}


def test_the_attach_check_sees_an_attachment(tmp_path):
    bad = tmp_path / "op.py"
    bad.write_text("from ndgrad.tensor import Tensor\nTensor.foo = len\nsetattr(Tensor, 'bar', len)\n")
    assert _attaches(bad) == [2, 3]
