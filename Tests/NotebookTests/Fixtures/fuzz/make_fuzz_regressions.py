#!/usr/bin/env python3
"""Expected outcomes of Tests/NotebookTests/FuzzRegressionTests.swift: inputs `make fuzz`
found crashing (kept here as files, as the fuzzer wrote them) and the snippets that cover
the same fault, each run under PyTorch (torch, nn, F imported, as a session has them). The
first line of the error, `Kind: message`, goes to fuzz_regressions.json; where Tensorpad
answers otherwise on purpose, OWN gives its answer and the reason.

    /work/venv-torch/bin/python Tests/NotebookTests/Fixtures/fuzz/make_fuzz_regressions.py
"""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from make_no_crash import pytorch  # noqa: E402  (runs a snippet under PyTorch, as NoCrashTests' are)

HERE = os.path.dirname(os.path.abspath(__file__))

# Files found by the fuzzer (target, what crashed).
FILES = {
    "lang-interpolate-negative-size.py": "lang: F.interpolate(x, -2) trapped building a range of -2 output positions",
}

SNIPPETS = [
    "F.interpolate(torch.randn(1, 2, 3, 4), -2)",
    "F.interpolate(torch.randn(0, 2, 3, 4), -2)",
    "F.interpolate(torch.randn(1, 2, 3), -2)",
    "F.interpolate(torch.randn(1, 2, 2, 3, 4), -2)",
    "F.interpolate(torch.randn(1, 2, 3, 4), scale_factor=-2)",
    "F.interpolate(torch.randn(1, 2, 3, 4), size=(-1, 2), mode='bilinear')",
    "F.interpolate(torch.randn(1, 2, 3), 0, mode='linear')",
    "F.interpolate(torch.randn(1, 2, 2, 3, 4), (2, -1, 3), mode='trilinear')",
    "F.interpolate(torch.randn(1, 2, 0, 4), 3)",
    "F.interpolate(torch.randn(1, 2, 3, 4), scale_factor=0.1)",
    "F.interpolate(torch.randn(1, 2, 3, 4), scale_factor=1e300)",
    "F.interpolate(torch.randn(1, 2, 3, 4), scale_factor=float('nan'))",
    "F.interpolate(torch.randn(1, 2, 3, 4), scale_factor=1e10)",
    "F.interpolate(torch.randn(1, 2, 3, 4), size=2**62)",
    "nn.Upsample(size=-2)(torch.randn(1, 2, 3, 4))",
    "nn.Upsample(scale_factor=0.2, mode='bilinear')(torch.randn(1, 2, 3, 4))",
    "F.interpolate(torch.randn(1, 1, 2, 2), size=(2**40, 1))",
    "print(F.interpolate(torch.arange(4.).reshape(1, 1, 2, 2), size=(3, 1)))",
]

OWN = {
    "F.interpolate(torch.randn(1, 1, 2, 2), size=(2**40, 1))": (
        "MemoryError", "*", "the memory limit is checked before the output is made (PyTorch's allocator fails later)"),
}


out = []
for name, why in FILES.items():
    with open(os.path.join(HERE, name)) as f:
        out.append({"file": name, "found": why, **pytorch(f.read())})
for code in SNIPPETS:
    ref = pytorch(code)
    e = {"code": code, "pytorch": ref}
    if code in OWN:
        kind, text, why = OWN[code]
        e.update({"kind": kind, "message": text, "why": why})
    else:
        e.update(ref)
    out.append(e)
with open(os.path.join(HERE, "fuzz_regressions.json"), "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=True)
    f.write("\n")
