#!/usr/bin/env python3
"""Writes optim.json: for each optimiser configuration, PyTorch's parameters after
each of several steps from the same start and the same gradient sequence, and for
each scheduler the learning rates it sets epoch by epoch.

    /path/to/python-with-torch Tests/NNTests/Fixtures/make_optim.py
"""
import json, math, os
import torch

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
start = [torch.randn(3, 4), torch.randn(4)]
grads = [[torch.randn(3, 4), torch.randn(4)] for _ in range(6)]

OPTIMIZERS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    "sgd_nesterov_max": ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, maximize=True)),
    "adam": ("Adam", dict(lr=0.01)),
    "adam_wd_amsgrad": ("Adam", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    "adamw": ("AdamW", dict(lr=0.01)),
    "adamw_amsgrad_max": ("AdamW", dict(lr=0.03, weight_decay=0.05, amsgrad=True, maximize=True)),
    "rmsprop": ("RMSprop", dict(lr=0.01)),
    "rmsprop_centered_momentum": ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.02)),
    "adagrad": ("Adagrad", dict(lr=0.1)),
    "adagrad_decay": ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5)),
}

def tolist(t):
    return [float(v) for v in t.flatten().tolist()]

out = {"start": [tolist(p) for p in start], "shapes": [list(p.shape) for p in start],
       "grads": [[tolist(g) for g in step] for step in grads], "optimizers": {}, "schedulers": {}}
for name, (cls, kw) in OPTIMIZERS.items():
    params = [p.clone().requires_grad_() for p in start]
    opt = getattr(torch.optim, cls)(params, **kw)
    steps = []
    for gs in grads:
        for p, g in zip(params, gs):
            p.grad = g.clone()
        opt.step()
        steps.append([tolist(p.detach()) for p in params])
    out["optimizers"][name] = {"class": cls, "kwargs": {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()}, "steps": steps}

SCHEDULERS = {
    "step": ("SGD", dict(lr=0.1), "StepLR", dict(step_size=3, gamma=0.5), 10),
    "multistep": ("SGD", dict(lr=0.1), "MultiStepLR", dict(milestones=[2, 5, 5, 8], gamma=0.1), 10),
    "exponential": ("SGD", dict(lr=0.1), "ExponentialLR", dict(gamma=0.9), 10),
    "cosine": ("SGD", dict(lr=0.1), "CosineAnnealingLR", dict(T_max=4, eta_min=0.001), 12),
    "onecycle": ("SGD", dict(lr=0.1, momentum=0.9), "OneCycleLR", dict(max_lr=1.0, total_steps=12), 11),
    "onecycle_linear_adam": ("Adam", dict(lr=0.1), "OneCycleLR", dict(max_lr=0.5, epochs=2, steps_per_epoch=5, anneal_strategy="linear", three_phase=True), 9),
}
for name, (ocls, okw, scls, skw, n) in SCHEDULERS.items():
    p = torch.nn.Parameter(torch.ones(1))
    opt = getattr(torch.optim, ocls)([p], **okw)
    sched = getattr(torch.optim.lr_scheduler, scls)(opt, **skw)
    lrs, moms = [sched.get_last_lr()[0]], []
    g = opt.param_groups[0]
    moms.append(g["betas"][0] if "betas" in g else g["momentum"])
    for _ in range(n):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
        moms.append(g["betas"][0] if "betas" in g else g["momentum"])
    out["schedulers"][name] = {"optimizer": ocls, "optimizer_kwargs": okw, "class": scls, "kwargs": skw, "lrs": lrs, "momenta": moms}

p = torch.nn.Parameter(torch.ones(1))
opt = torch.optim.SGD([p], lr=1.0)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1, min_lr=0.1)
metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.89, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]
lrs = []
for m in metrics:
    plateau.step(m)
    lrs.append(opt.param_groups[0]["lr"])
out["plateau"] = {"metrics": metrics, "lrs": lrs}

# clip_grad_norm_ on known gradients.
a = torch.nn.Parameter(torch.zeros(3)); b = torch.nn.Parameter(torch.zeros(2, 2))
a.grad = torch.tensor([3.0, -4.0, 1.0]); b.grad = torch.tensor([[0.5, 2.0], [-1.0, 6.0]])
total = torch.nn.utils.clip_grad_norm_([a, b], max_norm=2.0)
out["clip"] = {"total": float(total), "a": tolist(a.grad), "b": tolist(b.grad)}

with open(os.path.join(here, "optim.json"), "w") as f:
    json.dump(out, f, indent=1)
