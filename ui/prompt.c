#include "config.h"

#include "ui/view.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui/complete.h"
#include "ui/keys.h"

static int
reserve(struct hs_prompt *p, size_t need)
{
    char *nb;
    size_t cap = p->cap ? p->cap : 64;

    if (need + 1 <= p->cap)
        return HS_OK;
    while (cap < need + 1)
        cap *= 2;
    if (!(nb = realloc(p->buf, cap)))
        return HS_ENOMEM;
    p->buf = nb;
    p->cap = cap;
    return HS_OK;
}

static int
set_text(struct hs_prompt *p, const char *text)
{
    size_t n = text ? strlen(text) : 0;

    if (reserve(p, n) != HS_OK)
        return HS_ENOMEM;
    if (n)
        memcpy(p->buf, text, n);
    p->buf[n] = '\0';
    p->len = p->pos = n;
    return HS_OK;
}

int
hs_prompt_open(struct hs_prompt *p, const char *initial)
{
    free(p->saved);
    p->saved = NULL;
    p->hpos = p->nhist;
    if (set_text(p, initial) != HS_OK)
        return HS_ENOMEM;
    p->active = true;
    return HS_OK;
}

const char *
hs_prompt_line(const struct hs_prompt *p)
{
    return p->buf ? p->buf : "";
}

static void
drop_choices(struct hs_prompt *p)
{
    free(p->choices);
    p->choices = NULL;
    p->tabbed = false;
}

bool
hs_prompt_close(struct hs_prompt *p, bool keep_in_history)
{
    p->active = false;
    free(p->saved);
    p->saved = NULL;
    drop_choices(p);
    /* A completion's trailing space is not part of what was meant. */
    while (keep_in_history && p->len && p->buf && (p->buf[p->len - 1] == ' '))
        p->buf[--p->len] = '\0';
    p->pos = p->pos > p->len ? p->len : p->pos;
    if (!keep_in_history || p->len == 0 || !p->buf)
        return false;
    if (p->nhist && strcmp(p->hist[p->nhist - 1], p->buf) == 0)
        return false;
    if (p->nhist == HS_PROMPT_HISTORY_MAX) {
        free(p->hist[0]);
        memmove(p->hist, p->hist + 1, (p->nhist - 1) * sizeof *p->hist);
        p->nhist--;
    }
    if (p->nhist == p->hist_cap) {
        size_t cap = p->hist_cap ? p->hist_cap * 2 : 16;
        char **nh = realloc(p->hist, cap * sizeof *nh);
        if (!nh)
            return false; /* history is a convenience: losing a line is fine */
        p->hist = nh;
        p->hist_cap = cap;
    }
    if (!(p->hist[p->nhist] = strdup(p->buf)))
        return false;
    p->nhist++;
    return true;
}

void
hs_prompt_history_take(struct hs_prompt *p, char **lines, size_t n)
{
    size_t skip = n > HS_PROMPT_HISTORY_MAX ? n - HS_PROMPT_HISTORY_MAX : 0;

    for (size_t i = 0; i < p->nhist; i++)
        free(p->hist[i]);
    free(p->hist);
    for (size_t i = 0; i < skip; i++)
        free(lines[i]);
    if (skip)
        memmove(lines, lines + skip, (n - skip) * sizeof *lines);
    p->hist = lines;
    p->nhist = p->hist_cap = n - skip;
    p->hpos = p->nhist;
}

void
hs_prompt_release(struct hs_prompt *p)
{
    for (size_t i = 0; i < p->nhist; i++)
        free(p->hist[i]);
    free(p->hist);
    free(p->buf);
    free(p->saved);
    free(p->choices);
    memset(p, 0, sizeof *p);
}

static size_t
prev_char(const struct hs_prompt *p, size_t pos)
{
    while (pos > 0 && ((unsigned char)p->buf[--pos] & 0xc0) == 0x80)
        ;
    return pos;
}

static size_t
next_char(const struct hs_prompt *p, size_t pos)
{
    if (pos >= p->len)
        return p->len;
    while (++pos < p->len && ((unsigned char)p->buf[pos] & 0xc0) == 0x80)
        ;
    return pos;
}

static void
delete_range(struct hs_prompt *p, size_t from, size_t to)
{
    memmove(p->buf + from, p->buf + to, p->len - to + 1);
    p->len -= to - from;
    p->pos = from;
}

