/* test_sess_raw.h: looking at a session file with raw SQLite, no
 * hepscope code involved, for the session tests' independent checks.
 * Include after <cmocka.h>. */
#ifndef HS_TEST_SESS_RAW_H
#define HS_TEST_SESS_RAW_H

#include <sqlite3.h>
#include <string.h>

#include "test_util.h" /* tu_same_bits */

/* One integer from a query on the file (-1 when it returns no row). */
static inline long long
tu_raw_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Run statements on the file (to damage it on purpose, or to age it). */
static inline void
tu_raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("raw sql: %s", msg ? msg : "?");
    sqlite3_close(db);
}

#endif
