"""Reductions over all dims or chosen dims (negative, tuples), keepdim, corrections."""
import numpy as np
from hypothesis import assume, strategies as st

from ..spec import Sample, register
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
         st.builds(lambda a: Sample((a,)), arrays(ALL, lo=-1, hi=1)), grad=False)
