#!/usr/bin/env python3
"""PyTorch's side of `make bench`: the same workloads, timed the same way. Needs torch.
Usage: torch_bench.py THREADS [serve|kernels|resnet|train|--forward BATCH|--train BATCH|--epoch loader|train]
- serve: reads workload names from stdin, one a line; for each, measures one round of it and prints
  its value as one line of JSON. Tensorpad's bench alternates its own rounds with these, row by row,
  so that a shared machine's bursts fall on both columns alike.
- kernels, resnet, train (or nothing: all three): one round of each, printed as one JSON object."""
import json, sys, time, statistics
import torch
import torch.nn as nn
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
part = sys.argv[2] if len(sys.argv) > 2 else None
torch.set_num_threads(threads)
torch.manual_seed(0)


def median_time(fn, runs=7, warmup=2):
    """Median after `warmup` calls: at least `runs` timed calls, and more until 0.5 s
    have been timed (the same rule as Sources/Bench/Workloads.swift)."""
    for _ in range(warmup):
        fn()
    ts = []
    while len(ts) < runs or (sum(ts) < 0.5 and len(ts) < 1000):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def kernels(w):
    """The sgemm and conv rows into `w` (name: a function measuring one round)."""
    n = 2048
    a, b = torch.randn(n, n), torch.randn(n, n)
    w["sgemm 2048 (GFLOP/s)"] = lambda: 2 * n ** 3 / median_time(lambda: a @ b, runs=5) / 1e9
    for name, (N, C, H, K, S, P, cout) in {
        "conv2d c64 h56 k3 (GFLOP/s)": (1, 64, 56, 3, 1, 1, 64),
        "conv2d c128 h28 k3 (GFLOP/s)": (1, 128, 28, 3, 1, 1, 128),
        "conv2d c3 h224 k7 s2 (GFLOP/s)": (1, 3, 224, 7, 2, 3, 64),
        "conv2d n8 c3 h32 k5 (GFLOP/s)": (8, 3, 32, 5, 1, 2, 64),
        "conv2d n64 c1 h28 k5 p2 (GFLOP/s)": (64, 1, 28, 5, 1, 2, 6),
        "conv2d n64 c6 h14 k5 (GFLOP/s)": (64, 6, 14, 5, 1, 0, 16),
    }.items():
        x = torch.randn(N, C, H, H); wt = torch.randn(cout, C, K, K); bias = torch.randn(cout)
        ho = (H + 2 * P - K) // S + 1
        flops = 2 * N * cout * C * K * K * ho * ho

        def conv(x=x, wt=wt, bias=bias, S=S, P=P, flops=flops):
            with torch.no_grad():
                return flops / median_time(lambda: F.conv2d(x, wt, bias, stride=S, padding=P), runs=9) / 1e9
        w[name] = conv


