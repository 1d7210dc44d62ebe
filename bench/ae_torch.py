"""bench/ae_torch.py: PyTorch on the CPU, the peer of bench/ae.sh.

    ae_torch.py EVENTS.csv SCORES.csv FEATURES EPOCHS THREADS SEED

EVENTS.csv (`hepscope export --features`) holds the inputs, SCORES.csv
(`hepscope score`) the label and the part of each event.  The inputs
FEATURES (a comma list) are standardised with the mean and standard
deviation (divisor n) of the training part's background, as hepscope
does; an autoencoder of the same shape (19 -> 32 -> 16 -> 4 linear -> 16
-> 32 -> 19, relu, nn.Linear's initialisation) is trained on those rows
with MSELoss, Adam lr 1e-3, batch 256 from a shuffled DataLoader, EPOCHS
epochs, float32 (PyTorch's default), torch.set_num_threads(THREADS).  The
anomaly score of every test event is its reconstruction's mean squared
error; its AUC against the label comes from scikit-learn.  Prints "key
value" lines: the training's CPU seconds (process time) and wall seconds,
the final training loss and the test AUC.
"""
import csv
import sys
import time

import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def main():
    evf, scf, feats, epochs, threads, seed = sys.argv[1:7]
    epochs, threads, seed = int(epochs), int(threads), int(seed)
    feat = feats.split(",")
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    with open(evf) as f:
        rows = csv.DictReader(f)
        x = np.array([[float(r[c]) if r[c] != "" else np.nan for c in feat] for r in rows])
    with open(scf) as f:
        sc = list(csv.DictReader(f))
    label = np.array([float(r["label"]) for r in sc])
    part = np.array([r["part"] for r in sc])
    tr = (part == "train") & (label == 0)
    te = part == "test"
    mean = np.nanmean(x[tr], axis=0)
    sd = np.nanstd(x[tr], axis=0)
    sd[~(sd > 0)] = 1
    s = (x - mean) / sd
    s[np.isnan(s)] = 0
    nin = s.shape[1]
    net = nn.Sequential(nn.Linear(nin, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(),
                        nn.Linear(16, 4), nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 32),
                        nn.ReLU(), nn.Linear(32, nin))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    lossf = nn.MSELoss()
    xt = torch.from_numpy(s[tr].astype(np.float32))
    loader = DataLoader(TensorDataset(xt), batch_size=256, shuffle=True)
    c0, w0 = time.process_time(), time.perf_counter()
    for _ in range(epochs):
        tot, cnt = 0.0, 0
        for (b,) in loader:
            opt.zero_grad()
            loss = lossf(net(b), b)
            loss.backward()
            opt.step()
            tot += loss.item() * len(b)
            cnt += len(b)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    with torch.no_grad():
        xe = torch.from_numpy(s[te].astype(np.float32))
        score = ((net(xe) - xe) ** 2).mean(dim=1).numpy()
    print("train_events %d" % len(xt))
    print("train_cpu_s %.3f" % cpu)
    print("train_wall_s %.3f" % wall)
    print("final_loss %.5f" % (tot / cnt))
    print("test_auc %.5f" % roc_auc_score(label[te], score))


if __name__ == "__main__":
    main()
