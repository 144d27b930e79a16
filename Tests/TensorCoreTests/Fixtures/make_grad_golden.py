"""PyTorch's gradients for the backward kernels, for the settings Tests/Golden does not
cover: conv with groups + dilation, the Winograd-sized and 1×1 convs, asymmetric 'same',
conv1d, conv_transpose2d with output_padding ≥ stride, pooling with divisor_override /
dilation / ceil_mode, overlapping adaptive windows, unpooling, batch norm without affine
and on (N, C), gelu tanh, softmax along other dims, and the losses' weight, ignore_index,
label_smoothing, reduction and (N, C, H, W) forms.

    python3 make_grad_golden.py         # writes grad/ next to this file (needs torch, numpy)

Same layout as Tests/Golden (the `case` helper is shared/tools/make_golden.py's):
grad/cases.json lists each case's inputs, outputs, grad_out and the gradients of
sum(output0 * grad_out) with respect to every float input.
"""
import json, os, shutil
import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grad")
shutil.rmtree(out, ignore_errors=True)
torch.manual_seed(0)
g = torch.Generator().manual_seed(0)
cases = []


def rnd(*s):
    return torch.randn(tuple(s), generator=g)


def case(name, op, kwargs, inputs, fn, no_grad=()):
    d = os.path.join(out, name); os.makedirs(d, exist_ok=True)
    tin = {k: v.clone().requires_grad_(v.is_floating_point() and not k.startswith("running_") and k not in no_grad)
           for k, v in inputs.items()}
    res = fn(**tin)
    outs = res if isinstance(res, tuple) else (res,)
    files = {"inputs": {}, "outputs": [], "grads": {}}
    for k, v in inputs.items():
        np.save(os.path.join(d, f"in_{k}.npy"), v.detach().numpy()); files["inputs"][k] = f"in_{k}.npy"
    for i, o in enumerate(outs):
        np.save(os.path.join(d, f"out{i}.npy"), o.detach().numpy()); files["outputs"].append(f"out{i}.npy")
    go = rnd(*outs[0].shape)
    np.save(os.path.join(d, "grad_out.npy"), go.numpy())
    names = [k for k, v in tin.items() if v.requires_grad]
    gs = torch.autograd.grad((outs[0] * go).sum(), [tin[k] for k in names], allow_unused=True)
    for k, gv in zip(names, gs):
        if gv is not None:
            np.save(os.path.join(d, f"grad_{k}.npy"), gv.numpy()); files["grads"][k] = f"grad_{k}.npy"
    files["grad_out"] = "grad_out.npy"
    cases.append({"name": name, "op": op, "kwargs": kwargs, **files})


