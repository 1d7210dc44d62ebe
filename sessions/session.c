#include "config.h"

#include "sessions/session.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "mem.h"
#include "sessions/schema.h"
#include "sessions/sess_int.h"

/* Session files use large pages: they are mostly 512 KB chunk blobs, and a
 * large page means fewer overflow pages to chain and read. */
#define HS_SESS_PAGE_SIZE 65536

/* ---- errors ---------------------------------------------------------- */

int
hs_sess_busy(const char *path, struct hs_err *err)
{
    return hs_err_set(err, HS_EBUSY,
                      "%s: session is busy (another hepscope is writing to it); try again when "
                      "it is done",
                      path);
}

int
hs_sess_damaged(const char *path, struct hs_err *err, const char *fmt, ...)
{
    char what[300];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return hs_err_set(err, HS_ESESSION, "%s: the session file is damaged (%s)", path, what);
}

/* The folder that holds path into buf; false when it does not fit. */
static bool
folder_of(const char *path, char *buf, size_t size)
{
    char *slash;

    if (snprintf(buf, size, "%s", path) >= (int)size)
        return false;
    slash = strrchr(buf, '/');
    if (!slash)
        strcpy(buf, ".");
    else
        slash[slash == buf] = '\0';
    return true;
}

/* Is the storage of the session at path out of room: its file system
 * (almost) full, or the file or its WAL at the process's file size limit?
 * For a failed write SQLite gives no errno for (it reports EFBIG, and
 * ENOSPC before any byte is written, as SQLITE_IOERR_WRITE alone). */
static bool
storage_full(const char *path)
{
    static const char *const suffix[] = {"", "-wal"};
    char buf[4096];
    struct statvfs fs;
    struct rlimit rl;
    bool full = false;

    if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        for (size_t i = 0; i < 2 && !full; i++) {
            struct stat st;
            snprintf(buf, sizeof buf, "%s%s", path, suffix[i]);
            full = stat(buf, &st) == 0 &&
                   (unsigned long long)st.st_size + 2 * HS_SESS_PAGE_SIZE >
                       (unsigned long long)rl.rlim_cur;
        }
    if (!full && folder_of(path, buf, sizeof buf))
        full = statvfs(buf, &fs) == 0 &&
               (unsigned long long)fs.f_bavail * fs.f_frsize < 2ULL * HS_SESS_PAGE_SIZE;
    return full;
}

int
hs_sess_dberr(sqlite3 *db, const char *path, int rc, const char *what, struct hs_err *err)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const char *sep = what ? ": " : "";
    int sys = db ? sqlite3_system_errno(db) : 0;

    what = what ? what : "";
    /* SQLite says SQLITE_FULL for a short write, but a write refused
     * outright (no space, over quota, over the file size limit) is an
     * I/O error to it: the same full disk to the user, and a fault of the
     * session's storage, not of the command. */
    if ((rc & 0xff) == SQLITE_FULL ||
        ((rc & 0xff) == SQLITE_IOERR &&
         (sys == ENOSPC || sys == EDQUOT || sys == EFBIG || (!sys && storage_full(path)))))
        return hs_err_set(err, HS_ESESSION, "%s: %s%sthe disk is full (%s)", path, what, sep,
                          sys ? strerror(sys) : (rc & 0xff) == SQLITE_FULL ? msg
                                                                          : "or the file size "
                                                                            "limit is reached");
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return hs_sess_busy(path, err);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return hs_sess_damaged(path, err, "%s", msg);
    case SQLITE_NOMEM:
        return hs_err_set(err, HS_ENOMEM, "out of memory%s%s", sep, what);
    case SQLITE_INTERRUPT:
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        if (sys)
            return hs_err_set(err, HS_EIO, "%s: %s%s%s (%s)", path, what, sep, msg, strerror(sys));
        return hs_err_set(err, HS_EIO, "%s: %s%s%s", path, what, sep, msg);
    }
    return hs_err_set(err, HS_ESESSION, "%s: %s%s%s", path, what, sep, msg);
}

int
hs_sess_exec(struct hs_sess *s, const char *sql, struct hs_err *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? HS_OK : hs_sess_dberr(s->db, s->path, rc, NULL, err);
}

int
hs_sess_prepare(struct hs_sess *s, const char *sql, sqlite3_stmt **st, struct hs_err *err)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? HS_OK : hs_sess_dberr(s->db, s->path, rc, NULL, err);
}

