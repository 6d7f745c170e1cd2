"""The autograd engine against PyTorch: accumulation, retain_graph, create_graph (higher order),
autograd.grad, custom Functions, grad modes, hooks, and PyTorch's errors."""
import numpy as np
import pytest
import torch

import ndgrad


def both(fn):
    """Run fn(lib) for ndgrad and torch; return both results."""
    return fn(ndgrad), fn(torch)


def same(a, b):
    a = np.asarray(a.detach().numpy() if hasattr(a, "detach") else a)
    b = np.asarray(b.detach().numpy() if hasattr(b, "detach") else b)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def raises_like_torch(fn):
    """fn(lib) raises for torch, and the same builtin exception type for ndgrad."""
    with pytest.raises(Exception) as t:
        fn(torch)
    base = next(c for c in type(t.value).__mro__ if c.__module__ == "builtins")
    with pytest.raises(base):
        fn(ndgrad)
    return t.value


def test_quadratic_from_the_tutorial():
    def f(lib):
        x = lib.tensor(2.0, requires_grad=True)
        y = x ** 2 + 3 * x + 2
        y.backward()
        return x.grad
    n, t = both(f)
    same(n, t)
    assert n.item() == 7.0


def test_gradients_accumulate_and_zero():
    def f(lib):
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        (x * x).sum().backward()
        (x ** 3).sum().backward()
        first = x.grad.clone()
        x.grad.zero_()
        (2 * x).sum().backward()
        return first, x.grad
    (n1, n2), (t1, t2) = both(f)
    same(n1, t1)
    same(n2, t2)


def test_shared_subexpression_sums_gradients():
    def f(lib):
        x = lib.tensor([0.5, 1.5, -1.0], requires_grad=True)
        y = x.exp()
        z = (y * y + y.sin() * x).mean()
        z.backward()
        return x.grad
    same(*both(f))


def test_backward_twice_needs_retain_graph():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x ** 2).sum()
        y.backward()
        y.backward()
    err = raises_like_torch(f)
    assert "second time" in str(err)

    def g(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp()).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    same(*both(g))


def test_nonscalar_backward_needs_gradient():
    raises_like_torch(lambda lib: (lib.ones(2, requires_grad=True) * 2).backward())

    def f(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * x).backward(lib.tensor([1.0, 0.5, -1.0]))
        return x.grad
    same(*both(f))
    raises_like_torch(lambda lib: (lib.ones(2, requires_grad=True) * 2).backward(lib.ones(3)))


def test_tensor_without_grad_fn_cannot_backward():
    err = raises_like_torch(lambda lib: lib.ones(()).backward())
    assert "does not require grad" in str(err)


def test_inplace_on_leaf_that_requires_grad():
    err = raises_like_torch(lambda lib: lib.ones(2, requires_grad=True).add_(1))
    assert "leaf Variable" in str(err)

    def under_no_grad(lib):
        w = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            w -= 0.5 * lib.ones(2)
        return w
    n, t = both(under_no_grad)
    same(n, t)
    assert n.requires_grad and n.is_leaf


