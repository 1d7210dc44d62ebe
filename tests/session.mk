# tests/session.mk: unit tests of the session store (sessions/).
if HAVE_CMOCKA
SESSION_TESTS = tests/unit/test_session tests/unit/test_sess_safety tests/unit/test_sess_sql \
	tests/unit/test_sess_oom tests/unit/test_sess_kill tests/unit/test_sess_lazy \
	tests/unit/test_sess_outputs
check_PROGRAMS += $(SESSION_TESTS)
TESTS += $(SESSION_TESTS)
tests_unit_test_session_SOURCES = tests/unit/test_session.c tests/unit/test_sess_util.h
tests_unit_test_session_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_session_LDADD = $(UNIT_LIBS)
tests_unit_test_sess_outputs_SOURCES = tests/unit/test_sess_outputs.c tests/unit/test_sess_raw.h tests/unit/test_sess_util.h
tests_unit_test_sess_outputs_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_outputs_LDADD = $(UNIT_LIBS)
tests_unit_test_sess_lazy_SOURCES = tests/unit/test_sess_lazy.c tests/unit/test_sess_util.h
tests_unit_test_sess_lazy_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_lazy_LDADD = $(UNIT_LIBS)
tests_unit_test_sess_safety_SOURCES = tests/unit/test_sess_safety.c tests/unit/test_sess_util.h
tests_unit_test_sess_safety_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_safety_LDADD = $(UNIT_LIBS)
tests_unit_test_sess_sql_SOURCES = tests/unit/test_sess_sql.c tests/unit/test_sess_util.h
tests_unit_test_sess_sql_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_sql_LDADD = $(UNIT_LIBS)
tests_unit_test_sess_kill_SOURCES = tests/unit/test_sess_kill.c tests/unit/test_sess_util.h
tests_unit_test_sess_kill_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_kill_LDADD = $(UNIT_LIBS)
tests_unit_test_sess_oom_SOURCES = tests/unit/test_sess_oom.c tests/unit/test_sess_oom.h tests/unit/test_sess_util.h
tests_unit_test_sess_oom_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_oom_LDADD = $(UNIT_LIBS)
endif

# Store and load timings of 1,000,000 x 9 and x 20 tables; built with the
# tests, never run by make check:  tests/unit/test_sess_bench [DIR [ROWS]]
check_PROGRAMS += tests/unit/test_sess_bench
tests_unit_test_sess_bench_SOURCES = tests/unit/test_sess_bench.c tests/unit/test_sess_util.h
tests_unit_test_sess_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_sess_bench_LDADD = $(SESSIONS_LIBS) $(ENGINE_LIBS) $(OPENMP_CFLAGS)
