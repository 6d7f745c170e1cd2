"""Automatic differentiation: Function, the backward engine, grad modes."""
import importlib

from .engine import backward, grad
from .function import AccumulateGrad, Function, FunctionCtx, Node
from .grad_mode import (detect_anomaly, enable_grad, inference_mode, is_anomaly_enabled,
                        is_grad_enabled, is_inference_mode_enabled, no_grad, set_detect_anomaly,
                        set_grad_enabled)

__all__ = ["Function", "FunctionCtx", "Node", "AccumulateGrad", "backward", "grad", "no_grad",
           "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
           "is_inference_mode_enabled", "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "functional", "graph", "gradcheck", "gradgradcheck", "GradcheckError", "trace"]

# The teaching tools build on the op library, which itself imports this package: they load on
# first use (``ndgrad.autograd.gradcheck``...) instead of at import.
_LAZY = {"functional": ("functional", None), "graph": ("graph", None), "trace": ("tracing", "trace"),
         "gradcheck": ("gradcheck", "gradcheck"), "gradgradcheck": ("gradcheck", "gradgradcheck"),
         "GradcheckError": ("gradcheck", "GradcheckError")}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_LAZY[name][0]}")
    for n, (m, attr) in _LAZY.items():          # bind them all (the function gradcheck over its module)
        if m == _LAZY[name][0]:
            globals()[n] = module if attr is None else getattr(module, attr)
    return globals()[name]
