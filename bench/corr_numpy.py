"""bench/corr_numpy.py: numpy.corrcoef, the peer of bench/corr.sh.

    corr_numpy.py DATA.bin K N RUNS [HEPSCOPE_MATRIX.bin]

DATA.bin (from bench/corr_bench) holds K columns of N doubles, one after
another: numpy.corrcoef of the K x N array (variables in rows) is the
same matrix as hepscope's unweighted, unlabelled one.  Times RUNS calls
in a warm interpreter (the array already loaded) and prints "key value"
lines: the median in ms and, with the hepscope matrix, the largest
difference between the two.
"""
import sys
import time

import numpy as np


def main():
    path, k, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x = np.fromfile(path, dtype=np.float64).reshape(k, n)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = np.corrcoef(x)
        times.append((time.perf_counter() - t0) * 1000)
    print("corr_ms_median %.1f" % float(np.median(times)))
    if len(sys.argv) > 5:
        hs = np.fromfile(sys.argv[5], dtype=np.float64).reshape(k, k)
        print("max_abs_diff %.3g" % float(np.max(np.abs(hs - r))))


if __name__ == "__main__":
    main()
