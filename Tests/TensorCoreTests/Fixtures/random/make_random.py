#!/usr/bin/env python3
"""Writes the random-stream fixtures of Tests/TensorCoreTests/RandomStreamTests.swift:
what PyTorch, NumPy and CPython's `random` draw for seeds 0, 1, 42, 1234 and
sizes 1, 3, 15, 16, 17, 100, 1000.

Each case is {"fn", "seed", "n", "kind", "data"}: kind "f32" / "f64" / "i64" /
"u8"; data is the hex of each value's bit pattern (8, 16, 16 or 2 digits each),
concatenated, so the Swift side compares bit for bit.

    python3 -m venv .venv && .venv/bin/pip install torch numpy mkl
    .venv/bin/python Tests/TensorCoreTests/Fixtures/random/make_random.py

The "mkl" cases are what PyTorch draws for `bernoulli_(p)` (and dropout) on Intel
CPUs, where its MKL build seeds MKL's MCG31 stream with one 32-bit word of the
generator and calls viRngBernoulli: made here with MKL itself (the `mkl` wheel),
the word being MT19937's first output for the seed (NumPy's legacy seeding is
PyTorch's). This machine's own PyTorch takes the other path when its CPU is not
Intel; both are tested.
"""
import ctypes, glob, json, os, random, struct, sys
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
SEEDS = [0, 1, 42, 1234]
SIZES = [1, 3, 15, 16, 17, 100, 1000]


def hexes(values, kind):
    if kind == "f32":
        a = np.asarray(values, dtype=np.float32).ravel()
        return "".join("%08x" % v for v in a.view(np.uint32))
    if kind == "f64":
        a = np.asarray(values, dtype=np.float64).ravel()
        return "".join("%016x" % v for v in a.view(np.uint64))
    if kind == "i64":
        a = np.asarray(values, dtype=np.int64).ravel()
        return "".join("%016x" % v for v in a.view(np.uint64))
    if kind == "u8":
        a = np.asarray(values, dtype=np.uint8).ravel()
        return "".join("%02x" % v for v in a)
    raise ValueError(kind)


def tensor_kind(t):
    return {torch.float32: "f32", torch.float64: "f64", torch.int64: "i64", torch.uint8: "u8"}[t.dtype]


cases = []


def add(lib, fn, seed, n, values, kind=None):
    if isinstance(values, torch.Tensor):
        kind = kind or tensor_kind(values)
        values = values.detach().numpy()
    cases.append({"lib": lib, "fn": fn, "seed": seed, "n": n, "kind": kind, "data": hexes(values, kind)})


