"""Write a numeric CSV of N rows and C columns (seeded), for the benchmarks.

usage: gen_csv.py N C FILE
Values look like detector quantities: -1234.5678 to 1234.5678 with 7-8
significant digits, plus a 0/1 label in the last column.
"""
import sys

import numpy as np

n, c, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(12345)
data = rng.normal(0.0, 50.0, size=(n, c - 1)).round(5)
label = rng.integers(0, 2, size=(n, 1))
header = ",".join([f"x{i}" for i in range(c - 1)] + ["label"])
with open(path, "w") as f:
    f.write(header + "\n")
    np.savetxt(f, np.hstack([data, label]), delimiter=",", fmt=["%.8g"] * (c - 1) + ["%d"])
