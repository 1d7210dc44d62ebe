"""bench/cuts_numpy.py: the workshop notebook's cut optimisation, the
baseline of bench/cuts.sh.

    cuts_numpy.py DATA.csv REPS

DATA.csv (from bench/cuts_bench) holds the six features, the label and the
part (0 train, 1 val, 2 test).  For each target of hepscope's efficiency
grid, the features in their listed order, one at a time: scan a lower and
an upper cut at the deciles of that feature (training events), keep the
pair with the least training background while the cumulative training
signal efficiency stays at or above the target (no cut when no pair
does), apply it and move on.  Prints "key value" lines: the median times
of the whole grid and of the 0.95 target alone, and the test figures at
0.95.
"""
import sys
import time

import numpy as np

GRID = [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55,
        0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.97, 0.99]


def load(path):
    with open(path) as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return names[:6], data[:, :6], data[:, 6], data[:, 7].astype(int)


def optimise(x, sig, bkg, target):
    """One target: per feature, the decile pair keeping the target."""
    nsig = sig.sum()
    keep = np.ones(len(sig), dtype=bool)
    cuts = []
    for k in range(x.shape[1]):
        col = x[:, k]
        deciles = np.nanpercentile(col, np.arange(10, 100, 10))
        los = np.concatenate(([-np.inf], deciles))
        his = np.concatenate((deciles, [np.inf]))
        best = None
        for lo in los:
            above = keep & (col >= lo)
            for hi in his:
                if hi <= lo:
                    continue
                sel = above & (col < hi)
                if sig[sel].sum() / nsig < target:
                    continue
                nb = bkg[sel].sum()
                if best is None or nb < best[0]:
                    best = (nb, lo, hi)
        if best is None:
            cuts.append((-np.inf, np.inf))
            continue
        cuts.append((best[1], best[2]))
        keep &= (col >= best[1]) & (col < best[2])
    return cuts


def apply(cuts, x):
    keep = np.ones(x.shape[0], dtype=bool)
    for k, (lo, hi) in enumerate(cuts):
        keep &= (x[:, k] >= lo) & (x[:, k] < hi)
    return keep


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    names, x, label, part = load(path)
    tr = part == 0
    te = part == 2
    xt = x[tr]
    sig = label[tr] == 1
    bkg = label[tr] == 0
    times_grid, times_one = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        grid = [optimise(xt, sig, bkg, t) for t in GRID]
        times_grid.append((time.perf_counter() - t0) * 1e3)
        t0 = time.perf_counter()
        one = optimise(xt, sig, bkg, 0.95)
        times_one.append((time.perf_counter() - t0) * 1e3)
    print("grid_ms %.2f" % np.median(times_grid))
    print("single_ms %.2f" % np.median(times_one))
    for t, cuts in zip(GRID, grid):
        keep = apply(cuts, x)
        print("grid_point %.2f train_sig_eff %.4f test_sig_eff %.4f test_bkg %d" % (
            t, (keep & tr & (label == 1)).sum() / (tr & (label == 1)).sum(),
            (keep & te & (label == 1)).sum() / (te & (label == 1)).sum(),
            (keep & te & (label == 0)).sum()))
    keep = apply(one, x)
    print("test_bkg_95 %d" % (keep & te & (label == 0)).sum())
    print("test_sig_eff_95 %.4f" % ((keep & te & (label == 1)).sum() / (te & (label == 1)).sum()))
    print("train_sig_eff_95 %.4f" % ((keep & tr & (label == 1)).sum() / (tr & (label == 1)).sum()))
    print("box_95 " + " ".join("%s:%.6g:%.6g" % (n, lo, hi) for n, (lo, hi) in zip(names, one)))


if __name__ == "__main__":
    main()