def torch_cases():
    ramp = lambda n: torch.arange(n, dtype=torch.float32) * 0.125 - 2.0  # exact values
    probs = torch.arange(1, 11, dtype=torch.float32)
    fns = {
        "rand": lambda n: torch.rand(n),
        "rand_2d": lambda n: torch.rand(n, 3),
        "randn": lambda n: torch.randn(n),
        "randn_twice": lambda n: (torch.randn(n), torch.randn(n))[1],
        "randn_then_rand": lambda n: (torch.randn(n), torch.rand(n))[1],
        "uniform_": lambda n: torch.empty(n).uniform_(-2.5, 3.0),
        "normal_": lambda n: torch.empty(n).normal_(0.5, 2.0),
        "normal_float_float_size": lambda n: torch.normal(0.5, 2.0, (n,)),
        "normal_tensor_tensor": lambda n: torch.normal(ramp(n), torch.full((n,), 0.5)),
        "normal_tensor_float": lambda n: torch.normal(ramp(n), 2.0),
        "normal_float_tensor": lambda n: torch.normal(1.5, torch.full((n,), 0.5)),
        "randint_10": lambda n: torch.randint(0, 10, (n,)),
        "randint_wide": lambda n: torch.randint(-5, 1000000, (n,)),
        "randint_2p40": lambda n: torch.randint(0, 2 ** 40, (n,)),
        "random_full": lambda n: torch.empty(n, dtype=torch.int64).random_(),
        "random_to_float": lambda n: torch.empty(n).random_(100),
        "random_float_full": lambda n: torch.empty(n).random_(),
        "randperm": lambda n: torch.randperm(n),
        "bernoulli_scalar": lambda n: torch.zeros(n).bernoulli_(0.3),
        "bernoulli_tensor": lambda n: torch.bernoulli(torch.full((n,), 0.4)),
        "exponential_": lambda n: torch.empty(n).exponential_(1.5),
        "cauchy_": lambda n: torch.empty(n).cauchy_(0.5, 2.0),
        "log_normal_": lambda n: torch.empty(n).log_normal_(0.5, 0.75),
        "geometric_": lambda n: torch.empty(n).geometric_(0.3),
        "multinomial_repl": lambda n: torch.multinomial(probs, n, replacement=True),
        "multinomial_once": lambda n: torch.multinomial(probs, 1),
        "multinomial_norepl": lambda n: torch.multinomial(torch.rand(max(n, 10)) + 0.01, min(n, 10)),
        "dropout": lambda n: F.dropout(torch.ones(n), 0.3, training=True),
        "dropout2d": lambda n: F.dropout2d(torch.ones(2, n, 2, 2), 0.5, training=True),
        "rrelu": lambda n: F.rrelu(ramp(n), training=True),
        "kaiming_uniform_": lambda n: nn.init.kaiming_uniform_(torch.empty(n, 7)),
        "kaiming_uniform_sqrt5": lambda n: nn.init.kaiming_uniform_(torch.empty(n, 7), a=5 ** 0.5),
        "kaiming_normal_": lambda n: nn.init.kaiming_normal_(torch.empty(n, 7), mode="fan_out", nonlinearity="relu"),
        "xavier_uniform_": lambda n: nn.init.xavier_uniform_(torch.empty(n, 5)),
        "xavier_normal_": lambda n: nn.init.xavier_normal_(torch.empty(n, 5), gain=2.0),
        "init_uniform_": lambda n: nn.init.uniform_(torch.empty(n), -0.1, 0.2),
        "init_normal_": lambda n: nn.init.normal_(torch.empty(n), 0.0, 0.02),
        "erfinv": lambda n: (torch.rand(n) * 2 - 1).erfinv(),
        "trunc_normal_": lambda n: nn.init.trunc_normal_(torch.empty(n, 7)),
        "trunc_normal_custom": lambda n: nn.init.trunc_normal_(torch.empty(n), mean=0.5, std=0.2, a=0.0, b=1.0),
        "trunc_normal_tail": lambda n: nn.init.trunc_normal_(torch.empty(n, 3), mean=0.0, std=1.0, a=2.0, b=2.5),
        "sparse_": lambda n: nn.init.sparse_(torch.empty(n, 5), 0.3),
        "linear": lambda n: (lambda m: torch.cat([m.weight.flatten(), m.bias]))(nn.Linear(7, n)),
        "conv2d": lambda n: (lambda m: torch.cat([m.weight.flatten(), m.bias]))(nn.Conv2d(3, n, 3)),
        "generator_rand": lambda n: torch.rand(n, generator=torch.Generator().manual_seed(7)),
        "rng_state_after_randn": lambda n: (torch.randn(n), torch.get_rng_state())[1],
    }
    for name, f in fns.items():
        for s in SEEDS:
            for n in SIZES:
                torch.manual_seed(s)
                with torch.no_grad():
                    add("torch", name, s, n, f(n))


