#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "sessions/sess_int.h"

/* Events are stored column by column, in chunks of HS_CHUNK_ROWS values:
 * chunk k of a column holds rows [k * HS_CHUNK_ROWS, ...) as a BLOB of
 * little-endian IEEE 754 doubles, 8 bytes each, the last chunk shorter.
 * Reading a million events back is then a few dozen blob reads straight
 * into the column arrays instead of a million rows through the VDBE. */

void
hs_sess_swap64(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, &v[i], 8);
        u = (u >> 56) | ((u >> 40) & 0xff00) | ((u >> 24) & 0xff0000) | ((u >> 8) & 0xff000000) |
            ((u << 8) & 0xff00000000ULL) | ((u << 24) & 0xff0000000000ULL) |
            ((u << 40) & 0xff000000000000ULL) | (u << 56);
        memcpy(&v[i], &u, 8);
    }
}

int
hs_chunk_decode(double *dst, size_t nvalues, const void *p, size_t nbytes)
{
    if (nbytes != nvalues * sizeof(double))
        return HS_ESESSION;
    if (nbytes)
        memcpy(dst, p, nbytes);
    if (!hs_sess_host_le())
        hs_sess_swap64(dst, nvalues);
    return HS_OK;
}

/* Progress at most ten times a second (task.h), and always at the end. */
struct progress {
    const struct hs_task *task;
    const char *what;
    struct timespec last;
};

static void
progress_report(struct progress *p, double fraction)
{
    struct timespec now;

    if (!p->task || !p->task->progress)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (fraction < 1 && p->last.tv_sec &&
        (now.tv_sec - p->last.tv_sec) * 1000000000L + (now.tv_nsec - p->last.tv_nsec) < 100000000L)
        return;
    p->last = now;
    hs_task_progress(p->task, fraction, p->what);
}

static size_t
chunk_count(size_t nrows)
{
    return (nrows + HS_CHUNK_ROWS - 1) / HS_CHUNK_ROWS;
}

/* Rows in chunk k of nrows rows. */
static size_t
chunk_rows(size_t nrows, size_t k)
{
    size_t off = k * HS_CHUNK_ROWS;

    return nrows - off < HS_CHUNK_ROWS ? nrows - off : HS_CHUNK_ROWS;
}

int
hs_chunks_store(struct hs_sess *s, int64_t dataset, const struct hs_table *t,
                const struct hs_task *task, struct hs_err *err)
{
    size_t nchunks = chunk_count(t->nrows), done = 0, total = nchunks * t->ncols;
    struct progress pr = {task, "storing", {0, 0}};
    double *scratch = NULL;
    sqlite3_stmt *st;
    int ret, rc;

    ret = hs_sess_prepare(s, "INSERT INTO chunks (dataset, col, chunk, data) VALUES (?, ?, ?, ?)",
                          &st, err);
    if (ret)
        return ret;
    if (!hs_sess_host_le() && nchunks && !(scratch = hs_malloc(HS_CHUNK_ROWS * sizeof(double)))) {
        sqlite3_finalize(st);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    progress_report(&pr, 0);
    sqlite3_bind_int64(st, 1, dataset);
    for (size_t j = 0; j < t->ncols && !ret; j++) {
        sqlite3_bind_int64(st, 2, (sqlite3_int64)j);
        for (size_t k = 0; k < nchunks; k++) {
            size_t off = k * HS_CHUNK_ROWS;
            size_t n = chunk_rows(t->nrows, k);
            const double *p = t->cols[j].v + off;

            if (hs_task_cancelled(task)) {
                ret = hs_err_set(err, HS_ECANCELLED, "cancelled");
                break;
            }
            if (scratch) {
                memcpy(scratch, p, n * sizeof(double));
                hs_sess_swap64(scratch, n);
                p = scratch;
            }
            sqlite3_bind_int64(st, 3, (sqlite3_int64)k);
            sqlite3_bind_blob(st, 4, p, (int)(n * sizeof(double)), SQLITE_STATIC);
            rc = sqlite3_step(st);
            if (rc != SQLITE_DONE) {
                ret = hs_sess_dberr(s->db, s->path, rc, "storing events", err);
                break;
            }
            sqlite3_reset(st);
            progress_report(&pr, (double)++done / (double)total);
        }
    }
    sqlite3_finalize(st);
    hs_free(scratch);
    return ret;
}

int
hs_chunks_check(sqlite3 *db, const char *name, int64_t dataset, int64_t nrows, size_t ncols,
                char **why)
{
    uint64_t nchunks, next = 0, total;
    sqlite3_stmt *st = NULL;
    int rc;

    *why = NULL;
    /* A count no table could hold, or rows without a column to hold
     * them, cannot be checked against chunks: damage either way. */
    if (nrows < 0 || (uint64_t)nrows > SIZE_MAX / sizeof(double) || (nrows > 0 && ncols == 0)) {
        *why = sqlite3_mprintf("dataset '%s' has %lld rows%s", name, (long long)nrows,
                               nrows > 0 && ncols == 0 ? " and no columns" : "");
        return *why ? SQLITE_CORRUPT : SQLITE_NOMEM;
    }
    nchunks = chunk_count((size_t)nrows);
    total = nchunks * ncols;
    /* length() of a blob reads its size from the record header, not its
     * pages: this is a few hundred small rows for a million events. */
    rc = sqlite3_prepare_v2(db,
                            "SELECT col, chunk, length(data) FROM chunks WHERE dataset = ?1 AND "
                            "chunk <= ?2 ORDER BY col, chunk",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)nchunks);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 col = sqlite3_column_int64(st, 0), k = sqlite3_column_int64(st, 1);
        sqlite3_int64 bytes = sqlite3_column_int64(st, 2);
        size_t n;

        if (col < 0 || (uint64_t)col >= ncols) {
            *why = sqlite3_mprintf("dataset '%s': unexpected chunk %lld of column %lld", name,
                                   (long long)k, (long long)col);
            break;
        }
        /* A chunk just past the last: the count falls short of the data. */
        if ((uint64_t)k == nchunks) {
            *why = sqlite3_mprintf("dataset '%s': chunk %lld of column %lld is past its %lld rows",
                                   name, (long long)k, (long long)col, (long long)nrows);
            break;
        }
        /* In order, each (col, chunk) once: a step past next is a gap. */
        if ((uint64_t)col != next / nchunks || (uint64_t)k != next % nchunks)
            break;
        n = chunk_rows((size_t)nrows, (size_t)k);
        if ((uint64_t)bytes != n * sizeof(double)) {
            *why = sqlite3_mprintf("dataset '%s': chunk %lld of column %lld has %lld bytes, not %lld",
                                   name, (long long)k, (long long)col, (long long)bytes,
                                   (long long)(n * sizeof(double)));
            break;
        }
        next++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    if (!*why && next != total)
        *why = sqlite3_mprintf("dataset '%s': chunk %llu of column %llu is missing", name,
                               (unsigned long long)(next % nchunks),
                               (unsigned long long)(next / nchunks));
    if (!*why)
        return SQLITE_OK;
    return SQLITE_CORRUPT;
}

