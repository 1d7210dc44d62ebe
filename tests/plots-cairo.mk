# tests/plots-cairo.mk: the cairo renderer (PNG, SVG, PDF files).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_cairo
TESTS += tests/unit/test_cairo
tests_unit_test_cairo_SOURCES = tests/unit/test_cairo.c
tests_unit_test_cairo_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CAIRO_CFLAGS) $(PNG_CFLAGS)
tests_unit_test_cairo_LDADD = $(PLOTS_LIBS) $(ENGINE_LIBS) $(CMOCKA_LIBS)
endif
