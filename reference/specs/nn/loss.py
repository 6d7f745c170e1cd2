"""Losses (``ndgrad/nn/functional/loss.py``): every reduction, broadcasting pairs, class indices
(ignored ones, class weights, label smoothing) and class probabilities, huge logits; each loss
and its layer."""
import numpy as np
from hypothesis import strategies as st

from ...spec import Arr, Sample, register
from ...strategies import FLOATS, arrays, binary, shapes
from .._shared import nn_forms

LOSS_REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


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
    register(f"F.{name}", nn_forms(name, cls), strategy, covers=(f"nn.{cls}",),
             errors=(_bad_reduction(),) + tuple(errors), **kw)


_loss("mse_loss", "MSELoss", _pairs(reduction=LOSS_REDUCTIONS) | _broadcast_pairs(),
      note="different shapes broadcast with PyTorch's warning")
_loss("l1_loss", "L1Loss", _pairs(reduction=LOSS_REDUCTIONS) | _broadcast_pairs())
_loss("smooth_l1_loss", "SmoothL1Loss",
      _pairs(reduction=LOSS_REDUCTIONS, beta=st.sampled_from([1.0, 0.5, 0.0, 3.0]))
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
register("F.cross_entropy", nn_forms("cross_entropy", "CrossEntropyLoss", weights=("weight",)),
         _classes() | _classes(probs=True), covers=("nn.CrossEntropyLoss",), rtol=1e-4, atol=1e-5,
         errors=_CLASS_ERRORS + (
             ("label_smoothing > 1", st.builds(lambda x: Sample((x, Arr(np.array([0, 1, 2]), grad=False)),
                                                                {"label_smoothing": 1.5}),
                                               arrays(FLOATS, (3, 4)))),
             ("integer scores", st.builds(lambda x: Sample((x, Arr(np.array([0, 1, 2]), grad=False))),
                                          arrays(("int64",), (3, 4))))),
         note="class indices (with ignore_index, weights, label smoothing) and class probabilities; "
              "some samples have logits of ±1e4, which must give finite losses")
register("F.nll_loss", nn_forms("nll_loss", "NLLLoss", weights=("weight",)), _classes(log_probs=True),
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


register("F.binary_cross_entropy", nn_forms("binary_cross_entropy", "BCELoss", weights=("weight",)), _bce(),
         covers=("nn.BCELoss",), errors=_BCE_ERRORS, rtol=1e-4)
register("F.binary_cross_entropy_with_logits",
         nn_forms("binary_cross_entropy_with_logits", "BCEWithLogitsLoss", weights=("weight", "pos_weight")),
         _bce(logits=True), covers=("nn.BCEWithLogitsLoss",), errors=_BCE_ERRORS[1:], rtol=1e-4,
         note="logits up to ±30 (where 1 − sigmoid underflows in float32) must give finite losses")


@st.composite
def _kl(draw):
    x = draw(arrays(FLOATS, lo=-5.0, hi=0.0))
    log_target = draw(st.booleans())
    t = draw(arrays(FLOATS, x.values.shape, -5.0, 0.0) if log_target
             else arrays(FLOATS, x.values.shape, 0.01, 1.0))
    return Sample((x, t), {"reduction": draw(st.sampled_from(["mean", "sum", "none", "batchmean"])),
                           "log_target": log_target})


register("F.kl_div", nn_forms("kl_div", "KLDivLoss"), _kl(), covers=("nn.KLDivLoss",),
         errors=(_bad_reduction(),),
         note="targets in [0.01, 1]: at target = 0 PyTorch's xlogy gives the target a nan gradient")
