# tests/results.mk: unit tests of the session's analysis results
# (sessions/results.c: splits and cut sets, schema version 3).
if HAVE_CMOCKA
RESULTS_TESTS = tests/unit/test_sess_results
check_PROGRAMS += $(RESULTS_TESTS)
TESTS += $(RESULTS_TESTS)
tests_unit_test_sess_results_SOURCES = tests/unit/test_sess_results.c tests/unit/test_sess_oom.h tests/unit/test_sess_raw.h tests/unit/test_sess_util.h
tests_unit_test_sess_results_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_results_LDADD = $(UNIT_LIBS)
endif