/* ---- transactions ----------------------------------------------------- */

static int
refuse_readonly(struct hs_sess *s, struct hs_err *err)
{
    return hs_err_set(err, HS_EUSAGE, "%s: the session is open read-only", s->path);
}

int
hs_sess_change_begin(struct hs_sess *s, bool *own, struct hs_err *err)
{
    if (s->readonly)
        return refuse_readonly(s, err);
    /* Outside a transaction, take the write lock at once: a deferred
     * transaction that reads first and writes later can fail in WAL mode
     * without waiting (SQLITE_BUSY_SNAPSHOT) when another writer commits
     * in between. */
    if (!s->caller_txn && !sqlite3_get_autocommit(s->db) &&
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
        return hs_sess_dberr(s->db, s->path, sqlite3_errcode(s->db),
                             "undoing an unfinished change", err);
    *own = sqlite3_get_autocommit(s->db) != 0;
    return hs_sess_exec(s, *own ? "BEGIN IMMEDIATE" : "SAVEPOINT hs_change", err);
}

int
hs_sess_change_end(struct hs_sess *s, bool own, struct hs_err *err)
{
    int ret = hs_sess_exec(s, own ? "COMMIT" : "RELEASE hs_change", err);
    if (ret)
        hs_sess_change_abort(s, own);
    return ret;
}

void
hs_sess_change_abort(struct hs_sess *s, bool own)
{
    if (own) {
        if (!sqlite3_get_autocommit(s->db))
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    } else {
        sqlite3_exec(s->db, "ROLLBACK TO hs_change; RELEASE hs_change", NULL, NULL, NULL);
    }
}

int
hs_sess_read_begin(struct hs_sess *s, bool *own, struct hs_err *err)
{
    *own = sqlite3_get_autocommit(s->db) != 0;
    return *own ? hs_sess_exec(s, "BEGIN", err) : HS_OK;
}

void
hs_sess_read_end(struct hs_sess *s, bool own)
{
    if (own && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

int
hs_sess_begin(struct hs_sess *s, struct hs_err *err)
{
    int ret;

    if (s->readonly)
        return refuse_readonly(s, err);
    if (!sqlite3_get_autocommit(s->db))
        return hs_err_set(err, HS_EUSAGE, "%s: a transaction is open already", s->path);
    ret = hs_sess_exec(s, "BEGIN IMMEDIATE", err);
    s->caller_txn = ret == HS_OK;
    return ret;
}

int
hs_sess_commit(struct hs_sess *s, struct hs_err *err)
{
    int ret;

    if (sqlite3_get_autocommit(s->db)) {
        s->caller_txn = false;
        return HS_OK;
    }
    ret = hs_sess_exec(s, "COMMIT", err);
    if (ret)
        hs_sess_rollback(s);
    s->caller_txn = false;
    return ret;
}

void
hs_sess_rollback(struct hs_sess *s)
{
    if (s && s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (s)
        s->caller_txn = false;
}

/* ---- names ----------------------------------------------------------- */

static const char *const role_names[] = {"feature", "label_source", "weight",
                                         "group",   "label",        "id"};

const char *
hs_sess_role_name(int role)
{
    if (role < 0 || role >= (int)(sizeof role_names / sizeof *role_names))
        return NULL;
    return role_names[role];
}

int
hs_sess_role_parse(const char *s)
{
    for (size_t i = 0; s && i < sizeof role_names / sizeof *role_names; i++)
        if (strcmp(s, role_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *
hs_sess_kind_name(int kind)
{
    return kind == HS_COL_NUMBER ? "number" : kind == HS_COL_TEXT ? "text" : NULL;
}

int
hs_sess_kind_parse(const char *s)
{
    if (s && strcmp(s, "number") == 0)
        return HS_COL_NUMBER;
    if (s && strcmp(s, "text") == 0)
        return HS_COL_TEXT;
    return -1;
}

/* ---- paths ----------------------------------------------------------- */

static char *
join3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = hs_malloc(la + lb + lc + 1);

    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb);
        memcpy(s + la + lb, c, lc + 1);
    }
    return s;
}

char *
hs_sess_default_path(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");

    /* The XDG base directory spec: an empty or relative XDG_DATA_HOME is
     * invalid and ignored. */
    if (xdg && xdg[0] == '/')
        return join3(xdg, "/", "hepscope/default.db");
    if (!home || !home[0]) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || !home[0])
        return NULL;
    return join3(home, strcmp(home, "/") == 0 ? "" : "/", ".local/share/hepscope/default.db");
}

/* mkdir -p of the folder that holds path.  New folders are 0700 (private,
 * as the XDG spec asks for data folders). */
static int
make_parents(const char *path, struct hs_err *err)
{
    char *dir = hs_strdup(path);
    char *slash, *p;
    int ret = HS_OK;

    if (!dir)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        hs_free(dir);
        return HS_OK;
    }
    *slash = '\0';
    for (p = dir + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            struct stat st;

            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                ret = hs_err_set(err, HS_EIO, "cannot create the folder %s: %s", dir,
                                 strerror(errno));
                break;
            }
            if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
                ret = hs_err_set(err, HS_EIO, "cannot create the folder %s: %s", dir,
                                 "a file of that name is in the way");
                break;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    hs_free(dir);
    return ret;
}

/* The URI that opens path immutable: read-only, no locks, and no -wal or
 * -shm files made beside it, for checking a file before touching it. */
static char *
immutable_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *uri = hs_malloc(3 * n + 32), *q = uri;

    if (!uri)
        return NULL;
    q += sprintf(q, "file:%s", path[0] == '/' ? "//" : "");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            *q++ = (char)*p;
        } else {
            *q++ = '%';
            *q++ = hex[*p >> 4];
            *q++ = hex[*p & 15];
        }
    }
    strcpy(q, "?immutable=1");
    return uri;
}

