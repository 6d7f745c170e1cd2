"""nn: every activation, loss, layer and functional against PyTorch.

Each spec has a ``function`` form (``lib.nn.functional.x``) and, where PyTorch has one, a
``module`` form that builds the layer and runs it. A layer's weights come from the sample:
the module's own parameters are deleted and the sample's tensors put in their place, so
both libraries run with the same weights and the gradient check reaches them too.
"""
import warnings

import numpy as np
from hypothesis import strategies as st

from ..spec import Arr, Sample, register
from ..strategies import FLOATS, arrays, binary, shapes

LOSS_REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


def _quiet(call):
    """Run ``call`` with warnings silenced: both libraries warn alike (mismatched sizes...)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


def _functional(name):
    return lambda lib, *a, **kw: _quiet(lambda: getattr(lib.nn.functional, name)(*a, **kw))


def _module(cls_name, weights=(), call_kw=()):
    """A form that builds ``nn.<cls_name>(**options)``, swaps in the sample's weights
    (keyword arguments named in ``weights``) and calls it on the positional arguments."""
    def form(lib, *args, **kw):
        tensors = {k: kw.pop(k) for k in weights if k in kw}
        call = {k: kw.pop(k) for k in call_kw if k in kw}
        init = kw.pop("init", {})
        m = getattr(lib.nn, cls_name)(*init.get("args", ()), **kw)
        for k, v in tensors.items():
            delattr(m, k)
            setattr(m, k, v)
        return _quiet(lambda: m(*args, **call))
    return form


def _forms(fn_name, cls_name=None, **module_kw):
    forms = {"function": _functional(fn_name)}
    if cls_name:
        forms["module"] = _module(cls_name, **module_kw)
    return forms


# ---- activations --------------------------------------------------------------------------
@st.composite
def _act(draw, lo=-6.0, hi=6.0, **options):
    x = draw(arrays(FLOATS + ("float16",), lo=lo, hi=hi))
    return Sample((x,), {k: draw(v) for k, v in options.items()})


_INPLACE = {"inplace": st.booleans()}


def _activation(name, cls, strategy, **kw):
    register(f"F.{name}", _forms(name, cls), strategy, covers=(f"nn.{cls}",), **kw)


_FLOAT_ONLY = (("integer input", arrays(("int64",), (3,)).map(lambda a: Sample((a,)))),)
_activation("relu", "ReLU", _act(**_INPLACE), no_errors="ReLU accepts every numeric dtype but "
            "bool, which ops.relu's spec already refuses", rtol=1e-6)
_activation("relu6", "ReLU6", _act(lo=-3, hi=9, **_INPLACE), errors=(
    ("bool input", arrays(("bool",), (3,)).map(lambda a: Sample((a,)))),))
_activation("leaky_relu", "LeakyReLU", _act(negative_slope=st.sampled_from([0.01, 0.2, -0.5]), **_INPLACE),
            errors=_FLOAT_ONLY)
_activation("elu", "ELU", _act(alpha=st.sampled_from([1.0, 0.5, 2.0]), **_INPLACE), errors=_FLOAT_ONLY)
_activation("gelu", "GELU", _act(approximate=st.sampled_from(["none", "tanh"])), errors=_FLOAT_ONLY,
            rtol=1e-5, atol=1e-6)
_activation("silu", "SiLU", _act(**_INPLACE), errors=_FLOAT_ONLY)
_activation("softplus", "Softplus", _act(lo=-30, hi=30, beta=st.sampled_from([1.0, 0.5, 3.0]),
                                          threshold=st.sampled_from([20.0, 1.0])), errors=_FLOAT_ONLY)
_activation("hardtanh", "Hardtanh", _act(lo=-3, hi=3, min_val=st.sampled_from([-1.0, -2.0]),
                                          max_val=st.sampled_from([1.0, 0.5]), **_INPLACE),
            errors=(("min_val > max_val", arrays(FLOATS, (3,)).map(
                lambda a: Sample((a,), {"min_val": 2.0, "max_val": 1.0}))),))
_activation("sigmoid", "Sigmoid", _act(), no_errors="every float input is valid; ops.sigmoid's "
            "spec covers the rest")
_activation("tanh", "Tanh", _act(), no_errors="every float input is valid; ops.tanh's spec covers the rest")


@st.composite
def _softmax(draw, huge=False):
    """An input of at least one dim and a dim; sometimes logits around ±1e4 (must stay finite)."""
    shape = draw(shapes(min_dims=1))
    lo, hi = (-1e4, 1e4) if huge else (-10.0, 10.0)
    x = draw(arrays(FLOATS, shape, lo, hi))
    return Sample((x,), {"dim": draw(st.integers(-len(shape), len(shape) - 1))})


for _name, _cls in (("softmax", "Softmax"), ("log_softmax", "LogSoftmax")):
    register(f"F.{_name}", _forms(_name, _cls), _softmax() | _softmax(huge=True), covers=(f"nn.{_cls}",),
             grad_sample=_softmax(), errors=(
                 ("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a,), {"dim": 2}))),
                 ("integer input", arrays(("int64",), (2, 3)).map(lambda a: Sample((a,), {"dim": 1})))),
             note="huge logits (±1e4) must give finite results, as PyTorch's do")


# ---- dropout ------------------------------------------------------------------------------
# Only p = 0 and p = 1 here: between them the draws are PyTorch's on the CPU alone (a GPU keeps
# CuPy's generator), and tests/test_nn_random.py compares those, bit for bit, under one seed.
@st.composite
def _dropout(draw, min_dims=0, max_dims=4):
    x = draw(arrays(FLOATS, draw(shapes(min_dims=min_dims, max_dims=max_dims))))
    return Sample((x,), {"p": draw(st.sampled_from([0.0, 1.0])), "inplace": draw(st.booleans())})


def _training(name):
    """F.alpha_dropout and F.feature_alpha_dropout default to training=False: ask for training."""
    return lambda lib, *a, **kw: _quiet(lambda: getattr(lib.nn.functional, name)(*a, training=True, **kw))


def _bad(shape, dtype="float32", **kw):
    return arrays((dtype,), shape).map(lambda a: Sample((a,), {"p": 0.5, **kw}))


for _name, _cls, _dims in (("dropout", "Dropout", (0, 4)), ("dropout1d", "Dropout1d", (2, 3)),
                           ("dropout2d", "Dropout2d", (3, 4)), ("dropout3d", "Dropout3d", (4, 5)),
                           ("alpha_dropout", "AlphaDropout", (0, 4)),
                           ("feature_alpha_dropout", "FeatureAlphaDropout", (2, 4))):
    _dropout_forms = _forms(_name, _cls)
    if "alpha" in _name:
        _dropout_forms["function"] = _training(_name)
    _errors = [("p out of range", _bad((3,), p=1.5)), ("integer input", _bad((2, 3), "int64"))]
    if _name in ("dropout1d", "dropout2d", "feature_alpha_dropout"):       # dropout3d adds a batch dim
        _errors.append(("too few dims", _bad((3,))))
    register(f"F.{_name}", _dropout_forms, _dropout(*_dims), covers=(f"nn.{_cls}",), errors=tuple(_errors),
             note="p = 0 (the input itself) and p = 1 (times a zero), in place or not")


# ---- linear layers ------------------------------------------------------------------------
@st.composite
def _linear(draw):
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    lead = draw(shapes(max_dims=2))
    dt = draw(st.sampled_from(FLOATS))
    x = draw(arrays((dt,), lead + (n_in,)))
    w = draw(arrays((dt,), (n_out, n_in)))
    kw = {"weight": w}
    if draw(st.booleans()):
        kw["bias"] = draw(arrays((dt,), (n_out,)))
    else:
        kw["bias"] = None
    return Sample((x,), kw)


def _linear_fn(lib, x, weight, bias):
    return lib.nn.functional.linear(x, weight, bias)


def _with_weights(m, weight, bias):
    """The layer ``m`` running with the sample's weight (and bias) in place of its own."""
    del m.weight
    m.weight = weight
    if bias is not None:
        del m.bias
        m.bias = bias
    return m


