# tests/mlp.mk: the network (src/mlp.c, src/mlp_train.c): gradient check
# against finite differences, learning XOR and a separable set,
# determinism, early stopping, cancel, and scores against a plain forward
# pass written in the test.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_mlp
TESTS += tests/unit/test_mlp
tests_unit_test_mlp_SOURCES = tests/unit/test_mlp.c tests/unit/test_util.h
tests_unit_test_mlp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mlp_LDADD = $(UNIT_LIBS)
endif

# mlp_io and ks (storage, C export, the Kolmogorov-Smirnov test): against
# byte layouts written out by hand, every truncation and flipped byte, the
# exported C compiled with cc, and brute-force distances.
if HAVE_CMOCKA
UNIT_MLP_IO = tests/unit/test_mlp_io tests/unit/test_ks
check_PROGRAMS += $(UNIT_MLP_IO)
TESTS += $(UNIT_MLP_IO)
tests_unit_test_mlp_io_SOURCES = tests/unit/test_mlp_io.c tests/unit/test_util.h \
	tests/unit/test_export.h
tests_unit_test_mlp_io_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mlp_io_LDADD = $(UNIT_LIBS)
tests_unit_test_ks_SOURCES = tests/unit/test_ks.c tests/unit/test_util.h
tests_unit_test_ks_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ks_LDADD = $(UNIT_LIBS)
endif
