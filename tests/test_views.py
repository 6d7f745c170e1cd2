"""In-place writes through views (PyTorch's CopySlices) and views re-derived after their base
changes, against PyTorch: values, gradients, grad_fn names and errors."""
import re

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import ndgrad
from reference import assert_same


def run(fn, lib):
    """fn(lib, x) on a float64 leaf x; returns (fn's outputs, x.grad after backward of their sum)."""
    x = lib.from_numpy(np.arange(1.0, 13.0).reshape(3, 4) / 4).requires_grad_(True)
    outs = fn(lib, x)
    outs = outs if isinstance(outs, tuple) else (outs,)
    sum(o.sum() * (i + 1) for i, o in enumerate(outs)).backward()
    return outs, x.grad


def compare(fn):
    try:
        th_outs, th_grad = run(fn, torch)
    except RuntimeError as e:            # e.g. a value backward needs was overwritten: same error
        with pytest.raises(RuntimeError, match=re.escape(str(e).split(":")[0])):
            run(fn, ndgrad)
        return
    nd_outs, nd_grad = run(fn, ndgrad)
    for i, (n, t) in enumerate(zip(nd_outs, th_outs)):
        assert_same(n, t, where=f"output {i}", layout=False)
        if t.grad_fn is not None:
            assert n.grad_fn.name() == type(t.grad_fn).__name__.split("::")[-1]
    assert_same(nd_grad, th_grad, where="x.grad", layout=False)


def _imul_column(lib, x):
    y = x * 2
    y[:, 0] *= 3                       # the tutorials' idiom: a view, an in-place op, a write-back
    return y


def _view_then_base_changes(lib, x):
    y = x * 1
    v = y[0]
    y.mul_(2)                          # v shows the doubled values: its history must say so too
    return v * v


def _inplace_with_other_operand(lib, x):
    y = x.clone()
    y[1:].mul_(x[:2])
    return y * y


def _diagonal_zeroed_seen_through_transpose(lib, x):
    y = x[:, :3] * 1
    t = y.t()
    y.diagonal().zero_()
    return t * x[:3, :3]


def _expand_sees_the_write(lib, x):
    y = x[0] * 1
    e = y.expand(2, 4)
    y[1:].mul_(5)
    return e


def _view_of_a_view(lib, x):
    y = x * 1
    v = y[1:]
    w = v[:, 2:]
    w.mul_(10)
    return y * y, v, w


def _base_without_grad_gets_it(lib, x):
    y = lib.zeros(3, 4, dtype=lib.float64)
    v = y[:2]
    v.add_(x[1:])
    return y, v


def _copy_and_fill_into_views(lib, x):
    y = x * 1
    y[0].copy_(x[2] * 3)
    y[1].fill_(7.0)
    y[2, 1:3] = x[0, :2]
    return y


def _select_then_inplace_scalar_view(lib, x):
    y = x * 2
    y[1, 1].mul_(4)                    # a 0-d view: the write lands in y
    return y.log()


CASES = [_imul_column, _view_then_base_changes, _inplace_with_other_operand,
         _diagonal_zeroed_seen_through_transpose, _expand_sees_the_write, _view_of_a_view,
         _base_without_grad_gets_it, _copy_and_fill_into_views, _select_then_inplace_scalar_view]


@pytest.mark.parametrize("fn", CASES, ids=lambda f: f.__name__.strip("_"))
def test_inplace_through_views_matches_torch(fn):
    compare(fn)


VIEWS = {"row": lambda t: t[-1], "cols": lambda t: t[:, 1:3], "step": lambda t: t[::2, ::3],
         "t": lambda t: t.t(), "diagonal": lambda t: t.diagonal(), "narrow": lambda t: t.narrow(1, 1, 1),
         "unsqueeze": lambda t: t.unsqueeze(0), "element": lambda t: t[-1, -1]}
INPLACE = {"mul_": lambda v, x: v.mul_(2.5), "add_x": lambda v, x: v.add_(x.sum()),
           "zero_": lambda v, x: v.zero_(), "exp_": lambda v, x: v.exp_(),
           "clamp_": lambda v, x: v.clamp_(0.5, 2), "sub_view": lambda v, x: v.sub_(v * x.mean())}


@given(first=st.sampled_from(sorted(VIEWS)), second=st.sampled_from(sorted(VIEWS) + [None]),
       op=st.sampled_from(sorted(INPLACE)), keep=st.sampled_from(sorted(VIEWS)))
def test_random_view_chains_match_torch(first, second, op, keep):
    """Base y = f(x); a view kept aside; an in-place op through a (view of a) view; then both used."""
    def fn(lib, x):
        y = x * 1.5
        kept = VIEWS[keep](y)
        v = VIEWS[first](y)
        if second is not None and v.ndim == 2:
            v = VIEWS[second](v)
        INPLACE[op](v, x)
        return y * y, kept * 2
    compare(fn)


def test_view_of_a_leaf_cannot_be_changed_in_place():
    for lib in (ndgrad, torch):
        x = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            x[:2].mul_(2)
        with lib.no_grad():
            x[:2].mul_(2)                # allowed outside recording: x's values change
        assert x.tolist() == [2.0, 2.0, 1.0]


def test_detached_view_is_not_tracked():
    for lib in (ndgrad, torch):
        x = lib.ones(3, requires_grad=True)
        y = x * 1
        d = y.detach()
        d.add_(1)                        # shares memory (and the version counter), not history
        assert y.tolist() == [2.0, 2.0, 2.0] and d.grad_fn is None and y.grad_fn is not None
        z = x.exp()
        z.detach().zero_()               # exp saved z for its backward: the shared counter says so
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_saved_view_modified_in_place_is_caught():
    for lib in (ndgrad, torch):
        x = lib.ones(3, requires_grad=True)
        y = x.exp()
        y[:2].mul_(2)                    # exp saved its output; the write through the view bumps it
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


@pytest.mark.parametrize("view", [
    lambda x: x, lambda x: x[1], lambda x: x[:, 2], lambda x: x[1:, 1:].t(), lambda x: x.view(-1)[5:],
    lambda x: x.narrow(1, 2, 2), lambda x: x[2].unsqueeze(0).expand(3, 4), lambda x: x.detach()[1:],
    lambda x: x.diagonal(1), lambda x: x.reshape(4, 3)[3], lambda x: x.t().contiguous()[1],
], ids=lambda f: None)
def test_storage_offset_and_strides_are_pytorchs(view, device):
    a = view(torch.arange(12.0).reshape(3, 4))
    b = view(ndgrad.arange(12.0, device=device).reshape(3, 4))
    assert (b.storage_offset(), b.stride()) == (a.storage_offset(), a.stride())