def test_modified_saved_tensor_is_detected():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1
        z = y.exp()          # saves its output
        z.add_(1)
        z.sum().backward()
    err = raises_like_torch(f)
    assert "modified by an inplace operation" in str(err)

    def g(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1
        z = y * y            # saves y
        y.mul_(2)
        z.sum().backward()
    raises_like_torch(g)


def test_inplace_on_nonleaf_is_recorded():
    def f(lib):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 2
        y.mul_(x)
        y.add_(1).relu_()
        y.sum().backward()
        return x.grad, type(y.grad_fn).__name__ if lib is torch else y.grad_fn.name()
    (ng, nn), (tg, tn) = both(f)
    same(ng, tg)
    assert nn == tn


def test_higher_order_gradients():
    def f(lib):
        x = lib.tensor([0.3, -1.2], dtype=lib.float64, requires_grad=True)
        y = (x ** 3 * x.sin()).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        (gg,) = lib.autograd.grad(g.sum(), x, create_graph=True)
        (ggg,) = lib.autograd.grad(gg.sum(), x)
        return g, gg, ggg
    for a, b in zip(*both(f)):
        same(a, b)


def test_create_graph_backward_gives_grad_with_history():
    def f(lib):
        x = lib.tensor(1.5, requires_grad=True)
        y = x ** 4
        y.backward(create_graph=True)
        g = x.grad
        x.grad = None
        g.backward()
        return g, x.grad
    (n1, n2), (t1, t2) = both(f)
    same(n1, t1)
    same(n2, t2)


def test_autograd_grad_unused_and_allow_unused():
    def f(lib):
        x = lib.ones(2, requires_grad=True)
        z = lib.ones(2, requires_grad=True)
        return lib.autograd.grad((x * 2).sum(), [x, z])
    raises_like_torch(f)

    def g(lib):
        x = lib.ones(2, requires_grad=True)
        z = lib.ones(2, requires_grad=True)
        gx, gz = lib.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)
        return gx, gz is None, x.grad is None
    (ngx, nnone, nleaf), (tgx, tnone, tleaf) = both(g)
    same(ngx, tgx)
    assert nnone and tnone and nleaf and tleaf


def test_grad_of_a_non_leaf_input():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        h = x * 3
        y = (h ** 2).sum()
        return lib.autograd.grad(y, h)[0]
    same(*both(f))


def test_backward_with_inputs_only_accumulates_there():
    def f(lib):
        a = lib.ones(2, requires_grad=True)
        b = lib.ones(2, requires_grad=True)
        (a * b * 3).sum().backward(inputs=[a])
        return a.grad, b.grad is None
    (na, nb), (ta, tb) = both(f)
    same(na, ta)
    assert nb and tb


def test_custom_function():
    def f(lib):
        class Cube(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, grad):
                (x,) = ctx.saved_tensors
                assert ctx.needs_input_grad == (True,)
                return grad * 3 * x ** 2

        x = lib.tensor([1.0, -2.0], dtype=lib.float64, requires_grad=True)
        y = Cube.apply(x)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad(g.sum(), x)
        name = type(y.grad_fn).__name__
        return y, g, gg, name
    (ny, ng, ngg, nname), (ty, tg, tgg, tname) = both(f)
    same(ny, ty)
    same(ng, tg)
    same(ngg, tgg)
    assert nname == tname == "CubeBackward"


def test_custom_function_returning_the_saved_output():
    def f(lib):
        class Exp(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = x.exp()
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad):
                (y,) = ctx.saved_tensors
                return grad * y

        x = lib.tensor([0.5, 1.0], requires_grad=True)
        Exp.apply(x).sum().backward()
        return x.grad
    same(*both(f))


def test_grad_modes():
    def f(lib):
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            a = x * 2
            with lib.enable_grad():
                b = x * 2
        with lib.set_grad_enabled(False):
            c = x * 2

        @lib.no_grad()
        def g(v):
            return v * 2
        lib.set_grad_enabled(False)
        d = x * 2
        lib.set_grad_enabled(True)
        with lib.inference_mode():
            e = x * 2
        return [t.requires_grad for t in (a, b, c, g(x), d, e)] + [lib.is_grad_enabled()]
    n, t = both(f)
    assert n == t


def test_bare_no_grad_decorator():
    @ndgrad.no_grad
    def g(v):
        return v * 2
    assert not g(ndgrad.ones(1, requires_grad=True)).requires_grad


def test_detach_requires_grad_and_retain_grad():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        d = x.detach()
        d[0] = 5.0                  # shares memory with x
        h = x * 2
        h.retain_grad()
        (h * h).sum().backward()
        return x.detach().clone(), h.grad, d.requires_grad, h.is_leaf, x.is_leaf
    (nx, nh, nd, nl, nxl), (tx, th, td, tl, txl) = both(f)
    same(nx, tx)
    same(nh, th)
    assert (nd, nl, nxl) == (td, tl, txl)
    raises_like_torch(lambda lib: lib.tensor([1, 2]).requires_grad_())
    raises_like_torch(lambda lib: (lib.ones(1, requires_grad=True) * 2).requires_grad_(False))


