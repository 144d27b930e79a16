#!/usr/bin/env python3
"""Runs Notebooks/13-ddp-fashion-mnist.tpad under PyTorch + torchvision as a world of
one process (RANK=0, WORLD_SIZE=1: what Tensorpad runs), shortened with EPOCHS=2 and
SUBSET=2000, and writes what it prints to 13-ddp-fashion-mnist.torch.txt.
Fashion-MNIST is unpacked from Debian's dataset-fashion-mnist into torchvision's
layout in a scratch folder (Tensorpad reads the Debian files directly).

    /path/to/venv/bin/python Tests/NotebookTests/Fixtures/make_ddp.py
"""
import gzip, os, shutil, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
name = "13-ddp-fashion-mnist"
os.environ.update(EPOCHS="2", SUBSET="2000", RANK="0", WORLD_SIZE="1", LOCAL_RANK="0",
                  MASTER_ADDR="127.0.0.1", MASTER_PORT="29518")

# PyPI's torchvision is built for CUDA torch; its compiled ops are not needed here.
import torch.library
torch.library.register_fake = lambda *a, **k: (lambda f: f)
sys.path.insert(0, here)
import make_expected

work = tempfile.mkdtemp()
raw = os.path.join(work, "data", "FashionMNIST", "raw")
os.makedirs(raw)
for f in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]:
    with gzip.open(os.path.join("/usr/share/datasets/fashion-mnist", f + ".gz")) as s, open(os.path.join(raw, f), "wb") as d:
        shutil.copyfileobj(s, d)
os.chdir(work)
try:
    text = make_expected.run(os.path.join(root, "Notebooks", name + ".tpad"))
finally:
    os.chdir(root)
    shutil.rmtree(work, ignore_errors=True)
with open(os.path.join(here, name + ".torch.txt"), "w") as f:
    f.write(text)
print(f"{name}.torch.txt: {len(text.splitlines())} lines", file=sys.stderr)