/* Insert n bytes of UTF-8 at the cursor. */
static void
insert_bytes(struct hs_prompt *p, const char *bytes, size_t n)
{
    if (reserve(p, p->len + n) != HS_OK)
        return;
    memmove(p->buf + p->pos + n, p->buf + p->pos, p->len - p->pos + 1);
    memcpy(p->buf + p->pos, bytes, n);
    p->len += n;
    p->pos += n;
}

static void
insert_char(struct hs_prompt *p, long cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    } else {
        u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    }
    insert_bytes(p, u, n);
}

/* Insert UTF-8 text at the cursor. */
static void
insert_text(struct hs_prompt *p, const char *text)
{
    insert_bytes(p, text, strlen(text));
}

static void
history(struct hs_prompt *p, bool older)
{
    if (older) {
        if (p->hpos == 0)
            return;
        if (p->hpos == p->nhist) {
            free(p->saved);
            p->saved = strdup(hs_prompt_line(p));
        }
        set_text(p, p->hist[--p->hpos]);
    } else {
        if (p->hpos >= p->nhist)
            return;
        p->hpos++;
        set_text(p, p->hpos == p->nhist ? p->saved : p->hist[p->hpos]);
    }
}

/* The candidates, for the rows above the line: "a  b  c". */
static void
list_choices(struct hs_prompt *p, const struct hs_completion *c)
{
    size_t len = 0;

    free(p->choices);
    p->choices = NULL;
    for (size_t i = 0; i < c->n; i++)
        len += strlen(c->cands[i]) + 2;
    if (!(p->choices = malloc(len + 1)))
        return;
    len = 0;
    for (size_t i = 0; i < c->n; i++)
        len += (size_t)sprintf(p->choices + len, "%s%s", i ? "  " : "", c->cands[i]);
}

/* Tab: the word before the cursor becomes what every candidate starts
 * with (and a space after a unique one); when that adds nothing, a
 * second Tab lists the candidates. */
static void
complete(struct hs_prompt *p)
{
    struct hs_complete_names names = {0};
    struct hs_completion c;
    bool have = p->names && p->names(p->names_user, &names) == HS_OK;
    size_t had;
    int rc;

    rc = hs_complete(hs_prompt_line(p), p->pos, have ? &names : NULL, &c);
    if (have)
        hs_complete_names_release(&names);
    if (rc != HS_OK)
        return;
    had = p->pos - c.start;
    if (c.n == 0) {
        drop_choices(p);
    } else if (strlen(c.common) > had || c.n == 1) {
        /* Replace the typed part by the candidates' common beginning. */
        delete_range(p, c.start, p->pos);
        insert_text(p, c.common);
        if (c.n == 1 && c.final && (p->pos == p->len || p->buf[p->pos] != ' '))
            insert_text(p, " ");
        drop_choices(p);
        p->tabbed = c.n > 1;
    } else if (p->tabbed) {
        list_choices(p, &c);
    } else {
        p->tabbed = true;
    }
    hs_completion_release(&c);
}

enum hs_prompt_result
hs_prompt_key(struct hs_prompt *p, int code)
{
    if (!p->buf && set_text(p, NULL) != HS_OK)
        return HS_PROMPT_CANCEL;
    if (code != '\t')
        drop_choices(p);
    switch (code) {
    case HS_KEY_ENTER:
        return HS_PROMPT_RUN;
    case HS_KEY_ESC:
    case 'c' & 0x1f:
    case 'g' & 0x1f:
        return HS_PROMPT_CANCEL;
    case HS_KEY_FN + KEY_BACKSPACE:
        if (p->len == 0)
            return HS_PROMPT_CANCEL;
        if (p->pos > 0)
            delete_range(p, prev_char(p, p->pos), p->pos);
        break;
    case HS_KEY_FN + KEY_DC:
    case 'd' & 0x1f:
        if (p->pos < p->len)
            delete_range(p, p->pos, next_char(p, p->pos));
        break;
    case HS_KEY_FN + KEY_LEFT:
    case 'b' & 0x1f:
        p->pos = prev_char(p, p->pos);
        break;
    case HS_KEY_FN + KEY_RIGHT:
    case 'f' & 0x1f:
        p->pos = next_char(p, p->pos);
        break;
    case HS_KEY_FN + KEY_HOME:
    case 'a' & 0x1f:
        p->pos = 0;
        break;
    case HS_KEY_FN + KEY_END:
    case 'e' & 0x1f:
        p->pos = p->len;
        break;
    case 'u' & 0x1f:
        delete_range(p, 0, p->pos);
        break;
    case 'k' & 0x1f:
        p->buf[p->pos] = '\0';
        p->len = p->pos;
        break;
    case 'w' & 0x1f: {
        size_t from = p->pos;
        while (from > 0 && p->buf[from - 1] == ' ')
            from--;
        while (from > 0 && p->buf[from - 1] != ' ')
            from--;
        delete_range(p, from, p->pos);
        break;
    }
    case HS_KEY_FN + KEY_UP:
    case 'p' & 0x1f:
        history(p, true);
        break;
    case HS_KEY_FN + KEY_DOWN:
    case 'n' & 0x1f:
        history(p, false);
        break;
    case '\t':
        complete(p);
        break;
    default:
        if (code >= ' ' && code != 0x7f && code < 0x110000 && !(code >= 0xd800 && code < 0xe000))
            insert_char(p, code);
        break;
    }
    return HS_PROMPT_EDITING;
}

