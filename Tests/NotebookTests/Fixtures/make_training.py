#!/usr/bin/env python3
"""Runs Notebooks/08-train-fashion-mnist.tpad under Python + PyTorch + torchvision +
tqdm + matplotlib, unchanged, shortened as the test runs it (EPOCHS=2, SUBSET=3000),
and writes what it prints to Tests/NotebookTests/Fixtures/08-train-fashion-mnist.torch.txt.

The data: torchvision reads root/FashionMNIST/raw/*-ubyte; they are unpacked here
from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), the files
Tensorpad falls back to. `save_grid` is Tensorpad's own (it prints nothing); it is
a stand-in that does nothing here.

    /path/to/venv/bin/python Tests/NotebookTests/Fixtures/make_training.py
    (pip install torch torchvision tqdm matplotlib numpy)
"""
import gzip, os, shutil, sys, tempfile, types

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
sys.path.insert(0, here)

try:
    import torchvision  # noqa: F401
except RuntimeError:
    # PyPI's CPU-only torch wheel beside its CUDA torchvision wheel: torchvision's C
    # operators (nms, ...) do not load, and registering their meta kernels fails at
    # import. Datasets and transforms do not use them.
    for m in [m for m in sys.modules if m.startswith("torchvision")]:
        del sys.modules[m]
    sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")

import make_expected

NAME = "08-train-fashion-mnist"
SETTINGS = {"EPOCHS": "2", "SUBSET": "3000"}


def main():
    work = tempfile.mkdtemp()
    try:
        raw = os.path.join(work, "data", "FashionMNIST", "raw")
        os.makedirs(raw)
        debian = "/usr/share/datasets/fashion-mnist"
        for f in os.listdir(debian):
            if f.endswith(".gz"):
                with gzip.open(os.path.join(debian, f)) as src, open(os.path.join(raw, f[:-3]), "wb") as dst:
                    shutil.copyfileobj(src, dst)
        os.environ.update(SETTINGS)
        cwd = os.getcwd()
        os.chdir(work)
        try:
            text = make_expected.run(os.path.join(root, "Notebooks", NAME + ".tpad"),
                                     dict(save_grid=lambda *a, **k: a[1]))
        finally:
            os.chdir(cwd)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(here, NAME + ".torch.txt"), "w") as f:
        f.write(text)
    print(f"{NAME}.torch.txt: {len(text.splitlines())} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
