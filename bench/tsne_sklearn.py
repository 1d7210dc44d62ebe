"""bench/tsne_sklearn.py IN.csv OUT.csv: scikit-learn's TSNE (Barnes-Hut,
theta 0.5, perplexity 30, PCA start, learning rate 'auto', 1000
iterations, every CPU) on the inputs of IN.csv (all columns but the last,
the label); prints "seconds S" (wall), "cpu C" (CPU time of all threads) and writes the embedding to OUT.csv."""
import sys
import time

import numpy as np
from sklearn.manifold import TSNE

x = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)[:, :-1]
t0, c0 = time.time(), time.process_time()
kw = dict(n_components=2, perplexity=30.0, init="pca", learning_rate="auto",
          method="barnes_hut", angle=0.5, random_state=0, n_jobs=-1)
try:
    tsne = TSNE(max_iter=1000, **kw)
except TypeError:  # scikit-learn before 1.5 names it n_iter
    tsne = TSNE(n_iter=1000, **kw)
y = tsne.fit_transform(x)
print("seconds %.3f" % (time.time() - t0))
print("cpu %.3f" % (time.process_time() - c0))
print("kl %.4f" % tsne.kl_divergence_)
np.savetxt(sys.argv[2], y, delimiter=",", header="y1,y2", comments="")
