"""PyTorch's outputs for the convolutions Tensorpad computes by its direct kernel
(ungrouped, ≤ 8 input channels, output ≥ 8 wide): the 7×7 stride-2 stem, LeNet's
5×5 convs, CIFAR's 3×3 first layer, strides, dilation, asymmetric 'same' padding,
output widths that leave a partial block, Cout not a multiple of 4. Weights and
biases as nn.Conv2d initialises them. Then the backward cases (`grad_*` with `grads` and
`grad_out`): LeNet's two convs at their exact shapes, odd output widths, padding edges, and
Cout that leaves lanes empty in each kernel (spatial and channel-vectorised), with the input,
weight and bias gradients autograd gives for a random output gradient.

    python3 make_direct_conv.py         # writes direct_conv/ next to this file (needs torch, numpy)

Same layout as Tests/Golden: direct_conv/cases.json names each case's inputs and outputs.
"""
import json, os
import numpy as np
import torch

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "direct_conv")
torch.manual_seed(0)
# (n, cin, h, w, cout, kernel, stride, padding, dilation, bias)
shapes = [
    (1, 3, 64, 64, 64, 7, 2, 3, 1, True),          # the ResNet stem on a small image
    (2, 1, 28, 28, 6, 5, 1, 2, 1, True),           # LeNet conv1
    (2, 6, 14, 14, 16, 5, 1, 0, 1, True),          # LeNet conv2
    (3, 3, 32, 32, 16, 3, 1, 1, 1, False),         # CIFAR first layer
    (1, 2, 19, 37, 5, (3, 4), (1, 3), (1, 2), (2, 1), True),
    (2, 4, 20, 21, 7, 4, 2, "valid", 1, True),
    (1, 1, 12, 30, 3, 4, 1, "same", 1, True),      # 'same' with an even kernel: extra padding right/bottom
    (1, 8, 9, 40, 9, 1, 1, 0, 1, True),            # 1×1 with 8 channels
]
cases = []
for i, (n, cin, h, w, cout, k, s, p, d, bias) in enumerate(shapes):
    conv = torch.nn.Conv2d(cin, cout, k, stride=s, padding=p, dilation=d, bias=bias)
    x = torch.randn(n, cin, h, w)
    with torch.no_grad():
        y = conv(x)
    name = f"direct_{i:02d}"
    dd = os.path.join(out, name)
    os.makedirs(dd, exist_ok=True)
    files = {"input": "in_input.npy", "weight": "in_weight.npy"}
    np.save(os.path.join(dd, "in_input.npy"), x.numpy())
    np.save(os.path.join(dd, "in_weight.npy"), conv.weight.detach().numpy())
    if bias:
        np.save(os.path.join(dd, "in_bias.npy"), conv.bias.detach().numpy())
        files["bias"] = "in_bias.npy"
    np.save(os.path.join(dd, "out0.npy"), y.numpy())
    pair = lambda v: list(v) if isinstance(v, tuple) else [v, v]
    cases.append({"name": name, "op": "conv2d",
                  "kwargs": {"stride": pair(s), "padding": p if isinstance(p, str) else pair(p),
                             "dilation": pair(d)},
                  "inputs": files, "outputs": ["out0.npy"], "grads": {}})
# (n, cin, h, w, cout, kernel, stride, padding)
grad_shapes = [
    (4, 1, 28, 28, 6, 5, 1, 2),                    # LeNet conv1, exact
    (4, 6, 14, 14, 16, 5, 1, 0),                   # LeNet conv2, exact
    (3, 1, 27, 29, 6, 5, 1, 2),                    # odd output width (29): a partial column vector
    (3, 6, 13, 15, 16, 5, 1, 0),                   # 9 × 11 outputs: position blocks across rows
    (2, 3, 17, 21, 10, 3, 2, 1),                   # Cout 10: six empty lanes of the second 8
    (3, 2, 10, 13, 8, (3, 2), 1, (0, 1)),          # Cout 8, 11 wide: one vector of channels
    (2, 5, 12, 19, 7, (5, 3), (1, 2), (2, 0)),     # Cout 7, column stride 2, rows padded only
]
for i, (n, cin, h, w, cout, k, s, p) in enumerate(grad_shapes):
    conv = torch.nn.Conv2d(cin, cout, k, stride=s, padding=p)
    x = torch.randn(n, cin, h, w, requires_grad=True)
    y = conv(x)
    gy = torch.randn_like(y)
    y.backward(gy)
    name = f"grad_{i:02d}"
    dd = os.path.join(out, name)
    os.makedirs(dd, exist_ok=True)
    arrays = {"in_input.npy": x, "in_weight.npy": conv.weight, "in_bias.npy": conv.bias, "out0.npy": y,
              "grad_out.npy": gy, "grad_input.npy": x.grad, "grad_weight.npy": conv.weight.grad,
              "grad_bias.npy": conv.bias.grad}
    for f, t in arrays.items():
        np.save(os.path.join(dd, f), t.detach().numpy())
    pair = lambda v: list(v) if isinstance(v, tuple) else [v, v]
    cases.append({"name": name, "op": "conv2d",
                  "kwargs": {"stride": pair(s), "padding": pair(p), "dilation": [1, 1]},
                  "inputs": {"input": "in_input.npy", "weight": "in_weight.npy", "bias": "in_bias.npy"},
                  "outputs": ["out0.npy"], "grad_out": "grad_out.npy",
                  "grads": {"input": "grad_input.npy", "weight": "grad_weight.npy", "bias": "grad_bias.npy"}})
with open(os.path.join(out, "cases.json"), "w") as fh:
    json.dump({"generator": "PyTorch " + torch.__version__, "cases": cases}, fh, indent=1)
print(f"{len(cases)} cases in {out}")
