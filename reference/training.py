"""Cross-checks for the training machinery: optimizers and learning-rate schedulers.

As with the OpSpecs, one function runs against either library (``lib`` is ``ndgrad`` or
``torch``), so both sides do exactly the same thing; the strategies draw the configurations.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

__all__ = ["optimizer_configs", "run_optimizer", "scheduler_configs", "run_scheduler"]

_LR = st.sampled_from([1e-3, 0.01, 0.1, 0.5])
_DECAY = st.sampled_from([0, 0.0, 1e-2, 0.3])


@st.composite
def _sgd(draw):
    momentum = draw(st.sampled_from([0, 0.5, 0.9]))
    nesterov = momentum > 0 and draw(st.booleans())
    return {"lr": draw(_LR), "momentum": momentum,
            "dampening": 0 if nesterov else draw(st.sampled_from([0, 0.1, 0.5])),
            "weight_decay": draw(_DECAY), "nesterov": nesterov, "maximize": draw(st.booleans())}


@st.composite
def _adam(draw):
    return {"lr": draw(_LR),
            "betas": (draw(st.sampled_from([0.9, 0.5, 0.0, 0.3])), draw(st.sampled_from([0.999, 0.9]))),
            "eps": draw(st.sampled_from([1e-8, 1e-3])), "weight_decay": draw(_DECAY),
            "amsgrad": draw(st.booleans()), "maximize": draw(st.booleans())}


@st.composite
def _rmsprop(draw):
    return {"lr": draw(_LR), "alpha": draw(st.sampled_from([0.99, 0.9, 0.3])),
            "eps": draw(st.sampled_from([1e-8, 1e-3])), "weight_decay": draw(_DECAY),
            "momentum": draw(st.sampled_from([0, 0.9])), "centered": draw(st.booleans()),
            "maximize": draw(st.booleans())}


@st.composite
def _adagrad(draw):
    return {"lr": draw(_LR), "lr_decay": draw(st.sampled_from([0, 0.1])), "weight_decay": draw(_DECAY),
            "initial_accumulator_value": draw(st.sampled_from([0, 0.1])),
            "eps": draw(st.sampled_from([1e-10, 1e-3])), "maximize": draw(st.booleans())}


_OPTIMIZERS = {"SGD": _sgd(), "Adam": _adam(), "AdamW": _adam(), "RMSprop": _rmsprop(), "Adagrad": _adagrad()}


@st.composite
def optimizer_configs(draw):
    """An optimizer, its hyperparameters (one or two param groups), initial parameters and a
    gradient for every step; some steps leave a parameter without a gradient."""
    name = draw(st.sampled_from(sorted(_OPTIMIZERS)))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    shapes = draw(st.lists(st.sampled_from([(3,), (2, 3), (), (4, 1)]), min_size=1, max_size=3))
    values = st.floats(-3, 3, allow_nan=False, width=32)
    params = [np.array(draw(st.lists(values, min_size=int(np.prod(s)),
                                     max_size=int(np.prod(s)))), dtype).reshape(s)
              for s in shapes]
    steps = draw(st.integers(1, 5))
    grads = [[None if draw(st.integers(0, 7)) == 0 else
              np.array(draw(st.lists(values, min_size=p.size, max_size=p.size)), dtype).reshape(p.shape)
              for p in params] for _ in range(steps)]
    groups = [draw(_OPTIMIZERS[name])]
    if len(params) > 1 and draw(st.booleans()):
        groups.append(draw(_OPTIMIZERS[name]))
    return {"name": name, "groups": groups, "params": params, "grads": grads}


def run_optimizer(lib, config: dict, reload_at: int | None = None, device: str = "cpu"):
    """Run the optimizer over the config's gradients, with parameters on ``device``; return the
    parameters after each step, the final state_dict and the optimizer's repr. ``reload_at``:
    after that step, rebuild the optimizer from its own state_dict (the checkpoint path) and go
    on."""
    params = [lib.nn.Parameter(lib.tensor(p.copy(), device=device)) for p in config["params"]]
    cls = getattr(lib.optim, config["name"])
    split = 1 if len(config["groups"]) > 1 else len(params)

    def build():
        chunks = [params[:split], params[split:]][:len(config["groups"])]
        return cls([dict(g, params=c) for g, c in zip(config["groups"], chunks)])
    opt = build()
    history = []
    for i, grads in enumerate(config["grads"]):
        opt.zero_grad()
        for p, g in zip(params, grads):
            p.grad = None if g is None else lib.tensor(g.copy(), device=device)
        opt.step()
        history.append([p.detach().cpu().numpy().copy() for p in params])
        if reload_at == i:
            saved = opt.state_dict()
            opt = build()
            opt.load_state_dict(saved)
    return history, opt.state_dict(), repr(opt)


# ---- schedulers ---------------------------------------------------------------------------
@st.composite
def scheduler_configs(draw):
    """A scheduler with its options, an optimizer (SGD with momentum or Adam, for OneCycleLR's
    momentum cycling) with one or two groups, and the number of epochs to step."""
    name = draw(st.sampled_from(["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR",
                                 "LinearLR", "OneCycleLR", "ReduceLROnPlateau"]))
    epochs = draw(st.integers(0, 25))
    kw = {}
    if name == "StepLR":
        kw = {"step_size": draw(st.integers(1, 5)), "gamma": draw(st.sampled_from([0.1, 0.5, 0.9]))}
    elif name == "MultiStepLR":
        kw = {"milestones": draw(st.lists(st.integers(1, 20), max_size=4)),
              "gamma": draw(st.sampled_from([0.1, 0.5]))}
    elif name == "ExponentialLR":
        kw = {"gamma": draw(st.sampled_from([0.9, 0.5, 0.99]))}
    elif name == "CosineAnnealingLR":
        kw = {"T_max": draw(st.integers(1, 10)), "eta_min": draw(st.sampled_from([0.0, 1e-3]))}
    elif name == "LambdaLR":
        kw = {"lr_lambda": draw(st.sampled_from(["decay", "warmup"]))}
    elif name == "LinearLR":
        kw = {"start_factor": draw(st.sampled_from([1 / 3, 0.5, 1.0])),
              "end_factor": draw(st.sampled_from([1.0, 0.5, 0.1])), "total_iters": draw(st.integers(1, 8))}
    elif name == "OneCycleLR":
        kw = {"max_lr": draw(st.sampled_from([0.1, 1.0])), "total_steps": epochs + draw(st.integers(1, 5)),
              "pct_start": draw(st.sampled_from([0.3, 0.5, 0.0])),
              "anneal_strategy": draw(st.sampled_from(["cos", "linear"])),
              "three_phase": draw(st.booleans()), "div_factor": draw(st.sampled_from([25.0, 10.0]))}
    elif name == "ReduceLROnPlateau":
        kw = {"mode": draw(st.sampled_from(["min", "max"])), "factor": draw(st.sampled_from([0.1, 0.5])),
              "patience": draw(st.integers(0, 3)), "threshold_mode": draw(st.sampled_from(["rel", "abs"])),
              "cooldown": draw(st.integers(0, 2)), "min_lr": draw(st.sampled_from([0, 1e-3]))}
    metrics = draw(st.lists(st.sampled_from([1.0, 0.5, 0.9, 2.0, 0.4999]), min_size=epochs, max_size=epochs))
    return {"name": name, "kwargs": kw, "epochs": epochs, "metrics": metrics,
            "optimizer": draw(st.sampled_from(["SGD", "Adam"])), "groups": draw(st.integers(1, 2))}


_LAMBDAS = {"decay": lambda epoch: 0.95 ** epoch, "warmup": lambda epoch: min(1.0, (epoch + 1) / 5)}


def run_scheduler(lib, config: dict) -> list:
    """Step the scheduler (after an optimizer step, as PyTorch asks) and record every group's
    learning rate and momentum after each epoch."""
    params = [lib.nn.Parameter(lib.zeros(2)) for _ in range(config["groups"])]
    groups = [{"params": [p], "lr": 0.1 * (i + 1)} for i, p in enumerate(params)]
    opt = lib.optim.SGD(groups, momentum=0.9) if config["optimizer"] == "SGD" else lib.optim.Adam(groups)
    kw = dict(config["kwargs"])
    if "lr_lambda" in kw:
        kw["lr_lambda"] = _LAMBDAS[kw["lr_lambda"]]
    sched = getattr(lib.optim.lr_scheduler, config["name"])(opt, **kw)

    def record():
        return [(g["lr"], g.get("momentum"), g.get("betas")) for g in opt.param_groups]
    history = [record()]
    for epoch in range(config["epochs"]):
        opt.step()
        if config["name"] == "ReduceLROnPlateau":
            sched.step(config["metrics"][epoch])
        else:
            sched.step()
        history.append(record() + [tuple(sched.get_last_lr())])
    return history
