#!/usr/bin/python3
"""bench/embed_sklearn.py: scikit-learn's PCA, KMeans and GaussianMixture
on the rows embed_bench wrote, standardised as hepscope does (mean, sd
divisor n): the median fit time of RUNS fits and the fit's figures.

    embed_sklearn.py METHOD FILE DIM RUNS K STARTS [COVARIANCE]
"""
import statistics
import sys
import time

import numpy as np

method, path, dim, runs, k, starts = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
cov = sys.argv[7] if len(sys.argv) > 7 else "full"
X = np.fromfile(path, dtype=np.float64).reshape(-1, dim)
Z = (X - X.mean(0)) / X.std(0)


def make():
    if method == "gmm":
        from sklearn.mixture import GaussianMixture
        return GaussianMixture(n_components=k, covariance_type=cov, tol=1e-3, reg_covar=1e-6,
                               max_iter=100, n_init=starts, init_params="k-means++",
                               random_state=0)
    if method == "kmeans":
        from sklearn.cluster import KMeans
        # hepscope's settings, not scikit-learn 1.2's defaults (n_init 10).
        return KMeans(n_clusters=k, init="k-means++", n_init=starts, max_iter=300, tol=1e-4,
                      random_state=0, algorithm="lloyd")
    from sklearn.decomposition import PCA
    return PCA(svd_solver="full")


times, cpu = [], []
for _ in range(runs):
    est = make()
    t0, c0 = time.perf_counter(), time.process_time()
    est.fit(Z)
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print("fit_s_median %.6f" % statistics.median(times))
print("fit_cpu_s_median %.6f" % statistics.median(cpu))
if method == "gmm":
    print("loglik_mean %.10f" % est.score(Z))
    print("iterations %d" % est.n_iter_)
elif method == "kmeans":
    print("inertia %.10f" % est.inertia_)
else:
    for c, v in enumerate(est.explained_variance_):
        print("variance_%d %.17g" % (c + 1, v))
