# tests/cli.mk: the CLI tests, shell scripts speaking TAP (tests/lib.sh).
CLI_TESTS = \
	tests/cli/basic.sh \
	tests/cli/import.sh \
	tests/cli/manage.sh \
	tests/cli/sql.sh \
	tests/cli/export.sh \
	tests/cli/session.sh \
	tests/cli/cms.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS)
