"""RngSpecs: every random sampler against PyTorch's CPU stream (see reference/rng.py).

Hypothesis draws the seed (negative and 64-bit ones too), whether a ``Generator`` or the default
stream draws, shapes (0-d, 1..40 elements around Box–Muller's 16-element blocks, a few hundred),
layouts of in-place targets (contiguous, transposed, sliced), dtypes and parameters.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..rng import register_rng, target

FLOAT = ("float32", "float64", "float16")
INT = ("int64", "int32", "int16", "int8", "uint8")

# why each family's values are bit-equal, not merely close (stated once, cited by the specs)
WORDS = "integers and bools: the same mt19937 words, reduced modulo the same range"
UNIFORM = ("(word & 2²⁴−1)·2⁻²⁴ (float32/float16) or (random64 & 2⁵³−1)·2⁻⁵³ (float64) are exact; "
           "u·(to − from) + from is one fused multiply-add in PyTorch's kernel and in ndgrad "
           "(float32's through float64: it rounds twice only on a float32 tie, ~1 draw in 2²⁸)")
NORMAL = ("float32/float16, ≥ 16 contiguous: PyTorch's AVX2 kernel evaluates Cephes' log and sincos "
          "polynomials with fused steps, and ndgrad evaluates the same ones in the same order; "
          "smaller or strided: double Box–Muller with libm's log1p/sin/cos, which ndgrad calls too "
          "(Python's math) where the float64 result keeps the last bit")
LIBM = ("a transform of 53-bit uniforms in double precision with libm's functions (the same C library "
        "PyTorch calls, through Python's math, for float64 results)")


@st.composite
def shapes(draw, min_numel=0):
    """0-d, 1-d of 1..40 (around the 16-blocks), 2-d/3-d, or a few hundred elements."""
    kind = draw(st.sampled_from(["scalar", "short", "matrix", "long"]))
    if kind == "scalar" and min_numel <= 1:
        return ()
    if kind == "matrix":
        return tuple(draw(st.lists(st.integers(1, 7), min_size=2, max_size=3)))
    if kind == "long":
        return (draw(st.integers(100, 400)),)
    return (draw(st.integers(max(min_numel, 1), 40)),)


def _base(**extra):
    return st.fixed_dictionaries({"seed": st.one_of(st.integers(0, 2 ** 32),
                                                    st.integers(-2 ** 63, 2 ** 64 - 1)),
                                  "generator": st.booleans(), **extra})


LAYOUTS = st.sampled_from(["contiguous", "transposed", "sliced"])


def _gen(g):
    return {} if g is None else {"generator": g}


def _in_place(method):
    """call(lib, g, shape, dtype, layout, args): sample into a fresh target, return it."""
    def call(lib, g, shape, dtype, layout, args=()):
        t = target(lib, shape, dtype, layout)
        getattr(t, method)(*args, **_gen(g))
        return t
    return call


# ---- creation ---------------------------------------------------------------------------------------------
def _creation(name):
    def call(lib, g, shape, dtype, like):
        dt = getattr(lib, dtype)
        if like:
            return getattr(lib, name + "_like")(target(lib, shape, dtype, like), **_gen(g))
        return (getattr(lib, name)(*shape, dtype=dt, **_gen(g)) if shape
                else getattr(lib, name)((), dtype=dt, **_gen(g)))
    return call


_LIKE = st.sampled_from([None, "contiguous", "transposed"])

register_rng("rand", _creation("rand"), _base(shape=shapes(), dtype=st.sampled_from(FLOAT), like=_LIKE),
             UNIFORM, covers=("rand_like",),
             errors=(("integer dtype", lambda lib: lib.rand(3, dtype=lib.int64)),
                     ("bool dtype", lambda lib: lib.rand(3, dtype=lib.bool)),
                     ("no size", lambda lib: lib.rand())))
register_rng("randn", _creation("randn"), _base(shape=shapes(), dtype=st.sampled_from(FLOAT), like=_LIKE),
             NORMAL, covers=("randn_like",),
             errors=(("integer dtype", lambda lib: lib.randn(3, dtype=lib.int64)),))


def _randint(lib, g, shape, dtype, low, span, like):
    if like:
        return lib.randint_like(target(lib, shape, dtype, like), low, low + span, **_gen(g))
    return lib.randint(low, low + span, shape, dtype=getattr(lib, dtype), **_gen(g))


@st.composite
def _randint_params(draw):
    dtype = draw(st.sampled_from(("int64",) + INT[1:] + ("float32", "float64", "bool")))
    if dtype == "int64":
        low = draw(st.integers(-2 ** 40, 2 ** 40))
        span = draw(st.one_of(st.integers(1, 100), st.integers(2 ** 31, 2 ** 34)))
    elif dtype == "bool":
        low, span = 0, draw(st.integers(1, 2))
    elif dtype.startswith("float"):
        low, span = draw(st.integers(-1000, 1000)), draw(st.integers(1, 2 ** 20))
    else:
        info = np.iinfo(dtype)
        low = draw(st.integers(int(info.min), int(info.max)))
        span = draw(st.integers(1, int(info.max) - low + 1))
    return {"dtype": dtype, "low": low, "span": span, "shape": draw(shapes()), "like": draw(_LIKE)}


register_rng("randint", _randint, st.tuples(_base(), _randint_params()).map(lambda t: {**t[0], **t[1]}),
             WORDS + " (random64 from a span of 2²⁸ on, as PyTorch 2.13)", covers=("randint_like",),
             errors=(("low >= high", lambda lib: lib.randint(3, 3, (2,))),
                     ("out of the dtype's range", lambda lib: lib.randint(0, 300, (2,), dtype=lib.int8)),
                     ("size not a tuple", lambda lib: lib.randint(3, 10))))


def _randperm(lib, g, n, dtype):
    return lib.randperm(n, dtype=getattr(lib, dtype), **_gen(g))


register_rng("randperm", _randperm,
             _base(n=st.one_of(st.integers(0, 300), st.sampled_from([65536, 65537, 70001])),
                   dtype=st.sampled_from(["int64", "int32", "float32", "float64"])),
             WORDS + "; the Fisher–Yates swaps are followed without a loop (random/cpu.py: fisher_yates)",
             errors=(("negative n", lambda lib: lib.randperm(-1)),
                     ("bool dtype", lambda lib: lib.randperm(3, dtype=lib.bool)),
                     ("too many for float16", lambda lib: lib.randperm(3000, dtype=lib.float16))))


# ---- normal's four overloads ------------------------------------------------------------------------------
def _normal(lib, g, overload, shape, dtype, mean, std):
    dt = getattr(lib, dtype)
    mean_t = lib.tensor(np.full(shape, mean, dtype=dtype)) if overload in ("TT", "Tf") else mean
    std_shape = (1,) * len(shape) if overload == "TT" and shape else shape
    std_t = lib.tensor(np.full(std_shape, std, dtype=dtype)) if overload in ("TT", "fT") else std
    if overload == "ff":
        return lib.normal(mean, std, shape, dtype=dt, **_gen(g))
    return lib.normal(mean_t, std_t, **_gen(g))


register_rng("normal", _normal,
             _base(overload=st.sampled_from(["ff", "Tf", "fT", "TT"]), shape=shapes(min_numel=1),
                   dtype=st.sampled_from(["float32", "float64"]),
                   mean=st.floats(-5, 5, width=32), std=st.floats(0, 4, width=32)),
             NORMAL + "; then × std and + mean as PyTorch's normal_out does",
             errors=(("negative std", lambda lib: lib.normal(lib.zeros(3), -1.0)),
                     ("a negative std element", lambda lib: lib.normal(lib.zeros(3), lib.full((3,), -1.0))),
                     ("shapes that don't broadcast", lambda lib: lib.normal(lib.zeros(3), lib.ones(4))),
                     ("numbers without size", lambda lib: lib.normal(0.0, 1.0)),
                     ("integer mean", lambda lib: lib.normal(lib.zeros(3, dtype=lib.int64), 1.0))))


# ---- bernoulli and multinomial -----------------------------------------------------------------------------
def _bernoulli(lib, g, shape, dtype, layout, p, form):
    probs = target(lib, shape, dtype, layout).copy_(lib.tensor(np.asarray(p, dtype=dtype)))
    if form == "scalar":
        return lib.bernoulli(probs, float(p.flat[0]) if p.size else 0.5, **_gen(g))
    return probs.bernoulli(**_gen(g)) if form == "method" else lib.bernoulli(probs, **_gen(g))


@st.composite
def _probabilities(draw):
    shape = draw(shapes())
    dtype = draw(st.sampled_from(FLOAT))
    values = draw(st.lists(st.floats(0, 1), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    return {"shape": shape, "dtype": dtype, "layout": draw(LAYOUTS), "form": draw(st.sampled_from(
        ["function", "method", "scalar"])), "p": np.array(values, dtype=dtype).reshape(shape)}


register_rng("bernoulli", _bernoulli, st.tuples(_base(), _probabilities()).map(lambda t: {**t[0], **t[1]}),
             "u < p with u of 53 bits for float64 p (and any number p), of 24 bits for float32/float16 p",
             covers=("Tensor.bernoulli",),
             errors=(("p > 1", lambda lib: lib.bernoulli(lib.full((3,), 1.5))),
                     ("integer p", lambda lib: lib.bernoulli(lib.ones(3, dtype=lib.int64)))))


def _multinomial(lib, g, probs, n, replacement, layout):
    if layout == "transposed" and probs.ndim == 2:
        p = lib.tensor(np.ascontiguousarray(probs.T)).t()
    else:
        p = lib.tensor(probs.copy())
    return lib.multinomial(p, n, replacement, **_gen(g))


@st.composite
def _multinomial_params(draw):
    rows = draw(st.sampled_from([None, 1, 3]))
    k = draw(st.integers(1, 30))
    replacement = draw(st.booleans())
    # without replacement, positive weights: PyTorch's topk leaves the order of equal scores open
    low = 0.0 if replacement else 0.01
    dtype = draw(st.sampled_from(FLOAT))
    shape = (k,) if rows is None else (rows, k)
    values = draw(st.lists(st.floats(low, 10), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    probs = np.array(values, dtype=dtype).reshape(shape)
    if replacement:
        probs[..., 0] += 1                                  # every row has some mass
    n = draw(st.integers(1, 3 * k if replacement else k))
    return {"probs": probs, "n": n, "replacement": replacement,
            "layout": draw(st.sampled_from(["contiguous", "transposed"]))}


register_rng("multinomial", _multinomial,
             st.tuples(_base(), _multinomial_params()).map(lambda t: {**t[0], **t[1]}),
             "without replacement: p / q, q ~ Exp(1) (" + LIBM + "), then argmax/topk of distinct "
             "scores; with replacement: 53-bit uniforms searched in cumulative sums added in the "
             "same order and dtype", covers=("Tensor.multinomial",),
             errors=(("3-d input", lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1)),
                     ("integer input", lambda lib: lib.multinomial(lib.ones(3, dtype=lib.int64), 1)),
                     ("no samples", lambda lib: lib.multinomial(lib.ones(3), 0)),
                     ("more than categories", lambda lib: lib.multinomial(lib.ones(3), 4)),
                     ("negative probability", lambda lib: lib.multinomial(lib.tensor([1., -1., 1.]), 2)),
                     ("zero row", lambda lib: lib.multinomial(lib.zeros(3), 2, True)),
                     ("infinite probability",
                      lambda lib: lib.multinomial(lib.tensor([1., float("inf")]), 2, True))))


# ---- the in-place samplers ---------------------------------------------------------------------------------
def _inplace_params(dtypes, args):
    return _base(shape=shapes(), dtype=st.sampled_from(dtypes), layout=LAYOUTS, args=args)


register_rng("Tensor.uniform_", _in_place("uniform_"),
             _inplace_params(FLOAT, st.tuples(st.floats(-100, 0, width=16), st.floats(0, 100, width=16))),
             UNIFORM,
             errors=(("integer tensor", lambda lib: lib.empty(3, dtype=lib.int64).uniform_()),
                     ("from > to", lambda lib: lib.empty(3).uniform_(1, 0)),
                     ("to beyond float32", lambda lib: lib.empty(3).uniform_(0, float("inf")))))
register_rng("Tensor.normal_", _in_place("normal_"),
             _inplace_params(FLOAT, st.tuples(st.floats(-10, 10, width=32), st.floats(0, 5, width=32))),
             NORMAL,
             errors=(("negative std", lambda lib: lib.empty(3).normal_(0, -1)),
                     ("integer tensor", lambda lib: lib.empty(3, dtype=lib.int64).normal_())))


def _bernoulli_(lib, g, shape, dtype, layout, p):
    t = target(lib, shape, dtype, layout)
    if isinstance(p, np.ndarray):
        p = lib.tensor(np.broadcast_to(p, shape[len(shape) - p.ndim:]).copy())
    return t.bernoulli_(p, **_gen(g))


@st.composite
def _bernoulli_p(draw):
    if draw(st.booleans()):
        return draw(st.floats(0, 1))
    return np.array(draw(st.floats(0, 1)), dtype=draw(st.sampled_from(FLOAT)))


register_rng("Tensor.bernoulli_", _bernoulli_, _base(shape=shapes(),
                                                     dtype=st.sampled_from(FLOAT + INT + ("bool",)),
                                                     layout=LAYOUTS, p=_bernoulli_p()),
             "u < p as in bernoulli (a number p: 53-bit u)",
             errors=(("p > 1", lambda lib: lib.empty(3).bernoulli_(1.5)),
                     ("p of another shape", lambda lib: lib.empty(3).bernoulli_(lib.full((4,), 0.5)))))
register_rng("Tensor.exponential_", _in_place("exponential_"),
             _inplace_params(FLOAT, st.tuples(st.floats(0.01, 100))), LIBM + ": −log1p(−u)/λ",
             errors=(("lambda 0", lambda lib: lib.empty(3).exponential_(0)),
                     ("integer tensor", lambda lib: lib.empty(3, dtype=lib.int64).exponential_())))
register_rng("Tensor.geometric_", _in_place("geometric_"),
             _inplace_params(FLOAT + INT[:2], st.tuples(st.floats(0.05, 0.95))),
             LIBM + ": ⌈log u / log1p(−p)⌉",
             errors=(("p outside (0, 1)", lambda lib: lib.empty(3).geometric_(1.5)),))
register_rng("Tensor.log_normal_", _in_place("log_normal_"),
             _inplace_params(FLOAT, st.tuples(st.floats(-2, 2), st.floats(0.1, 2))),
             LIBM + ": exp of the double normal",
             errors=(("std 0", lambda lib: lib.empty(3).log_normal_(0, 0)),
                     ("integer tensor", lambda lib: lib.empty(3, dtype=lib.int64).log_normal_())))
register_rng("Tensor.cauchy_", _in_place("cauchy_"),
             _inplace_params(FLOAT, st.tuples(st.floats(-5, 5), st.floats(0.1, 3))),
             LIBM + ": median + σ·tan(π(u − ½))",
             errors=(("sigma 0", lambda lib: lib.empty(3).cauchy_(0, 0)),
                     ("integer tensor", lambda lib: lib.empty(3, dtype=lib.int64).cauchy_())))


def _random_(lib, g, shape, dtype, layout, form):
    t = target(lib, shape, dtype, layout)
    args = {"none": (), "to": (7,), "from-to": (-3, 40), "from": (5, None)}[form]
    if form == "from" and dtype.startswith(("int8", "uint8", "int16", "float16")):
        args = (2, None)
    return t.random_(*args, **_gen(g))


register_rng("Tensor.random_", _random_,
             _base(shape=shapes(), dtype=st.sampled_from(FLOAT + INT + ("bool",)), layout=LAYOUTS,
                   form=st.sampled_from(["none", "to", "from-to", "from"])).filter(
                 lambda p: not (p["dtype"] in ("uint8", "bool") and p["form"] == "from-to")
                 and not (p["dtype"] == "bool" and p["form"] in ("to", "from"))),
             WORDS + ": random_() takes random64 for int64/float64 and one word otherwise",
             errors=(("to beyond int8", lambda lib: lib.empty(3, dtype=lib.int8).random_(0, 300)),
                     ("from >= to", lambda lib: lib.empty(3).random_(5, 5))))