size_t
hs_chunks_bad_label(const double *v, size_t n)
{
    size_t i = 0;

    /* Blocks without a branch per value first: labels come in random
     * order, and a mispredicted branch per event cost more than reading
     * the column.  NaN is neither 0 nor 1: import refuses an event
     * without a label, so none is ever stored. */
    for (; i + 256 <= n; i += 256) {
        uint64_t bad = 0;
#ifdef _OPENMP
#pragma omp simd reduction(| : bad)
#endif
        for (size_t k = i; k < i + 256; k++) {
            uint64_t u;
            memcpy(&u, &v[k], sizeof u);
            /* 0.0, -0.0 or 1.0, compared as bits, which vectorises */
            bad |= (uint64_t)((u << 1) != 0) & (uint64_t)(u != 0x3ff0000000000000u);
        }
        if (bad)
            break;
    }
    while (i < n && (v[i] == 0.0 || v[i] == 1.0))
        i++;
    return i;
}

int
hs_chunks_load_column(struct hs_sess *s, const char *name, int64_t dataset, size_t nrows,
                      size_t col, double *dst, const struct hs_task *task, struct hs_err *err)
{
    size_t nchunks = chunk_count(nrows), next = 0;
    struct progress pr = {task, "loading", {0, 0}};
    sqlite3_blob *blob = NULL;
    sqlite3_stmt *st;
    int ret, rc;

    ret = hs_sess_prepare(
        s, "SELECT chunk, rowid FROM chunks WHERE dataset = ? AND col = ? ORDER BY chunk", &st,
        err);
    if (ret)
        return ret;
    sqlite3_bind_int64(st, 1, dataset);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)col);
    progress_report(&pr, 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 k = sqlite3_column_int64(st, 0), rowid = sqlite3_column_int64(st, 1);
        size_t off, n;

        /* Chunks must come exactly in order: 0, 1, ... nchunks - 1. */
        if (k != (sqlite3_int64)next) {
            if (next < nchunks && k > (sqlite3_int64)next)
                ret = hs_sess_damaged(s->path, err,
                                      "dataset '%s': chunk %zu of column %zu is missing", name,
                                      next, col);
            else
                ret = hs_sess_damaged(s->path, err,
                                      "dataset '%s': unexpected chunk %lld of column %zu", name,
                                      (long long)k, col);
            break;
        }
        if (next >= nchunks) {
            ret = hs_sess_damaged(s->path, err,
                                  "dataset '%s': chunk %lld of column %zu is past its %zu rows",
                                  name, (long long)k, col, nrows);
            break;
        }
        if (hs_task_cancelled(task)) {
            ret = hs_err_set(err, HS_ECANCELLED, "cancelled");
            break;
        }
        off = (size_t)k * HS_CHUNK_ROWS;
        n = chunk_rows(nrows, (size_t)k);
        rc = blob ? sqlite3_blob_reopen(blob, rowid)
                  : sqlite3_blob_open(s->db, "main", "chunks", "data", rowid, 0, &blob);
        if (rc != SQLITE_OK) {
            ret = hs_sess_dberr(s->db, s->path, rc, "loading events", err);
            break;
        }
        if ((size_t)sqlite3_blob_bytes(blob) != n * sizeof(double)) {
            ret = hs_sess_damaged(
                s->path, err, "dataset '%s': chunk %lld of column %zu has %d bytes, not %zu", name,
                (long long)k, col, sqlite3_blob_bytes(blob), n * sizeof(double));
            break;
        }
        rc = sqlite3_blob_read(blob, dst + off, (int)(n * sizeof(double)), 0);
        if (rc != SQLITE_OK) {
            ret = hs_sess_dberr(s->db, s->path, rc, "loading events", err);
            break;
        }
        if (!hs_sess_host_le())
            hs_sess_swap64(dst + off, n);
        next++;
        progress_report(&pr, (double)next / (double)nchunks);
    }
    if (!ret && rc != SQLITE_DONE)
        ret = hs_sess_dberr(s->db, s->path, rc, "loading events", err);
    if (!ret && next != nchunks)
        ret = hs_sess_damaged(s->path, err, "dataset '%s': chunk %zu of column %zu is missing",
                              name, next, col);
    sqlite3_blob_close(blob);
    sqlite3_finalize(st);
    return ret;
}

