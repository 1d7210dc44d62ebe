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
# The fuzz binaries link libhsfuzz.a: the engine compiled once more with the
# fuzzer's coverage instrumentation (libhsengine.a has none), from the same
# source list, so a new engine file needs no change here.  FUZZ_FLAGS and
# FUZZ_LIBS, defined here, are shared by every target.
#
# Every target also links tests/fuzz/replay_main.c into a plain program that
# `make check` runs on the target's seeds (tests/fuzz/corpus/NAME/) and a few
# built-in inputs, in every build: the targets keep compiling and the seeds
# stay clean under the sanitizers.  A new target copies the lines below.
EXTRA_DIST += tests/fuzz/corpus

if ENABLE_FUZZING
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -g
noinst_LIBRARIES += libhsfuzz.a
libhsfuzz_a_SOURCES = $(libhsengine_a_SOURCES)
libhsfuzz_a_CFLAGS = $(libhsengine_a_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -g
FUZZ_LIBS = libhsfuzz.a $(ENGINE_DEPS)

check_PROGRAMS += tests/fuzz/fuzz_csv
FUZZ_TARGETS += tests/fuzz/fuzz_csv
tests_fuzz_fuzz_csv_SOURCES = tests/fuzz/fuzz_csv.c
tests_fuzz_fuzz_csv_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_csv_LDFLAGS = $(FUZZ_FLAGS) $(OPENMP_CFLAGS)
tests_fuzz_fuzz_csv_LDADD = $(FUZZ_LIBS)
endif

check_PROGRAMS += tests/fuzz/fuzz_csv_replay
TESTS += tests/fuzz/fuzz_csv_replay
tests_fuzz_fuzz_csv_replay_SOURCES = tests/fuzz/fuzz_csv.c tests/fuzz/replay_main.c
tests_fuzz_fuzz_csv_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"csv"'
tests_fuzz_fuzz_csv_replay_LDADD = $(ENGINE_LIBS)
tests_fuzz_fuzz_csv_replay_LDFLAGS = $(OPENMP_CFLAGS)

# fuzz_cuts: the cut-set range parser and the SQL, C and ROOT exports.
if ENABLE_FUZZING
check_PROGRAMS += tests/fuzz/fuzz_cuts
FUZZ_TARGETS += tests/fuzz/fuzz_cuts
tests_fuzz_fuzz_cuts_SOURCES = tests/fuzz/fuzz_cuts.c
tests_fuzz_fuzz_cuts_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_cuts_LDFLAGS = $(FUZZ_FLAGS) $(OPENMP_CFLAGS)
tests_fuzz_fuzz_cuts_LDADD = $(FUZZ_LIBS)
endif

check_PROGRAMS += tests/fuzz/fuzz_cuts_replay
TESTS += tests/fuzz/fuzz_cuts_replay
tests_fuzz_fuzz_cuts_replay_SOURCES = tests/fuzz/fuzz_cuts.c tests/fuzz/replay_main.c
tests_fuzz_fuzz_cuts_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"cuts"'
tests_fuzz_fuzz_cuts_replay_LDADD = $(ENGINE_LIBS)
tests_fuzz_fuzz_cuts_replay_LDFLAGS = $(OPENMP_CFLAGS)

# fuzz_mlp: the model reader (hs_mlp_deserialize), and scoring and the C
# export of what it accepts.
if ENABLE_FUZZING
check_PROGRAMS += tests/fuzz/fuzz_mlp
FUZZ_TARGETS += tests/fuzz/fuzz_mlp
tests_fuzz_fuzz_mlp_SOURCES = tests/fuzz/fuzz_mlp.c tests/fuzz/model_util.h
tests_fuzz_fuzz_mlp_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_mlp_LDFLAGS = $(FUZZ_FLAGS) $(OPENMP_CFLAGS)
tests_fuzz_fuzz_mlp_LDADD = $(FUZZ_LIBS)
endif

check_PROGRAMS += tests/fuzz/fuzz_mlp_replay
TESTS += tests/fuzz/fuzz_mlp_replay
tests_fuzz_fuzz_mlp_replay_SOURCES = tests/fuzz/fuzz_mlp.c tests/fuzz/replay_main.c \
	tests/fuzz/model_util.h
tests_fuzz_fuzz_mlp_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"mlp"'
tests_fuzz_fuzz_mlp_replay_LDADD = $(ENGINE_LIBS)
tests_fuzz_fuzz_mlp_replay_LDFLAGS = $(OPENMP_CFLAGS)

# fuzz_fisher: the Fisher model reader, and scoring, the details and the
# C export of what it accepts.
if ENABLE_FUZZING
check_PROGRAMS += tests/fuzz/fuzz_fisher
FUZZ_TARGETS += tests/fuzz/fuzz_fisher
tests_fuzz_fuzz_fisher_SOURCES = tests/fuzz/fuzz_fisher.c tests/fuzz/model_util.h
tests_fuzz_fuzz_fisher_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_fisher_LDFLAGS = $(FUZZ_FLAGS) $(OPENMP_CFLAGS)
tests_fuzz_fuzz_fisher_LDADD = $(FUZZ_LIBS)
endif

check_PROGRAMS += tests/fuzz/fuzz_fisher_replay
TESTS += tests/fuzz/fuzz_fisher_replay
tests_fuzz_fuzz_fisher_replay_SOURCES = tests/fuzz/fuzz_fisher.c tests/fuzz/replay_main.c \
	tests/fuzz/model_util.h
tests_fuzz_fuzz_fisher_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS='"fisher"'
tests_fuzz_fuzz_fisher_replay_LDADD = $(ENGINE_LIBS)
tests_fuzz_fuzz_fisher_replay_LDFLAGS = $(OPENMP_CFLAGS)
