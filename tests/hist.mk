# tests/hist.mk: histograms (src/hist.c).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_hist
TESTS += tests/unit/test_hist
tests_unit_test_hist_SOURCES = tests/unit/test_hist.c tests/unit/test_util.h
tests_unit_test_hist_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_hist_LDADD = $(UNIT_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_orderstat
TESTS += tests/unit/test_orderstat
tests_unit_test_orderstat_SOURCES = tests/unit/test_orderstat.c
tests_unit_test_orderstat_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_orderstat_LDADD = $(UNIT_LIBS)
endif
