"""The teaching tools: gradcheck/gradgradcheck and jacobian/hessian against PyTorch's, the
graph printers and drawer, backward tracing, and anomaly mode's forward line."""
import re
import warnings

import numpy as np
import pytest
import torch

import ndgrad

RNG = np.random.default_rng(0)
A, B = RNG.standard_normal((2, 3)), RNG.standard_normal((3, 2))

FUNCTIONS = {
    "sin of cube": lambda lib, x, y: (x ** 3).sin(),
    "matmul tanh": lambda lib, x, y: (x @ y).tanh(),
    "two outputs": lambda lib, x, y: (x.exp().sum(1), (x @ y).sigmoid()),
    "softmax": lambda lib, x, y: lib.nn.functional.softmax(x, dim=1),
    "conv2d": lambda lib, x, y: lib.nn.functional.conv2d(x.reshape(1, 1, 2, 3), y.reshape(1, 1, 3, 2),
                                                         padding=1),
    "cross entropy": lambda lib, x, y: lib.nn.functional.cross_entropy(x, lib.tensor([0, 2])),
}


def _inputs(lib):
    return lib.tensor(A, requires_grad=True), lib.tensor(B, requires_grad=True)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradcheck_and_gradgradcheck_agree_with_torch(name):
    fn = FUNCTIONS[name]
    for lib in (ndgrad, torch):
        inputs = _inputs(lib)
        assert lib.autograd.gradcheck(lambda x, y: fn(lib, x, y), inputs) is True
        assert lib.autograd.gradgradcheck(lambda x, y: fn(lib, x, y), inputs) is True


