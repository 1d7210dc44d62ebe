# tests/importance.mk: TreeSHAP (src/treeshap.c) against brute-force
# Shapley values and local accuracy; permutation and gain importance
# (src/importance.c) against their definitions computed in the test.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_treeshap tests/unit/test_importance
TESTS += tests/unit/test_treeshap tests/unit/test_importance
tests_unit_test_treeshap_SOURCES = tests/unit/test_treeshap.c tests/unit/test_util.h
tests_unit_test_treeshap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_treeshap_LDADD = $(UNIT_LIBS)
tests_unit_test_importance_SOURCES = tests/unit/test_importance.c tests/unit/test_util.h
tests_unit_test_importance_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_importance_LDADD = $(UNIT_LIBS)
endif

# The command: permutation importance of Fisher and MLP models against
# numpy's own shuffles; SHAP and gain of boosted trees through the CLI
# (a TAP skip until the bdt method is built in).
TESTS += tests/cli/importance.sh tests/cli/importance-bdt.sh
EXTRA_DIST += tests/cli/importance.sh tests/cli/importance-bdt.sh

# The ROC view's importance bars in tmux, against the command's table.
TESTS += tests/tui/importance.sh
EXTRA_DIST += tests/tui/importance.sh
