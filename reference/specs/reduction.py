"""Reductions over all dims or chosen dims (negative, tuples), keepdim, corrections."""
import numpy as np
from hypothesis import assume, strategies as st

from ..spec import Arr, Sample, register
from ..strategies import ALL, FLOATS, NUMERIC, arrays, bad_dim, reduction, shapes


def _forms(name, **extra):
    forms = {"function": lambda lib, x, **kw: getattr(lib, name)(x, **kw),
             "method": lambda lib, x, **kw: getattr(x, name)(**kw)}
    forms.update(extra)
    return forms


BAD_DIM = (("dim out of range", bad_dim()),)
EMPTY = (("empty input without dim", arrays(FLOATS, (0,)).map(lambda a: Sample((a,)))),)

register("sum", _forms("sum"), reduction(ALL), errors=BAD_DIM, rtol=1e-4, atol=1e-4)
register("mean", _forms("mean"), reduction(ALL), errors=BAD_DIM, rtol=1e-4, atol=1e-4)
# values and sizes kept small enough that no product overflows: where one does, whether
# inf * 0 gives nan depends on the order of the multiplications, in both libraries.
register("prod", _forms("prod"), reduction(ALL, tuple_dims=False, lo=-1.5, hi=1.5, max_side=3).map(
    lambda s: s if not isinstance(s.kwargs.get("dim"), tuple) else Sample(s.args)), errors=BAD_DIM,
    rtol=1e-4, atol=1e-4)
for _name in ("max", "min"):
    register(_name, _forms(_name, binary=lambda lib, x, name=_name: getattr(lib, name)(x, x * 0.5)),
             reduction(ALL, min_side=1, tuple_dims=False, none_dim=True),
             errors=tuple(case + (("function", "method"),) for case in BAD_DIM + EMPTY),
             note="no dim: 0-d max; dim: (values, indices); a tensor: elementwise")
for _name in ("amax", "amin"):
    register(_name, _forms(_name), reduction(ALL, min_side=1), errors=BAD_DIM + EMPTY)
for _name in ("argmax", "argmin"):
    register(_name, _forms(_name), reduction(NUMERIC, min_side=1, tuple_dims=False), grad=False,
             errors=BAD_DIM + EMPTY)


@st.composite
def _var(draw, for_grads=False, spread=False):
    s = draw(reduction(ALL, min_side=0))
    kw = dict(s.kwargs)
    if kw.get("dim") == ():
        # PyTorch reduces every dim for dim=() but its backward then divides by N = 1
        # (torch.var(x, dim=()) has gradient ±inf): the plain call is compared instead.
        kw.pop("dim")
        kw.pop("keepdim", None)
    choice = draw(st.sampled_from(["default", "correction", "unbiased"]))
    if choice == "correction":
        kw["correction"] = draw(st.integers(0, 2))
    elif choice == "unbiased":
        kw["unbiased"] = draw(st.booleans())
    if for_grads:
        # With N <= correction PyTorch's gradient differs between dim=None and an explicit
        # dim for the same function (nan vs -0.0): only well-posed corrections are compared.
        shape = s.args[0].values.shape
        dims = kw.get("dim", tuple(range(len(shape))))
        dims = dims if isinstance(dims, tuple) else (dims,)
        n = 1
        for d in dims:
            n *= shape[d] if shape else 1
        correction = kw.get("correction", 0 if kw.get("unbiased") is False else 1)
        assume(n > correction)
        if spread and s.args[0].values.size:
            # std is not differentiable where the variance is 0: there both libraries
            # return rounding noise (PyTorch's exact 0 or ~1e-16 depends on its algorithm).
            v = s.args[0].values.astype(np.float64)
            assume(np.all(np.var(v, axis=dims if v.ndim else None) > 1e-6 * (1 + np.mean(v * v))))
    return Sample(s.args, kw)


for _name in ("var", "std"):
    register(_name, _forms(_name), _var(), grad_sample=_var(for_grads=True, spread=_name == "std"),
             errors=BAD_DIM, rtol=1e-4, atol=1e-4)


@st.composite
def _sum_to(draw):
    shape = draw(shapes(min_side=1))
    target = tuple(draw(st.sampled_from([1, s])) for s in shape)[draw(st.integers(0, len(shape))):]
    return Sample((draw(arrays(ALL, shape)), target))


register("sum_to_size", {"method": lambda lib, x, size: x.sum_to_size(size)}, _sum_to(),
         rtol=1e-4, atol=1e-4, errors=(("larger size", arrays(FLOATS, (2, 3)).map(
             lambda a: Sample((a, (4, 3))))),))
register("nonzero", {"function": lambda lib, x: lib.nonzero(x),
                     "method": lambda lib, x: x.nonzero(),
                     "as_tuple": lambda lib, x: lib.nonzero(x, as_tuple=True)},
         st.builds(lambda a: Sample((a,)), arrays(ALL, lo=-1, hi=1)), grad=False,
         errors=(("a list", st.just(Sample(([1, 0],))), ("function",)),))