/* ---- opening ----------------------------------------------------------- */

int
hs_sess_db_harden(sqlite3 *db)
{
    static const int off[] = {
        SQLITE_DBCONFIG_TRUSTED_SCHEMA,
        SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION,
        SQLITE_DBCONFIG_ENABLE_TRIGGER,
        SQLITE_DBCONFIG_ENABLE_VIEW,
    };
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);

    for (size_t i = 0; rc == SQLITE_OK && i < sizeof off / sizeof *off; i++)
        rc = sqlite3_db_config(db, off[i], 0, (int *)NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_enable_load_extension(db, 0);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_extended_result_codes(db, 1);
    return rc;
}

/* What a look at the file itself says, before SQLite opens it. */
struct probe {
    bool missing, empty;
    bool wal;     /* a -wal file with content is beside it */
    bool journal; /* a rollback journal is beside it (maybe hot) */
};

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool
has_content(const char *path, const char *suffix)
{
    char buf[4096];
    struct stat st;

    if (snprintf(buf, sizeof buf, "%s%s", path, suffix) >= (int)sizeof buf)
        return false;
    return stat(buf, &st) == 0 && st.st_size > 0;
}

/* Check the file's header without SQLite: an SQLite database, ours by its
 * application_id, and (when no WAL holds part of it) not cut short.
 * check_journal: report a rollback journal beside it (pr->journal) and
 * look no further. */
static int
probe_file(const char *path, struct probe *pr, bool check_journal, struct hs_err *err)
{
    unsigned char h[100];
    struct stat st;
    ssize_t n;
    int fd;
    uint32_t pgsz, npages;

    memset(pr, 0, sizeof *pr);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) {
            pr->missing = true;
            return HS_OK;
        }
        return hs_err_set(err, HS_EIO, "%s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return hs_err_set(err, HS_EIO, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return hs_err_set(err, HS_ESESSION, "%s: not a hepscope session (%s)", path,
                          S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
    }
    /* Before the header: under a hot journal the file may be half
     * written.  Only hepscope's own first steps on a new file run in
     * rollback mode, so a hot journal means one was killed there. */
    if (check_journal && has_content(path, "-journal")) {
        close(fd);
        pr->journal = true;
        return HS_OK;
    }
    if (st.st_size == 0) {
        close(fd);
        pr->empty = true;
        return HS_OK;
    }
    n = pread(fd, h, sizeof h, 0);
    close(fd);
    if (n < 0)
        return hs_err_set(err, HS_EIO, "%s: %s", path, strerror(errno));
    if (n < 16 || memcmp(h, "SQLite format 3", 16) != 0)
        return hs_err_set(err, HS_ESESSION, "%s: not a hepscope session (not an SQLite database)",
                          path);
    if (n < (ssize_t)sizeof h)
        return hs_sess_damaged(path, err, "truncated: %lld bytes", (long long)st.st_size);
    pgsz = (uint32_t)h[16] << 8 | h[17];
    if (pgsz == 1)
        pgsz = 65536;
    if (pgsz < 512 || (pgsz & (pgsz - 1)) != 0)
        return hs_sess_damaged(path, err, "bad page size in the header");
    if (be32(h + 68) != HS_SESS_APP_ID)
        return hs_err_set(err, HS_ESESSION,
                          "%s: not a hepscope session (an SQLite database of another program)",
                          path);
    pr->wal = has_content(path, "-wal");
    if (pr->wal)
        return HS_OK; /* the file alone is not the whole database */
    /* The page count in the header is valid when the change counter
     * matches the version-valid-for number (file format, section 1.3). */
    npages = be32(h + 28);
    if (st.st_size % pgsz != 0)
        return hs_sess_damaged(path, err, "truncated: %lld bytes, not a whole number of pages",
                               (long long)st.st_size);
    if (npages && be32(h + 24) == be32(h + 92) && (long long)st.st_size < (long long)npages * pgsz)
        return hs_sess_damaged(path, err, "truncated: %lld of %lld bytes", (long long)st.st_size,
                               (long long)npages * pgsz);
    return HS_OK;
}