def _linear_module(lib, x, weight, bias):
    m = lib.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, dtype=weight.dtype)
    return _with_weights(m, weight, bias)(x)


register("F.linear", {"function": _linear_fn, "module": _linear_module}, _linear(), covers=("nn.Linear",),
         errors=(("in_features mismatch", st.builds(lambda x, w: Sample((x,), {"weight": w, "bias": None}),
                                                    arrays(FLOATS, (2, 3)), arrays(FLOATS, (4, 2)))),
                 ("dtype mismatch", st.builds(lambda x, w, b: Sample((x,), {"weight": w, "bias": b}),
                                              arrays(("float64",), (2, 3)), arrays(("float32",), (4, 3)),
                                              arrays(("float32",), (4,)))),
                 ("0-d input", st.builds(lambda x, w: Sample((x,), {"weight": w, "bias": None}),
                                         arrays(FLOATS, ()), arrays(FLOATS, (4, 2))))),
         rtol=1e-4, atol=1e-5)


@st.composite
def _bilinear(draw):
    i1, i2, o = (draw(st.integers(1, 3)) for _ in range(3))
    lead = draw(shapes(min_dims=1, max_dims=2))
    dt = draw(st.sampled_from(FLOATS))
    return Sample((draw(arrays((dt,), lead + (i1,))), draw(arrays((dt,), lead + (i2,))),
                   draw(arrays((dt,), (o, i1, i2)))),
                  {"bias": draw(st.none() | arrays((dt,), (o,)))})


