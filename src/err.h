/* err.h: status codes and the error record every fallible call fills.
 *
 * A fallible function returns HS_OK (0) or one of the negative codes below,
 * and leaves the detail in the caller's struct hs_err through hs_err_set(),
 * which returns the code so that reporting and failing is one `return`.
 * err may be NULL everywhere.  Messages follow git: lowercase, no full stop,
 * names in quotes, located like a compiler's ("data.csv:12:3: ...").
 */
#ifndef HS_ERR_H
#define HS_ERR_H

#include <stdarg.h>

enum hs_status {
    HS_OK = 0,
    HS_ENOMEM = -1,      /* out of memory */
    HS_EUSAGE = -2,      /* the request itself is wrong: bad option, unknown name */
    HS_EDATA = -3,       /* the input data is malformed */
    HS_EIO = -4,         /* reading or writing a file failed */
    HS_ECANCELLED = -5,  /* the task's cancel flag was raised */
    HS_ESESSION = -6,    /* the session file is unusable: corrupt, foreign, too new */
    HS_EBUSY = -7,       /* another process holds the session */
    HS_ENOTFOUND = -8,   /* a named thing (dataset, column) does not exist */
    HS_EEXIST = -9,      /* a named thing already exists */
    HS_ERANGE = -10,     /* a number or size is out of the allowed range */
};

#define HS_ERR_MSG_MAX 512

struct hs_err {
    int code;  /* an hs_status */
    int line;  /* 1-based input line, 0 when not about a line */
    int col;   /* 1-based column (field or character), 0 when not known */
    char msg[HS_ERR_MSG_MAX];
};

/* Record an error and return code; the message is a format and its arguments. */
int hs_err_set(struct hs_err *err, int code, const char *fmt, ...)
    __attribute__((format(__printf__, 3, 4)));

/* Like hs_err_set, also recording the position the message is about. */
int hs_err_set_at(struct hs_err *err, int code, int line, int col, const char *fmt, ...)
    __attribute__((format(__printf__, 5, 6)));

/* Put "prefix: " in front of an existing message, keeping code and position. */
void hs_err_prefix(struct hs_err *err, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));

/* Clear an error record to HS_OK and an empty message. */
void hs_err_clear(struct hs_err *err);

/* A short English name for a status code ("out of memory", "cancelled"). */
const char *hs_status_name(int code);

#endif
