# bench/umap_uwot.R: uwot's umap() on the rows of X.csv (no header), for
# bench/umap.sh.
#
#   Rscript umap_uwot.R X.csv LAYOUT.csv RUNS
#
# uwot's defaults (15 neighbours, min_dist 0.1, spectral start, Annoy
# neighbours above 4,096 rows) with two threads for the neighbours and the
# optimisation (n_sgd_threads = 2).  Prints "run_s S" and "run_cpu_s S"
# (every thread's CPU) per call, "seconds_median S" and "cpu_median S"; LAYOUT.csv gets the last layout.
suppressPackageStartupMessages(library(uwot))
args <- commandArgs(trailingOnly = TRUE)
X <- as.matrix(read.csv(args[1], header = FALSE))
runs <- as.integer(args[3])
times <- numeric(runs)
cpus <- numeric(runs)
for (r in seq_len(runs)) {
    st <- system.time(Y <- umap(X, n_threads = 2, n_sgd_threads = 2))
    times[r] <- st[["elapsed"]]
    cpus[r] <- st[["user.self"]] + st[["sys.self"]]
    cat(sprintf("run_s %.4f\nrun_cpu_s %.4f\n", times[r], cpus[r]))
}
cat(sprintf("seconds_median %.4f\ncpu_median %.4f\n", median(times), median(cpus)))
write.table(format(Y, digits = 9), args[2], sep = ",", row.names = FALSE, col.names = FALSE,
            quote = FALSE)
