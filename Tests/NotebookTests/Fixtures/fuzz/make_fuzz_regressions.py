#!/usr/bin/env python3
"""Expected outcomes of Tests/NotebookTests/FuzzRegressionTests.swift: inputs `make fuzz`
found crashing (kept here as files, as the fuzzer wrote them) and the snippets that cover
the same fault, each run under PyTorch (torch, nn, F imported, as a session has them). The
first line of the error, `Kind: message`, goes to fuzz_regressions.json; where Tensorpad
answers otherwise on purpose, OWN gives its answer and the reason.

    /work/venv-torch/bin/python Tests/NotebookTests/Fixtures/fuzz/make_fuzz_regressions.py
"""
import json, os, subprocess

TORCH_PY = os.environ.get("TORCH_PYTHON", "/work/venv-torch/bin/python")
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


def pytorch(code=None, path=None):
    wrapper = ("import sys\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
               "src = open(sys.argv[2]).read() if sys.argv[2] else sys.argv[1]\n"
               "try:\n    exec(compile(src, '<s>', 'exec'), {'torch': torch, 'nn': nn, 'F': F})\n"
               "except BaseException as e:\n"
               "    sys.stderr.write('@@' + type(e).__name__ + '\\t' + str(e).split('\\n')[0] + '\\n')\n"
               "    sys.exit(1)\n")
    r = subprocess.run(["bash", "-c", 'ulimit -v 8000000; exec "$0" -c "$1" "$2" "$3"', TORCH_PY, wrapper,
                        code or "", path or ""], capture_output=True, text=True, timeout=300)
    marks = [l for l in r.stderr.splitlines() if l.startswith("@@")]
    if marks:
        kind, _, message = marks[-1][2:].partition("\t")
        return {"kind": kind, "message": message}
    return {"kind": None, "stdout": r.stdout}


out = []
for name, why in FILES.items():
    out.append({"file": name, "found": why, **pytorch(path=os.path.join(HERE, name))})
for code in SNIPPETS:
    ref = pytorch(code=code)
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
