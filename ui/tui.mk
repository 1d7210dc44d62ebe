# ui/tui.mk: the TUI (ncurses front end) files.
HS_TUI_SOURCES = \
	ui/tui.c ui/view.h \
	ui/keys.c ui/keys.h \
	ui/cmd-tui.c \
	ui/screen.c ui/screen.h \
	ui/view-data.c ui/view-stats.c ui/view-datasets.c \
	ui/overlay.c ui/statusbar.c ui/prompt.c
hepscope_SOURCES += $(HS_TUI_SOURCES)

# Every ui/ object, for the unit tests of the key table and the views.  Its
# main.o is never pulled in: a test program has its own main.
# NEEDSWORK: hepscope could link this library instead of compiling the same
# files a second time; that needs ui/local.mk to say so.
check_LIBRARIES = libhsui.a
libhsui_a_CFLAGS = $(hepscope_CFLAGS)
libhsui_a_SOURCES = $(hepscope_SOURCES)
