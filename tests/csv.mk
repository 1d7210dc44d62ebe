# tests/csv.mk: unit tests of the number parser and the CSV reader.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_numparse tests/unit/test_csv tests/unit/test_csv_par
TESTS += tests/unit/test_numparse tests/unit/test_csv tests/unit/test_csv_par
tests_unit_test_numparse_SOURCES = tests/unit/test_numparse.c
tests_unit_test_numparse_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_numparse_LDADD = $(UNIT_LIBS)
tests_unit_test_csv_SOURCES = tests/unit/test_csv.c
tests_unit_test_csv_CFLAGS = $(UNIT_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_test_csv_LDADD = $(UNIT_LIBS)
tests_unit_test_csv_par_SOURCES = tests/unit/test_csv_par.c
tests_unit_test_csv_par_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_csv_par_LDADD = $(UNIT_LIBS)
endif
