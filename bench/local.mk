# bench/: benchmark helpers, built on request (`make bench/open_bench`), never by make check.
EXTRA_PROGRAMS = bench/open_bench bench/engine_bench bench/hist_bench bench/cuts_bench \
	bench/mlp_bench bench/dgemm_bench bench/tui_bench bench/fisher_bench bench/embed_bench \
	bench/knn_bench bench/tsne_bench bench/umap_bench bench/corr_bench bench/bdt_bench
bench_engine_bench_SOURCES = bench/engine_bench.c
bench_engine_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(GSL_CFLAGS)
bench_engine_bench_LDADD = $(SESSIONS_LIBS) $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_open_bench_SOURCES = bench/open_bench.c
bench_open_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_open_bench_LDADD = $(SESSIONS_LIBS) $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_hist_bench_SOURCES = bench/hist_bench.c
bench_hist_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_cuts_bench_SOURCES = bench/cuts_bench.c
bench_cuts_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_cuts_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
# The data view's work on 1M events (bench/datav.sh).
EXTRA_PROGRAMS += bench/datav_bench
bench_datav_bench_SOURCES = bench/datav_bench.c
bench_datav_bench_CFLAGS = $(libhsui_a_CFLAGS)
bench_datav_bench_LDADD = libhsui.a $(SESSIONS_LIBS) $(PLOTS_LIBS) $(ENGINE_LIBS) $(NCURSES_LIBS) $(OPENMP_CFLAGS)
CLEANFILES += bench/datav_bench
EXTRA_DIST += bench/datav.sh
bench_mlp_bench_SOURCES = bench/mlp_bench.c
bench_mlp_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_mlp_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_dgemm_bench_SOURCES = bench/dgemm_bench.c
bench_dgemm_bench_CFLAGS = $(AM_CFLAGS) $(BLAS_CFLAGS) $(GSL_CFLAGS)
bench_dgemm_bench_LDADD = $(BLAS_LIBS) $(GSL_LIBS) $(OPENMP_CFLAGS)
bench_bdt_bench_SOURCES = bench/bdt_bench.c
bench_bdt_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_bdt_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_fisher_bench_SOURCES = bench/fisher_bench.c
bench_fisher_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_fisher_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_embed_bench_SOURCES = bench/embed_bench.c
bench_embed_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_embed_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_umap_bench_SOURCES = bench/umap_bench.c bench/embed_demo.h
bench_umap_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_umap_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_knn_bench_SOURCES = bench/knn_bench.c bench/embed_demo.h
bench_knn_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS) $(FLANN_CFLAGS)
bench_knn_bench_LDADD = $(ENGINE_LIBS) $(FLANN_LIBS) $(OPENMP_CFLAGS)
bench_tsne_bench_SOURCES = bench/tsne_bench.c bench/embed_demo.h
bench_tsne_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_tsne_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_corr_bench_SOURCES = bench/corr_bench.c
bench_corr_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
bench_tui_bench_SOURCES = bench/tui_bench.c
bench_tui_bench_CFLAGS = $(libhsui_a_CFLAGS)
bench_tui_bench_LDADD = libhsui.a $(SESSIONS_LIBS) $(PLOTS_LIBS) $(ENGINE_LIBS) $(NCURSES_LIBS) $(OPENMP_CFLAGS)
# The TUI's start, with tui_bench: in a line of its own.
EXTRA_DIST += bench/tui.sh
CLEANFILES += bench/open_bench bench/engine_bench bench/hist_bench bench/cuts_bench \
	bench/mlp_bench bench/dgemm_bench bench/tui_bench bench/fisher_bench bench/embed_bench \
	bench/knn_bench bench/tsne_bench bench/umap_bench bench/corr_bench
EXTRA_DIST += bench/bench_util.h bench/lib.sh bench/busy.sh bench/import.sh bench/open.sh bench/expr.sh bench/demo.sh bench/gen_csv.py bench/py_median.py \
	bench/RESULTS.md bench/hist.sh bench/plot.sh bench/plot_mpl.py bench/cpu.sh \
	bench/cuts.sh bench/cuts_numpy.py bench/bench_demo.h \
	bench/mlp.sh bench/mlp_sklearn.py bench/mlp_torch.py \
	bench/fisher.sh bench/fisher_sklearn.py bench/wide.sh bench/corr.sh bench/corr_numpy.py \
	bench/embed.sh bench/gmm.sh bench/kmeans.sh bench/pca.sh bench/embed_sklearn.py \
	bench/embed_demo.h bench/tsne.sh bench/tsne_sklearn.py bench/tsne_rtsne.R \
	bench/umap.sh bench/umap_learn.py bench/umap_uwot.R bench/umap_trust.py
# The t-SNE optimisation's cost per iteration on realistic maps (tsne_fft.c).
EXTRA_PROGRAMS += bench/tsne_iter_bench
bench_tsne_iter_bench_SOURCES = bench/tsne_iter_bench.c bench/embed_demo.h
bench_tsne_iter_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_tsne_iter_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)

# The autoencoder against PyTorch (bench/ae.sh).
EXTRA_DIST += bench/ae.sh bench/ae_torch.py

# The search engine's own cost per trial, training left out (bench/search.sh).
EXTRA_PROGRAMS += bench/search_bench
bench_search_bench_SOURCES = bench/search_bench.c
bench_search_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)

# The boosted trees against XGBoost's hist and scikit-learn's HistGradientBoosting.
CLEANFILES += bench/bdt_bench
EXTRA_DIST += bench/bdt.sh bench/bdt_peers.py

# TreeSHAP on XGBoost's trees (bench/shap.sh) and permutation importance
# (bench/permimp.sh).
EXTRA_PROGRAMS += bench/shap_bench
bench_shap_bench_SOURCES = bench/shap_bench.c bench/bench_demo.h
bench_shap_bench_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
bench_shap_bench_LDADD = $(ENGINE_LIBS) $(OPENMP_CFLAGS)
CLEANFILES += bench/shap_bench
EXTRA_DIST += bench/shap.sh bench/shap_xgb.py bench/permimp.sh