int
hs_chunks_read_rows(struct hs_sess *s, const char *name, int64_t dataset, size_t nrows,
                    size_t col, size_t row0, size_t n, double *dst, struct hs_err *err)
{
    sqlite3_blob *blob = NULL;
    sqlite3_stmt *st;
    int ret, rc = SQLITE_OK;

    if (n == 0)
        return HS_OK;
    if (row0 > nrows || n > nrows - row0)
        return hs_err_set(err, HS_EUSAGE, "dataset '%s': rows %zu to %zu of column %zu are past "
                                          "its %zu rows",
                          name, row0 + 1, row0 + n, col, nrows);
    if ((ret = hs_sess_prepare(s, "SELECT rowid FROM chunks WHERE dataset = ? AND col = ? AND "
                                  "chunk = ?",
                               &st, err)))
        return ret;
    for (size_t k = row0 / HS_CHUNK_ROWS; !ret && k * HS_CHUNK_ROWS < row0 + n; k++) {
        size_t first = k * HS_CHUNK_ROWS, len = chunk_rows(nrows, k);
        size_t lo = row0 > first ? row0 - first : 0;
        size_t hi = row0 + n - first < len ? row0 + n - first : len;

        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, dataset);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)col);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)k);
        if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
            ret = rc == SQLITE_DONE ? hs_sess_damaged(s->path, err,
                                                      "dataset '%s': chunk %zu of column %zu "
                                                      "is missing",
                                                      name, k, col)
                                    : hs_sess_dberr(s->db, s->path, rc, "loading events", err);
            break;
        }
        sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
        rc = blob ? sqlite3_blob_reopen(blob, rowid)
                  : sqlite3_blob_open(s->db, "main", "chunks", "data", rowid, 0, &blob);
        if (rc != SQLITE_OK) {
            ret = hs_sess_dberr(s->db, s->path, rc, "loading events", err);
            break;
        }
        if ((size_t)sqlite3_blob_bytes(blob) != len * sizeof(double)) {
            ret = hs_sess_damaged(s->path, err,
                                  "dataset '%s': chunk %zu of column %zu has %d bytes, not %zu",
                                  name, k, col, sqlite3_blob_bytes(blob), len * sizeof(double));
            break;
        }
        double *out = dst + (first + lo - row0);
        rc = sqlite3_blob_read(blob, out, (int)((hi - lo) * sizeof(double)),
                               (int)(lo * sizeof(double)));
        if (rc != SQLITE_OK) {
            ret = hs_sess_dberr(s->db, s->path, rc, "loading events", err);
            break;
        }
        if (!hs_sess_host_le())
            hs_sess_swap64(out, hi - lo);
    }
    sqlite3_blob_close(blob);
    sqlite3_finalize(st);
    return ret;
}
