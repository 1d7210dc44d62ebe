# tests/plots.mk: unit tests of plots/ (ticks, palette, figure model, the
# terminal canvas with golden text in tests/plots/golden/; HS_GENERATE=1
# rewrites them).  They link plots/ alone: it depends on nothing else.
if HAVE_CMOCKA
PLOTS_UNIT = tests/unit/test_plots_ticks tests/unit/test_canvas
check_PROGRAMS += $(PLOTS_UNIT)
TESTS += $(PLOTS_UNIT)
tests_unit_test_plots_ticks_SOURCES = tests/unit/test_plots_ticks.c
tests_unit_test_plots_ticks_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_plots_ticks_LDADD = $(PLOTS_LIBS) $(CMOCKA_LIBS)
tests_unit_test_canvas_SOURCES = tests/unit/test_canvas.c
tests_unit_test_canvas_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_canvas_LDADD = $(PLOTS_LIBS) $(CMOCKA_LIBS)
endif
EXTRA_DIST += tests/plots/golden
