#!/usr/bin/env python3
"""Issue 17's fuzzing, black-box: generated programs and mutated notebook cells run
through `tensorpad -c` (each with a time limit); every run must end with status 0, or
status 1 and a `Kind: message` line. Signals, hangs and unlabelled failures are kept in
--out as reproducers. Prints the counts.

    python3 scripts/fuzz_programs.py --seconds 600 [--binary .build/debug/tensorpad] [--seed 1]
"""
import argparse, glob, os, random, re, subprocess, sys, time

EXTREMES = ["0", "-1", "1", "2", "3", "-2**31", "2**31", "2**31 - 1", "2**32", "2**40", "2**62", "-2**62",
            "2**63 - 1", "10**18", "1e300", "-1e300", "float('nan')", "float('inf')", "0.0", "-0.0", "None",
            "True", "''", "'a'", "[]", "()", "{}", "[[]]", "torch.ones(0)", "torch.ones(2, 3)",
            "torch.ones(1).expand(2**40)", "torch.zeros(2, 0, 3)", "torch.tensor(1.0)"]

SEEDS = [
    "{v}", "'%d' % {v}", "'%.{n}f' % 1.0", "'%{n}d' % 1", "f'{{1:{n}}}'", "f'{{1.0:.{n}f}}'", "format({v}, '{n}')",
    "'a'.zfill({n})", "'a'.ljust({n})", "'a'.center({n}, '*')", "'{{{n}}}'.format('a')", "int('12', {n})",
    "[0] * {n}", "'ab' * {n}", "list(range({n}))", "range({n})[{n}]", "[1, 2, 3][{n}]", "(1, 2)[{n}:{n}]",
    "torch.zeros({n})", "torch.ones({n}, {n})", "torch.arange({v})", "torch.ones(2, 3).reshape({n}, -1)",
    "torch.ones(2, 3).expand({n}, 2, 3).sum(0)", "torch.ones(1).expand({n})[{n}]", "torch.ones(3)[::{n}]",
    "F.max_pool2d(torch.ones(1, 1, 4, 4), {n}, {n}, {n})", "F.avg_pool2d(torch.ones(1, 1, 4, 4), {n})",
    "nn.Conv2d(1, 1, {n})(torch.ones(1, 1, 4, 4))", "nn.Linear({n}, 2)", "torch.eye({n})", "torch.randn({n})",
    "torch.set_printoptions(precision={n})\nprint(torch.ones(2) / 3)", "table(torch.ones(2, 2), precision={n})",
    "torch.ones(4).view({n}, 2)", "torch.ones(2, 2).permute({n}, 0)", "torch.ones(2).unsqueeze({n})",
    "torch.cat([torch.ones(2), torch.ones({n})])", "torch.ones(2, 2) @ torch.ones({n}, 2)",
    "torch.ones(6).split({n})", "torch.ones(6).chunk({n})", "torch.ones(2, 3).transpose({n}, 0)",
    "F.pad(torch.ones(1, 1, 2, 2), ({n}, {n}))", "torch.ones(3).topk({n})", "torch.ones(3).repeat({n})",
    "x = torch.ones(1).expand(4)\nx.add_({v})", "x = torch.ones(2, 2)\nx[{n}] = 1", "round(1.5, {n})",
    "chr({n})", "'abc'[{n}]", "{{}}.get({v})", "hash({v})", "sorted([{v}, {v}])", "max([{v}])", "abs({v})",
    "divmod({v}, {v})", "{v} // {v}", "{v} % {v}", "{v} ** {v}", "{v} << {v}", "-{v}", "~{v}",
    "a = []\na.append(a)\nprint(a == [a], a < [a])", "a = {{}}\na[1] = a\nprint(str(a), a == {{1: a}})",
    "x = {v}\nfor i in range(20000):\n    x = [x]\nprint(x)", "m = nn.Linear(2, 2)\nfor i in range({n} % 30000):\n    m = nn.Sequential(m)\nprint(m)",
    "def f(n):\n    return f(n - 1) if n else 0\nf({n})", "import sys\nsys.setrecursionlimit({n})\ndef g(): return g()\ng()",
    "any(x > 5 for x in range({n}))", "s = set(range({n} % 1000))\nprint(len(s))",
    "%history -n 1-{n}", "%timeit -n {n} -r 1 pass", "'x'.expandtabs({n})", "bytes({n})",
]


def program(rng):
    parts = []
    for _ in range(rng.randint(1, 3)):
        seed = rng.choice(SEEDS)
        parts.append(seed.format(v=rng.choice(EXTREMES), n=rng.choice(EXTREMES)))
    return "\n".join(parts)


def notebook_cells(root):
    cells = []
    for path in sorted(glob.glob(os.path.join(root, "Notebooks", "*.tpad"))):
        text = open(path, encoding="utf-8").read()
        cells += [c.strip() for c in re.split(r"^# %%.*$", text, flags=re.M) if c.strip()]
    return cells


def mutate(rng, cell):
    lines = cell.split("\n")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(6)
        i = rng.randrange(len(lines))
        if op == 0:
            lines[i] = re.sub(r"\b\d+\b", lambda m: rng.choice(EXTREMES), lines[i], count=1)
        elif op == 1 and len(lines) > 1:
            del lines[i]
        elif op == 2:
            lines.insert(i, lines[i])
        elif op == 3:
            cut = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:cut]
        elif op == 4:
            lines[i] = lines[i] + rng.choice(["(", ")", "[", "]", ":", "'", "\\", ",", "**", ".T", "[0]"])
        else:
            lines.insert(i, program(rng))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--binary", default=".build/debug/tensorpad")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--out", default=".build/fuzz-findings")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rng = random.Random(a.seed)
    cells = notebook_cells(root)
    os.makedirs(a.out, exist_ok=True)
    counts = {"ok": 0, "python error": 0, "signal": 0, "hang": 0, "unlabelled": 0}
    end = time.time() + a.seconds
    n = 0
    while time.time() < end:
        n += 1
        code = program(rng) if rng.random() < 0.6 or not cells else mutate(rng, rng.choice(cells))
        try:
            # --max-memory 2: an allocation that fits the default limit but takes seconds to fill
            # (nn.Linear(2**31, 2)) is not the hang this looks for.
            r = subprocess.run(["bash", "-c", 'ulimit -v 24000000; exec "$0" --max-memory 2 -c "$1"', a.binary, code],
                               capture_output=True, timeout=a.timeout, cwd=a.out)
            err = r.stderr.decode("utf-8", "replace")
            first = err.split("\n", 1)[0]
            if r.returncode == 0:
                kind = "ok"
            elif r.returncode == 1 and re.match(r"^([A-Za-z]+Error|KeyboardInterrupt|SystemExit|StopIteration|UsageError)(: |$)", first):
                kind = "python error"
            elif r.returncode < 0 or r.returncode > 128:
                kind = "signal"
            else:
                kind = "unlabelled"
        except subprocess.TimeoutExpired:
            kind, err = "hang", ""
        counts[kind] += 1
        if kind in ("signal", "hang", "unlabelled"):
            with open(os.path.join(a.out, f"{kind.replace(' ', '-')}-{n}.tpad"), "w") as f:
                f.write(code + "\n")
            print(f"[{kind}] {code[:200]!r} {err[-300:]!r}", flush=True)
    print(f"{n} programs: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)


if __name__ == "__main__":
    main()
