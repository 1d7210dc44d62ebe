# tests/cutopt.mk: the cut optimiser against an exhaustive grid search.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_cutopt
TESTS += tests/unit/test_cutopt
tests_unit_test_cutopt_SOURCES = tests/unit/test_cutopt.c tests/unit/test_util.h
tests_unit_test_cutopt_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cutopt_LDADD = $(UNIT_LIBS)
endif

# The calibration on the validation rows: a hand-made problem worked out
# by hand, and brute-force recounts.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_cutopt_calib
TESTS += tests/unit/test_cutopt_calib
tests_unit_test_cutopt_calib_SOURCES = tests/unit/test_cutopt_calib.c tests/unit/test_util.h
tests_unit_test_cutopt_calib_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cutopt_calib_LDADD = $(UNIT_LIBS)
endif
