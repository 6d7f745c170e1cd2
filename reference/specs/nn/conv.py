"""Convolutions (``ndgrad/nn/functional/conv.py``): conv1d, conv2d, conv_transpose2d with every
option (groups, stride, dilation, padding and 'same'/'valid'), and their layers; unfold/fold."""
from hypothesis import strategies as st

from ...spec import Sample, register
from ...strategies import FLOATS, arrays, float_array, sample_error
from .._shared import functional, quiet, with_weights


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
    x = float_array(draw, batch + (cin,) + size, dt)
    w_shape = (cin, cout // groups) + k if transposed else (cout, cin // groups) + k
    kw = {"weight": float_array(draw, w_shape, dt),
          "bias": draw(st.none() | st.just(float_array(draw, (cout,), dt))),
          "stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    if transposed:
        kw["output_padding"] = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    return Sample((x,), kw)


def _conv_module(cls_name, transposed=False):
    def form(lib, x, weight, bias=None, groups=1, **options):
        cin = weight.shape[0] if transposed else weight.shape[1] * groups
        cout = weight.shape[1] * groups if transposed else weight.shape[0]
        m = getattr(lib.nn, cls_name)(cin, cout, tuple(weight.shape[2:]), groups=groups,
                                      bias=bias is not None, dtype=weight.dtype, **options)
        return quiet(lambda: with_weights(m, weight, bias)(x))
    return form


def _conv_errors(name, dims):
    x, w = (2, 3) + (5,) * dims, (4, 3) + (3,) * dims
    return (("channels differ", sample_error((2, 2) + (5,) * dims, w)),
            ("kernel larger than the input", sample_error((2, 3) + (2,) * dims, w)),
            ("input of the wrong rank", sample_error((5,) * dims, w)),
            ("non-positive stride", sample_error(x, w, stride=0)),
            ("negative padding", sample_error(x, w, padding=-1)),
            ("groups not dividing the channels", sample_error(x, w, groups=2)),
            ("weight and input dtypes differ", st.builds(lambda a, b: Sample((a, b)), arrays(("float64",), x),
                                                           arrays(("float32",), w))),
            ("bias of the wrong size", sample_error(x, w, (3,))))


for _name, _cls, _dims in (("conv1d", "Conv1d", 1), ("conv2d", "Conv2d", 2)):
    register(f"F.{_name}", {"function": functional(_name), "module": _conv_module(_cls)}, _conv(_dims),
             covers=(f"nn.{_cls}",), rtol=1e-4, atol=1e-5,
             errors=_conv_errors(_name, _dims) + (
                 ("'same' with a stride", sample_error((2, 3) + (5,) * _dims, (4, 3) + (3,) * _dims,
                                                       padding="same", stride=2)),
                 ("unknown padding string", sample_error((2, 3) + (5,) * _dims, (4, 3) + (3,) * _dims,
                                                         padding="full"))))
register("F.conv_transpose2d", {"function": functional("conv_transpose2d"),
                                "module": _conv_module("ConvTranspose2d", transposed=True)},
         _conv(2, transposed=True), covers=("nn.ConvTranspose2d",), rtol=1e-4, atol=1e-5,
         errors=(("output_padding not below stride or dilation",
                  sample_error((2, 3, 4, 4), (3, 2, 3, 3), output_padding=1)),
                 ("channels differ", sample_error((2, 2, 4, 4), (3, 2, 3, 3))),
                 ("weight and input dtypes differ", st.builds(lambda a, b: Sample((a, b)),
                                                              arrays(("float64",), (2, 3, 4, 4)),
                                                              arrays(("float32",), (3, 2, 3, 3))))))


@st.composite
def _unfold(draw):
    dt = draw(st.sampled_from(FLOATS))
    k = tuple(draw(st.integers(1, 3)) for _ in range(2))
    d = tuple(draw(st.integers(1, 2)) for _ in range(2))
    p = tuple(draw(st.integers(0, 1)) for _ in range(2))
    s = tuple(draw(st.integers(1, 2)) for _ in range(2))
    size = tuple(draw(st.integers(max(1, dd * (kk - 1) + 1 - 2 * pp), 6)) for kk, dd, pp in zip(k, d, p))
    batch = draw(st.sampled_from([(), (2,)]))
    return Sample((float_array(draw, batch + (draw(st.integers(1, 2)),) + size, dt),),
                  {"kernel_size": k, "dilation": d, "padding": p, "stride": s})


@st.composite
def _fold(draw):
    sample = draw(_unfold())
    x, kw = sample.args[0].values, sample.kwargs
    c = x.shape[-3] * kw["kernel_size"][0] * kw["kernel_size"][1]
    size = x.shape[-2:]
    blocks = [(size[i] + 2 * kw["padding"][i] - kw["dilation"][i] * (kw["kernel_size"][i] - 1) - 1)
              // kw["stride"][i] + 1 for i in range(2)]
    cols = float_array(draw, x.shape[:-3] + (c, blocks[0] * blocks[1]), str(x.dtype))
    return Sample((cols, tuple(size)), kw)


register("F.unfold", functional("unfold"), _unfold(),
         errors=(("2-d input", sample_error((4, 4), kernel_size=2)),
                 ("kernel larger than the input", sample_error((1, 2, 2, 2), kernel_size=3))))
register("F.fold", functional("fold"), _fold(),
         errors=(("block count differs", st.builds(lambda a: Sample((a, (6, 5), 2)),
                                                   arrays(("float32",), (2, 12, 16)))),
                 ("channels not divisible by the kernel", st.builds(lambda a: Sample((a, (5, 5), 2)),
                                                                   arrays(("float32",), (2, 7, 16))))))
