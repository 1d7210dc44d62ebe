"""bench/fisher_sklearn.py: scikit-learn's LinearDiscriminantAnalysis, the
peer of bench/fisher.sh.

    fisher_sklearn.py DATA.csv RUNS [HEPSCOPE_SCORES.txt]

DATA.csv (from bench/fisher_bench) holds the inputs, the label and the
part (0 train, 1 validation, 2 test).  RUNS fits on the training part
(solver 'lsqr': the class means and the pooled covariance, then a least
squares solve, the closest to hepscope's method; 'svd' is timed once for
information), each timed alone; then predict_proba of every event and
the test AUC.  With HEPSCOPE_SCORES.txt, the largest difference between
its probabilities and hepscope's scores.  Prints "key value" lines.
"""
import sys
import time

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.metrics import roc_auc_score


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x, label, part = data[:, :-2], data[:, -2].astype(int), data[:, -1].astype(int)
    tr, te = part == 0, part == 2
    xtr, ytr = np.ascontiguousarray(x[tr]), label[tr]
    fits = []
    for _ in range(runs):
        clf = LinearDiscriminantAnalysis(solver="lsqr")
        t0 = time.perf_counter()
        clf.fit(xtr, ytr)
        fits.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    prob = clf.predict_proba(x)[:, 1]
    score_s = time.perf_counter() - t0
    svd = LinearDiscriminantAnalysis(solver="svd")
    t0 = time.perf_counter()
    svd.fit(xtr, ytr)
    svd_s = time.perf_counter() - t0
    print("fit_s_median %.4f" % float(np.median(fits)))
    print("fit_svd_s %.4f" % svd_s)
    print("score_all_s %.4f" % score_s)
    print("test_auc %.6f" % roc_auc_score(label[te], prob[te]))
    if len(sys.argv) > 3:
        hs = np.loadtxt(sys.argv[3])
        print("max_abs_diff %.3g" % float(np.max(np.abs(hs - prob))))


if __name__ == "__main__":
    main()
