# tests/fisher.mk: Fisher's linear discriminant (src/fisher.c,
# src/fisher_io.c) against closed forms and a solve written in the test,
# singular and shrunk covariances, cancel and allocation failures, every
# truncated or corrupted stored model, and the C export compiled with cc.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_fisher
TESTS += tests/unit/test_fisher
tests_unit_test_fisher_SOURCES = tests/unit/test_fisher.c tests/unit/test_util.h
tests_unit_test_fisher_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_fisher_LDADD = $(UNIT_LIBS)
endif
