#!/usr/bin/env python3
"""Writes losses.json: each loss's value and input (and target) gradients from PyTorch,
for every reduction and the options that change the formula.

    /path/to/python-with-torch Tests/NNTests/Fixtures/make_losses.py
"""
import json, os
import torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(1)
x = torch.randn(4, 3)
t = torch.randn(4, 3)
p = torch.rand(4, 3) * 0.9 + 0.05
bt = (torch.rand(4, 3) > 0.5).float()
w = torch.rand(3) + 0.5
pw = torch.rand(3) + 0.5
cls = torch.tensor([2, 0, 1, 2])
logp = F.log_softmax(torch.randn(4, 3), dim=1)
q = F.softmax(torch.randn(4, 3), dim=1)

def flat(v):
    return [float(a) for a in v.flatten().tolist()]

cases = []
def case(name, fn, inputs, grad_of):
    ins = {k: v.clone().requires_grad_(k in grad_of) for k, v in inputs.items()}
    out = fn(**ins)
    out.sum().backward()
    cases.append({"name": name, "inputs": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in inputs.items()},
                  "out": {"shape": list(out.shape), "values": flat(out.detach())},
                  "grads": {k: flat(ins[k].grad) for k in grad_of}})

for red in ["mean", "sum", "none"]:
    case(f"l1_{red}", lambda a, b: F.l1_loss(a, b, reduction=red), {"a": x, "b": t}, ["a", "b"])
    case(f"smooth_l1_{red}", lambda a, b: F.smooth_l1_loss(a, b, reduction=red, beta=0.5), {"a": x, "b": t}, ["a", "b"])
    case(f"huber_{red}", lambda a, b: F.huber_loss(a, b, reduction=red, delta=0.7), {"a": x, "b": t}, ["a", "b"])
    case(f"bce_{red}", lambda a, b: F.binary_cross_entropy(a, b, weight=w, reduction=red), {"a": p, "b": bt}, ["a"])
    case(f"bce_logits_{red}", lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=pw, reduction=red), {"a": x, "b": bt}, ["a"])
    case(f"kl_{red}", lambda a, b: F.kl_div(a, b, reduction=red), {"a": logp, "b": q}, ["a"])
    case(f"mse_{red}", lambda a, b: F.mse_loss(a, b, reduction=red), {"a": x, "b": t}, ["a", "b"])
    case(f"ce_{red}", lambda a: F.cross_entropy(a, cls, weight=w, reduction=red, label_smoothing=0.2, ignore_index=0), {"a": x}, ["a"])
case("smooth_l1_beta0", lambda a, b: F.smooth_l1_loss(a, b, beta=0.0), {"a": x, "b": t}, ["a"])
case("bce_logits_plain", lambda a, b: F.binary_cross_entropy_with_logits(a, b), {"a": x, "b": bt}, ["a"])
case("kl_batchmean_logtarget", lambda a, b: F.kl_div(a, b, reduction="batchmean", log_target=True), {"a": logp, "b": torch.log(q)}, ["a", "b"])
case("ce_probs", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.1), {"a": x, "b": q}, ["a"])
with open(os.path.join(here, "losses.json"), "w") as f:
    json.dump({"cases": cases, "class_target": cls.tolist(), "weight": flat(w), "pos_weight": flat(pw)}, f)
