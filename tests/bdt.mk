# tests/bdt.mk: the boosted trees (src/bdt*.c) against brute-force splits,
# leaf values and weights computed in the test, early stopping, the
# negative-weight policies, the same bytes at every thread count, every
# damaged stored model refused and the C export compiled with cc; and on
# the CLI against scikit-learn's HistGradientBoostingClassifier.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_bdt
TESTS += tests/unit/test_bdt
tests_unit_test_bdt_SOURCES = tests/unit/test_bdt.c tests/unit/test_util.h tests/unit/test_export.h
tests_unit_test_bdt_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_bdt_LDADD = $(UNIT_LIBS)
endif

TESTS += tests/cli/bdt.sh
EXTRA_DIST += tests/cli/bdt.sh
