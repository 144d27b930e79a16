"""Writes tqdm_streams.json: what real tqdm writes for small programs run
against a fake clock that only `tick(dt)` advances, for TqdmTests.
Each program sees `tqdm`, `trange` and `tick` already bound.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install tqdm && /tmp/v/bin/python make_tqdm_streams.py
"""
import contextlib
import io
import json
import os
import tqdm as tqdm_pkg
import tqdm.std as std

PROGRAMS = {
    "epoch_postfix": """
bar = tqdm(range(20), desc='epoch 1')
for i in bar:
    tick(0.03)
    bar.set_postfix(loss=0.51234 - i * 0.01, acc=0.9)
print('done')
""",
    "manual_with": """
with tqdm(total=10, unit='batch') as b:
    b.set_description('train')
    tick(0.5)
    b.update(4)
    tick(0.25)
    b.update()
    b.set_postfix({'loss': 1.5, 'lr': 0.001})
print(b.n, b.total)
""",
    "slow_trange_ncols": """
for i in trange(3, ncols=50):
    tick(1.2)
""",
    "break_early": """
for x in tqdm(range(10)):
    tick(0.2)
    if x == 5:
        break
""",
    "unknown_total": """
for x in tqdm(iter([1, 2, 3]), desc='read'):
    tick(0.2)
""",
    "leave_false": """
for x in tqdm([1, 2, 3], leave=False):
    tick(0.2)
""",
    "fast_loop": """
total = 0
for i in tqdm(range(1000), desc='fast'):
    tick(0.0007)
    total += i
print(total)
""",
    "ascii_bar": """
for x in tqdm(range(7), ascii=True, desc='a'):
    tick(0.3)
""",
    "nested_inner_cleared": """
for ep in trange(2, desc='epochs'):
    for b in tqdm(range(3), desc='batch', leave=False):
        tick(0.2)
""",
    "nested_inner_left": """
for ep in trange(2, desc='epochs'):
    for b in tqdm(range(2), desc='batch'):
        tick(0.3)
""",
    "write_above_bar": """
for i in tqdm(range(3), desc='fit'):
    tick(0.2)
    tqdm.write(f'step {i}')
""",
    "updates_of_five": """
b = tqdm(total=100, desc='io')
for k in range(20):
    tick(0.045)
    b.update(5)
b.close()
""",
}

cases = []
for name, program in PROGRAMS.items():
    now = [100.0]
    std.time = lambda: now[0]
    buf = io.StringIO()

    class tq(std.tqdm):
        def __init__(self, *a, **k):
            k.setdefault("file", buf)
            k.setdefault("ascii", False)   # a StringIO would otherwise get the ASCII bar
            super().__init__(*a, **k)

        @classmethod
        def write(cls, s, file=None, end="\n", nolock=False):
            # tqdm.write prints to stdout; the bars it clears and redraws are in buf.
            print(s, end=end)
            with cls.get_lock():
                for inst in list(cls._instances):
                    inst.clear(nolock=True)
                for inst in list(cls._instances):
                    inst.refresh(nolock=True)

    def tr(*a, **k):
        return tq(range(*a), **k)

    def tick(dt):
        now[0] += dt

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(program, {"tqdm": tq, "trange": tr, "tick": tick})
    cases.append({"name": name, "program": program.strip("\n"), "stdout": out.getvalue(), "stream": buf.getvalue()})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "tqdm_streams.json"), "w") as f:
    json.dump({"tqdm": tqdm_pkg.__version__, "cases": cases}, f, indent=1, ensure_ascii=False)
    f.write("\n")
