/* Helpers shared by the session tests (tests/unit/test_sess*.c). */
#ifndef HS_TEST_SESS_UTIL_H
#define HS_TEST_SESS_UTIL_H

#include <ftw.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "table.h"

/* splitmix64: a seeded generator, independent of the code under test. */
static inline uint64_t
tu_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline double
tu_uniform(uint64_t *s)
{
    return (double)(tu_rand(s) >> 11) * 0x1.0p-53;
}

static inline double
tu_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static inline double
tu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int
tu_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* A new temporary folder; remove it with tu_rmdir. */
static inline char *
tu_tmpdir(void)
{
    char tmpl[] = "/tmp/hs-sess-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static inline void
tu_rmdir(char *dir)
{
    if (dir)
        nftw(dir, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

static inline char *
tu_path(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static inline int
tu_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static inline int
tu_exists2(const char *path, const char *suffix)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", path, suffix);
    return tu_exists(buf);
}

/* The whole file, for comparing bytes before and after. */
static inline unsigned char *
tu_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long len;

    *n = 0;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(len > 0 ? (size_t)len : 1);
    if (buf && len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *n = len > 0 ? (size_t)len : 0;
    return buf;
}

static inline int
tu_same_bytes(const unsigned char *a, size_t na, const char *path)
{
    size_t nb;
    unsigned char *b = tu_slurp(path, &nb);
    int same = b && na == nb && memcmp(a, b, na) == 0;
    free(b);
    return same;
}

/* A table of nrows events built from seed: a column of random 64-bit
 * patterns (NaN payloads, infinities, subnormals, -0.0 included), a
 * column of ordinary numbers with some missing, a text column, the label
 * source "Truth", the synthetic "_label", a weight, a text group and an
 * id column. */
static inline struct hs_table *
tu_table(size_t nrows, uint64_t seed)
{
    static const char *const types[] = {"EB", "EE", "with space", "q'uote\"d"};
    static const uint64_t special[] = {
        0x7ff8000000000000ULL, 0x7ff0000000000001ULL, 0xfff8000000000abcULL,
        0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x8000000000000000ULL,
        0x0000000000000001ULL, 0x000fffffffffffffULL, 0x0000000000000000ULL,
    };
    struct hs_table *t = hs_table_new();
    size_t a, b, txt, truth, label, w, grp, id;
    uint64_t s = seed;

    if (!t || hs_table_add_column(t, "bits", HS_COL_NUMBER, &a, NULL) ||
        hs_table_add_column(t, "x", HS_COL_NUMBER, &b, NULL) ||
        hs_table_add_column(t, "type", HS_COL_TEXT, &txt, NULL) ||
        hs_table_add_column(t, "Truth", HS_COL_NUMBER, &truth, NULL) ||
        hs_table_add_column(t, "w", HS_COL_NUMBER, &w, NULL) ||
        hs_table_add_column(t, "process", HS_COL_TEXT, &grp, NULL) ||
        hs_table_add_column(t, "evt", HS_COL_NUMBER, &id, NULL) ||
        hs_table_add_column(t, "_label", HS_COL_NUMBER, &label, NULL) || hs_table_resize(t, nrows))
        abort();
    for (size_t k = 0; k < 4; k++) {
        double code;
        if (hs_column_intern(&t->cols[txt], types[k], strlen(types[k]), &code))
            abort();
    }
    for (size_t k = 0; k < 3; k++) {
        char name[32];
        double code;
        snprintf(name, sizeof name, "bkg%zu", k);
        if (hs_column_intern(&t->cols[grp], name, strlen(name), &code))
            abort();
    }
    t->cols[truth].role = HS_ROLE_LABEL_SRC;
    t->cols[label].role = HS_ROLE_LABEL;
    t->cols[label].synthetic = true;
    t->cols[w].role = HS_ROLE_WEIGHT;
    t->cols[grp].role = HS_ROLE_GROUP;
    t->cols[id].role = HS_ROLE_ID;
    for (size_t r = 0; r < nrows; r++) {
        uint64_t u = tu_rand(&s);
        t->cols[a].v[r] = r < 9 ? tu_bits(special[r]) : tu_bits(u);
        t->cols[b].v[r] = (u & 15) == 0 ? NAN : tu_uniform(&s) * 100 - 50;
        t->cols[txt].v[r] = (u & 31) == 1 ? NAN : (double)((u >> 8) & 3);
        t->cols[truth].v[r] = (double)((u >> 12) & 1);
        t->cols[label].v[r] = t->cols[truth].v[r];
        t->cols[w].v[r] = 0.5 + tu_uniform(&s);
        t->cols[grp].v[r] = (double)((u >> 20) % 3);
        t->cols[id].v[r] = (double)r;
    }
    return t;
}

/* A plain numeric table: ncols columns c0, c1, ... of random numbers. */
static inline struct hs_table *
tu_numeric(size_t nrows, size_t ncols, uint64_t seed)
{
    struct hs_table *t = hs_table_new();
    uint64_t s = seed;

    for (size_t j = 0; j < ncols; j++) {
        char name[32];
        snprintf(name, sizeof name, "c%zu", j);
        if (hs_table_add_column(t, name, HS_COL_NUMBER, NULL, NULL))
            abort();
    }
    if (hs_table_resize(t, nrows))
        abort();
    for (size_t j = 0; j < ncols; j++)
        for (size_t r = 0; r < nrows; r++)
            t->cols[j].v[r] = tu_uniform(&s) * 200 - 100;
    return t;
}

/* 1 when a and b hold the same columns, names, kinds, roles, flags,
 * strings and every value bit for bit; else 0 with a note on stderr. */
static inline int
tu_tables_identical(const struct hs_table *a, const struct hs_table *b)
{
    if (a->nrows != b->nrows || a->ncols != b->ncols) {
        fprintf(stderr, "# shape %zux%zu vs %zux%zu\n", a->nrows, a->ncols, b->nrows, b->ncols);
        return 0;
    }
    for (size_t j = 0; j < a->ncols; j++) {
        const struct hs_column *x = &a->cols[j], *y = &b->cols[j];
        if (strcmp(x->name, y->name) != 0 || x->kind != y->kind || x->role != y->role ||
            x->synthetic != y->synthetic || x->ncats != y->ncats) {
            fprintf(stderr, "# column %zu differs ('%s' vs '%s')\n", j, x->name, y->name);
            return 0;
        }
        for (size_t k = 0; k < x->ncats; k++)
            if (strcmp(x->cats[k], y->cats[k]) != 0) {
                fprintf(stderr, "# column '%s' string %zu differs\n", x->name, k);
                return 0;
            }
        if (a->nrows && memcmp(x->v, y->v, a->nrows * sizeof(double)) != 0) {
            fprintf(stderr, "# column '%s' values differ\n", x->name);
            return 0;
        }
    }
    return 1;
}

/* A cmocka fixture: a fresh folder and the path of a session in it
 * (not created), removed after the test. */
struct tu_fixture {
    char *dir;
    char *db;
};

static inline int
tu_setup(void **state)
{
    struct tu_fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "s.db");
    *state = f;
    return f->dir ? 0 : -1;
}

static inline int
tu_teardown(void **state)
{
    struct tu_fixture *f = *state;
    tu_rmdir(f->dir);
    free(f->db);
    free(f);
    return 0;
}

#endif
