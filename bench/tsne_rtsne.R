# bench/tsne_rtsne.R IN.csv OUT.csv: Rtsne (van der Maaten's bhtsne:
# Barnes-Hut, theta 0.5, perplexity 30, 1000 iterations, exaggeration 12
# for 250) on the inputs of IN.csv (all columns but the last), as given
# (already standardised: no PCA step, no rescaling), both threads; prints
# "seconds S" and writes the embedding to OUT.csv.
suppressMessages(library(Rtsne))
a <- commandArgs(trailingOnly = TRUE)
d <- as.matrix(read.csv(a[1]))
x <- d[, -ncol(d)]
set.seed(0)
t0 <- proc.time()[["elapsed"]]
r <- Rtsne(x, dims = 2, perplexity = 30, theta = 0.5, pca = FALSE, normalize = FALSE,
           max_iter = 1000, check_duplicates = FALSE, num_threads = 2)
cat(sprintf("seconds %.3f\n", proc.time()[["elapsed"]] - t0))
cat(sprintf("kl %.4f\n", r$itercosts[length(r$itercosts)]))
write.table(r$Y, a[2], sep = ",", row.names = FALSE, col.names = c("y1", "y2"))