# ---- conv2d: (n, cin, h, w, cout, kernel, kwargs) ----------------------------------
convs = [
    ("groups_dilation", (2, 4, 11, 9, 6, (3, 3), dict(stride=1, padding=2, dilation=2, groups=2))),
    ("strided_groups_dilation", (2, 4, 12, 10, 8, (3, 2), dict(stride=2, padding=(1, 2), dilation=(2, 1), groups=2))),
    ("winograd_sized", (2, 16, 9, 10, 24, (3, 3), dict(stride=1, padding=1))),
    ("pointwise", (2, 8, 7, 6, 12, (1, 1), dict(stride=1, padding=0))),
    ("pointwise_stride2", (2, 8, 7, 6, 12, (1, 1), dict(stride=2, padding=0))),
    ("same_even_kernel", (2, 3, 8, 7, 5, (4, 2), dict(stride=1, padding="same"))),
    ("same_dilated", (1, 3, 9, 8, 4, (3, 3), dict(stride=1, padding="same", dilation=2))),
    ("pad_beyond_reach", (2, 3, 6, 5, 4, (3, 3), dict(stride=1, padding=3))),
    ("depthwise_stride2", (2, 8, 10, 9, 8, (3, 3), dict(stride=2, padding=1, groups=8))),
    ("stem_like", (5, 3, 16, 17, 8, (5, 5), dict(stride=2, padding=2))),
    ("resnet_block", (3, 32, 8, 8, 32, (3, 3), dict(stride=1, padding=1))),
    ("resnet_down", (3, 32, 8, 8, 48, (3, 3), dict(stride=2, padding=1))),
]
for name, (n, cin, h, w, cout, k, kw) in convs:
    groups = kw.get("groups", 1)
    ins = {"input": rnd(n, cin, h, w), "weight": rnd(cout, cin // groups, *k) * 0.3, "bias": rnd(cout)}
    case(f"conv2d_{name}", "conv2d", {**kw, "padding_mode": "zeros"}, ins,
         lambda input, weight, bias, _kw=kw: F.conv2d(input, weight, bias, **_kw))
case("conv2d_unbatched_nobias", "conv2d", {"stride": 2, "padding": 1, "padding_mode": "zeros"},
     {"input": rnd(3, 9, 8), "weight": rnd(5, 3, 3, 3) * 0.3},
     lambda input, weight: F.conv2d(input, weight, None, stride=2, padding=1))
case("conv2d_reflect_groups", "conv2d", {"stride": 1, "padding": [1, 2], "groups": 2, "padding_mode": "reflect"},
     {"input": rnd(2, 4, 7, 8), "weight": rnd(6, 2, 3, 3) * 0.3, "bias": rnd(6)},
     lambda input, weight, bias: F.conv2d(F.pad(input, (2, 2, 1, 1), mode="reflect"), weight, bias, groups=2))

# ---- conv1d -------------------------------------------------------------------------
conv1ds = [
    ("strided", (2, 4, 15, 6, 3, dict(stride=2, padding=1, dilation=2, groups=2), "zeros")),
    ("same", (2, 3, 10, 5, 4, dict(padding="same"), "zeros")),
    ("circular", (2, 3, 10, 5, 3, dict(padding=1), "circular")),
]
for name, (n, cin, L, cout, k, kw, mode) in conv1ds:
    groups = kw.get("groups", 1)
    ins = {"input": rnd(n, cin, L), "weight": rnd(cout, cin // groups, k) * 0.3, "bias": rnd(cout)}
    def f(input, weight, bias, _kw=kw, _mode=mode):
        if _mode == "zeros":
            return F.conv1d(input, weight, bias, **_kw)
        p = _kw["padding"]
        return F.conv1d(F.pad(input, (p, p), mode=_mode), weight, bias, **{**_kw, "padding": 0})
    case(f"conv1d_{name}", "conv1d", {**kw, "padding_mode": mode}, ins, f)

# ---- conv_transpose2d ---------------------------------------------------------------
tconvs = [
    ("groups_dilation_outpad", (2, 4, 5, 4, 6, dict(stride=2, padding=1, output_padding=1, groups=2, dilation=2))),
    ("outpad_beyond_stride", (2, 3, 4, 5, 4, dict(stride=1, padding=0, output_padding=1, dilation=2))),
    ("strided_channels", (2, 16, 6, 6, 8, dict(stride=2, padding=1, output_padding=1))),
]
for name, (n, cin, h, w, cout, kw) in tconvs:
    ins = {"input": rnd(n, cin, h, w), "weight": rnd(cin, cout // kw.get("groups", 1), 3, 3) * 0.3, "bias": rnd(cout)}
    case(f"conv_transpose2d_{name}", "conv_transpose2d", {**kw, "kernel_size": 3}, ins,
         lambda input, weight, bias, _kw=kw: F.conv_transpose2d(input, weight, bias, **_kw))
case("conv_transpose2d_unbatched_nobias", "conv_transpose2d", {"stride": 2, "kernel_size": 3},
     {"input": rnd(3, 4, 4), "weight": rnd(3, 2, 3, 3) * 0.3},
     lambda input, weight: F.conv_transpose2d(input, weight, None, stride=2))

# ---- pooling ------------------------------------------------------------------------
case("max_pool2d_dilated_ceil", "max_pool2d", dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True),
     {"input": rnd(2, 3, 11, 10)}, lambda input: F.max_pool2d(input, 3, 2, 1, 2, ceil_mode=True, return_indices=True))
case("max_pool2d_unbatched_overlap", "max_pool2d", dict(kernel_size=3, stride=1),
     {"input": rnd(3, 6, 7)}, lambda input: F.max_pool2d(input, 3, 1, return_indices=True))
case("avg_pool2d_divisor_pad_ceil", "avg_pool2d", dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, divisor_override=5),
     {"input": rnd(2, 3, 10, 9)}, lambda input: F.avg_pool2d(input, 3, 2, 1, ceil_mode=True, divisor_override=5))
case("avg_pool2d_include_pad_ceil", "avg_pool2d", dict(kernel_size=(3, 2), stride=(2, 3), padding=1, ceil_mode=True),
     {"input": rnd(2, 3, 10, 9)}, lambda input: F.avg_pool2d(input, (3, 2), (2, 3), 1, ceil_mode=True))
case("avg_pool2d_overlap_unbatched", "avg_pool2d", dict(kernel_size=3, stride=1, padding=1, count_include_pad=False),
     {"input": rnd(3, 6, 5)}, lambda input: F.avg_pool2d(input, 3, 1, 1, count_include_pad=False))
x = rnd(2, 3, 5, 4)
case("adaptive_avg_pool2d_upsample", "adaptive_avg_pool2d", {"output_size": [7, 6]}, {"input": x},
     lambda input: F.adaptive_avg_pool2d(input, (7, 6)))
case("adaptive_max_pool2d_upsample", "adaptive_max_pool2d", {"output_size": [7, 6]}, {"input": x},
     lambda input: F.adaptive_max_pool2d(input, (7, 6), return_indices=True))
x = rnd(2, 3, 8, 8)
y, idx = F.max_pool2d(x, 2, 2, return_indices=True)
case("max_unpool2d_float", "max_unpool2d", dict(kernel_size=2, stride=2), {"input": rnd(*y.shape), "indices": idx},
     lambda input, indices: F.max_unpool2d(input, indices, 2, 2))
x = rnd(2, 3, 9, 9)
y, idx = F.max_pool2d(x, 3, 2, 1, return_indices=True)
case("max_unpool2d_output_size", "max_unpool2d", dict(kernel_size=3, stride=2, padding=1, output_size=[9, 9]),
     {"input": rnd(*y.shape), "indices": idx},
     lambda input, indices: F.max_unpool2d(input, indices, 3, 2, 1, output_size=[9, 9]))

# ---- batch norm ---------------------------------------------------------------------
x = rnd(4, 3, 5, 6) * 2 + 1
case("batch_norm2d_train_noaffine", "batch_norm2d", {"training": True, "momentum": 0.1, "eps": 1e-5}, {"input": x},
     lambda input: F.batch_norm(input, torch.zeros(3), torch.ones(3), None, None, True, 0.1, 1e-5))
case("batch_norm1d_train_2d", "batch_norm2d", {"training": True, "momentum": 0.1, "eps": 1e-3},
     {"input": rnd(6, 5) * 3 - 1, "weight": rnd(5), "bias": rnd(5)},
     lambda input, weight, bias: F.batch_norm(input, None, None, weight, bias, True, 0.1, 1e-3))
case("batch_norm1d_eval_3d", "batch_norm2d", {"training": False, "eps": 1e-5},
     {"input": rnd(3, 4, 7), "running_mean": rnd(4), "running_var": rnd(4).abs() + 0.5, "weight": rnd(4), "bias": rnd(4)},
     lambda input, running_mean, running_var, weight, bias: F.batch_norm(input, running_mean, running_var, weight, bias, False, 0.1, 1e-5))

# ---- activations --------------------------------------------------------------------
x = rnd(2, 3, 4, 5) * 3
acts = {
    "gelu_tanh": (lambda input: F.gelu(input, approximate="tanh"), {"approximate": "tanh"}),
    "elu_alpha": (lambda input: F.elu(input, 0.5), {"alpha": 0.5}),
    "leaky_relu_default": (lambda input: F.leaky_relu(input), {"negative_slope": 0.01}),
    "softmax_dim0": (lambda input: F.softmax(input, dim=0), {"dim": 0}),
    "softmax_dim_last": (lambda input: F.softmax(input, dim=-1), {"dim": -1}),
    "log_softmax_dim1": (lambda input: F.log_softmax(input, dim=1), {"dim": 1}),
    "rrelu_eval_bounds": (lambda input: F.rrelu(input, 0.1, 0.3, training=False), {"lower": 0.1, "upper": 0.3, "training": False}),
}
ops = {"gelu_tanh": "gelu", "elu_alpha": "elu", "leaky_relu_default": "leaky_relu", "softmax_dim0": "softmax",
       "softmax_dim_last": "softmax", "log_softmax_dim1": "log_softmax", "rrelu_eval_bounds": "rrelu_eval"}
for k, (fn, kw) in acts.items():
    case(f"act_{k}", ops[k], kw, {"input": x}, fn)
case("act_prelu_2d_channel", "prelu", {}, {"input": rnd(6, 4) * 2, "weight": torch.tensor([0.1, -0.2, 0.3, 0.25])}, F.prelu)

# ---- losses -------------------------------------------------------------------------
logits = rnd(8, 5)
target = torch.tensor([0, 4, 2, 2, 1, 3, 0, 4])
target_ign = torch.tensor([0, 4, -1, 2, 1, -1, 0, 4])
wt = torch.tensor([0.5, 1.0, 2.0, 0.2, 1.5])
ce = [
    ("weight_ignore_smooth", dict(weight=True, ignore_index=-1, label_smoothing=0.1), target_ign),
    ("ignore_smooth", dict(ignore_index=-1, label_smoothing=0.2), target_ign),
    ("sum_smooth", dict(reduction="sum", label_smoothing=0.3), target),
    ("none_weight", dict(reduction="none", weight=True), target),
]
for name, kw, t in ce:
    ins = {"input": logits, "target": t}
    if kw.get("weight"): ins["weight"] = wt
    fk = {k: v for k, v in kw.items() if k != "weight"}
    case(f"cross_entropy_{name}", "cross_entropy", kw, ins,
         lambda input, target, weight=None, _fk=fk: F.cross_entropy(input, target, weight, **_fk), no_grad=("weight",))
case("cross_entropy_spatial", "cross_entropy", {}, {"input": rnd(2, 4, 3, 5), "target": torch.randint(0, 4, (2, 3, 5), generator=g)},
     lambda input, target: F.cross_entropy(input, target))
probs = F.softmax(rnd(8, 5), 1)
case("cross_entropy_probs", "cross_entropy", {}, {"input": logits, "target": probs},
     lambda input, target: F.cross_entropy(input, target), no_grad=("target",))
case("cross_entropy_probs_weight_smooth", "cross_entropy", {"weight": True, "label_smoothing": 0.2},
     {"input": logits, "target": probs, "weight": wt},
     lambda input, target, weight: F.cross_entropy(input, target, weight, label_smoothing=0.2), no_grad=("target", "weight"))
lp = F.log_softmax(rnd(8, 5), 1)
case("nll_loss_weight_ignore", "nll_loss", {"weight": True, "ignore_index": -1}, {"input": lp, "target": target_ign, "weight": wt},
     lambda input, target, weight: F.nll_loss(input, target, weight, ignore_index=-1), no_grad=("weight",))
case("nll_loss_none", "nll_loss", {"reduction": "none"}, {"input": lp, "target": target},
     lambda input, target: F.nll_loss(input, target, reduction="none"))
case("nll_loss_spatial_sum", "nll_loss", {"reduction": "sum"},
     {"input": F.log_softmax(rnd(2, 4, 3, 5), 1), "target": torch.randint(0, 4, (2, 3, 5), generator=g)},
     lambda input, target: F.nll_loss(input, target, reduction="sum"))
case("mse_loss_sum", "mse_loss", {"reduction": "sum"}, {"input": rnd(4, 5), "target": rnd(4, 5)},
     lambda input, target: F.mse_loss(input, target, reduction="sum"))
case("mse_loss_none", "mse_loss", {"reduction": "none"}, {"input": rnd(3, 4, 2), "target": rnd(3, 4, 2)},
     lambda input, target: F.mse_loss(input, target, reduction="none"))

# ---- linear -------------------------------------------------------------------------
case("linear_nobias_3d", "linear", {}, {"input": rnd(2, 3, 7), "weight": rnd(4, 7)}, lambda input, weight: F.linear(input, weight))
case("linear_1d", "linear", {}, {"input": rnd(7), "weight": rnd(4, 7), "bias": rnd(4)}, F.linear)

with open(os.path.join(out, "cases.json"), "w") as fh:
    json.dump({"generator": "PyTorch " + torch.__version__, "seed": 0, "cases": cases}, fh, indent=1)
print(f"{len(cases)} cases written to {out}")
