"""Grad modes: whether ops record the graph. Context managers and decorators, as in PyTorch."""
from __future__ import annotations

import functools
import threading
import warnings

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "inference_mode", "is_inference_mode_enabled", "detect_anomaly", "set_detect_anomaly",
           "is_anomaly_enabled"]


class _ThreadState(threading.local):
    """The grad mode, read on every op (an attribute is cheaper than a function call). Like
    PyTorch's, it is per thread: ``no_grad`` in one thread leaves the others recording, and a new
    thread starts with grad enabled and inference mode off (threading.local runs __init__ anew)."""

    def __init__(self):
        self.enabled = True
        self.inference = False


class _Anomaly:
    """Anomaly mode, which PyTorch keeps for the whole process (one flag shared by all threads)."""
    __slots__ = ("enabled", "check_nan")

    def __init__(self):
        self.enabled = False
        self.check_nan = True


STATE = _ThreadState()
ANOMALY = _Anomaly()


def is_grad_enabled() -> bool:
    return STATE.enabled


class _GradMode:
    """Base for the grad-mode switches: sets the flag on enter, restores it on exit."""

    _value = True

    def __enter__(self):
        self._prev = STATE.enabled
        STATE.enabled = self._value

    def __exit__(self, *exc):
        STATE.enabled = self._prev
        return False

    def __call__(self, fn):
        mode = type(self)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with mode():
                return fn(*args, **kwargs)
        return wrapper


class _BareDecoratable(_GradMode):
    """Also usable as a bare decorator: ``@no_grad`` as well as ``@no_grad()``."""

    def __new__(cls, orig_func=None):
        self = super().__new__(cls)
        return self(orig_func) if callable(orig_func) else self

    def __init__(self, orig_func=None):
        pass


class no_grad(_BareDecoratable):
    """Ops inside do not record the graph: their results have no grad_fn."""
    _value = False


class enable_grad(_BareDecoratable):
    """Turn recording back on inside a no_grad region."""
    _value = True


class set_grad_enabled(_GradMode):
    """``set_grad_enabled(False)`` works as a call, a context manager and a decorator."""

    def __init__(self, mode: bool):
        self._value = bool(mode)
        self._prev = STATE.enabled
        STATE.enabled = self._value   # PyTorch applies it at construction, so a bare call works

    def __enter__(self):
        pass

    def __call__(self, fn):
        STATE.enabled = self._prev
        value = self._value

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(value):
                return fn(*args, **kwargs)
        return wrapper


class inference_mode(_GradMode):
    """Like no_grad (ndgrad does not yet mark the tensors made inside as inference tensors)."""

    def __init__(self, mode: bool = True):
        self._mode = bool(mode)

    def __enter__(self):
        self._prev = STATE.enabled
        self._prev_inf = STATE.inference
        if self._mode:
            STATE.enabled = False
            STATE.inference = True

    def __exit__(self, *exc):
        STATE.enabled = self._prev
        STATE.inference = self._prev_inf
        return False

    def __call__(self, fn):
        mode = self._mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return fn(*args, **kwargs)
        return wrapper


def is_inference_mode_enabled() -> bool:
    return STATE.inference


def is_anomaly_enabled() -> bool:
    return ANOMALY.enabled


class set_detect_anomaly:
    """Anomaly mode on/off: nodes remember the forward call that made them, and (with
    ``check_nan``) backward raises when a node returns nan, showing that forward traceback."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self._prev = (ANOMALY.enabled, ANOMALY.check_nan)
        ANOMALY.enabled, ANOMALY.check_nan = bool(mode), bool(check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        ANOMALY.enabled, ANOMALY.check_nan = self._prev
        return False


class detect_anomaly:
    """``with detect_anomaly():`` (or as a decorator): anomaly mode for the block."""

    def __init__(self, check_nan: bool = True):
        self._check_nan = bool(check_nan)
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and "
                      "should only be enabled for debugging.", UserWarning, stacklevel=2)

    def __enter__(self):
        self._prev = (ANOMALY.enabled, ANOMALY.check_nan)
        ANOMALY.enabled, ANOMALY.check_nan = True, self._check_nan

    def __exit__(self, *exc):
        ANOMALY.enabled, ANOMALY.check_nan = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)
        return wrapper
