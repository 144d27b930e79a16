#!/usr/bin/env python3
"""Runs each notebook of Notebooks/ under Python + PyTorch and writes the text
it prints to Tests/NotebookTests/Fixtures/NAME.out: the expected stdout of
`tensorpad run Notebooks/NAME.tpad`.

Cells run in one namespace; a cell whose last statement is an expression
(not ending in ';') prints that value's repr, as Jupyter shows it.
Tensorpad-only names (Residual, summary, ...) get Python stand-ins below;
the notebooks themselves are not changed.

    /path/to/venv/bin/python Tests/NotebookTests/Fixtures/make_expected.py
"""
import ast, io, os, sys, contextlib, glob
import torch, torch.nn as nn, torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))


class Residual(nn.Module):
    """Stand-in for Tensorpad's Residual(body, shortcut=None, activation=None)."""
    def __init__(self, body, shortcut=None, activation=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut
        if activation is not None:
            self.activation = activation

    def forward(self, x):
        y = self.body(x) + (self.shortcut(x) if hasattr(self, "shortcut") else x)
        return self.activation(y) if hasattr(self, "activation") else y


def cells(text):
    out, cur, kind = [], [], "code"
    for line in text.split("\n"):
        if line.startswith("# %%"):
            if cur or out:
                out.append((kind, "\n".join(cur)))
            cur = []
            kind = "markdown" if "[markdown]" in line else "code"
        else:
            cur.append(line)
    out.append((kind, "\n".join(cur)))
    return [src for k, src in out if k == "code" and src.strip()]


def run(path, extra=None):
    ns = {"Residual": Residual, "__name__": "__main__"}
    ns.update(extra or {})
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        for src in cells(open(path).read()):
            tree = ast.parse(src)
            last = tree.body[-1] if tree.body else None
            lines = src.rstrip().split("\n")
            show = isinstance(last, ast.Expr) and not lines[-1].rstrip().endswith(";")
            body = tree.body[:-1] if show else tree.body
            exec(compile(ast.Module(body=body, type_ignores=[]), path, "exec"), ns)
            if show:
                v = eval(compile(ast.Expression(last.value), path, "eval"), ns)
                if v is not None:
                    print(repr(v))
    return buf.getvalue()


# Notebooks built on Tensorpad-only builtins (show, table, summary, ...): their
# .out is made by Tensorpad itself (see make_feature_maps_check.py for the
# numbers PyTorch checks independently).
TENSORPAD_ONLY = {"06-feature-maps", "07-autograd"}
# Trained on Fashion-MNIST: make_training.py (08) and make_ddp.py (13) run them under
# PyTorch + torchvision.
OWN_SCRIPT = {"08-train-fashion-mnist", "13-ddp-fashion-mnist"}

# Tensorpad-only notebooks whose printed numbers PyTorch checks: run here with the
# visual builtins printing nothing, what PyTorch prints goes to NAME.torch.txt, and
# the test finds those lines, in order, in Tensorpad's output.
def quiet(*args, **kwargs):
    return None

TORCH_CHECKED = {"07-autograd": dict(show=quiet, table=quiet, save_grid=quiet)}

# Fixtures that start a torch.distributed process group: PyTorch's env:// rendezvous
# needs a launcher's variables; a world of one is what Tensorpad runs.
DISTRIBUTED = {"distributed"}
if DISTRIBUTED & {os.path.splitext(os.path.basename(p))[0] for p in sys.argv[1:]}:
    os.environ.update(RANK="0", WORLD_SIZE="1", LOCAL_RANK="0", MASTER_ADDR="127.0.0.1", MASTER_PORT="29517")

if __name__ == "__main__":
    names = sys.argv[1:] or sorted(p for p in glob.glob(os.path.join(root, "Notebooks", "*.tpad"))
                                   if os.path.splitext(os.path.basename(p))[0] not in TENSORPAD_ONLY | OWN_SCRIPT)
    for name, extra in TORCH_CHECKED.items():
        cwd = os.getcwd()
        os.chdir(os.path.join(root, "Notebooks"))
        try:
            text = run(os.path.join(root, "Notebooks", name + ".tpad"), extra)
        finally:
            os.chdir(cwd)
        with open(os.path.join(here, name + ".torch.txt"), "w") as f:
            f.write(text)
        print(f"{name}.torch.txt: {len(text.splitlines())} lines", file=sys.stderr)
    for p in names:
        name = os.path.splitext(os.path.basename(p))[0]
        # Notebooks run in their own folder, as Jupyter (and tensorpad run) runs them.
        cwd, full = os.getcwd(), os.path.abspath(p)
        os.chdir(os.path.dirname(full))
        try:
            text = run(full)
        finally:
            os.chdir(cwd)
        with open(os.path.join(here, name + ".out"), "w") as f:
            f.write(text)
        print(f"{name}: {len(text.splitlines())} lines", file=sys.stderr)
