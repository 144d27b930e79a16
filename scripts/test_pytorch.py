#!/usr/bin/env python3
"""`make test-pytorch`: every notebook of Notebooks/ exported with
`tensorpad export NB --to pytorch DIR` runs under this Python + PyTorch and
prints and writes what `tensorpad run NB` prints and writes; the DDP notebook
also runs under `torchrun --nproc_per_node 2` with the gloo backend.

    .venv-pytorch/bin/python scripts/test_pytorch.py .build/release/tensorpad

Each notebook runs twice from scratch folders holding the same input files
(what the export copies): once by Tensorpad, once as the exported script.
- stdout: exactly equal, except for the training notebooks, run shortened
  (EPOCHS, SUBSET), whose losses and accuracies may differ in the last digits
  (float sums in another order): there every line has the same words and
  numbers within 2% (absolute 0.02 for numbers below 1).
- files: the same names; equal bytes, except PGM images where a convolution's
  rounding may move a few samples by one grey level (at most 1% of them), and
  for training notebooks checkpoints (both loaded by torch.load, same keys and
  shapes) and figures (PNG of the same size).
Then 13-ddp-fashion-mnist under torchrun with two processes: it trains, the loss
falls, rank 0 saves a checkpoint that torch.load and Tensorpad both load.
Exit status 0 when every check passes.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TRAINING = {"08-train-fashion-mnist", "13-ddp-fashion-mnist"}
# Notebooks that print an nn.Dropout mask as their last draw from the global generator (see mkl_bernoulli).
DROPOUT_MASKS = {"10-seeded"}
SHORT = {"EPOCHS": "2", "SUBSET": "2000"}
DDP = "13-ddp-fashion-mnist"
SKIP_FILES = {"tensorpad_compat.py", "__pycache__"}

failures = []


def fail(name, message):
    failures.append(f"{name}: {message}")
    print(f"  FAIL {message}", flush=True)


def run(cmd, cwd, env, timeout=3600):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def export(binary, nb, out):
    r = run([binary, "export", nb, "--to", "pytorch", out], ROOT, os.environ)
    if r.returncode != 0:
        raise RuntimeError(f"tensorpad export {nb} failed ({r.returncode}):\n{r.stderr}")


def files(folder, name):
    """Relative paths of the files a run leaves, the notebook and the export's own files aside
    (and torchvision's unpacked data set)."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = os.path.relpath(dirpath, folder)
        dirnames[:] = [d for d in dirnames if d not in SKIP_FILES and not (d == "FashionMNIST")]
        for f in filenames:
            if f in SKIP_FILES or f in (name + ".tpad", name + ".py"):
                continue
            out.add(os.path.normpath(os.path.join(rel, f)))
    return out


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def close_lines(a, b):
    if NUMBER.sub("#", a) != NUMBER.sub("#", b):
        return False
    for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)):
        x, y = float(x), float(y)
        if abs(x - y) > max(0.02, 0.02 * abs(y)):
            return False
    return True


def mkl_bernoulli():
    """Whether this PyTorch draws scalar Bernoulli samples (bernoulli_(p), nn.Dropout's masks) from
    MKL's VSL stream rather than from its mt19937 generator: builds with MKL do so on Intel CPUs only
    (aten/src/ATen/native/cpu/DistributionKernels.cpp), so PyTorch's own masks for one seed differ
    between an Intel and an AMD machine. Tensorpad draws them as PyTorch does everywhere else."""
    import torch
    try:
        intel = "GenuineIntel" in open("/proc/cpuinfo").read()
    except OSError:
        intel = False
    return intel and torch.backends.mkl.is_available()


def dropout_mask_line(a, b):
    """Two lines printing the same shape of nn.Dropout(p=0.5) output on ones: every number 0 or 2."""
    if NUMBER.sub("#", a) != NUMBER.sub("#", b):
        return False
    return all(float(x) in (0.0, 2.0) for x in NUMBER.findall(a) + NUMBER.findall(b))


