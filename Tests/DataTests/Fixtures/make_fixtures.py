"""Makes the DataTests fixtures with real PyTorch and torchvision.

Run from anywhere with a python that has torch, torchvision and numpy
(torchvision's compiled ops are not needed):
    python Tests/DataTests/Fixtures/make_fixtures.py
Reads Fashion-MNIST from Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist).
"""
import collections, gzip, os, shutil, struct, tempfile
import numpy as np
import torch, torch.library

# torchvision's wheel may be built for another torch's compiled ops; the transforms are pure Python.
torch.library.register_fake = lambda *a, **k: (lambda f: f)
import torchvision
from torchvision import transforms as T

HERE = os.path.dirname(os.path.abspath(__file__))
DEBIAN = "/usr/share/datasets/fashion-mnist"


def out(name):
    return os.path.join(HERE, name)


def fashion_root(tmp):
    raw = os.path.join(tmp, "data", "FashionMNIST", "raw")
    os.makedirs(raw)
    for f in os.listdir(DEBIAN):
        with gzip.open(os.path.join(DEBIAN, f)) as src, open(os.path.join(raw, f[:-3]), "wb") as dst:
            shutil.copyfileobj(src, dst)
    return os.path.join(tmp, "data")


def vision(tmp):
    root = fashion_root(tmp)
    train = torchvision.datasets.FashionMNIST(root, train=True)
    test = torchvision.datasets.FashionMNIST(root, train=False)
    img = np.array(train[0][0], dtype=np.uint8)
    np.save(out("image.npy"), img)
    np.savez(out("fashion_first.npz"), train_images=train.data[:3].numpy(),
             train_labels=train.targets[:20].numpy(), test_labels=test.targets[:20].numpy(),
             test_image=test.data[0].numpy())
    x = T.ToTensor()(train[0][0])
    res = {
        "totensor": x,
        "normalized": T.Normalize((0.2860,), (0.3530,))(x),
        "resize14": T.Resize(14)(x),
        "resize40": T.Resize(40)(x),
        "resize_20x33": T.Resize((20, 33))(x),
        "resize9_max": T.Resize(9, max_size=12)(x[:, :, :20]),
        "hflip": T.RandomHorizontalFlip(p=1.0)(x),
        "pil_resize14": torch.from_numpy(np.array(T.Resize(14)(train[0][0]), dtype=np.int64)),
        "rgb_normalized": T.Normalize((0.1, 0.2, 0.3), (0.5, 0.25, 0.125))(torch.stack([x[0], x[0] * 0.5, 1 - x[0]])),
    }
    np.savez(out("transforms_expected.npz"), **{k: v.numpy() for k, v in res.items()})


def mnist_root():
    """A tiny MNIST layout: 3 train images of 4x5 (gzipped), 2 test images (plain)."""
    raw = out("mnist/MNIST/raw")
    os.makedirs(raw, exist_ok=True)
    rng = np.random.default_rng(7)
    def idx(data):
        dims = data.shape
        return struct.pack(">BBBB", 0, 0, 8, len(dims)) + b"".join(struct.pack(">I", d) for d in dims) + data.tobytes()
    for split, n, gz in (("train", 3, True), ("t10k", 2, False)):
        images = rng.integers(0, 256, size=(n, 4, 5), dtype=np.uint8)
        labels = rng.integers(0, 10, size=(n,), dtype=np.uint8)
        for name, data in ((f"{split}-images-idx3-ubyte", images), (f"{split}-labels-idx1-ubyte", labels)):
            for old in (name, name + ".gz"):
                if os.path.exists(os.path.join(raw, old)):
                    os.remove(os.path.join(raw, old))
            if gz:
                with gzip.GzipFile(os.path.join(raw, name + ".gz"), "wb", mtime=0) as f:
                    f.write(idx(data))
            else:
                with open(os.path.join(raw, name), "wb") as f:
                    f.write(idx(data))
    # torchvision reads the same files (it wants them unpacked).
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(out("mnist"), os.path.join(tmp, "m"))
        traw = os.path.join(tmp, "m", "MNIST", "raw")
        for f in os.listdir(traw):
            if f.endswith(".gz"):
                with gzip.open(os.path.join(traw, f)) as s, open(os.path.join(traw, f[:-3]), "wb") as d:
                    shutil.copyfileobj(s, d)
        tr = torchvision.datasets.MNIST(os.path.join(tmp, "m"), train=True)
        te = torchvision.datasets.MNIST(os.path.join(tmp, "m"), train=False)
        np.savez(out("mnist_expected.npz"), train_data=tr.data.numpy(), train_targets=tr.targets.numpy(),
                 test_data=te.data.numpy(), test_targets=te.targets.numpy())


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        vision(tmp)
    mnist_root()
    print("fixtures written to", HERE)
