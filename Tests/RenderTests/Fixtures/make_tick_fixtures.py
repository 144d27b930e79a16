"""Writes ticks.json: matplotlib's MaxNLocator tick values and ScalarFormatter
labels for view ranges and bin counts, and NumPy's histogram (what plt.hist
draws) for a few arrays, for PlotTicksTests.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install matplotlib && /tmp/v/bin/python make_tick_fixtures.py
"""
import json
import os
import matplotlib
import numpy as np
from matplotlib.ticker import MaxNLocator, ScalarFormatter

RANGES = [(0, 1), (-0.05, 1.05), (0.55, 10.45), (0.1955, 2.1885), (-1.1, 1.1), (0, 1000), (-49.5, 1049.5),
          (0.0012, 0.0047), (3.2, 3.9), (-3e6, 2.5e6), (0, 2.5e6), (1e-6, 5e-6), (0.8945, 0.9012), (-7, -2),
          (0, 60000), (12, 13), (-0.5, 27.5), (0.25, 0.251), (100, 100.5), (1990, 2025)]
cases = []
for lo, hi in RANGES:
    for nbins in [3, 5, 7, 9]:
        loc = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10])
        ticks = [float(t) for t in loc.tick_values(lo, hi) if lo - 1e-12 * abs(hi - lo) <= t <= hi + 1e-12 * abs(hi - lo)]
        f = ScalarFormatter(useOffset=False)
        f.create_dummy_axis()
        f.axis.set_view_interval(lo, hi)
        labels = f.format_ticks(ticks)
        cases.append({"lo": lo, "hi": hi, "nbins": nbins, "ticks": ticks, "labels": labels, "offset": f.get_offset()})

rng = np.random.default_rng(0)
hists = []
for values, bins, rng_, density in [
    ([float(v) for v in rng.normal(size=200)], 10, None, False),
    ([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 5, None, False),
    ([float(v) for v in rng.uniform(-3, 7, size=101)], 7, (-2.0, 6.0), True),
    ([3.0, 3.0, 3.0], 4, None, False),
]:
    counts, edges = np.histogram(values, bins=bins, range=rng_, density=density)
    hists.append({"values": values, "bins": bins, "range": rng_, "density": density,
                  "counts": [float(c) for c in counts], "edges": [float(e) for e in edges]})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "ticks.json"), "w") as out:
    json.dump({"matplotlib": matplotlib.__version__, "numpy": np.__version__, "cases": cases, "histograms": hists}, out, indent=1, ensure_ascii=False)
    out.write("\n")