def pgm(data):
    """(header, samples) of a binary PGM."""
    fields, pos = [], 2
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while data[pos:pos + 1].isdigit():
            pos += 1
        fields.append(int(data[start:pos]))
    return tuple(fields), data[pos + 1:]


def compare_file(name, rel, a, b, training):
    da, db = open(a, "rb").read(), open(b, "rb").read()
    if da == db:
        return True
    if rel.endswith(".pgm") and da[:2] == db[:2] == b"P5":
        (ha, sa), (hb, sb) = pgm(da), pgm(db)
        if ha != hb or len(sa) != len(sb):
            fail(name, f"{rel}: PGM headers differ {ha} vs {hb}")
            return False
        off = [i for i in range(len(sa)) if sa[i] != sb[i]]
        worst = max(abs(sa[i] - sb[i]) for i in off)
        if training or (worst <= 1 and len(off) <= len(sa) // 100):
            print(f"  {rel}: {len(off)} of {len(sa)} samples differ (at most by {worst})")
            return True
        fail(name, f"{rel}: {len(off)} of {len(sa)} samples differ, by up to {worst}")
        return False
    if training and rel.endswith(".pt"):
        import torch
        sa, sb = torch.load(a, weights_only=True), torch.load(b, weights_only=True)
        shapes = lambda sd: [(k, tuple(v.shape)) for k, v in sd.items()]
        if shapes(sa) != shapes(sb):
            fail(name, f"{rel}: checkpoints hold different tensors")
            return False
        print(f"  {rel}: both load, the same {len(sa)} tensors")
        return True
    if training and rel.endswith(".png") and da[:8] == db[:8]:
        if da[16:24] == db[16:24]:
            print(f"  {rel}: PNG of the same size")
            return True
    fail(name, f"{rel}: files differ ({len(da)} and {len(db)} bytes)")
    return False


def check_notebook(binary, path, work):
    name = os.path.splitext(os.path.basename(path))[0]
    training = name in TRAINING
    print(f"{name}{' (training, shortened)' if training else ''}", flush=True)
    tp, py = os.path.join(work, "tensorpad"), os.path.join(work, "python")
    export(binary, path, py)
    export(binary, path, tp)          # the same input files beside the notebook
    os.remove(os.path.join(tp, name + ".py"))
    os.remove(os.path.join(tp, "tensorpad_compat.py"))
    shutil.copy(path, os.path.join(tp, name + ".tpad"))
    env = dict(os.environ, **SHORT) if training else dict(os.environ)
    env.pop("RANK", None)
    env.pop("WORLD_SIZE", None)
    a = run([binary, "run", name + ".tpad"], tp, env)
    b = run([sys.executable, name + ".py"], py, env)
    if a.returncode != 0 or b.returncode != 0:
        fail(name, f"exit status {a.returncode} (tensorpad) and {b.returncode} (python)\n{a.stderr[-2000:]}\n{b.stderr[-2000:]}")
        return
    la, lb = a.stdout.split("\n"), b.stdout.split("\n")
    if a.stdout == b.stdout:
        print(f"  stdout: {len(la) - 1} lines, equal")
    elif training and len(la) == len(lb) and all(close_lines(x, y) for x, y in zip(la, lb)):
        print(f"  stdout: {len(la) - 1} lines, equal up to rounding")
    elif name in DROPOUT_MASKS and mkl_bernoulli() and len(la) == len(lb) and all(
            x == y or dropout_mask_line(x, y) for x, y in zip(la, lb)):
        masks = [i + 1 for i, (x, y) in enumerate(zip(la, lb)) if x != y]
        print(f"  stdout: {len(la) - 1} lines, equal but for the dropout mask at lines {masks}: this PyTorch "
              "draws dropout masks from MKL's stream on Intel CPUs (its masks differ between Intel and AMD); "
              "Tensorpad's are PyTorch's mt19937 ones (as PyTorch's on AMD); both are masks of 0 and 2")
    else:
        k = next((i for i in range(min(len(la), len(lb))) if la[i] != lb[i]), min(len(la), len(lb)))
        fail(name, f"stdout differs at line {k + 1}:\n    tensorpad: {la[k] if k < len(la) else '<end>'}\n"
                   f"    python:    {lb[k] if k < len(lb) else '<end>'}")
    fa, fb = files(tp, name), files(py, name)
    if fa != fb:
        fail(name, f"files differ: only tensorpad {sorted(fa - fb)}, only python {sorted(fb - fa)}")
    same = [rel for rel in sorted(fa & fb) if compare_file(name, rel, os.path.join(tp, rel), os.path.join(py, rel), training)]
    if fa:
        print(f"  files: {len(same)} of {len(fa & fb)} agree")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_torchrun(binary, work):
    name = DDP
    print(f"{name} under torchrun --nproc_per_node 2 (gloo)", flush=True)
    path = os.path.join(ROOT, "Notebooks", name + ".tpad")
    export(binary, path, work)
    env = dict(os.environ, EPOCHS="3", SUBSET="3000")
    torchrun = os.path.join(os.path.dirname(sys.executable), "torchrun")
    r = run([torchrun, "--nproc_per_node", "2", "--master_addr", "127.0.0.1", "--master_port", str(free_port()),
             name + ".py"], work, env)
    if r.returncode != 0:
        fail(name, f"torchrun exit status {r.returncode}\n{r.stderr[-3000:]}")
        return
    if "2 process(es), backend gloo" not in r.stdout:
        fail(name, f"rank 0 did not see two processes:\n{r.stdout}")
    losses = [float(x) for x in re.findall(r"^epoch \d+: loss (\d+\.\d+)", r.stdout, re.M)]
    print(f"  losses per epoch: {losses}")
    if len(losses) != 3 or not losses[-1] < losses[0]:
        fail(name, f"the loss did not fall over 3 epochs: {losses}\n{r.stdout}")
    if "1500 per process" not in r.stdout:
        fail(name, "each process should read half of the 3000 images")
    ckpt = os.path.join(work, "fashion_ddp.pt")
    if not os.path.isfile(ckpt):
        fail(name, "rank 0 saved no checkpoint")
        return
    import torch
    sd = torch.load(ckpt, weights_only=True)
    keys = " ".join(f"{k}:{tuple(v.shape)}" for k, v in sd.items())
    want = ("0.weight:(6, 1, 5, 5) 0.bias:(6,) 3.weight:(16, 6, 5, 5) 3.bias:(16,) 7.weight:(120, 400) "
            "7.bias:(120,) 9.weight:(84, 120) 9.bias:(84,) 11.weight:(10, 84) 11.bias:(10,)")
    if keys != want:
        fail(name, f"torch.load: {keys}")
    else:
        print("  torch.load reads the checkpoint: " + ", ".join(sd.keys()))
    first = float(sd["0.weight"].flatten()[0])
    code = ("net = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), "
            "nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))\n"
            f"print(net.load_state_dict(torch.load({ckpt!r})))\n"
            "print(f\"{net[0].weight.flatten()[0].item():.6f}\")")
    t = run([binary, "-c", code], work, os.environ)
    if t.returncode != 0 or t.stdout != f"<All keys matched successfully>\n{first:.6f}\n":
        fail(name, f"Tensorpad could not load the checkpoint ({t.returncode}):\n{t.stdout}{t.stderr}")
    else:
        print("  Tensorpad loads it: <All keys matched successfully>")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    notebooks = sorted(os.path.join(ROOT, "Notebooks", f) for f in os.listdir(os.path.join(ROOT, "Notebooks"))
                       if f.endswith(".tpad"))
    for nb in notebooks:
        work = tempfile.mkdtemp(prefix="tensorpad-pytorch-")
        try:
            check_notebook(binary, nb, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    work = tempfile.mkdtemp(prefix="tensorpad-torchrun-")
    try:
        check_torchrun(binary, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    if failures:
        print(f"test-pytorch: {len(failures)} failure(s):\n" + "\n".join(failures))
        return 1
    print(f"test-pytorch: {len(notebooks)} notebooks agree with PyTorch; torchrun with 2 processes trains and saves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
