"""Writes tqdm_cases.json: tqdm's own format_meter and format_num output for
fixed counts and clocks, for ProgressMeterTests.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install tqdm && /tmp/v/bin/python make_tqdm_fixtures.py
"""
import json
import os
import tqdm
from tqdm import tqdm as T

cases = []


def meter(n, total, elapsed, **kw):
    out = T.format_meter(n, total, elapsed, **kw)
    cases.append({"n": n, "total": total, "elapsed": elapsed,
                  "ncols": kw.get("ncols"), "prefix": kw.get("prefix", ""), "unit": kw.get("unit", "it"),
                  "rate": kw.get("rate"), "postfix": kw.get("postfix") or "", "initial": kw.get("initial", 0),
                  "expected": out})


for n in [0, 1, 7, 50, 117, 118, 234, 235]:
    meter(n, 235, n * 0.0142 + 0.001, prefix="epoch 1", postfix="loss=0.512")
meter(0, 235, 0)
meter(235, 235, 3.3514)
meter(3, 10, 7.5)                   # slow: s/it
meter(3, 10, 3.0)                   # exactly 1 it/s
meter(12, None, 4.2)                # no total
meter(12, None, 4.2, prefix="read", unit="batch", postfix="x=1")
meter(12, 10, 2.0)                  # past the total: treated as unknown
meter(500, 1000, 4000.0)            # hours left
meter(99999, 100000, 123456.0, prefix="long")
meter(1, 3, 0.5, ncols=60, prefix="fit")
meter(2, 3, 0.5, ncols=80, prefix="fit", postfix="loss=1.23")
meter(2, 3, 0.5, ncols=0, prefix="fit")
meter(5, 8, 1.0, rate=2.5)
meter(5, 8, 1.0, initial=3)
meter(1, 8, 0.25, prefix="desc: ")
meter(1, 200, 0.01)                 # 0.5 % rounds to 0 (half to even)
meter(5, 200, 0.01)                 # 2.5 % rounds to 2
meter(7, 200, 0.01)                 # 3.5 % rounds to 4

nums = [0.512, 0.51234, 5, 0, 1234567, 0.0001234, 1e-5, 123.456, 2.5e10, -0.25, 3.0, 100, 1000, 12345, True]
num_cases = [{"value": float(x), "python": str(x), "expected": T.format_num(x)} for x in nums]

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "tqdm_cases.json"), "w") as f:
    json.dump({"tqdm": tqdm.__version__, "meter": cases, "numbers": num_cases}, f, indent=1, ensure_ascii=False)
    f.write("\n")
