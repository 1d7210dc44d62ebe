# tests/embed.mk: unit tests of projections and clusterings (issue 14):
# the shared input step (src/embed_input.c) and, as they land, the methods.
if HAVE_CMOCKA
UNIT_EMBED = tests/unit/test_embed_input tests/unit/test_knn
check_PROGRAMS += $(UNIT_EMBED)
TESTS += $(UNIT_EMBED)
tests_unit_test_embed_input_SOURCES = tests/unit/test_embed_input.c tests/unit/test_util.h
tests_unit_test_embed_input_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_embed_input_LDADD = $(UNIT_LIBS)
tests_unit_test_knn_SOURCES = tests/unit/test_knn.c tests/unit/test_util.h
tests_unit_test_knn_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_knn_LDADD = $(UNIT_LIBS)
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
