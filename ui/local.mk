# ui/: the front ends: command layer, batch CLI, ncurses TUI, main().
bin_PROGRAMS += hepscope
hepscope_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(SQLITE_CFLAGS) $(GSL_CFLAGS)
hepscope_SOURCES = \
	ui/main.c \
	ui/cmd.c ui/cmd.h \
	ui/cmd-words.c \
	ui/cmd-data.c ui/cmd-data.h \
	ui/cmd-import.c \
	ui/cmd-demo.c \
	ui/cmd-feature.c \
	ui/export.c ui/export.h \
	ui/grid.c ui/grid.h \
	ui/progress.c ui/progress.h \
	ui/tui.h
hepscope_LDADD = $(SESSIONS_LIBS) $(ENGINE_LIBS) $(NCURSES_LIBS) $(OPENMP_CFLAGS)

dist_man_MANS += man/hepscope.1

include ui/tui.mk
