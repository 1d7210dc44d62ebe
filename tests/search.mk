# tests/search.mk: hyperparameter search (src/hpsearch*.c): the space
# parser, draws against their laws, TPE against random search over a fixed
# set of seeds, successive halving's rungs; and `hepscope search` on the
# demo (tests/cli/search.sh).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_hpsearch
TESTS += tests/unit/test_hpsearch
tests_unit_test_hpsearch_SOURCES = tests/unit/test_hpsearch.c tests/unit/test_util.h
tests_unit_test_hpsearch_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_hpsearch_LDADD = $(UNIT_LIBS)
endif

TESTS += tests/cli/search.sh
EXTRA_DIST += tests/cli/search.sh
