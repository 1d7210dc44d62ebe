# tests/: unit (cmocka), CLI and TUI scripts, fuzz targets.  Each family
# lists its tests in its own fragment.
EXTRA_DIST += tests/lib.sh

# Unit tests link the engine and, where needed, the session store.
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/tests/unit
UNIT_LIBS = $(SESSIONS_LIBS) $(PLOTS_LIBS) $(ENGINE_LIBS) $(CMOCKA_LIBS) $(OPENMP_CFLAGS)

include tests/unit.mk
include tests/csv.mk
include tests/session.mk
include tests/cli.mk
include tests/tui.mk
include tests/fuzz.mk
include tests/sim.mk
include tests/expr.mk

# `make fuzz-targets` builds every libFuzzer target (configure with
# CC=clang --enable-fuzzing); each fuzz fragment adds to FUZZ_TARGETS.
.PHONY: fuzz-targets
fuzz-targets: $(FUZZ_TARGETS)
include tests/hist.mk
include tests/plots-cairo.mk
include tests/plots.mk
include tests/cuts.mk
include tests/cutopt.mk
include tests/roc.mk
include tests/embed.mk
include tests/results.mk
include tests/mlp.mk
include tests/models.mk
include tests/fisher.mk
include tests/importance.mk
include tests/units.mk
include tests/embedcli.mk

# t-SNE's similarities on compact neighbour lists
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_tsne_affin
TESTS += tests/unit/test_tsne_affin
tests_unit_test_tsne_affin_SOURCES = tests/unit/test_tsne_affin.c tests/unit/test_util.h
tests_unit_test_tsne_affin_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_tsne_affin_LDADD = $(UNIT_LIBS)
endif

# The tree ensemble's walks and checks on hand-made trees
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_forest
TESTS += tests/unit/test_forest
tests_unit_test_forest_SOURCES = tests/unit/test_forest.c tests/unit/test_util.h
tests_unit_test_forest_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_forest_LDADD = $(UNIT_LIBS)
endif
include tests/rmm.mk
include tests/ae.mk
include tests/search.mk
include tests/bdt.mk