# ---- cumulative ops, logsumexp, norms, ordering --------------------------------------------------

@st.composite
def _along_dim(draw, dtypes=ALL, lo=-10.0, hi=10.0, max_side=4, **kw):
    x = draw(arrays(dtypes, shapes(max_side=max_side), lo, hi))
    nd = max(x.values.ndim, 1)
    return Sample((x, draw(st.integers(-nd, nd - 1))), {k: draw(v) for k, v in kw.items()})


register("cumsum", _forms("cumsum", inplace=lambda lib, x, d: x.clone().cumsum_(d)), _along_dim(),
         errors=(("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 2)))),),
         rtol=1e-4, atol=1e-4)
register("cumprod", _forms("cumprod", inplace=lambda lib, x, d: x.clone().cumprod_(d)),
         _along_dim(lo=-2, hi=2, max_side=3), rtol=1e-4, atol=1e-4,
         errors=(("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 2)))),),
         note="gradients with zeros in the input use exclusive products")
# dim=() left out: PyTorch 2.13's logsumexp(x, dim=()) fails on its own output for integer inputs
register("logsumexp", _forms("logsumexp"), reduction(ALL, none_dim=False, lo=-50, hi=50).filter(
    lambda s: s.kwargs.get("dim") != ()), rtol=1e-4, atol=1e-4, errors=BAD_DIM)
register("norm", _forms("norm"), reduction(FLOATS, p=st.sampled_from([2, 1, 3, 0, 0.5, float("inf"), -float("inf"), "fro"])).filter(
    lambda s: s.args[0].values.size or s.kwargs["p"] not in (float("inf"), -float("inf"))), rtol=1e-4, atol=1e-4,
    grad_sample=reduction(FLOATS, min_side=1, p=st.sampled_from([2, 1, 3])).filter(
        lambda s: np.all(np.abs(s.args[0].values) > 0.05)),
    errors=(("integer input", arrays(("int64",), (3,)).map(lambda a: Sample((a,)))),
            ("'fro' over three dims", arrays(FLOATS, (2, 2, 2)).map(
                lambda a: Sample((a,), {"p": "fro", "dim": (0, 1, 2)})))))


@st.composite
def _distinct(draw, **kw):
    """Distinct values (ties make the chosen indices implementation-defined)."""
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    n = int(np.prod(shape))
    vals = draw(st.lists(st.integers(-50, 50), min_size=n, max_size=n, unique=True))
    dt = draw(st.sampled_from(NUMERIC))
    x = np.asarray(vals, dtype=np.float64).reshape(shape) / 4
    x = x.astype(dt) if np.dtype(dt).kind == "f" else np.clip(np.asarray(vals).reshape(shape), 0 if dt == "uint8" else -50, 50).astype(dt)
    if np.dtype(dt).kind != "f" and len(np.unique(x)) != x.size:
        x = np.arange(x.size).reshape(shape).astype(dt)
    arr = Arr(x, "transposed" if x.ndim >= 2 and draw(st.booleans()) else "contiguous")
    nd = x.ndim
    return Sample((arr,), {"dim": draw(st.integers(-nd, nd - 1)), **{k: draw(v) for k, v in kw.items()}})


register("sort", _forms("sort"), _distinct(descending=st.booleans()) | reduction(ALL, lo=-2, hi=2, none_dim=False, tuple_dims=False, keepdim=False),
         errors=BAD_DIM, note="ties: stable order, as PyTorch's CPU sort")
register("argsort", _forms("argsort"), _distinct(descending=st.booleans()), grad=False, errors=BAD_DIM)
register("msort", _forms("msort"), _distinct().map(lambda s: Sample(s.args)),
         errors=(("a list", st.just(Sample(([2.0, 1.0],))), ("function",)),))


@st.composite
def _k(draw, kth=False, **kw):
    s = draw(_distinct(**kw))
    n = s.args[0].values.shape[s.kwargs["dim"]]
    return Sample(s.args + (draw(st.integers(1 if kth else 0, n)),), s.kwargs) if n or not kth else Sample(s.args + (1,), s.kwargs)


register("topk", _forms("topk"), _k(largest=st.booleans()),
         errors=(("k larger than the dim", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 4)))),))
register("kthvalue", _forms("kthvalue"), _k(kth=True, keepdim=st.booleans()),
         errors=(("k out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, 4)))),))
register("median", _forms("median"), _distinct(keepdim=st.booleans()) | arrays(
    ("bool",) + NUMERIC, shapes(min_side=1), lo=-2, hi=2).map(lambda a: Sample((a,))),
         errors=BAD_DIM)
register("unique", _forms("unique"), arrays(ALL, lo=-3, hi=3).flatmap(lambda a: st.fixed_dictionaries(
    {"return_inverse": st.booleans(), "return_counts": st.booleans()}).map(lambda kw: Sample((a,), kw))),
    grad=False, errors=(("dim out of range", bad_dim(ALL)),))