def _bilinear_module(lib, x1, x2, weight, bias):
    m = lib.nn.Bilinear(weight.shape[1], weight.shape[2], weight.shape[0], bias=bias is not None,
                        dtype=weight.dtype)
    return _with_weights(m, weight, bias)(x1, x2)


register("F.bilinear", {"function": lambda lib, *a, **kw: lib.nn.functional.bilinear(*a, **kw),
                        "module": _bilinear_module}, _bilinear(), covers=("nn.Bilinear",), node_name=False,
         rtol=1e-4, atol=1e-5,
         errors=(("batch dims differ", st.builds(lambda a, b, w: Sample((a, b, w)), arrays(FLOATS, (2, 3)),
                                                 arrays(FLOATS, (3, 3)), arrays(FLOATS, (2, 3, 3)))),),
         note="bilinear is one einsum here (PyTorch: _trilinear), so grad_fn names differ; values "
              "and gradients are compared")


# ---- losses -------------------------------------------------------------------------------
def _pairs(lo=-10.0, hi=10.0, lo2=None, hi2=None, **options):
    @st.composite
    def draw_pair(draw):
        x = draw(arrays(FLOATS, lo=lo, hi=hi))
        y = draw(arrays(FLOATS, x.values.shape, lo if lo2 is None else lo2, hi if hi2 is None else hi2))
        return Sample((x, y), {k: draw(v) for k, v in options.items()})
    return draw_pair()


@st.composite
def _broadcast_pairs(draw, **options):
    s = draw(binary(FLOATS, scalar=False))
    return Sample(s.args, {"reduction": draw(st.sampled_from(["mean", "sum"])),
                           **{k: draw(v) for k, v in options.items()}})


def _bad_reduction(shape=(2,)):
    return ("unknown reduction", arrays(FLOATS, shape).map(lambda a: Sample((a, a), {"reduction": "avg"})))


