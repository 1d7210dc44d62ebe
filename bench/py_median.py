"""Time a Python statement in-process (after its imports), print the median in ms.

usage: py_median.py REPS SETUP STATEMENT
The peers are timed inside a warm interpreter, as a notebook user runs them,
so interpreter and library start-up are not counted against them.
"""
import statistics
import sys
import time

reps, setup, stmt = int(sys.argv[1]), sys.argv[2], sys.argv[3]
env = {}
exec(setup, env)
times = []
for _ in range(reps):
    t0 = time.perf_counter()
    exec(stmt, env)
    times.append((time.perf_counter() - t0) * 1000)
print(f"{statistics.median(times):.1f}")
