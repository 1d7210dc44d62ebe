# bench/shap_xgb.py: XGBoost's side of bench/shap.sh.
#
#   shap_xgb.py DEMO.csv WORKDIR TREES NEVENTS [REPS]
#
# Trains XGBoost hist (TREES trees, depth 6, learning rate 0.1, 255 bins,
# no subsampling) on the demo's training part, dumps the trees with
# booster.trees_to_dataframe() into WORKDIR/trees.csv (one node a line:
# tree,node,feature,split,yes,no,missing_left,value,cover,gain; a leaf's
# feature is -1 and its value the dataframe's Gain column), writes the
# first NEVENTS test events as float64 (the float32 values XGBoost sees)
# to WORKDIR/x.bin, times predict(pred_contribs=True) on them with
# nthread 2 and 1 (wall and CPU seconds, median of REPS, 3) and writes the
# contributions (NEVENTS x (inputs + 1), the bias last) to
# WORKDIR/contribs.bin.  Prints "key value" lines.
import json
import math
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb

demo, work, ntrees, nev = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
reps = int(sys.argv[5]) if len(sys.argv) > 5 else 3
df = pd.read_csv(demo)
feat = [c for c in df.columns if c not in ("label", "part")]
X = df[feat].to_numpy(np.float32)
y = df["label"].to_numpy()
part = df["part"].to_numpy()
tr = part == 0
m = xgb.XGBClassifier(tree_method="hist", n_estimators=ntrees, max_depth=6, learning_rate=0.1,
                      max_bin=255, subsample=1.0, colsample_bytree=1.0, n_jobs=2)
t0 = time.time()
m.fit(X[tr], y[tr])
print("xgb_train_s %.2f" % (time.time() - t0))
b = m.get_booster()
cfg = json.loads(b.save_config())
base_score = float(cfg["learner"]["learner_model_param"]["base_score"])
print("base_score %r" % base_score)
print("base_margin %r" % math.log(base_score / (1 - base_score)))
print("inputs %d" % len(feat))

t = b.trees_to_dataframe()
def node_of(s):
    return -1 if not isinstance(s, str) else int(s.split("-")[1])
with open(work + "/trees.csv", "w") as f:
    f.write("tree,node,feature,split,yes,no,missing_left,value,cover,gain\n")
    for r in t.itertuples(index=False):
        leaf = r.Feature == "Leaf"
        fi = -1 if leaf else int(r.Feature[1:])
        yes, no, mis = node_of(r.Yes), node_of(r.No), node_of(r.Missing)
        f.write("%d,%d,%d,%r,%d,%d,%d,%r,%r,%r\n" % (
            r.Tree, r.Node, fi, 0.0 if leaf else float(r.Split), yes, no,
            1 if (not leaf and mis == yes) else 0,
            float(r.Gain) if leaf else 0.0, float(r.Cover), 0.0 if leaf else float(r.Gain)))

test = np.flatnonzero(part == 2)[:nev]
Xt = X[test]
Xt.astype(np.float64).tofile(work + "/x.bin")
dm = xgb.DMatrix(Xt)
for nth in (2, 1):
    b.set_param({"nthread": nth})
    walls, cpus = [], []
    for _ in range(reps):
        w0, c0 = time.time(), time.process_time()
        c = b.predict(dm, pred_contribs=True)
        walls.append(time.time() - w0)
        cpus.append(time.process_time() - c0)
    print("xgb_contribs_wall_s_%d %.3f" % (nth, sorted(walls)[len(walls) // 2]))
    print("xgb_contribs_cpu_s_%d %.3f" % (nth, sorted(cpus)[len(cpus) // 2]))
c.astype(np.float64).tofile(work + "/contribs.bin")
margin = b.predict(dm, output_margin=True)
margin.astype(np.float64).tofile(work + "/margin.bin")
print("events %d" % len(test))
