"""bench/umap_trust.py: trustworthiness of layouts, for bench/umap.sh.

    umap_trust.py X.csv LAYOUT.csv...

scikit-learn's trustworthiness (k = 10) of each layout against the rows of
X.csv, on one fixed subsample of 5,000 rows (seeded) for every tool, as
issue 14 defines the quality figure.  Prints "trust S" per layout.
"""
import sys

import numpy as np
from sklearn.manifold import trustworthiness

X = np.loadtxt(sys.argv[1], delimiter=",")
sub = np.random.default_rng(0).choice(len(X), size=min(5000, len(X)), replace=False)
for path in sys.argv[2:]:
    Y = np.loadtxt(path, delimiter=",")
    print("trust %.4f" % trustworthiness(X[sub], Y[sub], n_neighbors=10))