def _loss(name, cls, strategy, errors=(), **kw):
    register(f"F.{name}", _forms(name, cls), strategy, covers=(f"nn.{cls}",),
             errors=(_bad_reduction(),) + tuple(errors), **kw)


_loss("mse_loss", "MSELoss", _pairs(reduction=LOSS_REDUCTIONS) | _broadcast_pairs(),
      note="different shapes broadcast with PyTorch's warning")
_loss("l1_loss", "L1Loss", _pairs(reduction=LOSS_REDUCTIONS) | _broadcast_pairs())
_loss("smooth_l1_loss", "SmoothL1Loss", _pairs(reduction=LOSS_REDUCTIONS, beta=st.sampled_from([1.0, 0.5, 0.0, 3.0]))
      | _broadcast_pairs(beta=st.just(1.0)),
      errors=(("negative beta", arrays(FLOATS, (2,)).map(lambda a: Sample((a, a), {"beta": -1.0}))),))
_loss("huber_loss", "HuberLoss", _pairs(reduction=LOSS_REDUCTIONS, delta=st.sampled_from([1.0, 0.5, 3.0]))
      | _broadcast_pairs(delta=st.just(2.0)),
      errors=(("delta ≤ 0", arrays(FLOATS, (2,)).map(lambda a: Sample((a, a), {"delta": 0.0}))),))


@st.composite
def _classes(draw, probs=False, log_probs=False):
    """Scores of shape (C), (N, C) or (N, C, d); targets as class indices (some ignored) or as
    probabilities; optional class weights, label smoothing, reduction."""
    dt = draw(st.sampled_from(FLOATS))
    c = draw(st.integers(1, 4))
    kind = draw(st.sampled_from(["1d", "2d", "nd"]))
    n = draw(st.integers(0 if kind == "2d" else 1, 4))
    shape = {"1d": (c,), "2d": (n, c), "nd": (n, c, draw(st.integers(1, 3)))}[kind]
    lo, hi = (-1e4, 1e4) if draw(st.integers(0, 5)) == 0 else (-8.0, 8.0)      # huge logits stay finite
    x = draw(arrays((dt,), shape, lo, hi))
    kw = {"reduction": draw(LOSS_REDUCTIONS)}
    if probs:
        p = draw(arrays((dt,), shape, 0.0, 1.0))
        target = p
    else:
        tshape = shape[:1] + shape[2:] if kind != "1d" else ()
        ignore = draw(st.sampled_from([-100, 0, 2]))
        kw["ignore_index"] = ignore
        t = draw(st.lists(st.sampled_from(list(range(c)) + [ignore]), min_size=int(np.prod(tshape)),
                          max_size=int(np.prod(tshape))))
        target = Arr(np.array(t, dtype=np.int64).reshape(tshape), grad=False)
    if draw(st.booleans()):
        kw["weight"] = Arr(draw(arrays((dt,), (c,), 0.1, 2.0)).values, grad=False)
    if not log_probs and draw(st.booleans()):
        kw["label_smoothing"] = draw(st.sampled_from([0.1, 0.5, 1.0]))
    return Sample((x, target), kw)


_targets_2d = st.builds(lambda x: Sample((x, Arr(np.array([0, 1, 5]), grad=False))), arrays(FLOATS, (3, 4)))
_CLASS_ERRORS = (
    ("target out of bounds", _targets_2d),
    ("batch sizes differ", st.builds(lambda x: Sample((x, Arr(np.array([0, 1]), grad=False))),
                                     arrays(FLOATS, (3, 4)))),
    ("float target of another shape", st.builds(lambda x, t: Sample((x, t)), arrays(FLOATS, (3, 4)),
                                                arrays(FLOATS, (3, 5)))),
    ("int32 target", st.builds(lambda x: Sample((x, Arr(np.array([0, 1, 2], dtype=np.int32), grad=False))),
                               arrays(FLOATS, (3, 4)))),
    ("wrong number of class weights", st.builds(
        lambda x: Sample((x, Arr(np.array([0, 1, 2]), grad=False)), {"weight": Arr(np.ones(3, np.float32))}),
        arrays(("float32",), (3, 4)))),
    ("0-d input", st.builds(lambda x: Sample((x, Arr(np.array(1), grad=False))), arrays(FLOATS, ()))),
    ("2-d target for 2-d input", st.builds(lambda x: Sample((x, Arr(np.zeros((3, 1), np.int64), grad=False))),
                                           arrays(FLOATS, (3, 4)))),
)

