# tests/roc.mk: unit tests of ROC curves and significances (src/roc.c,
# src/signif.c, src/delong.c) against brute-force counts and exact formulas,
# and of the column sort and frequency tables they and the data view share
# (src/colsort.c, src/freq.c).
if HAVE_CMOCKA
UNIT_ROC = tests/unit/test_roc tests/unit/test_signif tests/unit/test_delong \
	tests/unit/test_colsort tests/unit/test_freq
check_PROGRAMS += $(UNIT_ROC)
TESTS += $(UNIT_ROC)
tests_unit_test_roc_SOURCES = tests/unit/test_roc.c tests/unit/test_util.h
tests_unit_test_roc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_roc_LDADD = $(UNIT_LIBS)
tests_unit_test_signif_SOURCES = tests/unit/test_signif.c tests/unit/test_util.h
tests_unit_test_signif_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_signif_LDADD = $(UNIT_LIBS)
tests_unit_test_delong_SOURCES = tests/unit/test_delong.c tests/unit/test_util.h
tests_unit_test_delong_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_delong_LDADD = $(UNIT_LIBS)
tests_unit_test_colsort_SOURCES = tests/unit/test_colsort.c tests/unit/test_util.h
tests_unit_test_colsort_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_colsort_LDADD = $(UNIT_LIBS)
tests_unit_test_freq_SOURCES = tests/unit/test_freq.c tests/unit/test_util.h
tests_unit_test_freq_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_freq_LDADD = $(UNIT_LIBS)
endif
