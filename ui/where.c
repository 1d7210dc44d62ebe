/* where.c: the TUI's active selection: the mask kept, the selected
 * events' labels and weights gathered once, a column gathered when a
 * view computes, and the words the status bar shows. */
#include "config.h"

#include "ui/where.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rowsel.h"
#include "ui/screen.h"

bool
hs_where_active(const struct hs_where *w)
{
    return w && w->sel.active;
}

void
hs_where_release(struct hs_where *w)
{
    hs_select_release(&w->sel);
    free(w->expr);
    free(w->cut);
    free(w->label);
    free(w->weight);
    free(w->inside);
    memset(w, 0, sizeof *w);
}

/* A gathered copy of column v (NULL: none) over sel's events into *out. */
static int
gather(const struct hs_select *sel, const double *v, double **out)
{
    *out = NULL;
    if (!v)
        return HS_OK;
    if (!(*out = malloc((sel->nsel ? sel->nsel : 1) * sizeof **out)))
        return HS_ENOMEM;
    hs_rowsel_gather(v, sel->mask, sel->nrows, *out);
    return HS_OK;
}

int
hs_where_take(struct hs_where *w, struct hs_select *sel, char *expr, char *cut,
              const struct hs_table *t, bool *changed, struct hs_err *err)
{
    struct hs_where nw = {.sel = *sel, .expr = expr, .cut = cut};
    bool was = w->sel.active;

    memset(sel, 0, sizeof *sel);
    if (nw.sel.active && (gather(&nw.sel, hs_table_label(t), &nw.label) != HS_OK ||
                          gather(&nw.sel, hs_table_weight(t), &nw.weight) != HS_OK)) {
        hs_where_release(&nw);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    if (!nw.sel.active) {
        /* Nothing in force: sel had nothing to borrow. */
        hs_where_release(&nw);
        *changed = was;
    } else {
        *changed = !was || w->sel.nrows != nw.sel.nrows ||
                   memcmp(w->sel.mask, nw.sel.mask, nw.sel.nrows) != 0;
    }
    hs_where_release(w);
    *w = nw;
    return HS_OK;
}

int
hs_where_set_versus(struct hs_where *w, bool versus, struct hs_err *err)
{
    free(w->inside);
    w->inside = NULL;
    w->versus = false;
    if (!versus || !w->sel.active)
        return HS_OK;
    if (!(w->inside = malloc((w->sel.nrows ? w->sel.nrows : 1) * sizeof *w->inside)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->sel.nrows; i++)
        w->inside[i] = w->sel.mask[i] ? 1 : 0;
    w->versus = true;
    return HS_OK;
}

bool
hs_where_versus(const struct hs_where *w)
{
    return hs_where_active(w) && w->versus;
}

size_t
hs_where_nrows(const struct hs_where *w, const struct hs_table *t)
{
    return hs_where_active(w) ? w->sel.nsel : t->nrows;
}

const double *
hs_where_label(const struct hs_where *w, const struct hs_table *t)
{
    return hs_where_active(w) ? w->label : hs_table_label(t);
}

const double *
hs_where_weight(const struct hs_where *w, const struct hs_table *t)
{
    return hs_where_active(w) ? w->weight : hs_table_weight(t);
}

int
hs_where_values(const struct hs_where *w, const double *v, const double **out,
                double **scratch, struct hs_err *err)
{
    *scratch = NULL;
    *out = v;
    if (!hs_where_active(w))
        return HS_OK;
    if (gather(&w->sel, v, scratch) != HS_OK)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    *out = *scratch;
    return HS_OK;
}

/* ---- words ---- */

void
hs_where_count(size_t n, char *buf, size_t size)
{
    char digits[32], out[48];
    int nd = snprintf(digits, sizeof digits, "%zu", n), k = 0;

    for (int i = 0; i < nd; i++) {
        if (i && (nd - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    snprintf(buf, size, "%s", out);
}

void
hs_where_describe(const char *text, size_t nsel, size_t nrows, int width, char *buf, size_t size)
{
    char a[48], b[48], counts[112];
    int cw, room;

    hs_where_count(nsel, a, sizeof a);
    hs_where_count(nrows, b, sizeof b);
    snprintf(counts, sizeof counts, "%s of %s", a, b);
    cw = hs_text_width(counts);
    snprintf(buf, size, "where %s: %s", text, counts);
    if (hs_text_width(buf) <= width)
        return;
    /* "where " + at least one character and "…" + ": " + the counts. */
    room = width - 6 - 2 - cw - 1;
    if (room >= 1) {
        size_t fit = hs_text_fit(text, room);
        while (fit > 1 && text[fit - 1] == ' ')
            fit--;
        snprintf(buf, size, "where %.*s…: %s", (int)fit, text, counts);
    } else if (cw + 7 <= width) {
        snprintf(buf, size, "where: %s", counts);
    } else if (cw <= width) {
        snprintf(buf, size, "%s", counts);
    } else {
        snprintf(buf, size, "%s", "");
    }
}
