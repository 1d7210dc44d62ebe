# tests/sim.mk: the demo generator (src/sim*.c): physics checks on its
# events, its table, seeds, cancel and allocation failures.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_sim
TESTS += tests/unit/test_sim
tests_unit_test_sim_SOURCES = tests/unit/test_sim.c
tests_unit_test_sim_CFLAGS = $(UNIT_CFLAGS) $(GSL_CFLAGS)
tests_unit_test_sim_LDADD = $(UNIT_LIBS)
endif
