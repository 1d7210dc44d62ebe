#include "config.h"

#include "err.h"

#include <stdio.h>
#include <string.h>

static void
err_vformat(struct hs_err *err, const char *fmt, va_list ap)
{
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int
hs_err_set(struct hs_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        err->line = 0;
        err->col = 0;
        va_start(ap, fmt);
        err_vformat(err, fmt, ap);
        va_end(ap);
    }
    return code;
}

int
hs_err_set_at(struct hs_err *err, int code, int line, int col, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        err->line = line;
        err->col = col;
        va_start(ap, fmt);
        err_vformat(err, fmt, ap);
        va_end(ap);
    }
    return code;
}

void
hs_err_prefix(struct hs_err *err, const char *fmt, ...)
{
    char prefix[HS_ERR_MSG_MAX], old[HS_ERR_MSG_MAX];
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* Bounded so that both parts always fit: no truncation warning. */
    snprintf(err->msg, sizeof err->msg, "%.200s: %.300s", prefix, old);
}

void
hs_err_clear(struct hs_err *err)
{
    if (err) {
        err->code = HS_OK;
        err->line = 0;
        err->col = 0;
        err->msg[0] = '\0';
    }
}

const char *
hs_status_name(int code)
{
    switch (code) {
    case HS_OK: return "ok";
    case HS_ENOMEM: return "out of memory";
    case HS_EUSAGE: return "usage error";
    case HS_EDATA: return "bad data";
    case HS_EIO: return "input/output error";
    case HS_ECANCELLED: return "cancelled";
    case HS_ESESSION: return "session error";
    case HS_EBUSY: return "session is busy";
    case HS_ENOTFOUND: return "not found";
    case HS_EEXIST: return "already exists";
    case HS_ERANGE: return "out of range";
    }
    return "unknown error";
}
