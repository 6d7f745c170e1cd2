"""Normalisations (``ndgrad/nn/functional/normalization.py``): batch norm (training or not,
running statistics updated in place), layer norm, group norm, and their layers."""
from hypothesis import strategies as st

from ...spec import Arr, Sample, register
from ...strategies import FLOATS, arrays, float_array, sample_error
from .._shared import FUNCTION, functional, with_weights

# x − mean over nearly equal values is rounding noise, which 1/√(σ² + ε) amplifies up to 1/√ε ≈ 300×
# in float32; the two libraries' summation orders differ, so that noise differs too
_NORM_ATOL = 2e-4


@st.composite
def _batch_norm(draw):
    dt = draw(st.sampled_from(FLOATS))
    c = draw(st.integers(1, 3))
    shape = (draw(st.integers(2, 4)), c) + tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    training = draw(st.booleans())
    running = training and draw(st.booleans())
    kw = {"training": training, "momentum": draw(st.sampled_from([0.1, 0.5])),
          "eps": draw(st.sampled_from([1e-5, 1e-3])),
          "weight": draw(st.none() | st.just(float_array(draw, (c,), dt))),
          "bias": draw(st.none() | st.just(float_array(draw, (c,), dt)))}
    if training and not running:
        kw.update(running_mean=None, running_var=None)
    else:     # running statistics are buffers: no gradient, updated in place while training
        kw.update(running_mean=Arr(draw(arrays((dt,), (c,), -1, 1)).values, grad=False),
                  running_var=Arr(draw(arrays((dt,), (c,), 0.5, 2)).values, grad=False))
    return Sample((float_array(draw, shape, dt, -3, 3),), kw)


def _batch_norm_fn(lib, x, running_mean, running_var, **kw):
    return lib.nn.functional.batch_norm(x, running_mean, running_var, **kw)


def _batch_norm_module(lib, x, running_mean, running_var, weight, bias, training, momentum, eps):
    cls = lib.nn.BatchNorm2d if x.ndim == 4 else lib.nn.BatchNorm1d
    if x.ndim not in (2, 3, 4):
        return _batch_norm_fn(lib, x, running_mean, running_var, weight=weight, bias=bias, training=training,
                              momentum=momentum, eps=eps)
    m = cls(x.shape[1], eps=eps, momentum=momentum, affine=weight is not None, dtype=x.dtype,
            track_running_stats=running_mean is not None).train(training)
    if weight is not None:
        with_weights(m, weight, None)
        if bias is not None:
            del m.bias
            m.bias = bias
    if running_mean is not None:
        m.running_mean, m.running_var = running_mean, running_var
    return m(x)


register("F.batch_norm", {"function": _batch_norm_fn, "module": _batch_norm_module}, _batch_norm(),
         covers=("nn.BatchNorm1d", "nn.BatchNorm2d"), rtol=1e-4, atol=_NORM_ATOL,
         errors=(("one value per channel while training",
                  st.builds(lambda a: Sample((a, None, None), {"training": True}),
                            arrays(("float32",), (1, 3))),
                  FUNCTION),
                 ("running_mean of the wrong size",
                  st.builds(lambda a, m, v: Sample((a, m, v)), arrays(("float32",), (4, 3)),
                            arrays(("float32",), (2,)), arrays(("float32",), (3,))), FUNCTION)),
         note="the module form chooses BatchNorm1d or 2d by rank; with an affine=False layer the sample "
              "has no weight and bias")


@st.composite
def _layer_norm(draw):
    dt = draw(st.sampled_from(FLOATS))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    n = draw(st.integers(1, len(shape)))
    norm = shape[len(shape) - n:]
    affine = draw(st.booleans())
    return Sample((float_array(draw, shape, dt, -3, 3), norm),
                  {"weight": float_array(draw, norm, dt) if affine else None,
                   "bias": draw(st.none() | st.just(float_array(draw, norm, dt))) if affine else None,
                   "eps": draw(st.sampled_from([1e-5, 1e-3]))})


def _layer_norm_module(lib, x, shape, weight, bias, eps):
    m = lib.nn.LayerNorm(shape, eps=eps, elementwise_affine=weight is not None, bias=bias is not None,
                         dtype=x.dtype)
    return (with_weights(m, weight, bias) if weight is not None else m)(x)


register("F.layer_norm", {"function": functional("layer_norm"), "module": _layer_norm_module}, _layer_norm(),
         covers=("nn.LayerNorm",), rtol=1e-4, atol=_NORM_ATOL,
         errors=(("normalized_shape not trailing", sample_error((2, 3), normalized_shape=(2,)), FUNCTION),
                 ("weight of the wrong shape", st.builds(lambda a, w: Sample((a, (3,), w)),
                                                         arrays(("float32",), (2, 3)),
                                                         arrays(("float32",), (2,))), FUNCTION)))


@st.composite
def _group_norm(draw):
    dt = draw(st.sampled_from(FLOATS))
    groups = draw(st.integers(1, 3))
    c = groups * draw(st.integers(1, 2))
    shape = (draw(st.integers(1, 3)), c) + tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    affine = draw(st.booleans())
    return Sample((float_array(draw, shape, dt, -3, 3), groups),
                  {"weight": float_array(draw, (c,), dt) if affine else None,
                   "bias": float_array(draw, (c,), dt) if affine else None,
                   "eps": draw(st.sampled_from([1e-5, 1e-3]))})


def _group_norm_module(lib, x, groups, weight, bias, eps):
    m = lib.nn.GroupNorm(groups, x.shape[1], eps=eps, affine=weight is not None, dtype=x.dtype)
    return (with_weights(m, weight, bias) if weight is not None else m)(x)


register("F.group_norm", {"function": functional("group_norm"), "module": _group_norm_module}, _group_norm(),
         covers=("nn.GroupNorm",), rtol=1e-4, atol=_NORM_ATOL,
         errors=(("channels not divisible by the groups", sample_error((2, 3, 4), num_groups=2), FUNCTION),
                 ("1-d input", sample_error((3,), num_groups=1), FUNCTION)))
