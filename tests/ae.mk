# tests/ae.mk: the autoencoder (src/ae.c on the network of src/mlp*.c):
# the MSE and variational losses and gradients against a forward pass,
# finite differences and closed forms, a linear autoencoder against PCA,
# outliers against background, storage, the C export compiled with cc,
# the same bits whichever way the threads run; and the CLI on the demo.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_ae
TESTS += tests/unit/test_ae
tests_unit_test_ae_SOURCES = tests/unit/test_ae.c tests/unit/test_util.h \
	tests/unit/test_export.h tests/unit/test_how.h
tests_unit_test_ae_CFLAGS = $(UNIT_CFLAGS) $(GSL_CFLAGS)
tests_unit_test_ae_LDADD = $(UNIT_LIBS)
endif

# The CLI: train --method ae on the demo's background, its score against
# numpy, its AUC against the label, the C export, the variational version.
TESTS += tests/cli/ae.sh
EXTRA_DIST += tests/cli/ae.sh