/* The candidates in rows above row y, filled from the left and wrapped
 * at word boundaries; those that do not fit in a third of the screen
 * are counted instead. */
static void
draw_choices(const char *choices, struct hs_screen *s, int x, int y, int w)
{
    int maxrows = s->h / 3 > 1 ? s->h / 3 : 1, nrows = 0, cx = 0;
    const char *c = choices;

    /* First pass: how many rows the words take. */
    while (*c) {
        size_t n = strcspn(c, " ");
        int cw = (int)n + 2;
        if (cx && cx + cw > w - 1) {
            nrows++;
            cx = 0;
        }
        cx += cw;
        c += n;
        c += strspn(c, " ");
    }
    nrows += cx > 0;
    if (nrows > maxrows)
        nrows = maxrows;
    if (nrows > y)
        nrows = y;
    hs_screen_fill(s, x, y - nrows, w, nrows, HS_COLOR_STATUS, 0);
    c = choices;
    cx = 0;
    for (int r = 0; r < nrows && *c;) {
        size_t n = strcspn(c, " ");
        char word[256];
        int cw = (int)n + 2;
        if (cx && cx + cw > w - 1) {
            if (++r == nrows)
                break;
            cx = 0;
        }
        if (r == nrows - 1 && cx + cw > w - 12 && c[n]) {
            /* The last row: say how many more there are. */
            size_t more = 0;
            for (const char *d = c; *d; d += strspn(d, " ")) {
                more++;
                d += strcspn(d, " ");
            }
            hs_screen_printf(s, x + 1 + cx, y - nrows + r, w - 1 - cx, HS_COLOR_STATUS, 0,
                             "(+%zu more)", more);
            break;
        }
        snprintf(word, sizeof word, "%.*s", (int)(n < 255 ? n : 255), c);
        hs_screen_put(s, x + 1 + cx, y - nrows + r, w - 1 - cx, word, HS_COLOR_STATUS, 0);
        cx += cw;
        c += n;
        c += strspn(c, " ");
    }
}

void
hs_prompt_draw(const struct hs_prompt *p, struct hs_screen *s, int x, int y, int w)
{
    const char *line = hs_prompt_line(p);
    size_t start = 0;
    int avail = w - 2; /* ':' and a cell for the cursor after the end */
    char *head;

    if (p->choices)
        draw_choices(p->choices, s, x, y, w);
    hs_screen_fill(s, x, y, w, 1, HS_COLOR_NORMAL, 0);
    hs_screen_put(s, x, y, 1, ":", HS_COLOR_HEADER, HS_ATTR_BOLD);
    if (avail < 1)
        return;
    /* Scroll horizontally so the cursor stays on screen. */
    head = strndup(line, p->pos);
    if (!head)
        return;
    while (start < p->pos && hs_text_width(head + start) > avail) {
        start++;
        while (start < p->pos && ((unsigned char)line[start] & 0xc0) == 0x80)
            start++;
    }
    hs_screen_put(s, x + 1, y, avail + 1, line + start, HS_COLOR_NORMAL, 0);
    hs_screen_set_cursor(s, x + 1 + hs_text_width(head + start), y);
    free(head);
}
