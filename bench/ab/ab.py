"""A/B of one conv through the language by whole processes alternated (issue 18):
per-call CPU time = (process CPU with REPS calls - with none) / REPS, and wall per call.

    BASE=/path/to/old/tensorpad NEW=.build/release/tensorpad TORCH_PYTHON=/path/to/python \
        python3 bench/ab/ab.py bench/ab/convone.py REPS ROUNDS THREADS SHAPES   # SHAPES: 0,1 (convone.py's list)
"""
import os, subprocess, sys, resource, statistics
progs = {"base": [os.environ.get("BASE", "tensorpad"), "run"], "new": [os.environ.get("NEW", ".build/release/tensorpad"), "run"],
         "torch": [os.environ.get("TORCH_PYTHON", "python3")]}
script = sys.argv[1]; reps = int(sys.argv[2]); rounds = int(sys.argv[3]); threads = sys.argv[4]
shapes = [int(s) for s in sys.argv[5].split(",")]
def run(prog, shape, n):
    env = dict(os.environ, SHAPE=str(shape), REPS=str(n), TENSORPAD_THREADS=threads, OMP_NUM_THREADS=threads)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(progs[prog] + [script], env=env, capture_output=True, text=True).stdout.strip()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime), out
print("load", open("/proc/loadavg").read().split()[:3], "threads", threads)
for shape in shapes:
    res = {p: ([], []) for p in progs}
    for r in range(rounds):
        for p in progs:
            c0, _ = run(p, shape, 0)
            c1, out = run(p, shape, reps)
            res[p][0].append((c1 - c0) / reps * 1e3)
            res[p][1].append(float(out.split()[0]))
    line = f"shape {shape}: "
    for p in progs:
        line += f"{p} CPU {statistics.median(res[p][0]):.3f} ms (wall {statistics.median(res[p][1]):.3f})  "
    print(line, flush=True)
