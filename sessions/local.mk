# sessions/: the SQLite session store and the journal.  Depends on src/.
noinst_LIBRARIES += libhssessions.a
libhssessions_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
libhssessions_a_SOURCES = \
	sessions/session.c sessions/session.h sessions/sess_int.h \
	sessions/schema.c sessions/schema.h \
	sessions/chunks.c \
	sessions/datasets.c \
	sessions/journal.c \
	sessions/vtab_events.c \
	sessions/sql.c \
	sessions/features.c sessions/features.h \
	sessions/units.c sessions/units.h \
	sessions/results.c sessions/results.h \
	sessions/models.c sessions/models.h \
	sessions/learned.c sessions/learned.h \
	sessions/history.c sessions/history.h \
	sessions/outputs.c sessions/outputs.h \
	sessions/trials.c sessions/trials.h \
	sessions/rows.c

SESSIONS_LIBS = libhssessions.a $(SQLITE_LIBS)

dist_man_MANS += man/hepscope-session.5