def numpy_cases():
    legacy = {
        "rand": ("f64", lambda r, n: r.rand(n)),
        "randn": ("f64", lambda r, n: r.randn(n)),
        "randn_odd_twice": ("f64", lambda r, n: (r.randn(n), r.randn(n))[1]),
        "randint_10": ("i64", lambda r, n: r.randint(0, 10, n)),
        "randint_wide": ("i64", lambda r, n: r.randint(-1000, 10 ** 6, n)),
        "normal": ("f64", lambda r, n: r.normal(1.5, 2.0, n)),
        "uniform": ("f64", lambda r, n: r.uniform(-1.0, 3.0, n)),
        "choice": ("i64", lambda r, n: r.choice(10, n)),
        "choice_norepl": ("i64", lambda r, n: r.choice(n, min(n, 5), replace=False)),
        "shuffle": ("i64", lambda r, n: (lambda a: (r.shuffle(a), a)[1])(np.arange(n))),
        "permutation": ("i64", lambda r, n: r.permutation(n)),
    }
    for name, (kind, f) in legacy.items():
        for s in SEEDS:
            for n in SIZES:
                np.random.seed(s)
                add("numpy", name, s, n, f(np.random, n), kind)
    modern = {
        "random": ("f64", lambda g, n: g.random(n)),
        "integers_10": ("i64", lambda g, n: g.integers(0, 10, n)),
        "integers_wide": ("i64", lambda g, n: g.integers(-1000, 10 ** 6, n)),
        "permutation": ("i64", lambda g, n: g.permutation(n)),
        "normal": ("f64", lambda g, n: g.normal(size=n)),
    }
    for name, (kind, f) in modern.items():
        for s in SEEDS:
            for n in SIZES:
                add("default_rng", name, s, n, f(np.random.default_rng(s), n), kind)


def python_cases():
    fns = {
        "random": ("f64", lambda n: [random.random() for _ in range(n)]),
        "randint": ("i64", lambda n: [random.randint(0, 10) for _ in range(n)]),
        "randrange_step": ("i64", lambda n: [random.randrange(-5, 100, 3) for _ in range(n)]),
        "randrange_big": ("i64", lambda n: [random.randrange(10 ** 12) for _ in range(n)]),
        "uniform": ("f64", lambda n: [random.uniform(-1.0, 3.0) for _ in range(n)]),
        "gauss": ("f64", lambda n: [random.gauss(0.0, 1.0) for _ in range(n)]),
        "normalvariate": ("f64", lambda n: [random.normalvariate(1.0, 2.0) for _ in range(n)]),
        "choice": ("i64", lambda n: [random.choice(range(10)) for _ in range(n)]),
        "shuffle": ("i64", lambda n: (lambda a: (random.shuffle(a), a)[1])(list(range(n)))),
        "sample": ("i64", lambda n: random.sample(range(100), min(n, 20))),
        "sample_big": ("i64", lambda n: random.sample(range(10000), min(n, 100))),
    }
    for name, (kind, f) in fns.items():
        for s in SEEDS:
            for n in SIZES:
                random.seed(s)
                add("python", name, s, n, f(n), kind)


def mkl_cases():
    lib = glob.glob(os.path.join(sys.prefix, "lib", "libmkl_rt.so*"))
    mkl = ctypes.CDLL(lib[0])

    def bernoulli(seed, n, p):
        stream = ctypes.c_void_p()
        assert mkl.vslNewStream(ctypes.byref(stream), 0x100000, ctypes.c_uint(seed)) == 0   # VSL_BRNG_MCG31
        out = (ctypes.c_int * max(n, 1))()
        assert mkl.viRngBernoulli(0, stream, n, out, ctypes.c_double(p)) == 0               # ICDF
        mkl.vslDeleteStream(ctypes.byref(stream))
        return np.array(out[:n], dtype=np.float32)

    for s in SEEDS:
        word = int(np.random.RandomState(s).randint(0, 2 ** 32, dtype=np.uint64))
        for n in SIZES:
            add("mkl", "bernoulli_scalar", s, n, bernoulli(word, n, 0.3), "f32")
            keep = bernoulli(word, n, 0.7)
            add("mkl", "dropout", s, n, keep * (np.float32(1) / np.float32(0.7)), "f32")


torch_cases()
mkl_cases()
numpy_cases()
python_cases()
meta = {"torch": torch.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
        "cpu_capability": torch.backends.cpu.get_cpu_capability()}
with open(os.path.join(here, "streams.json"), "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(meta, len(cases), "cases")
