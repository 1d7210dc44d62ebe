/* test_export.h: a model's exported C compiled with the system cc under
 * the strictest flags and run on events, for the models' unit tests
 * (include after <cmocka.h>).  The temporary folder comes from
 * tx_setup / tx_teardown as a cmocka setup and teardown pair. */
#ifndef HS_TEST_EXPORT_H
#define HS_TEST_EXPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tx_dir[512];

static inline int
tx_setup(void **state)
{
    (void)state;
    snprintf(tx_dir, sizeof tx_dir, "%s/hs-export-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(tx_dir) ? 0 : -1;
}

static inline int
tx_teardown(void **state)
{
    char cmd[600];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tx_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static inline int
tx_have_cc(void)
{
    return system("command -v cc >/dev/null 2>&1") == 0;
}

static inline void
tx_write_file(const char *name, const char *text)
{
    char path[1024];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tx_dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A main that reads "n k" and n rows of k numbers and prints FUNC of
 * each row in "%a". */
static const char tx_main_c[] =
    "#include <stdio.h>\n"
    "#include <stdlib.h>\n"
    "double FUNC(const double *x);\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "    FILE *f = fopen(argv[1], \"r\");\n"
    "    unsigned long n, k, i, j;\n"
    "    double *x;\n"
    "    char tok[64];\n"
    "    if (argc < 2 || !f || fscanf(f, \"%lu %lu\", &n, &k) != 2)\n"
    "        return 1;\n"
    "    x = malloc(k * sizeof *x);\n"
    "    for (i = 0; i < n; i++) {\n"
    "        for (j = 0; j < k; j++) {\n"
    "            if (fscanf(f, \"%63s\", tok) != 1)\n"
    "                return 1;\n"
    "            x[j] = strtod(tok, NULL);\n"
    "        }\n"
    "        printf(\"%a\\n\", FUNC(x));\n"
    "    }\n"
    "    free(x);\n"
    "    fclose(f);\n"
    "    return 0;\n"
    "}\n";

/* src (defining func) compiled with -std=c99 -Wall -Wextra -Werror
 * -pedantic, run on n events of the nin columns x: its values in got. */
static inline void
tx_run(const char *src, const char *func, const double *const *x, size_t n, size_t nin,
       double *got)
{
    char path[1024], cmd[2048];
    FILE *f;

    tx_write_file("model.c", src);
    tx_write_file("main.c", tx_main_c);
    snprintf(path, sizeof path, "%s/rows.txt", tx_dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%zu %zu\n", n, nin);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nin; j++)
            fprintf(f, "%a%c", x[j][i], j + 1 < nin ? ' ' : '\n');
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && cc -std=c99 -Wall -Wextra -Werror -pedantic -c model.c -o model.o && "
             "cc -std=c99 -DFUNC=%s main.c model.o -o prog -lm && ./prog rows.txt > out.txt",
             tx_dir, func);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/out.txt", tx_dir);
    f = fopen(path, "r");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++) {
        char tok[64];
        assert_int_equal(fscanf(f, "%63s", tok), 1);
        got[i] = strtod(tok, NULL);
    }
    fclose(f);
}

#endif
