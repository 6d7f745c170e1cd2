"""Pools (``ndgrad/nn/functional/pooling.py``): max and average pools with every option, adaptive
average pool, and their layers."""
from hypothesis import strategies as st

from ...spec import Sample, register
from ...strategies import FLOATS, arrays, float_array, sample_error
from .._shared import functional


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


_POOL_ERRORS = (("padding over half the kernel", sample_error((1, 2, 5, 5), kernel_size=2, padding=2)),
                ("kernel larger than the input", sample_error((1, 2, 5, 5), kernel_size=7)),
                ("2-d input", sample_error((5, 5), kernel_size=2)),
                ("zero stride", sample_error((1, 2, 5, 5), kernel_size=2, stride=0)))
register("F.max_pool2d", {"function": functional("max_pool2d"), "module": _pool_module("MaxPool2d")},
         _pool(True).filter(_every_window_sees_the_input), covers=("nn.MaxPool2d",), errors=_POOL_ERRORS,
         note="windows wholly inside the padding are not drawn (PyTorch returns -inf and an index "
              "outside the input for them)")
register("F.avg_pool2d", {"function": functional("avg_pool2d"), "module": _pool_module("AvgPool2d")},
         _pool(False), covers=("nn.AvgPool2d",), errors=_POOL_ERRORS + (
             ("zero divisor", sample_error((1, 2, 5, 5), kernel_size=2, divisor_override=0)),))


@st.composite
def _adaptive(draw):
    dt = draw(st.sampled_from(FLOATS))
    size = (draw(st.integers(1, 7)), draw(st.integers(1, 7)))
    out = draw(st.sampled_from([1, (1, 1)]) | st.tuples(st.integers(1, 5) | st.none(), st.integers(1, 5)))
    return Sample((float_array(draw, draw(st.sampled_from([(), (2,)])) + (2,) + size, dt),),
                  {"output_size": out})


register("F.adaptive_avg_pool2d",
         {"function": functional("adaptive_avg_pool2d"),
          "module": lambda lib, x, output_size: lib.nn.AdaptiveAvgPool2d(output_size)(x)},
         _adaptive(), covers=("nn.AdaptiveAvgPool2d",),
         errors=(("2-d input", sample_error((5, 5), output_size=2)),
                 ("integer input", st.builds(lambda a: Sample((a,), {"output_size": 2}),
                                             arrays(("int64",), (1, 2, 4, 4))))))
