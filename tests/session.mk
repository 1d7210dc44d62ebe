# tests/session.mk: unit tests of the session store (sessions/).
if HAVE_CMOCKA
SESSION_TESTS = tests/unit/test_session tests/unit/test_sess_safety
check_PROGRAMS += $(SESSION_TESTS)
TESTS += $(SESSION_TESTS)
tests_unit_test_session_SOURCES = tests/unit/test_session.c tests/unit/test_sess_util.h
tests_unit_test_session_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_session_LDADD = $(UNIT_LIBS)
tests_unit_test_sess_safety_SOURCES = tests/unit/test_sess_safety.c tests/unit/test_sess_util.h
tests_unit_test_sess_safety_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_safety_LDADD = $(UNIT_LIBS)
endif
check_PROGRAMS += tests/unit/sess_bench
tests_unit_sess_bench_SOURCES = tests/unit/sess_bench.c tests/unit/test_sess_util.h
tests_unit_sess_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_sess_bench_LDADD = $(SESSIONS_LIBS) $(ENGINE_LIBS) $(OPENMP_CFLAGS)
