"""Grad mode and inference mode are per thread, anomaly mode is per process — as in PyTorch: the
same scenarios run on both libraries and must observe the same flags and the same gradients."""
import threading

import pytest
import torch

import ndgrad


def _in_thread(fn):
    out = {}
    t = threading.Thread(target=lambda: out.update(fn()))
    t.start()
    t.join()
    return out


@pytest.mark.parametrize("lib", [torch, ndgrad], ids=["torch", "ndgrad"])
def test_a_new_thread_starts_recording_whatever_the_others_do(lib):
    def probe():
        x = lib.ones(2, requires_grad=True)
        return {"grad": lib.is_grad_enabled(), "records": (x * 2).requires_grad,
                "inference": lib.is_inference_mode_enabled(), "anomaly": lib.is_anomaly_enabled()}
    with lib.no_grad():
        inside_no_grad = _in_thread(probe)
    with lib.inference_mode():
        inside_inference = _in_thread(probe)
    with lib.autograd.set_detect_anomaly(True):
        inside_anomaly = _in_thread(probe)
    assert lib.is_grad_enabled() and not lib.is_anomaly_enabled()
    assert inside_no_grad == {"grad": True, "records": True, "inference": False, "anomaly": False}
    assert inside_inference == inside_no_grad
    assert inside_anomaly == {"grad": True, "records": True, "inference": False, "anomaly": True}


@pytest.mark.parametrize("lib", [torch, ndgrad], ids=["torch", "ndgrad"])
def test_no_grad_in_one_thread_leaves_another_thread_training(lib):
    """Thread A sits inside no_grad while thread B runs forward and backward, then the reverse:
    every backward of B gives its parameter a gradient, and A's mode comes back as it was."""
    entered, trained = threading.Event(), threading.Event()
    seen = {}

    def a():
        with lib.no_grad():
            entered.set()
            trained.wait(10)
            seen["a_inside"] = lib.is_grad_enabled()
        seen["a_after"] = lib.is_grad_enabled()

    def b():
        entered.wait(10)
        w = lib.ones(3, requires_grad=True)
        grads = []
        for _ in range(20):
            w.grad = None
            (w * w).sum().backward()
            grads.append(w.grad is not None and w.grad.tolist() == [2.0, 2.0, 2.0])
        seen["b_grads"] = all(grads)
        trained.set()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a_inside": False, "a_after": True, "b_grads": True}
    assert lib.is_grad_enabled()
