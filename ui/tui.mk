# ui/tui.mk: the TUI (ncurses front end) files, part of libhsui.a.
libhsui_a_SOURCES += \
	ui/tui.c ui/tui-term.c ui/tui-probe.c ui/tui-features.c ui/view.h ui/view-class.h \
	ui/scroll.c ui/scroll.h ui/overlay.h ui/prompt.h \
	ui/keys.c ui/keys.h \
	ui/cmd-tui.c ui/cmd-tui-data.c ui/cmd-tui-cuts.c ui/cmd-tui-train.c \
	ui/screen.c ui/screen.h \
	ui/view-data.c ui/view-data.h ui/view-stats.c ui/view-stats.h \
	ui/view-datasets.c ui/view-datasets.h ui/view-features.c ui/view-features.h \
	ui/view-hist.c ui/view-hist.h ui/view-cuts.c ui/view-cuts.h \
	ui/view-roc.c ui/view-roc.h ui/view-train.c ui/view-train.h \
	ui/view-train-int.h ui/tui-train.c \
	ui/view-proj.c ui/view-proj.h ui/tui-proj.c ui/cmd-tui-proj.c ui/worker.c ui/worker.h \
	ui/view-clust.c ui/view-clust.h ui/tui-clust.c ui/cmd-tui-clust.c \
	ui/overlay.c ui/statusbar.c ui/prompt.c ui/complete.c ui/complete.h ui/where.c ui/where.h
