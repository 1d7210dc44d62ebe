# tests/embed.mk: unit tests of projections and clusterings (issue 14):
# the shared input step (src/embed_input.c) and the methods.
if HAVE_CMOCKA
UNIT_EMBED = tests/unit/test_embed_input tests/unit/test_pca tests/unit/test_kmeans \
	tests/unit/test_gmm tests/unit/test_clusterq tests/unit/test_knn tests/unit/test_trust \
	tests/unit/test_tsne tests/unit/test_starts
check_PROGRAMS += $(UNIT_EMBED)
TESTS += $(UNIT_EMBED)
EMBED_TEST_INCL = tests/unit/test_util.h tests/unit/test_pyref.h tests/unit/test_fit.h
tests_unit_test_starts_SOURCES = tests/unit/test_starts.c
tests_unit_test_starts_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_starts_LDADD = $(UNIT_LIBS)
tests_unit_test_embed_input_SOURCES = tests/unit/test_embed_input.c tests/unit/test_util.h
tests_unit_test_embed_input_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_embed_input_LDADD = $(UNIT_LIBS)
tests_unit_test_pca_SOURCES = tests/unit/test_pca.c $(EMBED_TEST_INCL)
tests_unit_test_pca_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pca_LDADD = $(UNIT_LIBS)
tests_unit_test_kmeans_SOURCES = tests/unit/test_kmeans.c $(EMBED_TEST_INCL)
tests_unit_test_kmeans_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kmeans_LDADD = $(UNIT_LIBS)
tests_unit_test_gmm_SOURCES = tests/unit/test_gmm.c $(EMBED_TEST_INCL)
tests_unit_test_gmm_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_gmm_LDADD = $(UNIT_LIBS)
tests_unit_test_clusterq_SOURCES = tests/unit/test_clusterq.c $(EMBED_TEST_INCL)
tests_unit_test_clusterq_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_clusterq_LDADD = $(UNIT_LIBS)
tests_unit_test_knn_SOURCES = tests/unit/test_knn.c tests/unit/test_util.h
tests_unit_test_knn_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_knn_LDADD = $(UNIT_LIBS)
tests_unit_test_trust_SOURCES = tests/unit/test_trust.c tests/unit/test_util.h
tests_unit_test_trust_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_trust_LDADD = $(UNIT_LIBS)
tests_unit_test_tsne_SOURCES = tests/unit/test_tsne.c tests/unit/test_util.h
tests_unit_test_tsne_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_tsne_LDADD = $(UNIT_LIBS)
endif
if HAVE_CMOCKA
UNIT_UMAP = tests/unit/test_spectral tests/unit/test_umap
check_PROGRAMS += $(UNIT_UMAP)
TESTS += $(UNIT_UMAP)
tests_unit_test_spectral_SOURCES = tests/unit/test_spectral.c tests/unit/test_util.h
tests_unit_test_spectral_CFLAGS = $(UNIT_CFLAGS) $(GSL_CFLAGS)
tests_unit_test_spectral_LDADD = $(UNIT_LIBS)
tests_unit_test_umap_SOURCES = tests/unit/test_umap.c tests/unit/test_util.h
tests_unit_test_umap_CFLAGS = $(UNIT_CFLAGS) $(GSL_CFLAGS)
tests_unit_test_umap_LDADD = $(UNIT_LIBS)
endif
# kmeans: the fits over a range of K (src/cluster_range.c).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_cluster_range
TESTS += tests/unit/test_cluster_range
tests_unit_test_cluster_range_SOURCES = tests/unit/test_cluster_range.c tests/unit/test_mixture.h \
	$(EMBED_TEST_INCL)
tests_unit_test_cluster_range_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cluster_range_LDADD = $(UNIT_LIBS)
endif
