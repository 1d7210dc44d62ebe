/* test_pyref.h: numbers from a peer library, computed by Debian's python
 * (numpy, scipy, scikit-learn) in the test, as the independent reference
 * of projections and clusterings.  A test skips when python3 or the
 * module it imports is missing. */
#ifndef HS_TEST_PYREF_H
#define HS_TEST_PYREF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TP_PYTHON "/usr/bin/python3"

/* Rows x cols of doubles (row-major) written as text to a new temporary
 * file, whose name goes to path (at least 64 bytes); 0 on success. */
static inline int
tp_write_matrix(char *path, const double *x, size_t rows, size_t cols)
{
    strcpy(path, "/tmp/hs-pyref-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            fprintf(f, "%.17g%c", x[i * cols + j], j + 1 == cols ? '\n' : ' ');
    return fclose(f) ? -1 : 0;
}

/* Run `script` (python source) with the arguments args (a string put on
 * the command line as is); every number it prints goes into *out (new,
 * free()), the count returned.  -1 when python3 is missing or the script
 * failed (an import error: the caller skips). */
static inline long
tp_python(const char *script, const char *args, double **out)
{
    char spath[64] = "/tmp/hs-pyref-py-XXXXXX", cmd[1024];
    size_t cap = 64, n = 0;
    double *v;
    FILE *p;
    int fd;

    *out = NULL;
    if (access(TP_PYTHON, X_OK) != 0)
        return -1;
    fd = mkstemp(spath);
    if (fd < 0 || write(fd, script, strlen(script)) != (ssize_t)strlen(script)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    snprintf(cmd, sizeof cmd, "OMP_NUM_THREADS=1 %s %s %s", TP_PYTHON, spath, args);
    p = popen(cmd, "r");
    if (!p) {
        unlink(spath);
        return -1;
    }
    v = malloc(cap * sizeof *v);
    while (v && fscanf(p, "%lf", &v[n]) == 1)
        if (++n == cap) {
            double *nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv) {
                free(v);
                v = NULL;
            }
            v = nv;
        }
    int st = pclose(p);
    unlink(spath);
    if (st != 0 || !v) {
        free(v);
        return -1;
    }
    *out = v;
    return (long)n;
}

#endif
