"""The matplotlib peer of bench/plot.sh: one histogram figure to PNG.

usage: plot_mpl.py VALUES.npz LO HI BINS OUT.png
Run as a whole process, as a user waits for it: interpreter start, imports,
loading the values, filling, drawing and saving are all counted.
"""
import sys

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

path, lo, hi, bins, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
d = np.load(path)
fig, ax = plt.subplots(figsize=(8, 5), dpi=200)  # 1600 x 1000 pixels
ax.hist(d["background"], bins=bins, range=(lo, hi), histtype="stepfilled", alpha=0.35,
        color="#E69F00", edgecolor="#E69F00", label="background")
ax.hist(d["signal"], bins=bins, range=(lo, hi), histtype="step", color="#0072B2", label="signal")
ax.set_xlabel("m_mumu")
ax.set_ylabel("events / bin")
ax.set_title("m_mumu")
ax.legend()
fig.savefig(out)
