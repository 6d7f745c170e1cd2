"""Activations (``ndgrad/nn/functional/activation.py``): each function and its layer on float
inputs (half too), every option, in place or not; softmax and log_softmax along any dim, with
huge logits. F.sigmoid and F.tanh are ops.sigmoid and ops.tanh: their specs are in unary.py and
trig.py."""
from hypothesis import strategies as st

from ...spec import Sample, register
from ...strategies import FLOATS, activation_input, arrays, shapes
from .._shared import nn_forms, register_activation

_INPLACE = {"inplace": st.booleans()}
_FLOAT_ONLY = (("integer input", arrays(("int64",), (3,)).map(lambda a: Sample((a,)))),)
register_activation("relu", "ReLU", activation_input(**_INPLACE), rtol=1e-6,
                    no_errors="ReLU accepts every numeric dtype but bool, which ops.relu's spec "
                    "already refuses")
register_activation("relu6", "ReLU6", activation_input(lo=-3, hi=9, **_INPLACE), errors=(
    ("bool input", arrays(("bool",), (3,)).map(lambda a: Sample((a,)))),))
register_activation("leaky_relu", "LeakyReLU",
                    activation_input(negative_slope=st.sampled_from([0.01, 0.2, -0.5]), **_INPLACE),
                    errors=_FLOAT_ONLY)
register_activation("elu", "ELU", activation_input(alpha=st.sampled_from([1.0, 0.5, 2.0]), **_INPLACE),
                    errors=_FLOAT_ONLY)
register_activation("gelu", "GELU", activation_input(approximate=st.sampled_from(["none", "tanh"])),
                    errors=_FLOAT_ONLY, rtol=1e-5, atol=1e-6)
register_activation("silu", "SiLU", activation_input(**_INPLACE), errors=_FLOAT_ONLY)
register_activation("softplus", "Softplus",
                    activation_input(lo=-30, hi=30, beta=st.sampled_from([1.0, 0.5, 3.0]),
                                     threshold=st.sampled_from([20.0, 1.0])), errors=_FLOAT_ONLY)
register_activation("hardtanh", "Hardtanh",
                    activation_input(lo=-3, hi=3, min_val=st.sampled_from([-1.0, -2.0]),
                                     max_val=st.sampled_from([1.0, 0.5]), **_INPLACE),
                    errors=(("min_val > max_val", arrays(FLOATS, (3,)).map(
                        lambda a: Sample((a,), {"min_val": 2.0, "max_val": 1.0}))),))


@st.composite
def _softmax(draw, huge=False):
    """An input of at least one dim and a dim; sometimes logits around ±1e4 (must stay finite)."""
    shape = draw(shapes(min_dims=1))
    lo, hi = (-1e4, 1e4) if huge else (-10.0, 10.0)
    x = draw(arrays(FLOATS, shape, lo, hi))
    return Sample((x,), {"dim": draw(st.integers(-len(shape), len(shape) - 1))})


for _name, _cls in (("softmax", "Softmax"), ("log_softmax", "LogSoftmax")):
    register(f"F.{_name}", nn_forms(_name, _cls), _softmax() | _softmax(huge=True), covers=(f"nn.{_cls}",),
             grad_sample=_softmax(), errors=(
                 ("dim out of range", arrays(FLOATS, (2, 3)).map(lambda a: Sample((a,), {"dim": 2}))),
                 ("integer input", arrays(("int64",), (2, 3)).map(lambda a: Sample((a,), {"dim": 1})))),
             note="huge logits (±1e4) must give finite results, as PyTorch's do")