register("F.cross_entropy", _forms("cross_entropy", "CrossEntropyLoss", weights=("weight",)),
         _classes() | _classes(probs=True), covers=("nn.CrossEntropyLoss",), rtol=1e-4, atol=1e-5,
         errors=_CLASS_ERRORS + (
             ("label_smoothing > 1", st.builds(lambda x: Sample((x, Arr(np.array([0, 1, 2]), grad=False)),
                                                                {"label_smoothing": 1.5}), arrays(FLOATS, (3, 4)))),
             ("integer scores", st.builds(lambda x: Sample((x, Arr(np.array([0, 1, 2]), grad=False))),
                                          arrays(("int64",), (3, 4))))),
         note="class indices (with ignore_index, weights, label smoothing) and class probabilities; "
              "some samples have logits of ±1e4, which must give finite losses")
register("F.nll_loss", _forms("nll_loss", "NLLLoss", weights=("weight",)), _classes(log_probs=True),
         covers=("nn.NLLLoss",), errors=_CLASS_ERRORS, rtol=1e-5)


_BCE_ERRORS = (
    ("input outside [0, 1]", st.builds(lambda x, y: Sample((x, y)), arrays(FLOATS, (3,), 1.5, 2.0),
                                       arrays(FLOATS, (3,), 0.0, 1.0))),
    ("target of another shape", st.builds(lambda x, y: Sample((x, y)), arrays(FLOATS, (2, 3), 0.1, 0.9),
                                          arrays(FLOATS, (3,), 0.0, 1.0))))


@st.composite
def _bce(draw, logits=False):
    dt = draw(st.sampled_from(FLOATS))
    shape = draw(shapes())
    x = draw(arrays((dt,), shape, -30.0, 30.0) if logits else arrays((dt,), shape, 0.01, 0.99))
    kw = {"reduction": draw(LOSS_REDUCTIONS)}
    if draw(st.booleans()):
        kw["weight"] = Arr(draw(arrays((dt,), shape[-1:] if shape else (), 0.0, 2.0)).values, grad=False)
    if logits and draw(st.booleans()):
        kw["pos_weight"] = Arr(draw(arrays((dt,), shape[-1:] if shape else (), 0.1, 3.0)).values, grad=False)
    return Sample((x, draw(arrays((dt,), shape, 0.0, 1.0))), kw)


register("F.binary_cross_entropy", _forms("binary_cross_entropy", "BCELoss", weights=("weight",)), _bce(),
         covers=("nn.BCELoss",), errors=_BCE_ERRORS, rtol=1e-4)
register("F.binary_cross_entropy_with_logits",
         _forms("binary_cross_entropy_with_logits", "BCEWithLogitsLoss", weights=("weight", "pos_weight")),
         _bce(logits=True), covers=("nn.BCEWithLogitsLoss",), errors=_BCE_ERRORS[1:], rtol=1e-4,
         note="logits up to ±30 (where 1 − sigmoid underflows in float32) must give finite losses")


@st.composite
def _kl(draw):
    x = draw(arrays(FLOATS, lo=-5.0, hi=0.0))
    log_target = draw(st.booleans())
    t = draw(arrays(FLOATS, x.values.shape, -5.0, 0.0) if log_target else arrays(FLOATS, x.values.shape, 0.01, 1.0))
    return Sample((x, t), {"reduction": draw(st.sampled_from(["mean", "sum", "none", "batchmean"])),
                           "log_target": log_target})


