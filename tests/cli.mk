# tests/cli.mk: the CLI tests: shell scripts speaking TAP (tests/lib.sh)
# that drive the hepscope binary, and a unit test of command-line words.
CLI_TESTS = \
	tests/cli/basic.sh \
	tests/cli/import.sh \
	tests/cli/manage.sh \
	tests/cli/sql.sh \
	tests/cli/sql-features.sh \
	tests/cli/export.sh \
	tests/cli/session.sh \
	tests/cli/lazy.sh \
	tests/cli/cms.sh \
	tests/cli/man.sh \
	tests/cli/demo.sh \
	tests/cli/features.sh \
	tests/cli/kill.sh \
	tests/cli/plot.sh \
	tests/cli/units.sh \
	tests/cli/plot-units.sh \
	tests/cli/cuts.sh \
	tests/cli/cut-calib.sh \
	tests/cli/roc.sh \
	tests/cli/select.sh \
	tests/cli/train.sh \
	tests/cli/fisher.sh \
	tests/cli/train-where.sh \
	tests/cli/learned.sh \
	tests/cli/hostile-models.sh \
	tests/cli/errors.sh \
	tests/cli/termout.sh \
	tests/cli/signals.sh \
	tests/cli/wide.sh \
	tests/cli/figure-opts.sh \
	tests/cli/threads.sh \
	tests/cli/project.sh \
	tests/cli/cluster.sh \
	tests/cli/outputs.sh \
	tests/cli/select-box.sh \
	tests/cli/scatter.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) tests/cli/wide-gen.awk

if HAVE_CMOCKA
check_PROGRAMS += tests/cli/test_words
TESTS += tests/cli/test_words
tests_cli_test_words_SOURCES = tests/cli/test_words.c
tests_cli_test_words_CFLAGS = $(UNIT_CFLAGS)
tests_cli_test_words_LDADD = libhsui.a $(UNIT_LIBS) $(NCURSES_LIBS)
endif

# The audit of issue 14's command line: project, select, cluster, scatter.
AUDIT_CLI_TESTS = \
	tests/cli/project-audit.sh \
	tests/cli/select-audit.sh \
	tests/cli/cluster-audit.sh \
	tests/cli/plot-versus.sh
TESTS += $(AUDIT_CLI_TESTS)
EXTRA_DIST += $(AUDIT_CLI_TESTS) tests/cli/pcaref.py

# The gaps issue 14's audit found: k-means' K by the silhouette, -o
# refused before the fit, the scatter's colours, the TUI's --versus
# note, model show of an output.
GAPS_CLI_TESTS = \
	tests/cli/cluster-kchoice.sh \
	tests/cli/scatter-colors.sh \
	tests/cli/model-show-output.sh
TESTS += $(GAPS_CLI_TESTS)
EXTRA_DIST += $(GAPS_CLI_TESTS)

# One check of -o's file type for every figure command; where a learned
# column comes from, in feature's messages.
TIDY_CLI_TESTS = \
	tests/cli/figure-types.sh \
	tests/cli/learned-origin.sh
TESTS += $(TIDY_CLI_TESTS)
EXTRA_DIST += $(TIDY_CLI_TESTS)
