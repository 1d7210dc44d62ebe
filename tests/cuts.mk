# tests/cuts.mk: the split, the cut sets and selections (src/split.c,
# src/cuts*.c, src/rowsel.c): unit
# tests, and the libFuzzer target of the range parser and the exports, whose
# seeds replay in make check (see tests/fuzz.mk).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_split tests/unit/test_cuts tests/unit/test_rowsel
TESTS += tests/unit/test_split tests/unit/test_cuts tests/unit/test_rowsel
tests_unit_test_split_SOURCES = tests/unit/test_split.c
tests_unit_test_split_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_split_LDADD = $(UNIT_LIBS)
tests_unit_test_cuts_SOURCES = tests/unit/test_cuts.c
tests_unit_test_cuts_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cuts_LDADD = $(UNIT_LIBS)
tests_unit_test_rowsel_SOURCES = tests/unit/test_rowsel.c
tests_unit_test_rowsel_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rowsel_LDADD = $(UNIT_LIBS)
endif
