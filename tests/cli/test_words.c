/* Unit tests of command-line words (ui/cmd-words.c): hs_cmd_split reads
 * quotes as sh(1) does, and hs_cmd_join writes lines that /bin/sh itself
 * splits back into the same words. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/cmd.h"

static void
expect_words(const char *line, int n, const char *const *want)
{
    int argc;
    char **argv;
    struct hs_err err;

    assert_int_equal(hs_cmd_split(line, &argc, &argv, &err), HS_OK);
    assert_int_equal(argc, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(argv[i], want[i]);
    assert_null(argv[argc]);
    hs_cmd_words_free(argc, argv);
}

static void
test_split(void **state)
{
    (void)state;
    expect_words("", 0, NULL);
    expect_words("   \t ", 0, NULL);
    expect_words("import a.csv", 2, (const char *[]){"import", "a.csv"});
    expect_words("  sql  'select 1'  ", 2, (const char *[]){"sql", "select 1"});
    expect_words("a\"b c\"d", 1, (const char *[]){"ab cd"});
    expect_words("x '' \"\"", 3, (const char *[]){"x", "", ""});
    expect_words("a\\ b c\\'d", 2, (const char *[]){"a b", "c'd"});
    expect_words("\"q\\\"x\\\\y\\n\"", 1, (const char *[]){"q\"x\\y\\n"});
    expect_words("'it'\\''s'", 1, (const char *[]){"it's"});
    expect_words("--name=\"my set\"", 1, (const char *[]){"--name=my set"});
}

static void
test_split_errors(void **state)
{
    int argc;
    char **argv;
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_cmd_split("sql 'select", &argc, &argv, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "quote"));
    assert_int_equal(hs_cmd_split("a \"b", &argc, &argv, &err), HS_EUSAGE);
}

static void
test_join_plain(void **state)
{
    char *const words[] = {"import", "--name", "d-1", "/tmp/a.csv", "x=1,y"};
    char *const hard[] = {"a b", "", "it's", "$HOME", "`id`", "*"};
    char *s;

    (void)state;
    s = hs_cmd_join(5, words);
    assert_string_equal(s, "import --name d-1 /tmp/a.csv x=1,y");
    free(s);
    s = hs_cmd_join(6, hard);
    assert_string_equal(s, "'a b' '' 'it'\\''s' '$HOME' '`id`' '*'");
    free(s);
}

/* Random words through join, then split by us and by /bin/sh. */
static void
test_join_round_trip(void **state)
{
    static const char alphabet[] = "ab Z09 \t\n'\"\\$`*?;&|<>(){}#~=,.-_/\xc3\xa9";
    unsigned seed = 12345;

    (void)state;
    for (int round = 0; round < 150; round++) {
        char *words[6];
        int n = 1 + round % 6, argc;
        char **argv, *line, *cmd, got[4096];
        struct hs_err err;
        FILE *p;
        size_t len, k;

        for (int i = 0; i < n; i++) {
            int wl = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 9;
            words[i] = malloc((size_t)wl + 1);
            for (int j = 0; j < wl; j++) {
                seed = seed * 1103515245u + 12345u;
                words[i][j] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
            }
            words[i][wl] = '\0';
        }
        line = hs_cmd_join(n, words);
        assert_non_null(line);
        assert_int_equal(hs_cmd_split(line, &argc, &argv, &err), HS_OK);
        assert_int_equal(argc, n);
        for (int i = 0; i < n; i++)
            assert_string_equal(argv[i], words[i]);
        hs_cmd_words_free(argc, argv);

        /* The shell is the reference: printf '%s\0' LINE. */
        cmd = malloc(strlen(line) + 32);
        sprintf(cmd, "printf '%%s\\0' %s", line);
        p = popen(cmd, "r");
        assert_non_null(p);
        len = fread(got, 1, sizeof got, p);
        pclose(p);
        k = 0;
        for (int i = 0; i < n; i++) {
            assert_true(k < len);
            assert_string_equal(got + k, words[i]);
            k += strlen(words[i]) + 1;
        }
        assert_int_equal(k, len);
        free(cmd);
        free(line);
        for (int i = 0; i < n; i++)
            free(words[i]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_split_errors),
        cmocka_unit_test(test_join_plain),
        cmocka_unit_test(test_join_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
