# tests/expr.mk: the expression language (src/expr*.c): unit tests, and the
# libFuzzer target for its compiler and evaluator with, as tests/fuzz.mk
# explains, a replay of its seeds (tests/fuzz/corpus/expr/) in make check:
#   ./configure CC=clang --enable-fuzzing && make tests/fuzz/fuzz_expr
#   mkdir new && tests/fuzz/fuzz_expr -dict=$(top_srcdir)/tests/fuzz/expr.dict \
#       -max_total_time=60 new tests/fuzz/corpus/expr
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_expr
TESTS += tests/unit/test_expr
tests_unit_test_expr_SOURCES = tests/unit/test_expr.c
tests_unit_test_expr_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_expr_LDADD = $(UNIT_LIBS)
endif

EXTRA_DIST += tests/fuzz/expr.dict

if ENABLE_FUZZING
check_PROGRAMS += tests/fuzz/fuzz_expr
FUZZ_TARGETS += tests/fuzz/fuzz_expr
tests_fuzz_fuzz_expr_SOURCES = tests/fuzz/fuzz_expr.c
tests_fuzz_fuzz_expr_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_expr_LDFLAGS = $(FUZZ_FLAGS) $(OPENMP_CFLAGS)
tests_fuzz_fuzz_expr_LDADD = $(FUZZ_LIBS)
endif

check_PROGRAMS += tests/fuzz/fuzz_expr_replay
TESTS += tests/fuzz/fuzz_expr_replay
tests_fuzz_fuzz_expr_replay_SOURCES = tests/fuzz/fuzz_expr.c tests/fuzz/replay_main.c
tests_fuzz_fuzz_expr_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"expr"'
tests_fuzz_fuzz_expr_replay_LDADD = $(ENGINE_LIBS)
tests_fuzz_fuzz_expr_replay_LDFLAGS = $(OPENMP_CFLAGS)
