"""bench/mlp_torch.py: PyTorch on the CPU, a peer of bench/mlp.sh.

    mlp_torch.py DATA.csv EPOCHS RUNS THREADS [LOOP [DTYPE]]

DATA.csv (from bench/mlp_bench) holds the inputs, the label and the part
(0 train, 1 validation, 2 test).  The inputs are standardised with the
training part's mean and standard deviation (as hepscope does), then RUNS
networks (torch.manual_seed 0, 1, ...) of 64,64 relu (nn.Linear's default
initialisation), one output logit with BCEWithLogitsLoss, Adam lr 1e-3
(betas 0.9, 0.999, eps 1e-8) with weight_decay 1e-4 on the weights only
(hepscope's L2 leaves the biases alone too), are trained for EPOCHS epochs
with torch.set_num_threads(THREADS).

LOOP "loader" (the default, the benchmark's peer): the plain loop a user
writes, a DataLoader over a TensorDataset, batch 256, shuffled.  "lean":
the same steps over slices of a shuffled copy of the tensors, without the
DataLoader's per-sample indexing and collation (PyTorch's best case).
DTYPE float32 (PyTorch's default) or float64 (hepscope's precision).
Prints "key value" lines as bench/mlp_sklearn.py does.
"""
import sys
import time

import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def load(path):
    """Standardised training and test inputs and labels."""
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x, label, part = data[:, :-2], data[:, -2], data[:, -1].astype(int)
    tr, te = part == 0, part == 2
    mean = x[tr].mean(axis=0)
    sd = x[tr].std(axis=0)
    sd[sd == 0] = 1
    x = (x - mean) / sd
    return (np.ascontiguousarray(x[tr]), label[tr],
            np.ascontiguousarray(x[te]), label[te].astype(int))


def network(nin, dtype):
    return nn.Sequential(nn.Linear(nin, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1)).to(dtype)


def main():
    path, epochs, runs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    loop = sys.argv[5] if len(sys.argv) > 5 else "loader"
    dtype = {"float32": torch.float32, "float64": torch.float64}[
        sys.argv[6] if len(sys.argv) > 6 else "float32"]
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    xtr, ytr, xte, yte = load(path)
    print("load_s %.3f" % (time.perf_counter() - t0))
    print("train_events %d\ntest_events %d\ninputs %d\nthreads %d\nloop %s\ndtype %s" % (
        len(ytr), len(yte), xtr.shape[1], torch.get_num_threads(), loop, dtype))
    xtr_t = torch.from_numpy(xtr).to(dtype)
    ytr_t = torch.from_numpy(ytr).to(dtype)
    xte_t = torch.from_numpy(xte).to(dtype)
    times, aucs = [], []
    for r in range(runs):
        torch.manual_seed(r)
        model = network(xtr.shape[1], dtype)
        weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
        biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
        opt = torch.optim.Adam([{"params": weights, "weight_decay": 1e-4},
                                {"params": biases, "weight_decay": 0.0}],
                               lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
        lossf = nn.BCEWithLogitsLoss()
        gen = torch.Generator()
        gen.manual_seed(r)
        loader = DataLoader(TensorDataset(xtr_t, ytr_t), batch_size=256, shuffle=True,
                            generator=gen)
        run_times = []
        for e in range(epochs):
            model.train()
            t0 = time.perf_counter()
            total, count = 0.0, 0
            if loop == "loader":
                batches = loader
            else:
                perm = torch.randperm(len(ytr_t), generator=gen)
                xs, ys = xtr_t[perm], ytr_t[perm]
                batches = ((xs[i:i + 256], ys[i:i + 256]) for i in range(0, len(ys), 256))
            for xb, yb in batches:
                opt.zero_grad()
                loss = lossf(model(xb).squeeze(1), yb)
                loss.backward()
                opt.step()
                total += loss.item() * len(yb)
                count += len(yb)
            run_times.append(time.perf_counter() - t0)
            print("  torch run %d epoch %d: %.3f s, loss %.5f" % (
                r, e + 1, run_times[-1], total / count), file=sys.stderr, flush=True)
        model.eval()
        with torch.no_grad():
            score = torch.sigmoid(model(xte_t).squeeze(1)).double().numpy()
        auc = roc_auc_score(yte, score)
        times += run_times
        aucs.append(auc)
        print("run %d epoch_s %s loss %.6f test_auc %.6f" % (
            r, " ".join("%.3f" % t for t in run_times), total / count, auc), flush=True)
    print("epoch_s_median %.4f" % np.median(times))
    print("test_auc_median %.6f" % np.median(aucs))


if __name__ == "__main__":
    main()