def test_hooks_change_gradients():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: g * 10)
        h = x * x
        seen = []
        h.register_hook(lambda g: seen.append(g.clone()))
        h.sum().backward()
        return x.grad, seen[0]
    (ng, ns), (tg, ts) = both(f)
    same(ng, tg)
    same(ns, ts)


def test_next_functions_and_leaf_accumulator():
    x = ndgrad.ones(2, requires_grad=True)
    y = x * 2 + x
    names = [n.name() for n, _ in y.grad_fn.next_functions]
    assert names == ["MulBackward0", "AccumulateGrad"]
    assert y.grad_fn.next_functions[1][0].variable is x


@pytest.mark.parametrize("expr", ["x + y", "x - y", "x * y", "x / y", "x ** 2", "x ** y", "2 ** x",
                                  "-x", "x.exp()", "x.sum()", "x.sum(0)", "x.mean()", "x.mean(1)",
                                  "x.t()", "x.T", "x.view(-1)", "x.reshape(3, 2)", "x.t().reshape(-1)",
                                  "x.unsqueeze(0)", "x.squeeze()", "x.transpose(0, 1)",
                                  "x.permute(1, 0)", "x.expand(4, 2, 3)", "x.clone()", "x.contiguous()",
                                  "x.t().contiguous()", "x @ y.t()", "x[0] @ y[0]", "x @ y[0]",
                                  "x.max()", "x.max(0)[0]", "x.amax(0)", "x.std()", "x.var(0)",
                                  "x.clamp(0, 1)", "x.relu()", "x.sigmoid()", "x.tanh()", "x.abs()",
                                  "x.sqrt()", "torch.where(x > 0, x, y)", "torch.maximum(x, y)",
                                  "x.flatten()", "x.float()", "x.double()", "x[0, 1]", "x[:, 1:]",
                                  "x[None]", "x[[0, 1]]", "x[x > 0]", "x.prod()", "x.prod(1)"])
def test_grad_fn_names_match_torch(expr):
    data = np.array([[0.5, 1.0, 2.0], [1.5, 0.25, 3.0]], dtype=np.float32)

    def f(lib):
        torch_ns = {"torch": lib}
        x = lib.from_numpy(data.copy()).requires_grad_(True)
        y = lib.from_numpy(data.copy() + 1).requires_grad_(True)
        out = eval(expr, torch_ns, {"x": x, "y": y})
        return (out is x, type(out.grad_fn).__name__)
    n, t = both(f)
    assert n == t


def test_detect_anomaly_names_the_node_that_made_nan():
    def f(lib):
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        with lib.autograd.detect_anomaly():
            y = (x.sqrt() * 0).sum()       # d sqrt at 0 is inf; inf * 0 = nan
            y.backward()
    with pytest.warns(UserWarning, match="Traceback of forward call"):
        err = raises_like_torch(f)
    assert str(err) == "Function 'SqrtBackward0' returned nan values in its 0th output."
    with pytest.raises(RuntimeError, match="returned nan values"), pytest.warns(UserWarning):
        f(ndgrad)


def test_anomaly_mode_switches():
    for lib in (ndgrad, torch):
        assert not lib.is_anomaly_enabled()
        lib.autograd.set_detect_anomaly(True)
        assert lib.is_anomaly_enabled()
        lib.autograd.set_detect_anomaly(False)
        assert not lib.is_anomaly_enabled()
    x = ndgrad.tensor([0.0], requires_grad=True)
    (x.sqrt() * 0).sum().backward()             # without anomaly mode: nan, no error
    assert np.isnan(x.grad.item())


def test_anomaly_mode_without_nan_check_lets_nan_through():
    for lib in (ndgrad, torch):
        x = lib.tensor([0.0], requires_grad=True)
        with pytest.warns(UserWarning):
            with lib.autograd.detect_anomaly(check_nan=False):
                (x.sqrt() * 0).sum().backward()
        assert np.isnan(x.grad.item())
