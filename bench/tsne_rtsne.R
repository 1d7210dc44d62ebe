# bench/tsne_rtsne.R IN.csv OUT.csv: Rtsne (van der Maaten's bhtsne:
# Barnes-Hut, theta 0.5, perplexity 30, 1000 iterations, exaggeration 12
# for 250) on the inputs of IN.csv (all columns but the last), as given
# (already standardised: no PCA step, no rescaling), both threads; prints
# "seconds S" (wall), "cpu C" (CPU time) and writes the embedding to OUT.csv.
suppressMessages(library(Rtsne))
a <- commandArgs(trailingOnly = TRUE)
d <- as.matrix(read.csv(a[1]))
x <- d[, -ncol(d)]
set.seed(0)
p0 <- proc.time()
r <- Rtsne(x, dims = 2, perplexity = 30, theta = 0.5, pca = FALSE, normalize = FALSE,
           max_iter = 1000, check_duplicates = FALSE, num_threads = 2)
p1 <- proc.time() - p0
cat(sprintf("seconds %.3f\ncpu %.3f\n", p1[["elapsed"]], p1[["user.self"]] + p1[["sys.self"]]))
cat(sprintf("kl %.4f\n", r$itercosts[length(r$itercosts)]))
write.table(r$Y, a[2], sep = ",", row.names = FALSE, col.names = c("y1", "y2"))
