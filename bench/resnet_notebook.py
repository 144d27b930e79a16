# %% [markdown]
# # ResNet-18 of Notebooks/03, timed as a notebook times it
# The network is built exactly as `Notebooks/03-resnet-shapes.tpad` builds it (one input
# channel, 224×224, `Residual` blocks), put in eval mode, and `net(x)` is timed with
# `time.perf_counter` under `torch.no_grad()` at batch 1 and 8: warm-ups, then the median
# of at least 9 calls and of at least 0.5 s of timed calls (the rule of `make bench`).
# The same file runs unchanged under `tensorpad run` and under PyTorch's python; its last
# line is `resnet18 notebook ms b1 <median> b8 <median>`.
# TENSORPAD_THREADS (2) sets the threads; TENSORPAD_BENCH_QUICK=1 runs 32×32 images, one
# warm-up and one call per batch (for tests).

# %% Residual: Tensorpad's builtin; under PyTorch, the class `tensorpad export` writes
import os
import time
import torch
from torch import nn

try:
    Residual
except NameError:
    class Residual(nn.Module):
        """activation(body(x) + (shortcut(x) if shortcut else x)), as tensorpad_compat.py has it."""
        def __init__(self, body, shortcut=None, activation=None):
            super().__init__()
            self.body = body
            if shortcut is not None:
                self.shortcut = shortcut
            if activation is not None:
                self.activation = activation

        def forward(self, x):
            y = self.body(x)
            s = self.shortcut(x) if hasattr(self, "shortcut") else x
            if y.shape != s.shape:
                raise RuntimeError(f"Residual: body output {y.shape} and shortcut output {s.shape} differ")
            z = y + s
            return self.activation(z) if hasattr(self, "activation") else z

# %% The network, as Notebooks/03 builds it
torch.set_num_threads(int(os.environ.get("TENSORPAD_THREADS", "2")))
torch.manual_seed(0)

def block(cin, cout, stride=1):
    body = nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout))
    shortcut = None
    if stride != 1 or cin != cout:
        shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride), nn.BatchNorm2d(cout))
    return Residual(body, shortcut, nn.ReLU())

def stage(cin, cout, first):
    return nn.Sequential(block(cin, cout, 1 if first else 2), block(cout, cout))

b1 = nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(),
                   nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
net = nn.Sequential(b1, stage(64, 64, True), stage(64, 128, False), stage(128, 256, False),
                    stage(256, 512, False), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(512, 10))

# %% Timing
net.eval()
quick = os.environ.get("TENSORPAD_BENCH_QUICK") == "1"
size = 32 if quick else 224
warmup, runs, floor = (1, 1, 0.0) if quick else (2, 9, 0.5)

def median_ms(x):
    with torch.no_grad():
        for _ in range(warmup):
            net(x)
        ts = []
        while len(ts) < runs or (sum(ts) < floor and len(ts) < 1000):
            t0 = time.perf_counter()
            net(x)
            ts.append(time.perf_counter() - t0)
    ts.sort()
    return 1000 * ts[len(ts) // 2]

medians = [(bs, median_ms(torch.rand(bs, 1, size, size))) for bs in (1, 8)]
print("resnet18 notebook ms " + " ".join(f"b{bs} {ms:.3f}" for bs, ms in medians))
