# tests/embed.mk: unit tests of projections and clusterings (issue 14):
# the shared input step (src/embed_input.c) and, as they land, the methods.
if HAVE_CMOCKA
UNIT_EMBED = tests/unit/test_embed_input tests/unit/test_knn tests/unit/test_trust \
	tests/unit/test_tsne
check_PROGRAMS += $(UNIT_EMBED)
TESTS += $(UNIT_EMBED)
tests_unit_test_embed_input_SOURCES = tests/unit/test_embed_input.c tests/unit/test_util.h
tests_unit_test_embed_input_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_embed_input_LDADD = $(UNIT_LIBS)
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
