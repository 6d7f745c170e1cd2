"""Vision and sequence layers against PyTorch: convolutions, unfold/fold, pools, normalisations,
embedding, and the recurrent layers. Hypothesis draws shapes and every option; module forms
build the layer and run it with the sample's weights (see nn.py)."""
import numpy as np
from hypothesis import strategies as st

from ..spec import Arr, Sample, register
from ..strategies import FLOATS, arrays
from .nn import _quiet, _with_weights


def _float(draw, shape, dt, lo=-2.0, hi=2.0):
    return draw(arrays((dt,), tuple(shape), lo, hi))


def _functional(name):
    return lambda lib, *a, **kw: _quiet(lambda: getattr(lib.nn.functional, name)(*a, **kw))


_FUNCTION = ("function",)     # error cases whose arguments only the functional form takes


def _sample_error(*arrs, **kw):
    """An error case from fixed shapes: float32 arrays of ``arrs`` shapes, options ``kw``."""
    return st.builds(lambda *xs: Sample(xs, kw), *[arrays(("float32",), s) for s in arrs])


# ---- convolutions -----------------------------------------------------------------------------
@st.composite
def _conv(draw, dims, transposed=False):
    dt = draw(st.sampled_from(FLOATS))
    groups = draw(st.sampled_from([1, 1, 2]))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    if not transposed and stride == (1,) * dims and draw(st.booleans()):
        padding = draw(st.sampled_from(["same", "valid"]))
        pads = (0,) * dims
    elif transposed:        # padding that leaves an output (PyTorch's kernels disagree on empty ones)
        pads = tuple(draw(st.integers(0, d * (kk - 1) // 2)) for d, kk in zip(dilation, k))
        padding = pads
    else:
        pads = tuple(draw(st.integers(0, 2)) for _ in range(dims))
        padding = pads
    size = tuple(draw(st.integers(max(1, d * (kk - 1) + 1 - 2 * p), d * (kk - 1) + 5))
                 for d, kk, p in zip(dilation, k, pads))
    batch = draw(st.sampled_from([(), (1,), (2,)]))
    x = _float(draw, batch + (cin,) + size, dt)
    w_shape = (cin, cout // groups) + k if transposed else (cout, cin // groups) + k
    kw = {"weight": _float(draw, w_shape, dt), "bias": draw(st.none() | st.just(_float(draw, (cout,), dt))),
          "stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    if transposed:
        kw["output_padding"] = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    return Sample((x,), kw)


def _conv_module(cls_name, transposed=False):
    def form(lib, x, weight, bias=None, groups=1, **options):
        cin = weight.shape[0] if transposed else weight.shape[1] * groups
        cout = weight.shape[1] * groups if transposed else weight.shape[0]
        m = getattr(lib.nn, cls_name)(cin, cout, tuple(weight.shape[2:]), groups=groups, bias=bias is not None,
                                      dtype=weight.dtype, **options)
        return _quiet(lambda: _with_weights(m, weight, bias)(x))
    return form


def _conv_errors(name, dims):
    x, w = (2, 3) + (5,) * dims, (4, 3) + (3,) * dims
    return (("channels differ", _sample_error((2, 2) + (5,) * dims, w)),
            ("kernel larger than the input", _sample_error((2, 3) + (2,) * dims, w)),
            ("input of the wrong rank", _sample_error((5,) * dims, w)),
            ("non-positive stride", _sample_error(x, w, stride=0)),
            ("negative padding", _sample_error(x, w, padding=-1)),
            ("groups not dividing the channels", _sample_error(x, w, groups=2)),
            ("weight and input dtypes differ", st.builds(lambda a, b: Sample((a, b)), arrays(("float64",), x),
                                                           arrays(("float32",), w))),
            ("bias of the wrong size", _sample_error(x, w, (3,))))


for _name, _cls, _dims in (("conv1d", "Conv1d", 1), ("conv2d", "Conv2d", 2)):
    register(f"F.{_name}", {"function": _functional(_name), "module": _conv_module(_cls)}, _conv(_dims),
             covers=(f"nn.{_cls}",), rtol=1e-4, atol=1e-5,
             errors=_conv_errors(_name, _dims) + (
                 ("'same' with a stride", _sample_error((2, 3) + (5,) * _dims, (4, 3) + (3,) * _dims,
                                                       padding="same", stride=2)),
                 ("unknown padding string", _sample_error((2, 3) + (5,) * _dims, (4, 3) + (3,) * _dims,
                                                          padding="full"))))

register("F.conv_transpose2d", {"function": _functional("conv_transpose2d"),
                                "module": _conv_module("ConvTranspose2d", transposed=True)},
         _conv(2, transposed=True), covers=("nn.ConvTranspose2d",), rtol=1e-4, atol=1e-5,
         errors=(("output_padding not below stride or dilation",
                  _sample_error((2, 3, 4, 4), (3, 2, 3, 3), output_padding=1)),
                 ("channels differ", _sample_error((2, 2, 4, 4), (3, 2, 3, 3))),
                 ("weight and input dtypes differ", st.builds(lambda a, b: Sample((a, b)),
                                                              arrays(("float64",), (2, 3, 4, 4)),
                                                              arrays(("float32",), (3, 2, 3, 3))))))


# ---- unfold / fold ------------------------------------------------------------------------------
@st.composite
def _unfold(draw):
    dt = draw(st.sampled_from(FLOATS))
    k = tuple(draw(st.integers(1, 3)) for _ in range(2))
    d = tuple(draw(st.integers(1, 2)) for _ in range(2))
    p = tuple(draw(st.integers(0, 1)) for _ in range(2))
    s = tuple(draw(st.integers(1, 2)) for _ in range(2))
    size = tuple(draw(st.integers(max(1, dd * (kk - 1) + 1 - 2 * pp), 6)) for kk, dd, pp in zip(k, d, p))
    batch = draw(st.sampled_from([(), (2,)]))
    return Sample((_float(draw, batch + (draw(st.integers(1, 2)),) + size, dt),),
                  {"kernel_size": k, "dilation": d, "padding": p, "stride": s})


@st.composite
def _fold(draw):
    sample = draw(_unfold())
    x, kw = sample.args[0].values, sample.kwargs
    c = x.shape[-3] * kw["kernel_size"][0] * kw["kernel_size"][1]
    size = x.shape[-2:]
    blocks = [(size[i] + 2 * kw["padding"][i] - kw["dilation"][i] * (kw["kernel_size"][i] - 1) - 1)
              // kw["stride"][i] + 1 for i in range(2)]
    cols = _float(draw, x.shape[:-3] + (c, blocks[0] * blocks[1]), str(x.dtype))
    return Sample((cols, tuple(size)), kw)


register("F.unfold", _functional("unfold"), _unfold(),
         errors=(("2-d input", _sample_error((4, 4), kernel_size=2)),
                 ("kernel larger than the input", _sample_error((1, 2, 2, 2), kernel_size=3))))
register("F.fold", _functional("fold"), _fold(),
         errors=(("block count differs", st.builds(lambda a: Sample((a, (6, 5), 2)), arrays(("float32",), (2, 12, 16)))),
                 ("channels not divisible by the kernel", st.builds(lambda a: Sample((a, (5, 5), 2)),
                                                                   arrays(("float32",), (2, 7, 16))))))


# ---- pools ------------------------------------------------------------------------------------
@st.composite
def _pool(draw, max_pool):
    dt = draw(st.sampled_from(FLOATS))
    k = tuple(draw(st.integers(1, 3)) for _ in range(2))
    d = tuple(draw(st.integers(1, 2)) for _ in range(2)) if max_pool else (1, 1)
    p = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    s = draw(st.none() | st.tuples(st.integers(1, 3), st.integers(1, 3)))
    size = tuple(draw(st.integers(max(1, dd * (kk - 1) + 1 - 2 * pp), 7)) for kk, dd, pp in zip(k, d, p))
    batch = draw(st.sampled_from([(), (2,)]))
    kw = {"kernel_size": k, "stride": s, "padding": p, "ceil_mode": draw(st.booleans())}
    if max_pool:
        kw.update(dilation=d, return_indices=draw(st.booleans()))
    else:
        kw.update(count_include_pad=draw(st.booleans()), divisor_override=draw(st.sampled_from([None, 2])))
    # values far apart so that float rounding cannot change which element is the largest
    x = draw(arrays((dt,), batch + (draw(st.integers(1, 2)),) + size, -50, 50))
    return Sample((x,), kw)


def _every_window_sees_the_input(sample) -> bool:
    """False when some window lies wholly in the padding: PyTorch then returns -inf with an index
    outside the input (its kernel's quirk), which is not worth imitating."""
    kw, size = sample.kwargs, sample.args[0].values.shape[-2:]
    k, p, d = kw["kernel_size"], kw["padding"], kw.get("dilation", (1, 1))
    s = kw["stride"] or k
    for i in range(2):
        n = (size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1 + (s[i] - 1 if kw["ceil_mode"] else 0)) // s[i] + 1
        for o in range(n):
            if not any(0 <= o * s[i] - p[i] + j * d[i] < size[i] for j in range(k[i])):
                return False
    return True


def _pool_module(cls_name):
    def form(lib, x, **kw):
        return getattr(lib.nn, cls_name)(**kw)(x)
    return form


_POOL_ERRORS = (("padding over half the kernel", _sample_error((1, 2, 5, 5), kernel_size=2, padding=2)),
                ("kernel larger than the input", _sample_error((1, 2, 5, 5), kernel_size=7)),
                ("2-d input", _sample_error((5, 5), kernel_size=2)),
                ("zero stride", _sample_error((1, 2, 5, 5), kernel_size=2, stride=0)))
register("F.max_pool2d", {"function": _functional("max_pool2d"), "module": _pool_module("MaxPool2d")},
         _pool(True).filter(_every_window_sees_the_input), covers=("nn.MaxPool2d",), errors=_POOL_ERRORS,
         note="windows wholly inside the padding are not drawn (PyTorch returns -inf and an index outside the "
              "input for them)")
register("F.avg_pool2d", {"function": _functional("avg_pool2d"), "module": _pool_module("AvgPool2d")},
         _pool(False), covers=("nn.AvgPool2d",), errors=_POOL_ERRORS + (
             ("zero divisor", _sample_error((1, 2, 5, 5), kernel_size=2, divisor_override=0)),))


@st.composite
def _adaptive(draw):
    dt = draw(st.sampled_from(FLOATS))
    size = (draw(st.integers(1, 7)), draw(st.integers(1, 7)))
    out = draw(st.sampled_from([1, (1, 1)]) | st.tuples(st.integers(1, 5) | st.none(), st.integers(1, 5)))
    return Sample((_float(draw, draw(st.sampled_from([(), (2,)])) + (2,) + size, dt),), {"output_size": out})


register("F.adaptive_avg_pool2d", {"function": _functional("adaptive_avg_pool2d"),
                                   "module": lambda lib, x, output_size: lib.nn.AdaptiveAvgPool2d(output_size)(x)},
         _adaptive(), covers=("nn.AdaptiveAvgPool2d",),
         errors=(("2-d input", _sample_error((5, 5), output_size=2)),
                 ("integer input", st.builds(lambda a: Sample((a,), {"output_size": 2}),
                                             arrays(("int64",), (1, 2, 4, 4))))))


# ---- normalisation ----------------------------------------------------------------------------
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
    kw = {"training": training, "momentum": draw(st.sampled_from([0.1, 0.5])), "eps": draw(st.sampled_from([1e-5, 1e-3])),
          "weight": draw(st.none() | st.just(_float(draw, (c,), dt))),
          "bias": draw(st.none() | st.just(_float(draw, (c,), dt)))}
    if training and not running:
        kw.update(running_mean=None, running_var=None)
    else:     # running statistics are buffers: no gradient, updated in place while training
        kw.update(running_mean=Arr(draw(arrays((dt,), (c,), -1, 1)).values, grad=False),
                  running_var=Arr(draw(arrays((dt,), (c,), 0.5, 2)).values, grad=False))
    return Sample((_float(draw, shape, dt, -3, 3),), kw)


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
        _with_weights(m, weight, None)
        if bias is not None:
            del m.bias
            m.bias = bias
    if running_mean is not None:
        m.running_mean, m.running_var = running_mean, running_var
    return m(x)


register("F.batch_norm", {"function": _batch_norm_fn, "module": _batch_norm_module}, _batch_norm(),
         covers=("nn.BatchNorm1d", "nn.BatchNorm2d"), rtol=1e-4, atol=_NORM_ATOL,
         errors=(("one value per channel while training",
                  st.builds(lambda a: Sample((a, None, None), {"training": True}), arrays(("float32",), (1, 3))),
                  _FUNCTION),
                 ("running_mean of the wrong size",
                  st.builds(lambda a, m, v: Sample((a, m, v)), arrays(("float32",), (4, 3)),
                            arrays(("float32",), (2,)), arrays(("float32",), (3,))), _FUNCTION)),
         note="the module form chooses BatchNorm1d or 2d by rank; with an affine=False layer the sample "
              "has no weight and bias")


@st.composite
def _layer_norm(draw):
    dt = draw(st.sampled_from(FLOATS))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    n = draw(st.integers(1, len(shape)))
    norm = shape[len(shape) - n:]
    affine = draw(st.booleans())
    return Sample((_float(draw, shape, dt, -3, 3), norm),
                  {"weight": _float(draw, norm, dt) if affine else None,
                   "bias": draw(st.none() | st.just(_float(draw, norm, dt))) if affine else None,
                   "eps": draw(st.sampled_from([1e-5, 1e-3]))})


def _layer_norm_module(lib, x, shape, weight, bias, eps):
    m = lib.nn.LayerNorm(shape, eps=eps, elementwise_affine=weight is not None, bias=bias is not None,
                         dtype=x.dtype)
    return (_with_weights(m, weight, bias) if weight is not None else m)(x)


register("F.layer_norm", {"function": _functional("layer_norm"), "module": _layer_norm_module}, _layer_norm(),
         covers=("nn.LayerNorm",), rtol=1e-4, atol=_NORM_ATOL,
         errors=(("normalized_shape not trailing", _sample_error((2, 3), normalized_shape=(2,)), _FUNCTION),
                 ("weight of the wrong shape", st.builds(lambda a, w: Sample((a, (3,), w)), arrays(("float32",), (2, 3)),
                                                         arrays(("float32",), (2,))), _FUNCTION)))


@st.composite
def _group_norm(draw):
    dt = draw(st.sampled_from(FLOATS))
    groups = draw(st.integers(1, 3))
    c = groups * draw(st.integers(1, 2))
    shape = (draw(st.integers(1, 3)), c) + tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    affine = draw(st.booleans())
    return Sample((_float(draw, shape, dt, -3, 3), groups),
                  {"weight": _float(draw, (c,), dt) if affine else None,
                   "bias": _float(draw, (c,), dt) if affine else None, "eps": draw(st.sampled_from([1e-5, 1e-3]))})


def _group_norm_module(lib, x, groups, weight, bias, eps):
    m = lib.nn.GroupNorm(groups, x.shape[1], eps=eps, affine=weight is not None, dtype=x.dtype)
    return (_with_weights(m, weight, bias) if weight is not None else m)(x)


register("F.group_norm", {"function": _functional("group_norm"), "module": _group_norm_module}, _group_norm(),
         covers=("nn.GroupNorm",), rtol=1e-4, atol=_NORM_ATOL,
         errors=(("channels not divisible by the groups", _sample_error((2, 3, 4), num_groups=2), _FUNCTION),
                 ("1-d input", _sample_error((3,), num_groups=1), _FUNCTION)))


# ---- embedding ---------------------------------------------------------------------------------
@st.composite
def _embedding(draw):
    dt = draw(st.sampled_from(FLOATS))
    rows, dim = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    idx = np.array(draw(st.lists(st.integers(0, rows - 1), min_size=int(np.prod(shape)),
                                 max_size=int(np.prod(shape)))), dtype=draw(st.sampled_from(["int64", "int32"])))
    kw = {"padding_idx": draw(st.none() | st.integers(-rows, rows - 1)),
          "scale_grad_by_freq": draw(st.booleans())}
    return Sample((Arr(idx.reshape(shape), grad=False), _float(draw, (rows, dim), dt)), kw)


def _embedding_module(lib, idx, weight, padding_idx, scale_grad_by_freq):
    m = lib.nn.Embedding(weight.shape[0], weight.shape[1], padding_idx=padding_idx,
                         scale_grad_by_freq=scale_grad_by_freq, dtype=weight.dtype)
    del m.weight
    m.weight = weight
    return m(idx)


register("F.embedding", {"function": _functional("embedding"), "module": _embedding_module}, _embedding(),
         covers=("nn.Embedding",),
         errors=(("index out of range", st.builds(lambda w: Sample((Arr(np.array([1, 7]), grad=False), w)),
                                                  arrays(("float32",), (5, 3))), _FUNCTION),
                 ("float indices", st.builds(lambda i, w: Sample((i, w)), arrays(("float32",), (2,)),
                                             arrays(("float32",), (5, 3))), _FUNCTION),
                 ("padding_idx out of range", st.builds(
                     lambda w: Sample((Arr(np.array([1]), grad=False), w), {"padding_idx": 7}),
                     arrays(("float32",), (5, 3))), _FUNCTION),
                 ("1-d weight", st.builds(lambda w: Sample((Arr(np.array([1]), grad=False), w)),
                                          arrays(("float32",), (5,))), _FUNCTION)))


# ---- recurrent layers --------------------------------------------------------------------------
@st.composite
def _recurrent(draw, cls_name):
    dt = draw(st.sampled_from(FLOATS))
    n_in, hidden = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    layers, bidirectional = draw(st.integers(1, 2)), draw(st.booleans())
    batch_first, bias = draw(st.booleans()), draw(st.booleans())
    seq, batch = draw(st.integers(1, 4)), draw(st.sampled_from([None, 1, 3]))
    dirs = 2 if bidirectional else 1
    weights = []
    gates = {"RNN": 1, "LSTM": 4, "GRU": 3}[cls_name]
    for layer in range(layers):
        for _ in range(dirs):
            fan = n_in if layer == 0 else hidden * dirs
            weights += [_float(draw, (gates * hidden, fan), dt, -1, 1), _float(draw, (gates * hidden, hidden), dt, -1, 1)]
            if bias:
                weights += [_float(draw, (gates * hidden,), dt, -1, 1), _float(draw, (gates * hidden,), dt, -1, 1)]
    shape = (seq, n_in) if batch is None else ((batch, seq, n_in) if batch_first else (seq, batch, n_in))
    kw = {"hidden_size": hidden, "num_layers": layers, "bidirectional": bidirectional, "batch_first": batch_first,
          "bias": bias, "weights": weights}
    if cls_name == "RNN":
        kw["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    if draw(st.booleans()):
        h_shape = (layers * dirs, hidden) if batch is None else (layers * dirs, batch, hidden)
        states = [_float(draw, h_shape, dt) for _ in range(2 if cls_name == "LSTM" else 1)]
        kw["hx"] = tuple(states) if cls_name == "LSTM" else states[0]
    return Sample((_float(draw, shape, dt),), kw)


def _recurrent_module(cls_name):
    def form(lib, x, weights, hx=None, **options):
        n_in = options.pop("input_size", x.shape[-1])
        m = getattr(lib.nn, cls_name)(n_in, dtype=x.dtype, **options)
        for (name, _), w in zip(list(m.named_parameters()), weights):
            delattr(m, name)
            setattr(m, name, w)
        return m(x, hx)
    return form


for _cls in ("RNN", "LSTM", "GRU"):
    register(f"nn.{_cls}", {"module": _recurrent_module(_cls)}, _recurrent(_cls), rtol=1e-4, atol=1e-5,
             node_name=False,
             errors=(("input size differs", st.builds(
                 lambda x, w: Sample((x,), {"input_size": 3, "hidden_size": 2, "weights": [w]}),
                 arrays(("float32",), (3, 2, 4)),
                 arrays(("float32",), (2, 3)))),),
             note="the graph is the unrolled time loop, so grad_fn names differ from PyTorch's fused kernels "
                  "(MkldnnRnnLayerBackward0...); values and gradients of the outputs and final states are compared")
