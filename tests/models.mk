# tests/models.mk: unit tests of the session's trained models
# (sessions/models.c: models, model_features, model_epochs, schema version 4).
if HAVE_CMOCKA
MODELS_TESTS = tests/unit/test_sess_models
check_PROGRAMS += $(MODELS_TESTS)
TESTS += $(MODELS_TESTS)
tests_unit_test_sess_models_SOURCES = tests/unit/test_sess_models.c tests/unit/test_sess_oom.h tests/unit/test_sess_raw.h tests/unit/test_sess_util.h
tests_unit_test_sess_models_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sess_models_LDADD = $(UNIT_LIBS)
endif
