/* strbuf.c: a growing string (strbuf.h). */
#include "config.h"

#include "strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "err.h"
#include "mem.h"

void
hs_strbuf_printf(struct hs_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->failed)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || hs_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1) != HS_OK) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
hs_strbuf_c_double(struct hs_strbuf *b, double v)
{
    if (isnan(v))
        hs_strbuf_printf(b, "NAN");
    else if (isinf(v))
        hs_strbuf_printf(b, "%sINFINITY", v < 0 ? "-" : "");
    else
        hs_strbuf_printf(b, "%a", v);
}

char *
hs_strbuf_detach(struct hs_strbuf *b)
{
    char *s;

    if (!b->failed && !b->s)
        hs_strbuf_printf(b, "%s", "");
    s = b->failed ? NULL : b->s;
    if (b->failed)
        hs_free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    b->failed = false;
    return s;
}

void
hs_strbuf_release(struct hs_strbuf *b)
{
    hs_free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}
