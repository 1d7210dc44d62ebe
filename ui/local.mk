# ui/: the front ends: command layer, batch CLI, ncurses TUI, main().
# Everything but main() is one library, linked by hepscope and by the
# unit tests of the key table, the views and the command words.
noinst_LIBRARIES += libhsui.a
libhsui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(SQLITE_CFLAGS) $(GSL_CFLAGS) $(CAIRO_CFLAGS)
libhsui_a_SOURCES = \
	ui/cmd.c ui/cmd.h \
	ui/cmd-words.c \
	ui/cmd-data.c ui/cmd-data.h \
	ui/cmd-import.c \
	ui/cmd-demo.c \
	ui/cmd-feature.c \
	ui/cmd-plot.c ui/plot.c ui/plot.h ui/plot-more.c ui/plot-scatter.c \
	ui/cmd-importance.c ui/plot-importance.c ui/plot-importance.h \
	ui/axislabel.c ui/axislabel.h \
	ui/unitspec.c ui/unitspec.h \
	ui/loaded.c ui/loaded.h \
	ui/select.c ui/select.h \
	ui/scatter.c ui/scatter.h \
	ui/embed.c ui/embed.h \
	ui/cmd-project.c ui/cmd-cluster.c ui/clusterfit.c ui/clusterfit.h ui/cmd-select.c \
	ui/analysis.c ui/analysis.h \
	ui/train.c ui/train-fig.c ui/train.h \
	ui/cmd-cut.c ui/cmd-roc.c ui/cmd-train.c ui/cmd-search.c ui/cmd-model.c ui/cmd-help.c \
	ui/export.c ui/export.h \
	ui/grid.c ui/grid.h \
	ui/termout.c ui/termout.h \
	ui/progress.c ui/progress.h \
	ui/tui.h

bin_PROGRAMS += hepscope
hepscope_CFLAGS = $(libhsui_a_CFLAGS)
hepscope_SOURCES = ui/main.c
hepscope_LDADD = libhsui.a $(SESSIONS_LIBS) $(PLOTS_LIBS) $(ENGINE_LIBS) $(NCURSES_LIBS) $(OPENMP_CFLAGS)

dist_man_MANS += man/hepscope.1

include ui/tui.mk