int
hs_sess_db_open(const char *name, int flags, sqlite3 **db, const char *path, struct hs_err *err)
{
    char *plain = NULL;
    int rc;

    /* A session is a path, never a URI: SQLite built with SQLITE_USE_URI
     * (Debian's is) reads "file:x?mode=..." as one whatever the flags, and
     * ":memory:" or "" as no file at all.  A relative path as "./path" is
     * the same file to the system and plain to SQLite. */
    if (!(flags & SQLITE_OPEN_URI) && name[0] != '/') {
        if (!(plain = hs_malloc(strlen(name) + 3))) {
            *db = NULL;
            return hs_err_set(err, HS_ENOMEM, "out of memory opening %s", path);
        }
        strcpy(plain, "./");
        strcpy(plain + 2, name);
        name = plain;
    }
    rc = sqlite3_open_v2(name, db, flags, NULL);
    hs_free(plain);

    if (rc == SQLITE_OK)
        rc = hs_sess_db_harden(*db);
    if (rc != SQLITE_OK) {
        int ret = *db ? hs_sess_dberr(*db, path, rc, NULL, err)
                      : hs_err_set(err, HS_ENOMEM, "out of memory opening %s", path);
        sqlite3_close_v2(*db);
        *db = NULL;
        return ret;
    }
    sqlite3_busy_timeout(*db, HS_SESS_BUSY_MS);
    return HS_OK;
}

/* Check the file on a connection that cannot change it.  Without a WAL
 * beside it, the file is the whole database and is opened immutable,
 * which makes no -wal/-shm files; else read-only. */
static int
validate(const char *path, const struct probe *pr, int *version, struct hs_err *err)
{
    sqlite3 *db = NULL;
    char *uri = NULL;
    int ret;

    if (!pr->wal) {
        uri = immutable_uri(path);
        if (!uri)
            return hs_err_set(err, HS_ENOMEM, "out of memory opening %s", path);
        ret = hs_sess_db_open(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, &db, path, err);
        hs_free(uri);
    } else {
        ret = hs_sess_db_open(path, SQLITE_OPEN_READONLY, &db, path, err);
    }
    if (ret)
        return ret;
    ret = hs_schema_check(db, path, version, err);
    sqlite3_close_v2(db);
    return ret;
}

/* May this process write the file and the folder it is in (where SQLite
 * makes the -wal and -shm files)? */
static bool
can_write(const char *path)
{
    char dir[4096];

    if (access(path, W_OK) != 0)
        return false;
    /* A path too long to copy here: let SQLite find out. */
    return !folder_of(path, dir, sizeof dir) || access(dir, W_OK) == 0;
}

int
hs_sess_db_open_read(const char *path, sqlite3 **db, struct hs_err *err)
{
    char *uri;
    int ret;

    /* A reader that may not write the file or its folder must not need
     * the -shm file: SQLite cannot make it in a folder it cannot write
     * ("attempt to write a readonly database"), and makes it with the
     * file's mode beside a 0444 file, which locks out every later writer.
     * Without a WAL beside it the file is the whole database: immutable
     * reads it without any (and without locks, which a writer who could
     * race it would need the folder for anyway). */
    if (can_write(path) || has_content(path, "-wal"))
        return hs_sess_db_open(path, SQLITE_OPEN_READONLY, db, path, err);
    if (!(uri = immutable_uri(path))) {
        *db = NULL;
        return hs_err_set(err, HS_ENOMEM, "out of memory opening %s", path);
    }
    ret = hs_sess_db_open(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, db, path, err);
    hs_free(uri);
    return ret;
}