def _bad_square(lib):
    class BadSquare(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x                       # the derivative is 2x: wrong by half
    return BadSquare


def test_gradcheck_catches_a_wrong_backward_like_torch():
    for lib in (ndgrad, torch):
        x = lib.tensor(A, requires_grad=True)
        bad = _bad_square(lib)
        assert lib.autograd.gradcheck(bad.apply, (x,), raise_exception=False) is False
        with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to input 0"):
            lib.autograd.gradcheck(bad.apply, (x,))
    with pytest.raises(ndgrad.autograd.GradcheckError) as err:
        ndgrad.autograd.gradcheck(_bad_square(ndgrad).apply, (ndgrad.tensor(A, requires_grad=True),))
    e, j, n, a = re.search(r"input element (\d+) and output element (\d+): numerical (\S+), analytical (\S+)",
                           str(err.value)).groups()
    assert (e, j) == ("0", "0") and float(n) == pytest.approx(2 * A[0, 0], rel=1e-6) \
        and float(a) == pytest.approx(A[0, 0], rel=1e-5)


def test_gradcheck_input_rules_like_torch():
    for lib in (ndgrad, torch):
        with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
            lib.autograd.gradcheck(lambda x: x * 2, (lib.tensor(A),))
        with pytest.warns(UserWarning, match="not a double precision"):
            lib.autograd.gradcheck(lambda x: x * 2, (lib.tensor(A, dtype=lib.float32, requires_grad=True),),
                                   atol=1e-2, rtol=1e-2)


JACOBIANS = {
    "one to one": (lambda lib, x, W: (W @ x).tanh(), False),
    "tuple in and out": (lambda lib, x, W: ((W @ x).tanh(), x.sum()), True),
    "independent input": (lambda lib, x, W: x * 2, True),
}


@pytest.mark.parametrize("name", sorted(JACOBIANS))
@pytest.mark.parametrize("create_graph", [False, True])
def test_jacobian_matches_torch(name, create_graph):
    fn, both = JACOBIANS[name]
    x0, w0 = RNG.standard_normal(3), RNG.standard_normal((2, 3))
    results = []
    for lib in (ndgrad, torch):
        x, W = lib.tensor(x0, requires_grad=True), lib.tensor(w0, requires_grad=True)
        args = (x, W) if both else x
        f = (lambda a, b: fn(lib, a, b)) if both else (lambda a: fn(lib, a, W))
        out = lib.autograd.functional.jacobian(f, args, create_graph=create_graph)
        flat = [t for group in (out if isinstance(out, tuple) else (out,))
                for t in (group if isinstance(group, tuple) else (group,))]
        results.append([(t.shape, t.requires_grad, t.detach().numpy()) for t in flat])
    for (s1, r1, v1), (s2, r2, v2) in zip(*results):
        assert tuple(s1) == tuple(s2) and r1 == r2
        np.testing.assert_allclose(v1, v2, rtol=1e-12, atol=1e-12)


def test_hessian_matches_torch_and_its_errors():
    x0, w0 = RNG.standard_normal(3), RNG.standard_normal((2, 3))
    for fn, both in ((lambda lib, x, W: (x ** 3).sum() * x[0], False),
                     (lambda lib, x, W: (W @ x).sin().sum(), True)):
        got = []
        for lib in (ndgrad, torch):
            x, W = lib.tensor(x0), lib.tensor(w0)
            h = lib.autograd.functional.hessian(
                (lambda a, b: fn(lib, a, b)) if both else (lambda a: fn(lib, a, W)), (x, W) if both else x)
            got.append([t.numpy() for row in (h if both else ((h,),)) for t in row])
        for a, b in zip(*got):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    for lib in (ndgrad, torch):
        with pytest.raises(RuntimeError, match="should contain a single element"):
            lib.autograd.functional.hessian(lambda x: x * 2, lib.tensor(x0))
        with pytest.raises(TypeError, match="must be either a Tensor or a tuple of Tensors"):
            lib.autograd.functional.jacobian(lambda x: 3, lib.tensor(x0))
        with pytest.raises(RuntimeError, match="independent of input 1"):
            lib.autograd.functional.jacobian(lambda x, w: x * 2, (lib.tensor(x0), lib.tensor(w0)),
                                             strict=True)


def _torch_names(fn):
    """grad_fn class names reachable from fn, AccumulateGrad left out (leaves are drawn as tensors)."""
    seen, stack, names = set(), [fn], set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if type(node).__name__ != "AccumulateGrad":
            names.add(type(node).__name__)
        stack += [n for n, _ in node.next_functions if n is not None]
    return names


def _quadratic(lib):
    x = lib.tensor(2.0, requires_grad=True)
    return x, x ** 2 + 3 * x + 2


def test_print_graph_of_the_seed_quadratic(capsys):
    x, y = _quadratic(ndgrad)
    ndgrad.autograd.graph.print_graph(y, params={"x": x})
    assert capsys.readouterr().out == ("AddBackward0\n└── AddBackward0\n    ├── PowBackward0\n"
                                       "    │   └── x: () float32\n"
                                       "    └── MulBackward0\n        └── x: () float32 (shown above)\n")


@pytest.mark.parametrize("build", ["quadratic", "cnn loss"])
def test_to_dot_names_nodes_like_pytorch(build):
    def graph(lib):
        if build == "quadratic":
            return _quadratic(lib)
        x = lib.tensor(RNG.standard_normal((2, 1, 5, 5)), requires_grad=True)
        w = lib.tensor(RNG.standard_normal((3, 1, 3, 3)), requires_grad=True)
        y = lib.nn.functional.max_pool2d(lib.nn.functional.conv2d(x, w).relu(), 2).sum()
        return x, y
    x, y = graph(ndgrad)
    dot = ndgrad.autograd.graph.to_dot(y, params={"input": x})
    labels = set(re.findall(r'\[label="([^"]+)"\]', dot))
    assert labels == _torch_names(graph(torch)[1].grad_fn)            # leaves are drawn with a style
    assert dot.startswith("digraph autograd {") and dot.rstrip().endswith("}")
    assert re.search(r'label="input: \([\d, ]*\) float\d+", shape=ellipse', dot)
    edges = re.findall(r"(n\d+) -> (n\d+);", dot)
    assert ("n0", "n1") in edges                     # from the output side towards the leaves


def test_draw_writes_png_and_svg(tmp_path):
    x, y = _quadratic(ndgrad)
    ndgrad.autograd.graph.draw(y, tmp_path / "g.png", params={"x": x})
    ndgrad.autograd.graph.draw(y, tmp_path / "g.svg")
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "g.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and svg.count("<path") > 5   # boxes and arrows
    with pytest.raises(ValueError, match=".png or .svg"):
        ndgrad.autograd.graph.draw(y, tmp_path / "g.jpg")
    with pytest.raises(ValueError, match="no graph behind it"):
        ndgrad.autograd.graph.draw(x, tmp_path / "leaf.png")


def test_trace_prints_each_node_with_its_gradients(capsys):
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    with ndgrad.autograd.trace(params={"x": x}):
        (x * x).sum().backward()
    (x * x).sum().backward()                          # outside the block: silent
    assert capsys.readouterr().out == ("SumBackward0  receives () norm 1\n"
                                       "  -> MulBackward0: (2,) norm 1.414\n"
                                       "MulBackward0  receives (2,) norm 1.414\n"
                                       "  -> leaf x: (2,) norm 2.236\n"
                                       "  -> leaf x: (2,) norm 2.236\nx.grad  += (2,) norm 4.472\n")
    assert x.grad.norm().item() == pytest.approx(2 * 4.472, rel=1e-3)


def test_detect_anomaly_names_the_forward_line():
    w = ndgrad.tensor([-1.0, 4.0], requires_grad=True)
    with ndgrad.autograd.detect_anomaly(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = w.sqrt()  # the line anomaly mode must point at
        with pytest.raises(RuntimeError,
                           match=r"SqrtBackward0' returned nan.*test_teaching_tools.py.*y = w.sqrt\(\)"):
            y.sum().backward()
    z = ndgrad.tensor([0.0], requires_grad=True)
    with ndgrad.autograd.detect_anomaly(), pytest.warns(UserWarning,
                                                        match=r"returned inf values.*z.sqrt\(\)"):
        z.sqrt().sum().backward()
