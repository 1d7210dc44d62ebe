# tests/embedcli.mk: the unit tests behind `project`, `cluster`, `select`
# and `plot scatter` (issue 14): the stratified subsample.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_subsample
TESTS += tests/unit/test_subsample
tests_unit_test_subsample_SOURCES = tests/unit/test_subsample.c
tests_unit_test_subsample_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_subsample_LDADD = $(UNIT_LIBS)
endif
