/* strbuf.h: a growing string for text the engine builds (option lines,
 * exported C sources, model details).  After a failed append the buffer
 * is marked failed and every later append does nothing, so a builder
 * appends freely and checks once at the end (git's strbuf, without its
 * die on failure). */
#ifndef HS_STRBUF_H
#define HS_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct hs_strbuf {
    char *s;        /* NUL-terminated once anything was appended; NULL before */
    size_t len, cap;
    bool failed;    /* an allocation failed: the text is incomplete */
};

void hs_strbuf_printf(struct hs_strbuf *b, const char *fmt, ...)
    __attribute__((format(__printf__, 2, 3)));
/* A double as a C99 constant that reads back to the same bits ("%a",
 * NAN, INFINITY). */
void hs_strbuf_c_double(struct hs_strbuf *b, double v);
/* Hand the text over (an empty string when nothing was appended); NULL
 * when an append failed.  The buffer is empty afterwards.  Free the
 * result with hs_free. */
char *hs_strbuf_detach(struct hs_strbuf *b);
void hs_strbuf_release(struct hs_strbuf *b);

#endif