static int
exec_db(sqlite3 *db, const char *path, const char *sql, struct hs_err *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? HS_OK : hs_sess_dberr(db, path, rc, NULL, err);
}

static int
query_int(sqlite3 *db, const char *path, const char *sql, long long *out, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL), ret = HS_OK;

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        ret = hs_sess_dberr(db, path, rc, NULL, err);
    sqlite3_finalize(st);
    return ret;
}

/* Let SQLite roll back a hot journal: open for writing and read. */
static int
undo_journal(const char *path, struct hs_err *err)
{
    sqlite3 *db = NULL;
    long long n;
    int ret = hs_sess_db_open(path, SQLITE_OPEN_READWRITE, &db, path, err);

    if (ret == HS_OK)
        ret = query_int(db, path, "SELECT count(*) FROM sqlite_schema", &n, err);
    sqlite3_close_v2(db);
    return ret;
}

/* Make an empty file (or one whose creation was interrupted) a session.
 * Three steps, each safe to repeat: the application_id in rollback mode
 * (so that it sits in the main file, where probe_file reads it), WAL mode,
 * then the schema in one transaction.  Another process doing the same at
 * once is waited for; the caller checks the result afresh. */
static int
create_session(const char *path, struct hs_err *err)
{
    sqlite3 *db = NULL;
    long long appid = 0, nobj = 0, version = 0;
    char sql[80];
    int ret;

    ret = hs_sess_db_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db, path, err);
    if (ret)
        return ret;
    snprintf(sql, sizeof sql, "PRAGMA page_size = %d", HS_SESS_PAGE_SIZE);
    if ((ret = exec_db(db, path, sql, err)) || (ret = exec_db(db, path, "BEGIN IMMEDIATE", err)))
        goto done;
    if ((ret = query_int(db, path, "PRAGMA application_id", &appid, err)) ||
        (ret = query_int(db, path, "SELECT count(*) FROM sqlite_schema", &nobj, err)))
        goto done;
    if (appid == 0 && nobj == 0) {
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", HS_SESS_APP_ID);
        if ((ret = exec_db(db, path, sql, err)))
            goto done;
    }
    if ((ret = exec_db(db, path, "COMMIT", err)))
        goto done;
    if (appid != 0 && appid != HS_SESS_APP_ID)
        goto done; /* someone else's file now: the caller's check says so */
    if ((ret = exec_db(db, path, "PRAGMA journal_mode = WAL", err)) ||
        (ret = exec_db(db, path, "BEGIN IMMEDIATE", err)) ||
        (ret = query_int(db, path, "PRAGMA user_version", &version, err)) ||
        (ret = query_int(db, path, "SELECT count(*) FROM sqlite_schema", &nobj, err)))
        goto done;
    if (version == 0 && nobj == 0 && (ret = hs_schema_create(db, path, err)))
        goto done;
    ret = exec_db(db, path, "COMMIT", err);
done:
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(db);
    return ret;
}

/* Settings of the connection a session works on. */
static const char *const session_pragmas =
    "PRAGMA foreign_keys = ON;"
    /* Debian builds SQLite with secure_delete on, which would overwrite
     * every page of a dropped dataset with zeros. */
    "PRAGMA secure_delete = OFF;"
    "PRAGMA cell_size_check = ON;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA cache_size = -16384;"
    "PRAGMA mmap_size = 1073741824;";

