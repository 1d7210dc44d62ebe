# tests/units.mk: a feature's unit and axis label (sessions/units.c) and the
# axis labels made of them (ui/axislabel.c).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_units
TESTS += tests/unit/test_units
tests_unit_test_units_SOURCES = tests/unit/test_units.c tests/unit/test_sess_util.h
tests_unit_test_units_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_units_LDADD = libhsui.a $(UNIT_LIBS)
endif
