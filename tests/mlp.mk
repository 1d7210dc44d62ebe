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

# the method layer (src/method.c, methods.c, model.c, eval.c): parameters
# of every type parsed, refused and written back, the registry's specs,
# the MLP's defaults, the fit driver's steps and cancel, k folds against
# fits done by hand, the stored model's kind and input checks.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_method
TESTS += tests/unit/test_method
tests_unit_test_method_SOURCES = tests/unit/test_method.c tests/unit/test_util.h
tests_unit_test_method_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_method_LDADD = $(UNIT_LIBS)
endif
