#!/usr/bin/env python3
"""Regenerates the FormatsTests fixtures with NumPy, PyTorch and safetensors.

Run from this directory:  /work/venv-torch/bin/python make_fixtures.py
The files are deterministic (fixed values, fixed seeds, gzip mtime 0)."""
import gzip
import io
import json

import zipfile

import numpy as np
import torch
from safetensors.torch import save_file

# --- npz: np.savez (stored) and np.savez_compressed (deflated) -------------
arrays = dict(
    f32=np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5,
    i64=np.array([1, -2, 2**40], dtype=np.int64),
    flags=np.array([[True, False], [False, True]]),
    f64=np.array([0.1, -2.5], dtype=np.float64),
    u8=np.arange(250, 256, dtype=np.uint8),
    scalar=np.array(3.5, dtype=np.float32),
)
np.savez("arrays_stored.npz", **arrays)
np.savez_compressed("arrays_deflated.npz", **arrays)
# A larger compressible member, so deflate really compresses.
np.savez_compressed("big_deflated.npz", ramp=np.tile(np.arange(100, dtype=np.float32), 50).reshape(50, 100))

# zip64 extra fields in the local headers, as zipfile writes with force_zip64.
with zipfile.ZipFile("zip64_local.npz", "w") as z:
    for name in ("f32", "i64"):
        with z.open(name + ".npy", "w", force_zip64=True) as f:
            np.save(f, arrays[name])

# Full zip64: lowering zipfile's limits makes it write zip64 extra fields in the
# central directory and a zip64 end-of-central-directory record and locator.
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 0, 0
np.savez_compressed("zip64_full.npz", f32=arrays["f32"], u8=arrays["u8"])
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = (1 << 31) - 1, (1 << 16) - 1

# --- safetensors: a Sequential's state_dict, and its output ------------------
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape) * (i + 1) / 3)
save_file(model.state_dict(), "sequential.safetensors", metadata={"format": "pt"})
x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0], [0.25, -3.0, 1.5]])
with torch.no_grad():
    y = model(x)
np.savez("sequential_io.npz", x=x.numpy(), y=y.numpy())

# BatchNorm: running stats and an int64 num_batches_tracked.
bn = torch.nn.Sequential(torch.nn.BatchNorm1d(3))
bn(torch.tensor([[1.0, 2.0, 3.0], [3.0, 0.0, -1.0]]))
save_file(bn.state_dict(), "batchnorm.safetensors")

# Every dtype the reader accepts.
save_file({
    "f64": torch.tensor([1.5, -0.25], dtype=torch.float64),
    "f16": torch.tensor([1.0, -2.5, 65504.0, 2**-24], dtype=torch.float16),
    "bf16": torch.tensor([1.0, -3.0, 1e30], dtype=torch.bfloat16),
    "i32": torch.tensor([[-7, 8]], dtype=torch.int32),
    "i16": torch.tensor([-300, 300], dtype=torch.int16),
    "i8": torch.tensor([-128, 127], dtype=torch.int8),
    "u8": torch.tensor([0, 255], dtype=torch.uint8),
    "b": torch.tensor([True, False, True]),
    "empty": torch.zeros(0, 3),
}, "dtypes.safetensors")

# PyTorch's own load_state_dict message for missing / unexpected / mis-shaped keys.
target = torch.nn.Sequential(torch.nn.Linear(3, 3))
try:
    target.load_state_dict({"0.weight": torch.zeros(4, 3), "x.bias": torch.zeros(3)})
except RuntimeError as e:
    with open("load_state_dict_error.txt", "w") as f:
        f.write(str(e))

# --- IDX: MNIST-style images (gzipped) and labels (plain), plus other types --
def idx(arr, code):
    head = bytes([0, 0, code, arr.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in arr.shape)
    return head + arr.tobytes()

images = (np.arange(3 * 28 * 28).reshape(3, 28, 28) * 7 % 256).astype(">u1")
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
    g.write(idx(images, 0x08))
open("images-idx3-ubyte.gz", "wb").write(buf.getvalue())
np.save("images_expected.npy", images.astype(np.int64))
open("labels-idx1-ubyte", "wb").write(idx(np.array([7, 2, 1], dtype=">u1"), 0x08))
open("f32-idx2", "wb").write(idx(np.array([[1.5, -2.0], [0.1, 1e10]], dtype=">f4"), 0x0D))
open("i16-idx1", "wb").write(idx(np.array([-32768, 1, 32767], dtype=">i2"), 0x0B))
open("i32-idx1", "wb").write(idx(np.array([-5, 100000], dtype=">i4"), 0x0C))
open("f64-idx1", "wb").write(idx(np.array([0.5, -1e300], dtype=">f8"), 0x0E))

# --- PGM: plain, raw, 16-bit; comments in the header --------------------------
def pgm_expected(a, maxval, name):
    np.save(name, (a.astype(np.float32) / np.float32(maxval))[None])

p2 = np.array([[0, 3, 7], [15, 1, 9]])
with open("plain.pgm", "w") as f:
    f.write("P2\n# made by make_fixtures.py\n3 # width\n2\n# maxval next\n15\n")
    f.write("0 3 7\n15 1 9\n")
pgm_expected(p2, 15, "plain_expected.npy")

p5 = (np.arange(4 * 5).reshape(4, 5) * 13 % 256).astype(np.uint8)
with open("raw8.pgm", "wb") as f:
    f.write(b"P5\n# a comment\n5 4\n# another\n255\n" + p5.tobytes())
pgm_expected(p5, 255, "raw8_expected.npy")

p16 = (np.arange(3 * 4).reshape(3, 4) * 5000 % 60000).astype(">u2")
with open("raw16.pgm", "wb") as f:
    f.write(b"P5 4 3 60000\n" + p16.tobytes())
pgm_expected(p16, 60000, "raw16_expected.npy")

print(json.dumps({"y": y.tolist()}))
