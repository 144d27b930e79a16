#!/usr/bin/env python3
"""Expected errors of Tests/NotebookTests/NoCrashTests.swift: each snippet is run under
PyTorch (torch, nn, F imported, as a session has them) and the first line of its error,
`Kind: message`, is recorded in no_crash.json. Where Tensorpad's answer differs on purpose
(OWN below, with the reason), Tensorpad's expectation is recorded next to PyTorch's.

    /work/venv-torch/bin/python Tests/NotebookTests/Fixtures/make_no_crash.py
"""
import json, os, subprocess

TORCH_PY = os.environ.get("TORCH_PYTHON", "/work/venv-torch/bin/python")

SNIPPETS = [
    "torch.zeros(-1)", "x = torch.ones(3)\nx[::-1]", "torch.ones(6).reshape(0, -1)", "torch.zeros(2**62, 2**62)",
    "nn.Conv2d(0, 0, 0)", "torch.arange(0, 1e30)", "torch.arange(0, float('inf'))", "torch.arange(0, 10, 0)",
    "nn.MaxPool2d(0)(torch.ones(1, 1, 4, 4))", "nn.AvgPool2d(2, stride=0)(torch.ones(1, 1, 4, 4))",
    "torch.linspace(0, 1, -3)", "torch.randint(5, 2, (3,))", "torch.eye(-2)", "torch.ones(1, 1, 5, 5)[0, 0, 9]",
    "nn.AdaptiveAvgPool2d(-3)(torch.ones(1, 1, 4, 4))", "torch.ones(2, 3).sum(dim=(0, 0))",
    "F.pad(torch.ones(1, 1, 2, 2), (5, 5), mode='reflect')", "torch.cat([])", "F.softmax(torch.ones(2), dim=3)",
    "int(torch.tensor(1e30))", "int(torch.tensor(float('nan')))", "x = torch.ones(3)\nx[1] = torch.ones(2)",
    "torch.ones(2**31, 2**31, 2)", "nn.BatchNorm2d(3)(torch.ones(2, 4, 3, 3))",
    "F.max_unpool2d(torch.ones(1, 1, 2, 2), torch.tensor([[[[100, 0], [0, 0]]]]), 2)",
    "F.nll_loss(torch.ones(2, 3), torch.tensor([0.5, 1.0]))", "torch.tensor([[1, 2], [3]])",
    "nn.Conv2d(1, 1, 3, stride=2**62)(torch.ones(1, 1, 4, 4))", "nn.Conv2d(1, 1, 3, padding=2**62)(torch.ones(1, 1, 4, 4))",
    "torch.ones(3)[10**20]", "range(10**18)[10**17]", "[0] * (2**62)", "'a' * (2**62)",
    "torch.ones(2, 2).permute(0, 0)", "torch.ones(2).expand(-5)", "torch.ones(2, 2)[..., ..., 0]",
    "nn.Linear(2**40, 2**40)", "torch.ones(3).view(-1, -1)", "x = torch.ones(2, 3)\nx.T.view(6)",
    "nn.Sequential()[5]", "torch.ones(4, 4)[torch.tensor([9])]", "torch.set_printoptions(precision=-3)\nprint(torch.ones(2) / 3)",
    "torch.ones(2, -1)", "import numpy as np\nnp.zeros((2, -1))",
]

# Tensorpad's own answer, and why it is not PyTorch's.
INT = "Tensorpad's ints are 64-bit: a value past them is OverflowError (README)"
OWN = {
    "nn.Conv2d(0, 0, 0)": ("ValueError", "kernel_size must be positive, but got 0", "PyTorch makes the empty layer and fails only when called"),
    "int(torch.tensor(1e30))": ("OverflowError", "integer overflow (Tensorpad ints are 64-bit)", INT),
    "nn.Conv2d(1, 1, 3, stride=2**62)(torch.ones(1, 1, 4, 4))": ("ValueError", "convolution argument is too large: 4611686018427387904", "PyTorch's sizes wrap: it returns an empty output"),
    "nn.Conv2d(1, 1, 3, padding=2**62)(torch.ones(1, 1, 4, 4))": ("ValueError", "padding is too large: 4611686018427387904", "PyTorch refuses only padding over 2**62 - 1, in a message about that bound; at 2**61 its sizes wrap and the process dies (SIGFPE); Tensorpad refuses any padding past 2**31"),
    "torch.ones(3)[10**20]": ("OverflowError", "integer overflow (Tensorpad ints are 64-bit)", INT),
    "[0] * (2**62)": ("MemoryError", "sequence repetition is too large", "CPython's MemoryError has no message"),
    "'a' * (2**62)": ("MemoryError", "string repetition is too large", "CPython's MemoryError has no message"),
    "torch.ones(2, 2)[..., ..., 0]": ("IndexError", "an index can only have a single ellipsis ('...')", "NumPy's rule: PyTorch reads the second '...' as empty"),
    "torch.set_printoptions(precision=-3)\nprint(torch.ones(2) / 3)": (None, "tensor([0, 0])\n", "a negative precision prints no decimals (PyTorch's format spec refuses it)"),
    "range(10**18)[10**17]": (None, "100000000000000000\n", "a cell shows its last expression's value, as Jupyter does"),
}

# Tensorpad names some RuntimeErrors more precisely (ShapeError is a RuntimeError).
SUBKINDS = {"RuntimeError": "ShapeError"}


def pytorch(code):
    wrapper = ("import sys\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
               "try:\n    exec(compile(sys.argv[1], '<s>', 'exec'), {'torch': torch, 'nn': nn, 'F': F})\n"
               "except BaseException as e:\n"
               "    sys.stderr.write('@@' + type(e).__name__ + '\\t' + str(e).split('\\n')[0] + '\\n')\n"
               "    sys.exit(1)\n")
    r = subprocess.run(["bash", "-c", 'ulimit -v 8000000; exec "$0" -c "$1" "$2"', TORCH_PY, wrapper, code],
                       capture_output=True, text=True, timeout=300)
    marks = [l for l in r.stderr.splitlines() if l.startswith("@@")]
    if marks:
        kind, _, message = marks[-1][2:].partition("\t")
        return {"kind": kind, "message": message}
    return {"kind": None, "stdout": r.stdout}


def main():
    out = []
    for code in SNIPPETS:
        ref = pytorch(code)
        e = {"code": code, "pytorch": ref}
        if code in OWN:
            kind, text, why = OWN[code]
            e.update({"kind": kind, ("message" if kind else "stdout"): text, "why": why})
        else:
            e.update(ref)
            if ref["kind"] in SUBKINDS:
                e["alsoKind"] = SUBKINDS[ref["kind"]]
        out.append(e)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "no_crash.json"), "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
