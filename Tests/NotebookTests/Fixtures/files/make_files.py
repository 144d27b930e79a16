#!/usr/bin/env python3
"""Writes the files FileBuiltinsTests reads, with NumPy and PyTorch (not
Tensorpad), so the tests check our readers against the real writers:

- numpy_f32.npy, numpy_i64.npy, numpy_u8.npy, numpy_f64_fortran.npy: arrays written by np.save
- numpy_arrays.npz: np.savez(weights=..., labels=...)
- cnn.safetensors: the state_dict of CNN below (seeded), by safetensors.torch.save_file
- cnn_input.npy, cnn_expected.npy: an input and the model's output under PyTorch
- cnn_expected.txt: `print(y)` of that output under PyTorch

    /work/venv-torch/bin/python Tests/NotebookTests/Fixtures/files/make_files.py
"""
import os
import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file

here = os.path.dirname(os.path.abspath(__file__))


def p(name):
    return os.path.join(here, name)


np.save(p("numpy_f32.npy"), (np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5) / 4)
np.save(p("numpy_i64.npy"), np.array([[1, -2], [3, 40000000000]], dtype=np.int64))
np.save(p("numpy_u8.npy"), np.array([0, 7, 255], dtype=np.uint8))
np.save(p("numpy_f64_fortran.npy"), np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)))
np.savez(p("numpy_arrays.npz"), weights=np.linspace(-1, 1, 5, dtype=np.float32),
         labels=np.array([3, 1, 4], dtype=np.int64))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(3 * 3 * 3, 4))


torch.manual_seed(0)
model = cnn()
with torch.no_grad():
    bn = model[1]
    bn.running_mean.copy_(torch.tensor([0.1, -0.2, 0.05]))
    bn.running_var.copy_(torch.tensor([0.9, 1.2, 0.5]))
    bn.weight.copy_(torch.tensor([1.0, 0.5, 2.0]))
    bn.bias.copy_(torch.tensor([0.0, 0.1, -0.1]))
    bn.num_batches_tracked.fill_(7)
model.eval()
save_file(model.state_dict(), p("cnn.safetensors"))
x = torch.linspace(-1, 1, 2 * 1 * 8 * 8).reshape(2, 1, 8, 8)
with torch.no_grad():
    y = model(x)
np.save(p("cnn_input.npy"), x.numpy())
np.save(p("cnn_expected.npy"), y.numpy())
with open(p("cnn_expected.txt"), "w") as f:
    f.write(repr(y) + "\n")
print("wrote", sorted(n for n in os.listdir(here) if not n.endswith(".py")))
