"""Sums and statistics (``ndgrad/ops/reduction.py``): over all dims or chosen dims (negative,
tuples), keepdim, corrections; logsumexp, norms of every order, the truth reductions all/any
and count_nonzero, sum_to_size."""
import numpy as np
from hypothesis import assume, strategies as st

from ..spec import Sample, register
from ..strategies import ALL, BAD_DIM, FLOATS, arrays, reduction, shapes
from ._shared import reduction_forms

register("sum", reduction_forms("sum"), reduction(ALL), errors=BAD_DIM, rtol=1e-4, atol=1e-4)
register("mean", reduction_forms("mean"), reduction(ALL), errors=BAD_DIM, rtol=1e-4, atol=1e-4)
# values and sizes kept small enough that no product overflows: where one does, whether
# inf * 0 gives nan depends on the order of the multiplications, in both libraries.
register("prod", reduction_forms("prod"), reduction(ALL, tuple_dims=False, lo=-1.5, hi=1.5, max_side=3).map(
    lambda s: s if not isinstance(s.kwargs.get("dim"), tuple) else Sample(s.args)), errors=BAD_DIM,
    rtol=1e-4, atol=1e-4)


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
    register(_name, reduction_forms(_name), _var(), grad_sample=_var(for_grads=True, spread=_name == "std"),
             errors=BAD_DIM, rtol=1e-4, atol=1e-4)


@st.composite
def _sum_to(draw):
    shape = draw(shapes(min_side=1))
    target = tuple(draw(st.sampled_from([1, s])) for s in shape)[draw(st.integers(0, len(shape))):]
    return Sample((draw(arrays(ALL, shape)), target))


register("sum_to_size", {"method": lambda lib, x, size: x.sum_to_size(size)}, _sum_to(),
         rtol=1e-4, atol=1e-4, errors=(("larger size", arrays(FLOATS, (2, 3)).map(
             lambda a: Sample((a, (4, 3))))),))
# dim=() left out: PyTorch 2.13's logsumexp(x, dim=()) fails on its own output for integer inputs
register("logsumexp", reduction_forms("logsumexp"), reduction(ALL, none_dim=False, lo=-50, hi=50).filter(
    lambda s: s.kwargs.get("dim") != ()), rtol=1e-4, atol=1e-4, errors=BAD_DIM)
register("norm", reduction_forms("norm"), reduction(
    FLOATS, p=st.sampled_from([2, 1, 3, 0, 0.5, float("inf"), -float("inf"), "fro"])).filter(
    lambda s: s.args[0].values.size or s.kwargs["p"] not in (float("inf"), -float("inf"))),
    rtol=1e-4, atol=1e-4,
    grad_sample=reduction(FLOATS, min_side=1, p=st.sampled_from([2, 1, 3])).filter(
        lambda s: np.all(np.abs(s.args[0].values) > 0.05)),
    errors=(("integer input", arrays(("int64",), (3,)).map(lambda a: Sample((a,)))),
            ("'fro' over three dims", arrays(FLOATS, (2, 2, 2)).map(
                lambda a: Sample((a,), {"p": "fro", "dim": (0, 1, 2)})))))
for _name in ("all", "any", "count_nonzero"):
    register(_name, {"function": lambda lib, x, name=_name, **kw: getattr(lib, name)(x, **kw),
                     "method": lambda lib, x, name=_name, **kw: getattr(x, name)(**kw)},
             reduction(ALL, lo=-1, hi=1, keepdim=_name != "count_nonzero"), grad=False,
             errors=BAD_DIM)
