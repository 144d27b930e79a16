#!/usr/bin/env python3
"""Seed corpora for `make fuzz`, built from the repository's notebooks and test fixtures
(nothing here is committed in bulk). Usage: seeds.py OUT_DIR; writes OUT_DIR/<target>/
for each target, only inputs of at most 4096 bytes (the fuzzers' -max_len)."""
import hashlib
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX = 4096


def put(out, target, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX:
        return
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def cells(text):
    return [c.strip("\n") for c in re.split(r"^# %%.*$", text, flags=re.M) if c.strip()]


def fixtures(*patterns):
    for p in patterns:
        yield from sorted(ROOT.glob(f"Tests/**/Fixtures/**/{p}"))


def main():
    out = pathlib.Path(sys.argv[1])
    notebooks = sorted(ROOT.glob("Notebooks/*.tpad"))
    programs = []
    for nb in notebooks:
        text = nb.read_text()
        put(out, "percent", text)
        put(out, "percent", text[:MAX])
        programs += cells(text)
        nbjson = {"cells": [{"cell_type": "code", "metadata": {}, "source": c.splitlines(True),
                             "outputs": [], "execution_count": None} for c in cells(text)[:4]],
                  "metadata": {"kernelspec": {"name": "tensorpad", "language": "python"}},
                  "nbformat": 4, "nbformat_minor": 5}
        put(out, "ipynb", json.dumps(nbjson, indent=1))
    for src in sorted(ROOT.glob("Tests/**/Fixtures/**/*.py")) + sorted(ROOT.glob("Tests/**/Fixtures/**/*.tpad")):
        text = src.read_text(errors="replace")
        programs += cells(text)
        put(out, "percent", text)
    for p in programs:
        put(out, "syntax", p)
        put(out, "lang", p)
    # The reproducers of issue 17, as programs.
    for p in ["'%d' % 1e300", "a = []\na.append(a)\na == a", "int('12', 37)", "'{-1}'.format('a')",
              "any(x > 5 for x in range(2**62))", "x = (1) / 0", "for _ in filter(5, [1]): pass",
              "f'{1:>{10}}'", "class A:\n    def __init__(self):\n        self.x = 1\nA().x",
              "def f(n):\n    return f(n + 1)\nf(0)", "t = torch.ones(2, 3)\nt.expand(4, 2, 3).sum(0)"]:
        put(out, "lang", p)
        put(out, "syntax", p)
    for f in fixtures("*.npy"):
        put(out, "npy", f.read_bytes())
    for f in fixtures("*.npz"):
        put(out, "npz", f.read_bytes())
    for f in fixtures("*.safetensors"):
        put(out, "safetensors", f.read_bytes())
    for f in fixtures("*.pt"):
        put(out, "pt", f.read_bytes())
    for f in fixtures("*idx*"):
        put(out, "idx", f.read_bytes())
    for f in list(fixtures("*.pgm")) + [ROOT / "Notebooks/data/camera.pgm"]:
        put(out, "pgm", f.read_bytes()[:MAX])
    for f in fixtures("*.json"):
        put(out, "ipynb", f.read_bytes())
    # Jupyter messages: frames joined by 0x01 (see Harness.swift's decodeWire).
    for msg_type, content in [("kernel_info_request", {}),
                              ("execute_request", {"code": "print(1)", "silent": False, "store_history": True,
                                                   "user_expressions": {}, "allow_stdin": True}),
                              ("complete_request", {"code": "torch.ze", "cursor_pos": 8}),
                              ("inspect_request", {"code": "torch.zeros", "cursor_pos": 5, "detail_level": 0}),
                              ("is_complete_request", {"code": "for i in x:"}),
                              ("shutdown_request", {"restart": False})]:
        header = {"msg_id": "a1", "session": "s1", "username": "u", "date": "2026-01-01T00:00:00Z",
                  "msg_type": msg_type, "version": "5.3"}
        frames = [b"id", b"<IDS|MSG>", b"", json.dumps(header).encode(), b"{}", b"{}", json.dumps(content).encode()]
        put(out, "kernel", b"\x01".join(frames))
    put(out, "kernel", json.dumps({"transport": "tcp", "ip": "127.0.0.1", "shell_port": 5555, "iopub_port": 5556,
                                   "stdin_port": 5557, "control_port": 5558, "hb_port": 5559, "key": "k",
                                   "signature_scheme": "hmac-sha256", "kernel_name": "tensorpad"}))
    for t in sorted(p.name for p in out.iterdir()):
        print(f"  seeds {t}: {len(list((out / t).iterdir()))}")


if __name__ == "__main__":
    main()
