# tests/tui.mk: the TUI's tests: the key table and the views as unit tests
# (cell buffers compared with golden text), the real binary driven in tmux.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_keys tests/unit/test_views tests/unit/test_views_analysis \
	tests/unit/test_where tests/unit/test_tui_habits tests/unit/test_tui_lazy \
	tests/unit/test_view_proj
TESTS += tests/unit/test_keys tests/unit/test_views tests/unit/test_views_analysis \
	tests/unit/test_where tests/unit/test_tui_habits tests/unit/test_tui_lazy \
	tests/unit/test_view_proj
tests_unit_test_keys_SOURCES = tests/unit/test_keys.c
tests_unit_test_keys_CFLAGS = $(UNIT_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_keys_LDADD = libhsui.a $(UNIT_LIBS) $(NCURSES_LIBS)
tests_unit_test_views_SOURCES = tests/unit/test_views.c tests/unit/test_views_util.h
tests_unit_test_views_CFLAGS = $(UNIT_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_views_LDADD = libhsui.a $(UNIT_LIBS) $(NCURSES_LIBS)
tests_unit_test_views_analysis_SOURCES = tests/unit/test_views_analysis.c tests/unit/test_views_util.h
tests_unit_test_views_analysis_CFLAGS = $(UNIT_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_views_analysis_LDADD = libhsui.a $(UNIT_LIBS) $(NCURSES_LIBS)
tests_unit_test_where_SOURCES = tests/unit/test_where.c tests/unit/test_views_util.h
tests_unit_test_where_CFLAGS = $(UNIT_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_where_LDADD = libhsui.a $(UNIT_LIBS) $(NCURSES_LIBS)
tests_unit_test_tui_habits_SOURCES = tests/unit/test_tui_habits.c
tests_unit_test_tui_habits_CFLAGS = $(UNIT_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_tui_habits_LDADD = libhsui.a $(UNIT_LIBS) $(NCURSES_LIBS)
tests_unit_test_view_proj_SOURCES = tests/unit/test_view_proj.c
tests_unit_test_view_proj_CFLAGS = $(UNIT_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_view_proj_LDADD = libhsui.a $(UNIT_LIBS) $(NCURSES_LIBS)
tests_unit_test_tui_lazy_SOURCES = tests/unit/test_tui_lazy.c tests/unit/test_sess_util.h \
	tests/unit/test_views_util.h
tests_unit_test_tui_lazy_CFLAGS = $(UNIT_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_tui_lazy_LDADD = libhsui.a $(UNIT_LIBS) $(NCURSES_LIBS)
endif

TUI_TESTS = \
	tests/tui/tui.sh \
	tests/tui/notty.sh \
	tests/tui/keys-man.sh \
	tests/tui/features.sh \
	tests/tui/hist.sh \
	tests/tui/where.sh \
	tests/tui/cuts.sh \
	tests/tui/roc.sh \
	tests/tui/train.sh \
	tests/tui/train-method.sh \
	tests/tui/train-features.sh \
	tests/tui/clust.sh \
	tests/tui/term.sh \
	tests/tui/habits.sh \
	tests/tui/proj.sh
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/tui/lib-tmux.sh \
	tests/tui/golden/data-80x12.txt tests/tui/golden/stats-80x12.txt \
	tests/tui/golden/datasets-60x8.txt tests/tui/golden/frame-60x20.txt \
	tests/tui/golden/help-60x20.txt \
	tests/tui/golden/features-80x14.txt tests/tui/golden/features-60x14.txt \
	tests/tui/golden/features-editor-60x14.txt \
	tests/tui/golden/hist-60x20.txt tests/tui/golden/hist-grid-60x20.txt
