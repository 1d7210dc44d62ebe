"""bench/umap_learn.py: umap-learn on the rows of X.csv (no header), for
bench/umap.sh.

    umap_learn.py X.csv LAYOUT.csv RUNS

Defaults of umap.UMAP (15 neighbours, min_dist 0.1, spectral start, 200 or
500 epochs) with n_jobs=2 and no random_state (a random_state turns its
parallel code off).  The first call compiles numba's functions and is not
counted; then RUNS timed calls.  Prints "run_s S" and "run_cpu_s S" (the
CPU of every thread) per call, "seconds_median S" and "cpu_median S"; LAYOUT.csv gets the last layout.
EACH=1 in the environment also writes each call's layout to LAYOUT.csv.N
(N from 1), to judge umap-learn's spread over runs.
"""
import os
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import umap  # noqa: E402

X = np.loadtxt(sys.argv[1], delimiter=",")
runs = int(sys.argv[3])
umap.UMAP(n_jobs=2).fit_transform(X[: min(len(X), 2000)])  # the JIT, not counted
times, cpus = [], []
for r in range(runs):
    t, c = time.perf_counter(), time.process_time()
    Y = umap.UMAP(n_jobs=2).fit_transform(X)
    times.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
    print("run_s %.4f\nrun_cpu_s %.4f" % (times[-1], cpus[-1]), flush=True)
    if os.environ.get("EACH") == "1":
        np.savetxt("%s.%d" % (sys.argv[2], r + 1), Y, delimiter=",", fmt="%.9g")
print("seconds_median %.4f" % float(np.median(times)))
print("cpu_median %.4f" % float(np.median(cpus)))
np.savetxt(sys.argv[2], Y, delimiter=",", fmt="%.9g")
