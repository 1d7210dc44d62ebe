# tests/embed.mk: unit tests of projections and clusterings (issue 14):
# the shared input step (src/embed_input.c) and, as they land, the methods.
if HAVE_CMOCKA
UNIT_EMBED = tests/unit/test_embed_input
check_PROGRAMS += $(UNIT_EMBED)
TESTS += $(UNIT_EMBED)
tests_unit_test_embed_input_SOURCES = tests/unit/test_embed_input.c tests/unit/test_util.h
tests_unit_test_embed_input_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_embed_input_LDADD = $(UNIT_LIBS)
endif
if HAVE_CMOCKA
UNIT_PCACLUST = tests/unit/test_pca
check_PROGRAMS += $(UNIT_PCACLUST)
TESTS += $(UNIT_PCACLUST)
tests_unit_test_pca_SOURCES = tests/unit/test_pca.c tests/unit/test_util.h tests/unit/test_pyref.h
tests_unit_test_pca_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pca_LDADD = $(UNIT_LIBS)
endif
