# src/: the engine.  GSL, BLAS, FFTW, OpenMP, pthreads, zlib and libc only.
noinst_LIBRARIES += libhsengine.a
libhsengine_a_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS) $(BLAS_CFLAGS) $(ZLIB_CFLAGS) $(FFTW_CFLAGS)
libhsengine_a_SOURCES = \
	src/err.c src/err.h \
	src/mem.c src/mem.h \
	src/task.h \
	src/numparse.c src/numparse.h \
	src/numround.c src/numround.h \
	src/sortkey.h \
	src/orderstat.c src/orderstat.h \
	src/colsort.c src/colsort.h src/freq.c src/freq.h \
	src/table.c src/table.h src/table_lazy.c \
	src/csv.c src/csv.h src/csv_impl.h src/csv_input.c src/csv_par.c src/csv_text.c src/numparse_fast.h \
	src/stats.c src/stats.h \
	src/embed_input.c src/embed_input.h \
	src/subsample.c src/subsample.h \
	src/rowpass.c src/rowpass.h src/starts.c src/starts.h src/simd_clones.h src/pca.c src/pca.h \
	src/kmeans.c src/kmeans.h src/gmm.c src/gmm.h src/clusterq.c src/clusterq.h \
	src/featstats.c src/featstats.h \
	src/fourvec.c src/fourvec.h \
	src/names.c src/names.h src/nameidx.c src/nameidx.h \
	src/featureset.c src/featureset.h \
	src/expr.h src/expr_int.h src/expr_lex.c src/expr_parse.c src/expr_eval.c \
	src/sim.c src/sim.h src/sim_kin.h src/sim_rng.c src/sim_decay.c src/sim_event.c src/sim_bkg.c \
	src/hist.c src/hist.h \
	src/split.c src/split.h \
	src/cuts.c src/cuts_export.c src/cuts.h \
	src/rowsel.c src/rowsel.h \
	src/cutopt.c src/cutopt.h src/cutopt_search.c src/cutopt_int.h \
	src/roc.c src/roc.h src/roc_int.h \
	src/signif.c src/signif.h \
	src/rng.h src/simd.h \
	src/bytes.c src/bytes.h src/strbuf.c src/strbuf.h src/cexport.c src/cexport.h \
	src/method.c src/method.h src/methods.c src/model.c src/model.h \
	src/par.c src/par.h \
	src/mlp.c src/mlp_int.h src/mlp_train.c src/mlp_io.c src/mlp_method.c src/mlp.h \
	src/fisher.c src/fisher_io.c src/fisher.h src/gram.c src/gram.h \
	src/bdt.c src/bdt.h src/bdt_int.h src/bdt_bin.c src/bdt_grow.c src/bdt_io.c \
	src/forest.c src/forest.h \
	src/hpsearch.c src/hpsearch_space.c src/hpsearch.h \
	src/forest.c src/forest.h src/treeshap.c src/treeshap.h src/importance.c src/importance.h \
	src/ks.c src/ks.h \
	src/eval.c src/eval.h src/groups.c src/groups.h \
	src/delong.c src/delong.h \
	src/knn.c src/knn.h src/knn_tree.c src/knn_tree.h src/knn_approx.c \
	src/tsne.h src/tsne_affin.c src/tsne_bh.c src/tsne_fft.c src/tsne_opt.c src/tsne_method.c \
	src/trust.c src/trust.h \
	src/spectral.c src/spectral.h \
	src/umap.h src/umap_graph.c src/umap_ab.c src/umap_init.c src/umap_sgd.c src/umap_method.c

# What the engine links against, for every build of it (the fuzz targets'
# too: tests/fuzz.mk).
ENGINE_DEPS = $(GSL_LIBS) $(BLAS_LIBS) $(ZLIB_LIBS) $(FFTW_LIBS) $(PTHREAD_LIBS) $(LIBS)
ENGINE_LIBS = libhsengine.a $(ENGINE_DEPS)

# k-means++ and the blocked distances in files of their own.
libhsengine_a_SOURCES += src/kmeans_blk.c src/kmeans_blk.h src/kmeans_pp.c src/kmeans_pp.h

# the fits over a range of K (the cluster command's engine work).
libhsengine_a_SOURCES += src/cluster_range.c src/cluster_range.h

# t-SNE's similarities on compact neighbour lists
libhsengine_a_SOURCES += src/tsne_affin.h

# t-SNE: the kernels' split (far part on a coarse grid, near pairs from a cell list).
libhsengine_a_SOURCES += src/tsne_split.c

# The rapidity-mass matrix of Chekanov as derived features.
libhsengine_a_SOURCES += src/rmm.c src/rmm.h
# The autoencoder anomaly score (the MLP with a reconstruction head).
libhsengine_a_SOURCES += src/ae.c src/ae.h
