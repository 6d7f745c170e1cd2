"""Form builders that several spec files share: the callables that run one op in each of its forms
(function, method, in-place, operator, nn layer) on either library, and the register helpers made
of them. Input strategies and shared error cases are in ``reference/strategies.py``; a builder used
by one spec file stays in that file. This module mirrors no op file, so it registers nothing."""
import warnings

from ..spec import register
from ..strategies import ALL, NOT_A_TENSOR, unary

__all__ = ["unary_forms", "register_unary", "binary_forms", "reduction_forms", "method_forms", "quiet",
           "functional", "module_form", "nn_forms", "with_weights", "register_activation", "FUNCTION"]


# ---- ops of ndgrad / torch ----------------------------------------------------------------------

def unary_forms(name, *aliases, operator=None, inplace=True):
    """function, method, in-place (``x.name_()``), an operator, and aliases of a one-tensor op."""
    forms = {"function": lambda lib, x: getattr(lib, name)(x),
             "method": lambda lib, x: getattr(x, name)()}
    if inplace:
        forms["inplace"] = lambda lib, x: getattr(x.clone(), name + "_")()
    if operator:
        forms["operator"] = operator
    for a in aliases:
        forms[a] = lambda lib, x, a=a: getattr(lib, a)(x)
    return forms


def register_unary(name, lo=-10.0, hi=10.0, exclude=None, dtypes=ALL, aliases=(), operator=None, **kw):
    """The spec of an elementwise function of one tensor: every dtype, values in [lo, hi]."""
    register(name, unary_forms(name, *aliases, operator=operator), unary(dtypes, lo, hi, exclude),
             covers=aliases, errors=NOT_A_TENSOR + kw.pop("errors", ()), **kw)


def binary_forms(name, op=None, rop=None, iop=None, *aliases, inplace=True):
    """function, method, in-place (where PyTorch has ``x.name_``), an operator with its reflected
    (number first) and augmented forms, and aliases of a two-operand op."""
    forms = {"function": lambda lib, a, b, **kw: getattr(lib, name)(a, b, **kw),
             "method": lambda lib, a, b, **kw: getattr(a, name)(b, **kw)}
    if inplace:
        forms["inplace"] = lambda lib, a, b, **kw: getattr(a.clone(), name + "_")(b, **kw)
    if op:
        forms["operator"] = lambda lib, a, b: op(a, b)
    if rop:
        forms["reflected"] = lambda lib, a, b: rop(b, a) if not hasattr(b, "shape") else op(a, b)
    if iop:
        forms["augmented"] = iop
    for a in aliases:
        forms[a] = lambda lib, x, y, a=a, **kw: getattr(lib, a)(x, y, **kw)
    return forms


def reduction_forms(name, **extra):
    """function and method of an op of one tensor, its positional arguments (``dim``, ``k``) and
    keyword options (``keepdim=``...)."""
    forms = {"function": lambda lib, x, *a, **kw: getattr(lib, name)(x, *a, **kw),
             "method": lambda lib, x, *a, **kw: getattr(x, name)(*a, **kw)}
    forms.update(extra)
    return forms


def method_forms(name, inplace=False, **extra):
    """``extra`` forms, then method and function of an op of one tensor and any arguments, and
    its in-place method (``x.name_(...)``) when ``inplace``."""
    forms = dict(extra, method=lambda lib, x, *a, **kw: getattr(x, name)(*a, **kw))
    forms["function"] = lambda lib, x, *a, **kw: getattr(lib, name)(x, *a, **kw)
    if inplace:
        forms["inplace"] = lambda lib, x, *a, **kw: getattr(x.clone(), name + "_")(*a, **kw)
    return forms


# ---- nn: functions and layers ---------------------------------------------------------------------
# Each nn spec has a ``function`` form (``lib.nn.functional.x``) and, where PyTorch has one, a
# ``module`` form that builds the layer and runs it. A layer's weights come from the sample: the
# module's own parameters are deleted and the sample's tensors put in their place, so both
# libraries run with the same weights and the gradient check reaches them too.

#: error cases whose arguments only the functional form takes
FUNCTION = ("function",)


def quiet(call):
    """Run ``call`` with warnings silenced: both libraries warn alike (mismatched sizes...)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


def functional(name):
    """The form ``lib.nn.functional.<name>(*args, **kwargs)``."""
    return lambda lib, *a, **kw: quiet(lambda: getattr(lib.nn.functional, name)(*a, **kw))


def module_form(cls_name, weights=(), call_kw=()):
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
        return quiet(lambda: m(*args, **call))
    return form


def nn_forms(fn_name, cls_name=None, **module_kw):
    """The function form of ``F.<fn_name>`` and, with ``cls_name``, the module form of its layer."""
    forms = {"function": functional(fn_name)}
    if cls_name:
        forms["module"] = module_form(cls_name, **module_kw)
    return forms


def with_weights(m, weight, bias):
    """The layer ``m`` running with the sample's weight (and bias) in place of its own."""
    del m.weight
    m.weight = weight
    if bias is not None:
        del m.bias
        m.bias = bias
    return m


def register_activation(name, cls, strategy, **kw):
    """The spec ``F.<name>``: the function and the layer ``nn.<cls>``."""
    register(f"F.{name}", nn_forms(name, cls), strategy, covers=(f"nn.{cls}",), **kw)
