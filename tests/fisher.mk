# tests/fisher.mk: Fisher's linear discriminant (src/fisher.c,
# src/fisher_io.c) against closed forms and a solve written in the test,
# singular and shrunk covariances, cancel and allocation failures, every
# truncated or corrupted stored model, and the C export compiled with cc.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_fisher
TESTS += tests/unit/test_fisher
tests_unit_test_fisher_SOURCES = tests/unit/test_fisher.c tests/unit/test_util.h
tests_unit_test_fisher_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_fisher_LDADD = $(UNIT_LIBS)
endif

# tests/unit/test_gram.c: src/gram.c's sums against long double ones, and
# Fisher's fit and the correlations bit for bit the same however their
# parts run (one OS thread, two, the fallback, beside a busy process).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_gram
TESTS += tests/unit/test_gram
tests_unit_test_gram_SOURCES = tests/unit/test_gram.c tests/unit/test_how.h tests/unit/test_util.h
tests_unit_test_gram_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_gram_LDADD = $(UNIT_LIBS)
endif

# Fisher's fit and the correlations at several --threads against numpy
# and scikit-learn.
TESTS += tests/cli/linalg-threads.sh
EXTRA_DIST += tests/cli/linalg-threads.sh
