"""bench/mlp_sklearn.py: scikit-learn's MLPClassifier, a peer of
bench/mlp.sh.

    mlp_sklearn.py DATA.csv EPOCHS RUNS

DATA.csv (from bench/mlp_bench) holds the inputs, the label and the part
(0 train, 1 validation, 2 test).  The inputs are standardised with the
training part's mean and standard deviation (as hepscope does), then RUNS
networks (random_state 0, 1, ...) of 64,64 relu, Adam lr 1e-3, batch 256,
shuffled, are trained for EPOCHS epochs on the training part, one
partial_fit call per epoch (one pass over the data, the Adam state kept)
so that each epoch is timed on its own; no early stopping, no validation.

L2: scikit-learn adds alpha * W / batch to each batch's gradient (its
penalty is alpha/2 ||W||^2 divided by the number of samples of the
batch), hepscope and PyTorch's weight_decay add l2 * W.  alpha = 1e-4 *
256 = 0.0256 gives the same penalty per step (the last, shorter batch of
an epoch aside); ALPHA in the environment overrides it.

Threads: BLAS threads come from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS,
set by bench/mlp.sh.  Prints "key value" lines: the time of every epoch,
their median, and the test AUC of every run and their median.
"""
import os
import sys
import time
import warnings

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier


def load(path):
    """Standardised training and test inputs and labels."""
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x, label, part = data[:, :-2], data[:, -2], data[:, -1].astype(int)
    tr, te = part == 0, part == 2
    mean = x[tr].mean(axis=0)
    sd = x[tr].std(axis=0)
    sd[sd == 0] = 1
    x = (x - mean) / sd
    return (np.ascontiguousarray(x[tr]), label[tr].astype(int),
            np.ascontiguousarray(x[te]), label[te].astype(int))


def main():
    path, epochs, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    alpha = float(os.environ.get("ALPHA", 1e-4 * 256))
    t0 = time.perf_counter()
    xtr, ytr, xte, yte = load(path)
    print("load_s %.3f" % (time.perf_counter() - t0))
    print("train_events %d\ntest_events %d\ninputs %d\nalpha %g" % (
        len(ytr), len(yte), xtr.shape[1], alpha))
    times, aucs = [], []
    for r in range(runs):
        clf = MLPClassifier(hidden_layer_sizes=(64, 64), activation="relu", solver="adam",
                            alpha=alpha, batch_size=256, learning_rate_init=1e-3,
                            shuffle=True, random_state=np.random.RandomState(r),
                            early_stopping=False, tol=0.0, n_iter_no_change=1000000,
                            max_iter=epochs, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
        run_times = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for e in range(epochs):
                t0 = time.perf_counter()
                clf.partial_fit(xtr, ytr, classes=[0, 1])
                run_times.append(time.perf_counter() - t0)
                print("  sklearn run %d epoch %d: %.3f s, loss %.5f" % (
                    r, e + 1, run_times[-1], clf.loss_), file=sys.stderr, flush=True)
        auc = roc_auc_score(yte, clf.predict_proba(xte)[:, 1])
        times += run_times
        aucs.append(auc)
        print("run %d epoch_s %s loss %.6f test_auc %.6f" % (
            r, " ".join("%.3f" % t for t in run_times), clf.loss_, auc), flush=True)
    print("epoch_s_median %.4f" % np.median(times))
    print("test_auc_median %.6f" % np.median(aucs))


if __name__ == "__main__":
    main()
