/* bench/open_bench.c: read one dataset into memory and exit.
 *
 *   open_bench hepscope SESSION DATASET   hs_sess_open + hs_sess_dataset_load
 *   open_bench column SESSION DATASET COLUMN
 *                                          hs_sess_dataset_open (lazy) and one
 *                                          column's values, as a command that
 *                                          touches one column reads them
 *   open_bench sqlite   DB TABLE          SELECT * from a table of REAL columns
 *                                          into one double array per column
 *
 * bench/open.sh times each as a whole process, start to table in memory.
 * Prints rows and a checksum so that both sides provably read everything.
 */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sessions/session.h"
#include "table.h"

static int
open_hepscope(const char *path, const char *name)
{
    struct hs_sess *s;
    struct hs_table *t;
    struct hs_err err;
    double sum = 0;

    if (hs_sess_open(path, HS_SESS_READONLY, &s, &err) ||
        hs_sess_dataset_load(s, name, &t, NULL, &err)) {
        fprintf(stderr, "open_bench: %s\n", err.msg);
        return 1;
    }
    for (size_t j = 0; j < t->ncols; j++)
        sum += t->cols[j].v[t->nrows / 2];
    printf("%zu rows x %zu columns, checksum %.17g\n", t->nrows, t->ncols, sum);
    hs_table_free(t);
    hs_sess_close(s);
    return 0;
}

static int
open_column(const char *path, const char *name, const char *column)
{
    struct hs_sess *s;
    struct hs_table *t;
    struct hs_err err;
    const double *v;
    double sum = 0;
    long j;

    if (hs_sess_open(path, HS_SESS_READONLY, &s, &err) ||
        hs_sess_dataset_open(s, name, &t, NULL, &err)) {
        fprintf(stderr, "open_bench: %s\n", err.msg);
        return 1;
    }
    if ((j = hs_table_find(t, column)) < 0 || hs_table_values(t, (size_t)j, &v, NULL, &err)) {
        fprintf(stderr, "open_bench: %s\n", j < 0 ? "no such column" : err.msg);
        return 1;
    }
    for (size_t i = 0; i < t->nrows; i++)
        sum += v[i];
    printf("%zu rows, column '%s' of %zu, sum %.17g\n", t->nrows, column, t->ncols, sum);
    hs_table_free(t);
    hs_sess_close(s);
    return 0;
}

static int
open_sqlite(const char *path, const char *table)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[256];
    double **cols = NULL, sum = 0;
    size_t n = 0, cap = 0;
    int ncols;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return 1;
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "open_bench: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    ncols = sqlite3_column_count(st);
    cols = calloc((size_t)ncols, sizeof *cols);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            for (int j = 0; j < ncols; j++)
                cols[j] = realloc(cols[j], cap * sizeof(double));
        }
        for (int j = 0; j < ncols; j++)
            cols[j][n] = sqlite3_column_type(st, j) == SQLITE_NULL ? NAN
                                                                   : sqlite3_column_double(st, j);
        n++;
    }
    for (int j = 0; j < ncols; j++) {
        sum += cols[j][n / 2];
        free(cols[j]);
    }
    printf("%zu rows x %d columns, checksum %.17g\n", n, ncols, sum);
    free(cols);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "column") == 0)
        return open_column(argv[2], argv[3], argv[4]);
    if (argc != 4) {
        fprintf(stderr, "usage: open_bench hepscope|sqlite FILE NAME | column FILE NAME COLUMN\n");
        return 1;
    }
    if (strcmp(argv[1], "hepscope") == 0)
        return open_hepscope(argv[2], argv[3]);
    return open_sqlite(argv[2], argv[3]);
}
