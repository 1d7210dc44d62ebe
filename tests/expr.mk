# tests/expr.mk: the expression language (src/expr*.c): unit tests, and the
# libFuzzer target for its parser with a replay of its corpus in make check.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_expr
TESTS += tests/unit/test_expr
tests_unit_test_expr_SOURCES = tests/unit/test_expr.c
tests_unit_test_expr_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_expr_LDADD = $(UNIT_LIBS)
endif
