/* termout.c: a stream that makes control characters visible (termout.h). */
#include "config.h"

#include "ui/termout.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "ui/cmd.h"

/* The decoder's state between writes: a UTF-8 sequence begun, not done. */
struct termout {
    FILE *term;
    unsigned char pend[4];
    int npend, need; /* bytes held, bytes the sequence has in all */
};

static void
put_hex(FILE *term, unsigned char b)
{
    fprintf(term, "\\x%02x", b);
}

/* Give up on the held bytes: each is shown as a byte. */
static void
drop_pending(struct termout *t)
{
    for (int i = 0; i < t->npend; i++)
        put_hex(t->term, t->pend[i]);
    t->npend = 0;
}

/* May b follow the held bytes?  The second byte's range excludes overlong
 * forms, surrogates and code points past U+10FFFF. */
static bool
continues(const struct termout *t, unsigned char b)
{
    if ((b & 0xc0) != 0x80)
        return false;
    if (t->npend == 1) {
        switch (t->pend[0]) {
        case 0xe0:
            return b >= 0xa0;
        case 0xed:
            return b < 0xa0;
        case 0xf0:
            return b >= 0x90;
        case 0xf4:
            return b < 0x90;
        }
    }
    return true;
}

static void
feed(struct termout *t, unsigned char b)
{
    if (t->npend) {
        if (continues(t, b)) {
            t->pend[t->npend++] = b;
            if (t->npend < t->need)
                return;
            /* A two-byte sequence from 0xc2 0x80 to 0xc2 0x9f is a C1 control. */
            if (t->need == 2 && t->pend[0] == 0xc2 && t->pend[1] < 0xa0)
                fprintf(t->term, "\\u%04x", t->pend[1]);
            else
                fwrite(t->pend, 1, (size_t)t->npend, t->term);
            t->npend = 0;
            return;
        }
        drop_pending(t);
    }
    if (b < 0x80) {
        if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f)
            put_hex(t->term, b);
        else
            putc(b, t->term);
    } else if (b >= 0xc2 && b <= 0xf4) {
        t->pend[0] = b;
        t->npend = 1;
        t->need = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    } else {
        put_hex(t->term, b);
    }
}

static ssize_t
termout_write(void *cookie, const char *buf, size_t size)
{
    struct termout *t = cookie;

    for (size_t i = 0; i < size; i++)
        feed(t, (unsigned char)buf[i]);
    return ferror(t->term) ? -1 : (ssize_t)size;
}

static int
termout_close(void *cookie)
{
    struct termout *t = cookie;
    int rc;

    drop_pending(t);
    rc = fflush(t->term);
    free(t);
    return rc == 0 ? 0 : EOF;
}

FILE *
hs_termout_new(FILE *term)
{
    static const cookie_io_functions_t io = {
        .write = termout_write,
        .close = termout_close,
    };
    struct termout *t = calloc(1, sizeof *t);
    FILE *f;

    if (!t)
        return NULL;
    t->term = term;
    f = fopencookie(t, "w", io);
    if (!f) {
        free(t);
        return NULL;
    }
    /* Line by line, as stdout on a terminal is: a long command's lines
     * (train's epochs) show when they are written, not at the end. */
    setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

void
hs_termout_puts(FILE *term, const char *s)
{
    struct termout t = {.term = term};

    for (; *s; s++)
        feed(&t, (unsigned char)*s);
    drop_pending(&t);
}

FILE *
hs_termout_term(struct hs_cmd *cmd)
{
    int fd;

    if (cmd->term) {
        fflush(cmd->out);
        return cmd->term;
    }
    fd = fileno(cmd->out);
    return fd >= 0 && isatty(fd) ? cmd->out : NULL;
}
