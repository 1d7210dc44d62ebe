# tests/rmm.mk: the rapidity-mass matrix (src/rmm.c): its cells evaluated
# on hand-made events against the paper's formulas written in the test,
# and `feature rmm` on made and CMS four-lepton events against numpy.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_rmm
TESTS += tests/unit/test_rmm
tests_unit_test_rmm_SOURCES = tests/unit/test_rmm.c
tests_unit_test_rmm_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rmm_LDADD = $(UNIT_LIBS)
endif

TESTS += tests/cli/rmm.sh
EXTRA_DIST += tests/cli/rmm.sh
