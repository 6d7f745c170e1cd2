"""Recurrent layers (``ndgrad/nn/modules/rnn.py``, layers with no function of their own): RNN,
LSTM, GRU with every option, run with the sample's weights."""
from hypothesis import strategies as st

from ....spec import Sample, register
from ....strategies import FLOATS, arrays, float_array


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
            weights += [float_array(draw, (gates * hidden, fan), dt, -1, 1),
                        float_array(draw, (gates * hidden, hidden), dt, -1, 1)]
            if bias:
                weights += [float_array(draw, (gates * hidden,), dt, -1, 1),
                            float_array(draw, (gates * hidden,), dt, -1, 1)]
    shape = (seq, n_in) if batch is None else ((batch, seq, n_in) if batch_first else (seq, batch, n_in))
    kw = {"hidden_size": hidden, "num_layers": layers, "bidirectional": bidirectional,
          "batch_first": batch_first, "bias": bias, "weights": weights}
    if cls_name == "RNN":
        kw["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    if draw(st.booleans()):
        h_shape = (layers * dirs, hidden) if batch is None else (layers * dirs, batch, hidden)
        states = [float_array(draw, h_shape, dt) for _ in range(2 if cls_name == "LSTM" else 1)]
        kw["hx"] = tuple(states) if cls_name == "LSTM" else states[0]
    return Sample((float_array(draw, shape, dt),), kw)


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
                  "(MkldnnRnnLayerBackward0...); values and gradients of the outputs and final states "
                  "are compared")
