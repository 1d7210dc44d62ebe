# pcaref.py: the PCA that tests/cli/project*.sh check hepscope against,
# computed here by numpy, apart from the code under test.
#
#   sys.path.insert(0, HS_SRCDIR + "/tests/cli"); import pcaref
#   z, w, v = pcaref.pca("d.csv", ["doca", "ip"])
#
# z: the inputs standardised with their mean and sd (divisor n), as
# hepscope fits them; w: the eigenvalues of their covariance (divisor
# n - 1, scikit-learn's explained_variance_), decreasing; v: the
# eigenvectors as columns, each with its largest |weight| positive
# (scikit-learn's svd_flip).
import csv

import numpy as np


def pca(path, feats):
    d = list(csv.DictReader(open(path)))
    x = np.array([[float(r[f]) for f in feats] for r in d])
    z = (x - x.mean(0)) / x.std(0)
    w, v = np.linalg.eigh(np.cov(z, rowvar=False))
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order]
    for c in range(v.shape[1]):
        if v[np.argmax(np.abs(v[:, c])), c] < 0:
            v[:, c] = -v[:, c]
    return z, w, v
