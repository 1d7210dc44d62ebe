# tests/fuzz.mk: libFuzzer targets, and their replay in make check.
#
# The real fuzzer needs clang and its libFuzzer:
#   ./configure CC=clang --enable-fuzzing && make tests/fuzz/fuzz_csv
#   tests/fuzz/fuzz_csv -max_total_time=60 tests/fuzz/corpus/csv
# `make fuzz-targets` builds every target.  To keep the seeds in git small,
# let it write new inputs to a scratch folder first:
#   mkdir new && tests/fuzz/fuzz_csv -max_total_time=60 new tests/fuzz/corpus/csv
# A crash file it writes replays with `tests/fuzz/fuzz_csv_replay crash-...`
# in any build.
#
# A fuzz binary compiles the engine files it needs itself, so that they carry
# the fuzzer's coverage instrumentation (libhsengine.a does not); FUZZ_FLAGS,
# defined here, is shared by every target.
#
# Every target also links tests/fuzz/replay_main.c into a plain program that
# `make check` runs on the target's seeds (tests/fuzz/corpus/NAME/) and a few
# built-in inputs, in every build: the targets keep compiling and the seeds
# stay clean under the sanitizers.  A new target copies the lines below.
EXTRA_DIST += tests/fuzz/corpus

FUZZ_CSV_ENGINE = src/csv.c src/csv_input.c src/csv_text.c src/numparse.c src/table.c \
	src/mem.c src/err.c

if ENABLE_FUZZING
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -g
check_PROGRAMS += tests/fuzz/fuzz_csv
FUZZ_TARGETS += tests/fuzz/fuzz_csv
tests_fuzz_fuzz_csv_SOURCES = tests/fuzz/fuzz_csv.c $(FUZZ_CSV_ENGINE)
tests_fuzz_fuzz_csv_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_csv_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_csv_LDADD = $(ZLIB_LIBS) $(LIBS)
endif

check_PROGRAMS += tests/fuzz/fuzz_csv_replay
TESTS += tests/fuzz/fuzz_csv_replay
tests_fuzz_fuzz_csv_replay_SOURCES = tests/fuzz/fuzz_csv.c tests/fuzz/replay_main.c
tests_fuzz_fuzz_csv_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"csv"'
tests_fuzz_fuzz_csv_replay_LDADD = $(ENGINE_LIBS)
tests_fuzz_fuzz_csv_replay_LDFLAGS = $(OPENMP_CFLAGS)
