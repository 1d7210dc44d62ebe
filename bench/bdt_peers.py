"""bdt_peers.py: XGBoost's hist method and scikit-learn's
HistGradientBoostingClassifier on the CSV bdt_bench writes, for
bench/bdt.sh: fitted on the training part, the test AUC on the test part.

    bdt_peers.py D.csv RUNS THREADS xgboost|sklearn [TREES]

The settings of bdt_bench's: 300 trees, depth 6, learning rate 0.1, 255
bins, L2 1 on the leaf values, no subsampling, no early stopping; leaves
of at least 20 events for scikit-learn (XGBoost has no such limit; its
min_child_weight 1 is a hessian).  Prints "key value" lines: each fit's
wall and CPU seconds (time.process_time: every thread of the process)
and their medians, the test AUC.
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

path, runs, threads, tool = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
trees = int(sys.argv[5]) if len(sys.argv) > 5 else 300
d = pd.read_csv(path)
part = d.pop("part").to_numpy().astype(int)
y = d.pop("label").to_numpy().astype(int)
X = d.to_numpy(dtype=np.float64)
tr, te = part == 0, part == 2
walls, cpus = [], []
for r in range(runs):
    if tool == "xgboost":
        import xgboost as xgb
        m = xgb.XGBClassifier(tree_method="hist", n_estimators=trees, max_depth=6, learning_rate=0.1,
                              max_bin=255, reg_lambda=1.0, subsample=1.0, colsample_bytree=1.0,
                              n_jobs=threads, eval_metric="logloss")
    else:
        from sklearn.ensemble import HistGradientBoostingClassifier
        m = HistGradientBoostingClassifier(max_iter=trees, learning_rate=0.1, max_depth=6,
                                           max_leaf_nodes=None, min_samples_leaf=20,
                                           l2_regularization=1.0, max_bins=255,
                                           early_stopping=False)
    w0, c0 = time.perf_counter(), time.process_time()
    m.fit(X[tr], y[tr])
    walls.append(time.perf_counter() - w0)
    cpus.append(time.process_time() - c0)
    print(f"run {r} fit_s {walls[-1]:.3f} cpu_s {cpus[-1]:.3f}", flush=True)
auc = roc_auc_score(y[te], m.predict_proba(X[te])[:, 1])
print(f"fit_s_median {np.median(walls):.3f}\ncpu_s_median {np.median(cpus):.3f}\ntest_auc {auc:.6f}")
