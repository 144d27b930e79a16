"""Reference tables for SummaryTests, from torchinfo 1.8.0 + torch 2.15.

Run with /work/venv-torch/bin/python (pip install torchinfo==1.8.0). Writes
lenet.txt, residual.txt, lstm.txt and gru.txt next to this file. Columns: the default two plus
Trainable (Tensorpad always shows it). One deliberate difference is applied
here: on Python >= 3.11 torchinfo 1.8.0 prints the mult-adds unit as
`(Units.MEGABYTES)` (str() of a str-Enum changed); Tensorpad prints `(M)` as
torchinfo does on older Pythons and in its README.
"""
import os
from torch import nn
from torchinfo import summary

HERE = os.path.dirname(os.path.abspath(__file__))
COLS = ("output_size", "num_params", "trainable")

# Tensorpad's Residual, with the addition as a module named "(add)" so that
# torchinfo gives it a row where Tensorpad synthesises one.
Add = type("(add)", (nn.Module,), {"forward": lambda self, a, b: a + b})


class Residual(nn.Module):
    def __init__(self, body, shortcut=None, activation=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut
        if activation is not None:
            self.activation = activation
        self.add = Add()

    def forward(self, x):
        y = self.body(x)
        s = self.shortcut(x) if hasattr(self, "shortcut") else x
        z = self.add(y, s)
        return self.activation(z) if hasattr(self, "activation") else z


def table(net, size):
    s = str(summary(net, input_size=size, verbose=0, col_names=COLS))
    for u, short in (("Units.MEGABYTES", "M"), ("Units.GIGABYTES", "G"), ("Units.TERABYTES", "T")):
        s = s.replace(f"({u})", f"({short})")
    return s + "\n"


lenet = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2),
    nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(),
    nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))

stem = nn.Conv2d(1, 8, 3, padding=1)
for p in stem.parameters():
    p.requires_grad = False
bn = nn.BatchNorm2d(8)
bn.weight.requires_grad = False
residual = nn.Sequential(
    stem, bn, nn.ReLU(),
    Residual(nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                           nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8)),
             activation=nn.ReLU()),
    Residual(nn.Sequential(nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                           nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16)),
             shortcut=nn.Conv2d(8, 16, 1, stride=2)),
    nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))

with open(os.path.join(HERE, "lenet.txt"), "w") as f:
    f.write(table(lenet, (1, 1, 28, 28)))
with open(os.path.join(HERE, "residual.txt"), "w") as f:
    f.write(table(residual, (2, 1, 16, 16)))
with open(os.path.join(HERE, "lstm.txt"), "w") as f:
    f.write(table(nn.LSTM(4, 8, num_layers=2, bidirectional=True), (5, 3, 4)))
with open(os.path.join(HERE, "gru.txt"), "w") as f:
    f.write(table(nn.GRU(16, 32, batch_first=True), (4, 20, 16)))
