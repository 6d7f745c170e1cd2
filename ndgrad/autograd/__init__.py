"""Automatic differentiation: Function, the backward engine, grad modes."""
from .engine import backward, grad
from .function import AccumulateGrad, Function, FunctionCtx, Node
from .grad_mode import (detect_anomaly, enable_grad, inference_mode, is_anomaly_enabled,
                        is_grad_enabled, is_inference_mode_enabled, no_grad, set_detect_anomaly,
                        set_grad_enabled)

__all__ = ["Function", "FunctionCtx", "Node", "AccumulateGrad", "backward", "grad", "no_grad",
           "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
           "is_inference_mode_enabled", "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled"]
