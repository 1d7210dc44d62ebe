/* replay_main.c: run a libFuzzer target without libFuzzer.
 *
 * Linked with any fuzz target (it only needs LLVMFuzzerTestOneInput), so
 * that `make check` exercises the target on its seed corpus in every build,
 * sanitizers included.  With arguments it runs the named files (e.g. a
 * crash file that the fuzzer wrote); without, every file of
 * $HS_SRCDIR/tests/fuzz/corpus/FUZZ_CORPUS/ plus a few built-in inputs.
 * Speaks TAP: a crash or an abort is a failed test run.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_CORPUS
#error "define FUZZ_CORPUS, the name of the target's folder under tests/fuzz/corpus"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ntests;

static int
run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (!f) {
        printf("not ok %d - %s: cannot open\n", ++ntests, path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        fclose(f);
        free(buf);
        printf("not ok %d - %s: cannot read\n", ++ntests, path);
        return 1;
    }
    fclose(f);
    fflush(stdout);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    printf("ok %d - %s\n", ++ntests, path);
    return 0;
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_corpus(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int failed = 0;

    if (!d) {
        printf("not ok %d - corpus %s: cannot open\n", ++ntests, dir);
        return 1;
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n])
            abort();
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        failed |= run_file(names[i]);
        free(names[i]);
    }
    free(names);
    return failed;
}

/* Inputs worth running in every build: nothing, every single byte after
 * every option byte, and a few shapes the seeds may lack. */
static void
run_builtin(void)
{
    static const char *const shapes[] = {
        "a\n", "a,b\n1", "\"", "\"\"", "a\n\"", "a\n\r", "\r\n\r\n", "a\n1e", "a\n-",
        "a\n.", ",\n,", "\xef\xbb\xbf", "a\n\"x\"\"", "a b\n 1 2 \n", "a\t\tb\n\t\t\n",
    };
    uint8_t buf[64];

    LLVMFuzzerTestOneInput(NULL, 0);
    for (int opt = 0; opt < 256; opt++) {
        buf[0] = (uint8_t)opt;
        LLVMFuzzerTestOneInput(buf, 1);
        for (int c = 0; c < 256; c += 17) {
            buf[1] = (uint8_t)c;
            LLVMFuzzerTestOneInput(buf, 2);
        }
        for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
            size_t n = strlen(shapes[i]);
            memcpy(buf + 1, shapes[i], n);
            LLVMFuzzerTestOneInput(buf, n + 1);
        }
    }
    printf("ok %d - built-in inputs\n", ++ntests);
}

int
main(int argc, char **argv)
{
    int failed = 0;

    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            failed |= run_file(argv[i]);
    } else {
        const char *src = getenv("HS_SRCDIR");
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", src ? src : ".", FUZZ_CORPUS);
        run_builtin();
        failed |= run_corpus(dir);
    }
    printf("1..%d\n", ntests);
    return failed;
}
