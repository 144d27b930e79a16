"""PyTorch's outputs for the 3×3 stride-1 convolutions Tensorpad computes by Winograd
F(2×2, 3×3) (Cin and Cout ≥ 16): odd and even sizes, every padding the path sees,
batches, with and without bias. Weights and biases as nn.Conv2d initialises them
(kaiming_uniform a=√5), so outputs have the magnitudes of a real network.

    python3 make_winograd.py            # writes winograd/ next to this file (needs torch, numpy)

Same layout as Tests/Golden: winograd/cases.json names each case's inputs and outputs.
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "winograd")
torch.manual_seed(0)
# (n, cin, h, w, cout, padding, bias)
shapes = [
    (1, 16, 8, 8, 16, 1, True),
    (2, 16, 9, 11, 24, 1, True),      # odd sizes: a last half tile in both directions
    (1, 32, 7, 6, 16, 0, False),      # no padding: output 5×4
    (1, 16, 5, 13, 32, 2, True),      # padding larger than the kernel's reach
    (2, 24, 12, 10, 16, "same", True),
    (1, 16, 4, 3, 16, (1, 0), True),  # padding (1, 0): 4×1 output
    (1, 64, 14, 14, 64, 1, True),     # a ResNet stage's channel count
]
cases = []
for i, (n, cin, h, w, cout, pad, bias) in enumerate(shapes):
    conv = torch.nn.Conv2d(cin, cout, 3, padding=pad, bias=bias)
    x = torch.randn(n, cin, h, w)
    with torch.no_grad():
        y = conv(x)
    name = f"winograd_{i:02d}"
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    files = {"input": "in_input.npy", "weight": "in_weight.npy"}
    np.save(os.path.join(d, "in_input.npy"), x.numpy())
    np.save(os.path.join(d, "in_weight.npy"), conv.weight.detach().numpy())
    if bias:
        np.save(os.path.join(d, "in_bias.npy"), conv.bias.detach().numpy())
        files["bias"] = "in_bias.npy"
    np.save(os.path.join(d, "out0.npy"), y.numpy())
    cases.append({"name": name, "op": "conv2d",
                  "kwargs": {"stride": 1, "padding": pad if isinstance(pad, (int, str)) else list(pad)},
                  "inputs": files, "outputs": ["out0.npy"], "grads": {}})
with open(os.path.join(out, "cases.json"), "w") as fh:
    json.dump({"generator": "PyTorch " + torch.__version__, "cases": cases}, fh, indent=1)
print(f"{len(cases)} cases in {out}")
