# tests/unit.mk: unit tests of the engine's core (table, stats, err, mem).
if HAVE_CMOCKA
UNIT_CORE = tests/unit/test_table tests/unit/test_table_lazy tests/unit/test_stats tests/unit/test_featstats \
	tests/unit/test_fourvec tests/unit/test_featureset tests/unit/test_par tests/unit/test_par_engine
check_PROGRAMS += $(UNIT_CORE)
TESTS += $(UNIT_CORE)
tests_unit_test_table_SOURCES = tests/unit/test_table.c
tests_unit_test_table_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_table_LDADD = $(UNIT_LIBS)
tests_unit_test_table_lazy_SOURCES = tests/unit/test_table_lazy.c
tests_unit_test_table_lazy_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_table_lazy_LDADD = $(UNIT_LIBS)
tests_unit_test_stats_SOURCES = tests/unit/test_stats.c
tests_unit_test_stats_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_stats_LDADD = $(UNIT_LIBS)
tests_unit_test_featstats_SOURCES = tests/unit/test_featstats.c
tests_unit_test_featstats_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_featstats_LDADD = $(UNIT_LIBS)
tests_unit_test_fourvec_SOURCES = tests/unit/test_fourvec.c
tests_unit_test_fourvec_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_fourvec_LDADD = $(UNIT_LIBS)
tests_unit_test_featureset_SOURCES = tests/unit/test_featureset.c
tests_unit_test_featureset_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_featureset_LDADD = $(UNIT_LIBS)
tests_unit_test_par_SOURCES = tests/unit/test_par.c
tests_unit_test_par_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_par_LDADD = $(UNIT_LIBS)
tests_unit_test_par_engine_SOURCES = tests/unit/test_par_engine.c
tests_unit_test_par_engine_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_par_engine_LDADD = $(UNIT_LIBS)
endif

TESTS += tests/layers.sh
EXTRA_DIST += tests/layers.sh