def resnet():
    def block(cin, cout, stride):
        body = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1), nn.BatchNorm2d(cout), nn.ReLU(),
                             nn.Conv2d(cout, cout, 3, 1, 1), nn.BatchNorm2d(cout))
        short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride), nn.BatchNorm2d(cout)) if stride != 1 or cin != cout else None

        class Res(nn.Module):
            def __init__(s):
                super().__init__(); s.body = body; s.shortcut = short; s.act = nn.ReLU()

            def forward(s, x):
                return s.act(s.body(x) + (s.shortcut(x) if s.shortcut is not None else x))
        return Res()
    return nn.Sequential(nn.Conv2d(1, 64, 7, 2, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
                         block(64, 64, 1), block(64, 64, 1), block(64, 128, 2), block(128, 128, 1),
                         block(128, 256, 2), block(256, 256, 1), block(256, 512, 2), block(512, 512, 1),
                         nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(512, 10)).eval()


def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def resnet_train_step(net, x, labels):
    for p in net.parameters():
        p.grad = None
    F.cross_entropy(net(x), labels).backward()


def train(w):
    """The training rows into `w`."""
    net = resnet().train()
    x = torch.randn(8, 1, 224, 224)
    labels = torch.arange(8)
    w["resnet18 fwd+bwd b8 (ms)"] = lambda: median_time(lambda: resnet_train_step(net, x, labels), runs=3, warmup=1) * 1000
    le = lenet().train()
    opt = torch.optim.Adam(le.parameters(), lr=1e-3)
    images = torch.randn(256, 1, 28, 28)
    y = torch.arange(256) % 10

    def step():
        opt.zero_grad()
        F.cross_entropy(le(images), y).backward()
        opt.step()
    w["lenet train step b256 (ms)"] = lambda: median_time(step, runs=9) * 1000


def forward_rows(w):
    """ResNet-18 inference at batch 1 and 8 into `w`, under no_grad as Tensorpad's."""
    net = resnet()
    for bs in (1, 8):
        x = torch.randn(bs, 1, 224, 224)

        def fwd(x=x, bs=bs):
            with torch.no_grad():
                return median_time(lambda: net(x), runs=9 if bs == 1 else 5) * 1000
        w[f"resnet18 forward b{bs} (ms)"] = fwd


def fashion_loader(batch):
    """torchvision's FashionMNIST over the same IDX files Tensorpad reads (Debian's
    dataset-fashion-mnist), unpacked once into torchvision's raw/ layout under /tmp."""
    import gzip, os, shutil, tempfile, types
    # PyPI's torchvision wheel is built for CUDA torch: its C ops cannot load against torch+cpu,
    # and registering their fake kernels fails on import. Datasets and transforms are pure
    # Python and need none of it, so that one module is skipped.
    sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
    import torchvision
    import torchvision.transforms as T
    src = "/usr/share/datasets/fashion-mnist"
    root = os.path.join(tempfile.gettempdir(), "tensorpad-bench-fashion")
    raw = os.path.join(root, "FashionMNIST", "raw")
    os.makedirs(raw, exist_ok=True)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        dst = os.path.join(raw, name)
        if not os.path.exists(dst):
            with gzip.open(os.path.join(src, name + ".gz"), "rb") as f, open(dst + ".part", "wb") as o:
                shutil.copyfileobj(f, o)
            os.replace(dst + ".part", dst)
    tf = T.Compose([T.ToTensor(), T.Normalize((0.2860,), (0.3530,))])
    ds = torchvision.datasets.FashionMNIST(root, train=True, transform=tf, download=False)
    return torch.utils.data.DataLoader(ds, batch_size=batch, shuffle=True)


def epoch(what):
    """One shuffled DataLoader pass (`loader`) or one LeNet epoch with Adam(lr=1e-3) after
    one untimed warm-up step (`train`): prints samples/s (and the epoch's mean loss)."""
    loader = fashion_loader(256)
    n = len(loader.dataset)
    if what == "loader":
        t0 = time.perf_counter()
        seen = sum(x.shape[0] for x, _ in loader)
        print(seen / (time.perf_counter() - t0))
        return
    net = lenet().train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    x, y = next(iter(loader))
    step(x, y)
    total, steps = 0.0, 0
    t0 = time.perf_counter()
    for x, y in loader:
        total += step(x, y); steps += 1
    print(n / (time.perf_counter() - t0))
    print(total / steps)


if part == "--epoch":
    epoch(sys.argv[3])
    sys.exit(0)
if part == "--train":
    bs = int(sys.argv[3])
    resnet_train_step(resnet().train(), torch.randn(bs, 1, 224, 224), torch.arange(bs) % 10)
    sys.exit(0)
if part == "--forward":
    with torch.no_grad():
        resnet()(torch.randn(int(sys.argv[3]), 1, 224, 224))
    sys.exit(0)
rows = {}
if part in (None, "serve", "kernels"):
    kernels(rows)
if part in (None, "serve", "resnet"):
    forward_rows(rows)
if part in (None, "serve", "train"):
    train(rows)
if part == "serve":
    print("ready", flush=True)
    for line in sys.stdin:
        fn = rows.get(line.strip())
        print(json.dumps(fn() if fn else None), flush=True)
    sys.exit(0)
print(json.dumps({name: fn() for name, fn in rows.items()}))