static int
open_session(const char *path, bool readonly, struct hs_sess **out, struct hs_err *err)
{
    struct hs_sess *s = hs_calloc(1, sizeof *s);
    int version, ret;

    if (!s || !(s->path = hs_strdup(path))) {
        hs_free(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory opening %s", path);
    }
    s->readonly = readonly;
    /* Said before SQLite tries: it would report a folder it cannot make
     * the -wal file in as "attempt to write a readonly database". */
    if (!readonly && !can_write(path)) {
        ret = hs_err_set(err, HS_EIO,
                         "%s: cannot write the session (%s is read-only to you); commands that "
                         "only read it work",
                         path, access(path, W_OK) != 0 ? "the file" : "its folder");
        goto fail;
    }
    ret = readonly ? hs_sess_db_open_read(path, &s->db, err)
                   : hs_sess_db_open(path, SQLITE_OPEN_READWRITE, &s->db, path, err);
    if (ret)
        goto fail;
    if (!readonly && sqlite3_db_readonly(s->db, "main") == 1) {
        ret = hs_err_set(err, HS_EIO, "%s: cannot write the session file (%s)", path,
                         strerror(EACCES));
        goto fail;
    }
    if (!readonly && ((ret = exec_db(s->db, path, "PRAGMA journal_mode = WAL", err)) ||
                      (ret = exec_db(s->db, path, "PRAGMA synchronous = NORMAL", err))))
        goto fail;
    if ((ret = exec_db(s->db, path, session_pragmas, err)))
        goto fail;
    /* Checked again on this connection: the file may have changed since
     * validate() (another process migrating it, say). */
    if ((ret = hs_schema_check(s->db, path, &version, err)))
        goto fail;
    if (version < HS_SESS_SCHEMA_VERSION) {
        if (readonly || version == 0) {
            ret = hs_err_set(err, HS_ESESSION,
                             version == 0 ? "%s: the session was never set up; open it once for "
                                            "writing"
                                          : "%s: written by an older hepscope; open it once for "
                                            "writing to upgrade it",
                             path);
            goto fail;
        }
        if ((ret = exec_db(s->db, path, "BEGIN IMMEDIATE", err)) ||
            (ret = hs_schema_check(s->db, path, &version, err)) ||
            (ret = hs_schema_migrate(s->db, path, version, err)) ||
            (ret = exec_db(s->db, path, "COMMIT", err)))
            goto fail;
    }
    *out = s;
    return HS_OK;
fail:
    hs_sess_close(s);
    return ret;
}

int
hs_sess_open(const char *path, unsigned flags, struct hs_sess **out, struct hs_err *err)
{
    bool readonly = flags & HS_SESS_READONLY;
    bool create = (flags & HS_SESS_CREATE) && !readonly;
    bool existing = (flags & HS_SESS_EXISTING) && !create;
    bool recovered = false;
    int ret;

    *out = NULL;
    if (!path || !path[0])
        return hs_err_set(err, HS_EUSAGE, "no session path given");
    /* A few rounds: a file made (or finished) by create_session is checked
     * like any other before it is used. */
    for (int round = 0; round < 4; round++) {
        struct probe pr;
        int version = -1;

        if ((ret = probe_file(path, &pr, !recovered, err)))
            return ret;
        if (pr.journal) {
            /* Undoing it changes the file before the check; it is only
             * ever there when hepscope was killed making a new file. */
            if (readonly)
                return hs_err_set(err, HS_ESESSION,
                                  "%s: the session has an unfinished change; open it once for "
                                  "writing to undo it",
                                  path);
            if ((ret = undo_journal(path, err)))
                return ret;
            recovered = true;
            continue;
        }
        if (pr.missing && !create)
            return hs_err_set(err, HS_ESESSION, "no session at %s", path);
        /* An empty file is nobody's session yet: a caller that only works
         * on one that exists must not turn it into one (a killed creation
         * whose journal was just undone is finished all the same). */
        if (pr.empty && (readonly || (existing && !recovered)))
            return hs_err_set(err, HS_ESESSION, "%s: not a hepscope session (an empty file)", path);
        if (!pr.missing && !pr.empty) {
            if ((ret = validate(path, &pr, &version, err)))
                return ret;
            if (version != 0)
                return open_session(path, readonly, out, err);
            if (readonly)
                return hs_err_set(err, HS_ESESSION,
                                  "%s: the session was never set up; open it once for writing",
                                  path);
        }
        if (pr.missing && (ret = make_parents(path, err)))
            return ret;
        if ((ret = create_session(path, err)))
            return ret;
    }
    return hs_err_set(err, HS_ESESSION, "%s: cannot set up the session", path);
}

void
hs_sess_close(struct hs_sess *s)
{
    if (!s)
        return;
    if (s->db) {
        hs_sess_rollback(s);
        sqlite3_close_v2(s->db);
    }
    hs_free(s->path);
    hs_free(s);
}

const char *
hs_sess_path(const struct hs_sess *s)
{
    return s->path;
}

bool
hs_sess_readonly(const struct hs_sess *s)
{
    return s->readonly;
}