register("F.kl_div", _forms("kl_div", "KLDivLoss"), _kl(), covers=("nn.KLDivLoss",), errors=(_bad_reduction(),),
         note="targets in [0.01, 1]: at target = 0 PyTorch's xlogy gives the target a nan gradient")


# ---- shape utilities ----------------------------------------------------------------------
@st.composite
def _one_hot(draw):
    shape = draw(shapes(max_dims=3))
    c = draw(st.integers(1, 5))
    t = draw(st.lists(st.integers(0, c - 1), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    kw = {"num_classes": draw(st.sampled_from([-1, c, c + 2]))} if t else {"num_classes": c}
    return Sample((Arr(np.array(t, dtype=np.int64).reshape(shape), grad=False),), kw)


def _ints(values, **kw):
    return st.just(Sample((Arr(np.array(values), grad=False),), kw))


register("F.one_hot", _functional("one_hot"), _one_hot(), grad=False, errors=(
    ("negative class", _ints([-1])), ("class ≥ num_classes", _ints([3], num_classes=2)),
    ("float indices", st.just(Sample((Arr(np.array([1.0]), grad=False),)))),
    ("empty without num_classes", st.just(Sample((Arr(np.zeros(0, np.int64), grad=False),))))))


@st.composite
def _pad(draw, mode="constant"):
    if mode == "constant":
        shape = draw(shapes(min_dims=1))
        k = draw(st.integers(1, len(shape)))
        pads = []
        for n in reversed(shape[-k:]):
            pads += [draw(st.integers(-n // 2, 2)), draw(st.integers(-(n - n // 2), 2))]
        return Sample((draw(arrays(FLOATS, shape)), tuple(pads)),
                      {"mode": "constant", "value": draw(st.sampled_from([0.0, 1.5, -2.0]))})
    k = draw(st.integers(1, 3))
    batch = draw(st.integers(0, 1))
    shape = draw(shapes(min_dims=k, max_dims=k, min_side=2 if mode == "reflect" else 1))
    shape = (2,) * (1 + batch) + shape
    limit = (lambda n: n - 1) if mode == "reflect" else (lambda n: n) if mode == "circular" else (lambda n: 3)
    pads = []
    for n in reversed(shape[-k:]):
        pads += [draw(st.integers(0, limit(n))), draw(st.integers(0, limit(n)))]
    return Sample((draw(arrays(FLOATS, shape)), tuple(pads)), {"mode": mode})


_PAD_ERRORS = (
    ("odd pad length", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (1,))))),
    ("reflect pad ≥ size", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (3, 0)), {"mode": "reflect"}))),
    ("reflect of a 1-d input", arrays(FLOATS, (3,)).map(lambda a: Sample((a, (1, 1)), {"mode": "reflect"}))),
    ("circular wraps twice", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (4, 0)), {"mode": "circular"}))),
    ("crop below zero", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a, (-4, 0))))),
)
register("F.pad", _functional("pad"), _pad() | _pad("reflect") | _pad("replicate"), errors=_PAD_ERRORS,
         note="constant (negative pads crop), reflect and replicate")
register("F.pad_circular", _functional("pad"), _pad("circular"), node_name=False, errors=_PAD_ERRORS[3:4],
         note="circular padding gathers indices here; PyTorch copies slices (CopySlices), so grad_fn "
              "names differ; values and gradients are compared")


@st.composite
def _normalize(draw):
    shape = draw(shapes(min_dims=1))
    return Sample((draw(arrays(FLOATS, shape)),), {"p": draw(st.sampled_from([1.0, 2.0, 3.0])),
                                                   "dim": draw(st.integers(-len(shape), len(shape) - 1))})


register("F.normalize", _functional("normalize"), _normalize(), rtol=1e-4, atol=1e-6, errors=(
    ("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a,), {"dim": 3}))),))
