"""A/B of the plain-loop scripts (issue 18) on a loaded machine: whole processes of an old
Tensorpad, a new one and CPython alternated ROUNDS times; prints the minimum (the least
load-sensitive figure when other work shares the cores) of the seconds per call each script
prints, and CPython's ratio to each.

    BASE=/path/to/old/tensorpad NEW=.build/release/tensorpad \\
        python3 bench/ab/loops_min.py 5 loopconv,loopmandel,loopwords,loopfib
"""
import os, subprocess, sys
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
scripts = (sys.argv[2] if len(sys.argv) > 2 else "loopconv,loopmandel,loopwords,loopfib").split(",")
here = os.path.dirname(os.path.abspath(__file__))
progs = {"base": [os.environ.get("BASE", "tensorpad"), "run"],
         "new": [os.environ.get("NEW", ".build/release/tensorpad"), "run"],
         "py": [os.environ.get("PYTHON", "python3")]}
print("load", os.getloadavg())
for s in scripts:
    path = os.path.join(here, "..", s + ".py")
    res = {}
    for _ in range(rounds):
        for name, cmd in progs.items():
            out = subprocess.run(cmd + [path], capture_output=True, text=True).stdout.split()
            res.setdefault(name, []).append(float(out[0]))
    k = 1e9 if s == "loopconv" else 1e3
    m = {n: min(v) for n, v in res.items()}
    print(f"{s:11s} min: base {m['base']*k:8.2f} new {m['new']*k:8.2f} py {m['py']*k:8.2f}"
          f"  py/new {m['py']/m['new']:.2f} py/base {m['py']/m['base']:.2f}", flush=True)
print("load", os.getloadavg())
