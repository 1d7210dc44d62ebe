#include "config.h"

#include "ui/view.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "numround.h"
#include "colsort.h"
#include "freq.h"

/* Column widths come from this many rows spread over the table: enough to
 * see the usual magnitudes, cheap on a million rows. */
#define SAMPLE_ROWS 2000
#define NAME_MAX_W 16
#define DERIVED_NAME_MAX_W 24
#define NUM_MAX_W 12
#define TEXT_MAX_W 24
#define COL_SEP 2
#define DISPLAY_MAX 9 /* longer numbers show six significant digits */

void
hs_num_fit(double x, int w, char *buf, size_t bufsize)
{
    char tmp[64];
    int n;

    if (bufsize == 0)
        return;
    if (isnan(x)) {
        snprintf(buf, bufsize, "NA");
        return;
    }
    n = hs_num_format(x, tmp);
    if (n <= w) {
        snprintf(buf, bufsize, "%s", tmp);
        return;
    }
    /* Fewer significant digits until it fits.  LC_NUMERIC stays "C" in
     * hepscope (main sets LC_CTYPE only), so '.' is the decimal point. */
    for (int prec = w < 17 ? w : 17; prec >= 1; prec--) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        if ((int)strlen(tmp) <= w) {
            snprintf(buf, bufsize, "%s", tmp);
            return;
        }
    }
    n = w < (int)bufsize - 1 ? w : (int)bufsize - 1;
    memset(buf, '#', (size_t)(n > 0 ? n : 0));
    buf[n > 0 ? n : 0] = '\0';
}

/* What a grid cell shows: the shortest round-trip form when it is short,
 * else six significant digits (as pandas prints); the exact value of the
 * current cell is in the status line. */
static int
num_display(double x, char buf[HS_NUM_BUF])
{
    int n = hs_num_format(x, buf);

    if (n <= DISPLAY_MAX || !isfinite(x))
        return n;
    return snprintf(buf, HS_NUM_BUF, "%.6g", x);
}

static void
extra_free(struct hs_column *ex, size_t n)
{
    for (size_t i = 0; ex && i < n; i++)
        free(ex[i].name);
    free(ex);
}

void
hs_data_view_release(struct hs_data_view *dv)
{
    free(dv->order);
    free(dv->cols);
    free(dv->width);
    extra_free(dv->extra, dv->nextra);
    memset(dv, 0, sizeof *dv);
}

/* Shown column i: a table column or a derived feature after them. */
static const struct hs_column *
shown(const struct hs_data_view *dv, size_t i)
{
    size_t k = dv->cols[i];

    return k < dv->t->ncols ? &dv->t->cols[k] : &dv->extra[k - dv->t->ncols];
}

/* 0 for a column not read yet: measured when read (hs_data_view_load). */
static int
column_width(const struct hs_table *t, const struct hs_column *c)
{
    int w = hs_text_width(c->name);

    if (!c->v)
        return 0;
    w = w > NAME_MAX_W ? NAME_MAX_W : w;
    if (c->kind == HS_COL_TEXT) {
        for (size_t i = 0; i < c->ncats && w < TEXT_MAX_W; i++) {
            int cw = hs_text_width(c->cats[i]);
            if (cw > w)
                w = cw > TEXT_MAX_W ? TEXT_MAX_W : cw;
        }
    } else {
        size_t step = t->nrows > SAMPLE_ROWS ? t->nrows / SAMPLE_ROWS : 1;
        for (size_t i = 0; i < t->nrows && w < NUM_MAX_W; i += step) {
            char tmp[HS_NUM_BUF];
            int nw = isnan(c->v[i]) ? 2 : num_display(c->v[i], tmp);
            if (nw > w)
                w = nw > NUM_MAX_W ? NUM_MAX_W : nw;
        }
    }
    return w < 2 ? 2 : w;
}

int
hs_data_view_set(struct hs_data_view *dv, const struct hs_table *t)
{
    size_t n = 0;

    hs_data_view_release(dv);
    if (!t)
        return HS_OK;
    dv->cols = malloc((t->ncols ? t->ncols : 1) * sizeof *dv->cols);
    dv->width = malloc((t->ncols ? t->ncols : 1) * sizeof *dv->width);
    if (!dv->cols || !dv->width) {
        hs_data_view_release(dv);
        return HS_ENOMEM;
    }
    for (size_t i = 0; i < t->ncols; i++) {
        /* hepscope's own 0/1 label is shown as the row marker instead. */
        if (t->cols[i].role == HS_ROLE_LABEL)
            continue;
        dv->cols[n] = i;
        dv->width[n] = column_width(t, &t->cols[i]);
        n++;
    }
    dv->t = t;
    dv->ncols = n;
    dv->rows.n = t->nrows;
    dv->rows.page = 1;
    return HS_OK;
}

/* Derived names tell apart by their start (m_mu_plus_mu_minus,
 * pt_mu_plus_mu_minus): give them more room before cutting. */
static int
derived_width(const struct hs_table *t, const struct hs_column *c)
{
    int w = column_width(t, c), namew = hs_text_width(c->name);

    namew = namew > DERIVED_NAME_MAX_W ? DERIVED_NAME_MAX_W : namew;
    return namew > w && w ? namew : w;
}

int
hs_data_view_set_extra(struct hs_data_view *dv, const char *const *names,
                       const double *const *values, size_t n)
{
    size_t base = dv->ncols - dv->nextra, *nc;
    struct hs_column *ex = NULL, *old = dv->extra;
    size_t nold = dv->nextra;
    int *oldw = NULL, *nw;

    /* The widths of the columns shown before: the same feature with the
     * same values (a toggle of another one) keeps its width, which saves
     * formatting a sample of its values again. */
    if (old && n && (oldw = malloc(nold * sizeof *oldw)))
        memcpy(oldw, dv->width + base, nold * sizeof *oldw);
    dv->extra = NULL;
    dv->nextra = 0;
    dv->ncols = base;
    dv->nextra = 0;
    if (dv->curcol >= dv->ncols)
        dv->curcol = dv->ncols ? dv->ncols - 1 : 0;
    if (!dv->t || n == 0) {
        extra_free(old, nold);
        free(oldw);
        return HS_OK;
    }
    nc = realloc(dv->cols, (base + n) * sizeof *nc);
    if (nc)
        dv->cols = nc;
    nw = realloc(dv->width, (base + n) * sizeof *nw);
    if (nw)
        dv->width = nw;
    if (!nc || !nw || !(ex = calloc(n, sizeof *ex))) {
        extra_free(old, nold);
        free(oldw);
        return HS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (oldw && j < nold && (old[j].v != values[i] || strcmp(old[j].name, names[i]) != 0))
            j++;
        /* A column in all but ownership: the feature set keeps the
         * values (the name is copied, to know the column next time). */
        if (!(ex[i].name = strdup(names[i]))) {
            extra_free(ex, i);
            extra_free(old, nold);
            free(oldw);
            return HS_ENOMEM;
        }
        ex[i].kind = HS_COL_NUMBER;
        ex[i].role = HS_ROLE_FEATURE;
        ex[i].v = (double *)values[i];
        dv->cols[base + i] = dv->t->ncols + i;
        if (oldw && j < nold) {
            dv->width[base + i] = oldw[j];
            continue;
        }
        dv->width[base + i] = derived_width(dv->t, &ex[i]);
    }
    extra_free(old, nold);
    free(oldw);
    dv->extra = ex;
    dv->nextra = n;
    dv->ncols = base + n;
    if (dv->curcol >= dv->ncols)
        dv->curcol = dv->ncols ? dv->ncols - 1 : 0;
    return HS_OK;
}

void
hs_data_view_move(struct hs_data_view *dv, enum hs_move m, size_t count)
{
    switch (m) {
    case HS_MOVE_LEFT:
        dv->curcol = dv->curcol > count ? dv->curcol - count : 0;
        break;
    case HS_MOVE_RIGHT:
        if (dv->ncols)
            dv->curcol = dv->curcol + count < dv->ncols ? dv->curcol + count : dv->ncols - 1;
        break;
    case HS_MOVE_FIRST_COLUMN:
        dv->curcol = 0;
        break;
    case HS_MOVE_LAST_COLUMN:
        dv->curcol = dv->ncols ? dv->ncols - 1 : 0;
        break;
    default:
        hs_scroll_move(&dv->rows, m, count);
        break;
    }
}

bool
hs_data_view_goto_column(struct hs_data_view *dv, const char *name)
{
    for (size_t i = 0; i < dv->ncols; i++)
        if (strcmp(shown(dv, i)->name, name) == 0) {
            dv->curcol = i;
            return true;
        }
    return false;
}

const char *
hs_data_view_column(const struct hs_data_view *dv)
{
    if (!dv->t || dv->curcol >= dv->ncols)
        return NULL;
    return shown(dv, dv->curcol)->name;
}

void
hs_data_view_cell(const struct hs_data_view *dv, char *buf, size_t size)
{
    const struct hs_column *c;
    double v;

    buf[0] = '\0';
    if (!dv->t || dv->curcol >= dv->ncols || dv->rows.cur >= dv->rows.n)
        return;
    c = shown(dv, dv->curcol);
    if (!c->v)
        return; /* not read (hs_data_view_load failed) */
    v = c->v[hs_data_view_row(dv, dv->rows.cur)];
    if (isnan(v)) {
        snprintf(buf, size, "NA");
    } else if (c->kind == HS_COL_TEXT) {
        const char *txt = hs_column_text(c, v);
        snprintf(buf, size, "%s", txt ? txt : "?");
    } else {
        char num[HS_NUM_BUF];
        hs_num_format(v, num);
        snprintf(buf, size, "%s", num);
    }
}

/* Bring the current column into view: the first shown column moves left
 * or right only as far as needed. */
static void
fit_columns(struct hs_data_view *dv, int avail)
{
    if (dv->curcol >= dv->ncols)
        dv->curcol = dv->ncols ? dv->ncols - 1 : 0;
    if (dv->left > dv->curcol)
        dv->left = dv->curcol;
    while (dv->left < dv->curcol) {
        int used = 0;
        for (size_t i = dv->left; i <= dv->curcol; i++)
            used += dv->width[i] + (i > dv->left ? COL_SEP : 0);
        if (used <= avail)
            break;
        dv->left++;
    }
}

/* The row numbers' and labels' gutter left of the columns. */
static int
gutter_width(const struct hs_table *t)
{
    return hs_ndigits(t->nrows) + (hs_table_label(t) ? 2 : 0) + 1;
}

int
hs_data_view_load(struct hs_data_view *dv, size_t i, struct hs_featureset *fs,
                  const struct hs_task *task, struct hs_err *err)
{
    struct hs_column *ex;
    const double *v;
    size_t k;
    int rc;

    if (!dv->t || i >= dv->ncols || dv->width[i])
        return HS_OK; /* measured: read */
    k = dv->cols[i];
    if (k < dv->t->ncols) {
        if ((rc = hs_table_values(dv->t, k, &v, task, err)) != HS_OK)
            return rc;
        dv->width[i] = column_width(dv->t, &dv->t->cols[k]);
        return HS_OK;
    }
    ex = &dv->extra[k - dv->t->ncols];
    if (!ex->v) {
        if (!fs)
            return hs_err_set(err, HS_ENOTFOUND, "no values for '%s'", ex->name);
        if ((rc = hs_featureset_values_by_name(fs, ex->name, &v, task, err)) != HS_OK)
            return rc;
        ex->v = (double *)v;
    }
    dv->width[i] = derived_width(dv->t, ex);
    return HS_OK;
}

int
hs_data_view_load_shown(struct hs_data_view *dv, int w, struct hs_featureset *fs,
                        const struct hs_task *task, struct hs_err *err)
{
    int avail, used, rc;
    size_t j;

    if (!dv->t || dv->ncols == 0)
        return HS_OK;
    /* As the draw places them (fit_columns), each column read and
     * measured before it is placed: the current column, those left of
     * it that fit beside it, then those right of it.  Unread columns
     * count as 0 wide, so this first fit never moves past the true left. */
    avail = w - gutter_width(dv->t);
    fit_columns(dv, avail);
    if ((rc = hs_data_view_load(dv, dv->curcol, fs, task, err)) != HS_OK)
        return rc;
    used = dv->width[dv->curcol];
    for (j = dv->curcol; j > dv->left; j--) {
        if ((rc = hs_data_view_load(dv, j - 1, fs, task, err)) != HS_OK)
            return rc;
        if (used + COL_SEP + dv->width[j - 1] > avail)
            break;
        used += COL_SEP + dv->width[j - 1];
    }
    dv->left = j;
    for (size_t i = dv->curcol + 1; i < dv->ncols && used + COL_SEP < avail; i++) {
        if ((rc = hs_data_view_load(dv, i, fs, task, err)) != HS_OK)
            return rc;
        used += COL_SEP + dv->width[i];
    }
    return HS_OK;
}

static enum hs_color
label_color(const double *label, size_t row)
{
    if (!label || isnan(label[row]))
        return HS_COLOR_DIM;
    return label[row] == 1 ? HS_COLOR_SIGNAL : HS_COLOR_BACKGROUND;
}

static void
draw_cell(const struct hs_column *c, double v, struct hs_screen *s, int x, int y, int w,
          enum hs_color color, unsigned attr)
{
    char buf[64];

    if (isnan(v)) {
        hs_screen_put_field(s, x, y, w, "NA",
                            c->kind == HS_COL_TEXT ? HS_ALIGN_LEFT : HS_ALIGN_RIGHT,
                            color == HS_COLOR_NORMAL ? HS_COLOR_DIM : color, attr);
    } else if (c->kind == HS_COL_TEXT) {
        const char *txt = hs_column_text(c, v);
        hs_screen_put_field(s, x, y, w, txt ? txt : "?", HS_ALIGN_LEFT, color, attr);
    } else {
        char shown[HS_NUM_BUF];
        if (num_display(v, shown) <= w)
            snprintf(buf, sizeof buf, "%s", shown);
        else
            hs_num_fit(v, w, buf, sizeof buf);
        hs_screen_put_field(s, x, y, w, buf, HS_ALIGN_RIGHT, color, attr);
    }
}

void
hs_data_view_draw(struct hs_data_view *dv, struct hs_screen *s, int x, int y, int w, int h)
{
    const struct hs_table *t = dv->t;
    const double *label;
    int rnw, gutter, avail, rows;
    size_t last;

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (!t || h < 1 || w < 1)
        return;
    label = hs_table_label(t);
    rnw = hs_ndigits(t->nrows);
    gutter = gutter_width(t);
    avail = w - gutter;
    rows = h - 1;
    hs_scroll_fit(&dv->rows, rows);
    fit_columns(dv, avail);

    /* Header: the column names, the current one highlighted. */
    hs_screen_put_field(s, x, y, rnw, "#", HS_ALIGN_RIGHT, HS_COLOR_HEADER, HS_ATTR_BOLD);
    last = dv->left;
    for (size_t i = dv->left, cx = (size_t)(x + gutter); i < dv->ncols; i++) {
        const struct hs_column *c = shown(dv, i);
        bool derived = dv->cols[i] >= t->ncols;
        int cw = dv->width[i];
        if ((int)cx + cw > x + w) {
            if (i > dv->left)
                break;
            cw = x + w - (int)cx; /* one column wider than the screen: cut it */
        }
        hs_screen_put_field(s, (int)cx, y, cw, c->name,
                            c->kind == HS_COL_TEXT ? HS_ALIGN_LEFT : HS_ALIGN_RIGHT,
                            i == dv->curcol ? HS_COLOR_SELECTION
                            : derived       ? HS_COLOR_DERIVED
                                            : HS_COLOR_HEADER,
                            HS_ATTR_BOLD);
        last = i;
        cx += (size_t)cw + COL_SEP;
    }
    if (dv->rows.n == 0) {
        hs_screen_put(s, x + gutter, y + 1, avail,
                      t->nrows ? "(the selection keeps no events)" : "(this dataset has no events)",
                      HS_COLOR_DIM, 0);
        return;
    }

    /* Only the visible rows and columns are formatted: this is what keeps
     * a million-row table as fast as a ten-row one. */
    for (int r = 0; r < rows && dv->rows.top + (size_t)r < dv->rows.n; r++) {
        size_t row = hs_data_view_row(dv, dv->rows.top + (size_t)r);
        int ry = y + 1 + r, cx = x + gutter;
        char num[32];
        enum hs_color lc = label_color(label, row);

        snprintf(num, sizeof num, "%zu", row + 1);
        hs_screen_put_field(s, x, ry, rnw, num, HS_ALIGN_RIGHT, HS_COLOR_DIM, 0);
        if (label)
            hs_screen_put(s, x + rnw + 1, ry, 1,
                          lc == HS_COLOR_SIGNAL ? "S" : lc == HS_COLOR_BACKGROUND ? "B" : "?",
                          lc, HS_ATTR_BOLD);
        for (size_t i = dv->left; i <= last; i++) {
            const struct hs_column *c = shown(dv, i);
            int cw = dv->width[i];
            /* A multi-file import is labelled by its synthetic group. */
            bool is_label = c->role == HS_ROLE_LABEL_SRC ||
                            (label && c->synthetic && c->role == HS_ROLE_GROUP);
            if (cx + cw > x + w)
                cw = x + w - cx;
            if (c->v)
                draw_cell(c, c->v[row], s, cx, ry, cw, is_label ? lc : HS_COLOR_NORMAL, 0);
            cx += cw + COL_SEP;
        }
        if (dv->rows.top + (size_t)r == dv->rows.cur)
            hs_screen_add_attr(s, x, ry, w, HS_ATTR_REVERSE);
    }
}

/* ---- the rows shown: selection, sort, search, frequencies ----
 *
 * Work over every row goes in chunks of CHUNK rows, between which the
 * task's cancel flag is read and its progress told: a million rows are
 * tens of milliseconds, but the TUI stays answerable on more. */

#define CHUNK 65536

size_t
hs_data_view_row(const struct hs_data_view *dv, size_t i)
{
    return dv->order ? dv->order[i] : i;
}

static bool
chunk_check(const struct hs_task *task, size_t done, size_t total, const char *what)
{
    if (done % CHUNK != 0)
        return true;
    if (hs_task_cancelled(task))
        return false;
    hs_task_progress(task, total ? (double)done / (double)total : 1, what);
    return true;
}

static int
cat_cmp(const void *a, const void *b, void *user)
{
    char **cats = user;
    return strcmp(cats[*(const size_t *)a], cats[*(const size_t *)b]);
}

/* Rank of each code of a text column in the strings' byte order. */
static double *
text_ranks(const struct hs_column *c)
{
    size_t *codes = malloc((c->ncats ? c->ncats : 1) * sizeof *codes);
    double *rank = malloc((c->ncats ? c->ncats : 1) * sizeof *rank);

    if (!codes || !rank) {
        free(codes);
        free(rank);
        return NULL;
    }
    for (size_t i = 0; i < c->ncats; i++)
        codes[i] = i;
    qsort_r(codes, c->ncats, sizeof *codes, cat_cmp, c->cats);
    for (size_t i = 0; i < c->ncats; i++)
        rank[codes[i]] = (double)i;
    free(codes);
    return rank;
}

/* The rows of mask in the table's order, sorted by column c (dir) when c
 * is given: a new vector of *n rows. */
static int
make_order(const struct hs_table *t, const unsigned char *mask, const struct hs_column *c, int dir,
           size_t **out, size_t *n, const struct hs_task *task, struct hs_err *err)
{
    size_t m = 0, *idx;
    double *rank = NULL;
    int rc;

    *out = NULL;
    *n = 0;
    if (!(idx = malloc((t->nrows ? t->nrows : 1) * sizeof *idx)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->nrows; i++)
        if (!mask || mask[i])
            idx[m++] = i;
    if (c && dir) {
        if (c->kind == HS_COL_TEXT && !(rank = text_ranks(c))) {
            free(idx);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
        rc = hs_colsort_rows(c->v, rank, c->ncats, idx, m, dir, task, err);
        free(rank);
        if (rc != HS_OK) {
            free(idx);
            return rc;
        }
    }
    *out = idx;
    *n = m;
    return HS_OK;
}

/* The column to sort by: dv->sort_col when shown. */
static const struct hs_column *
sort_column(const struct hs_data_view *dv)
{
    for (size_t i = 0; dv->sort_col[0] && i < dv->ncols; i++)
        if (strcmp(shown(dv, i)->name, dv->sort_col) == 0)
            return shown(dv, i);
    return NULL;
}

/* Put order in place, the cursor on the table row it was on (at the same
 * place of the screen) when that row is still shown. */
static void
take_order(struct hs_data_view *dv, size_t *order, size_t n)
{
    bool had = dv->rows.cur < dv->rows.n;
    size_t row = had ? hs_data_view_row(dv, dv->rows.cur) : 0;
    size_t off = dv->rows.cur >= dv->rows.top ? dv->rows.cur - dv->rows.top : 0, cur = 0;

    free(dv->order);
    dv->order = order;
    dv->rows.n = n;
    for (size_t i = 0; had && i < n; i++)
        if (hs_data_view_row(dv, i) == row) {
            cur = i;
            break;
        }
    dv->rows.cur = cur;
    dv->rows.top = cur >= off ? cur - off : 0;
}

int
hs_data_view_sort(struct hs_data_view *dv, const unsigned char *mask, int dir,
                  const struct hs_task *task, struct hs_err *err)
{
    const struct hs_column *c;
    size_t *order, n;
    char name[sizeof dv->sort_col];
    int rc;

    if (!dv->t)
        return HS_OK;
    snprintf(name, sizeof name, "%s", dv->sort_col);
    if (dir && dv->sort_dir == 0) {
        const char *cur = hs_data_view_column(dv);
        snprintf(dv->sort_col, sizeof dv->sort_col, "%s", cur ? cur : "");
    }
    c = dir ? sort_column(dv) : NULL;
    if (dir && !c) {
        snprintf(dv->sort_col, sizeof dv->sort_col, "%s", name);
        return hs_err_set(err, HS_EUSAGE, "no column to sort by");
    }
    if (!mask && !c) {
        /* The table's order: no vector at all. */
        take_order(dv, NULL, dv->t->nrows);
        dv->sort_dir = 0;
        dv->sort_col[0] = '\0';
        return HS_OK;
    }
    rc = make_order(dv->t, mask, c, dir, &order, &n, task, err);
    if (rc != HS_OK) {
        snprintf(dv->sort_col, sizeof dv->sort_col, "%s", name);
        return rc;
    }
    take_order(dv, order, n);
    dv->sort_dir = c ? dir : 0;
    if (!c)
        dv->sort_col[0] = '\0';
    return HS_OK;
}

int
hs_data_view_filter(struct hs_data_view *dv, const unsigned char *mask,
                    const struct hs_task *task, struct hs_err *err)
{
    return hs_data_view_sort(dv, mask, sort_column(dv) ? dv->sort_dir : 0, task, err);
}

/* Does text contain needle, ASCII case ignored? */
static bool
contains_nocase(const char *text, const char *needle)
{
    size_t n = strlen(needle);

    for (; *text; text++) {
        size_t i = 0;
        while (i < n && text[i] && tolower((unsigned char)text[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return n == 0;
}

/* What a typed number finds: the values whose digits begin as typed,
 * up to its decimals ("11.4": 11.4 <= v < 11.5; "-0.3": -0.4 < v <= -0.3),
 * worked out once so that a million rows are compared, not printed.
 * With an exponent ("1e-5") only the value itself. */
struct num_query {
    bool any;      /* text is a number */
    double x, lo, hi;
    bool lo_open;  /* lo < v (negative), else lo <= v < hi */
};

static void
num_query_make(const char *text, size_t len, struct num_query *q)
{
    const char *dot = memchr(text, '.', len);
    int decimals = dot ? (int)(len - (size_t)(dot - text) - 1) : 0;
    double step;

    memset(q, 0, sizeof *q);
    if (hs_num_parse(text, len, &q->x) != HS_OK || !isfinite(q->x))
        return;
    q->any = true;
    q->lo = q->hi = q->x;
    if (memchr(text, 'e', len) || memchr(text, 'E', len))
        return;
    step = pow(10, -decimals);
    if (text[0] == '-') {
        q->lo = q->x - step;
        q->lo_open = true;
    } else {
        q->hi = q->x + step;
    }
}

static bool
number_matches(double v, const char *text, const struct num_query *q)
{
    if (isnan(v))
        return strcmp(text, "NA") == 0;
    if (!q->any)
        return false;
    if (v == q->x)
        return true;
    return q->lo_open ? v > q->lo && v <= q->hi : v >= q->lo && v < q->hi;
}

int
hs_data_view_search(struct hs_data_view *dv, const char *text, int dir,
                    const struct hs_task *task, struct hs_err *err)
{
    const struct hs_column *c;
    bool *hit = NULL;
    size_t n = dv->rows.n;
    struct num_query q;

    if (!dv->t || dv->curcol >= dv->ncols)
        return hs_err_set(err, HS_EUSAGE, "no column to search");
    if (!text || !*text)
        return hs_err_set(err, HS_EUSAGE, "nothing to search for (/ and a value or text)");
    if (text != dv->search)
        snprintf(dv->search, sizeof dv->search, "%s", text);
    c = shown(dv, dv->curcol);
    num_query_make(text, strlen(text), &q);
    if (c->kind == HS_COL_TEXT) {
        /* Each string once, then a look-up per row. */
        if (!(hit = calloc(c->ncats ? c->ncats : 1, sizeof *hit)))
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        for (size_t k = 0; k < c->ncats; k++)
            hit[k] = contains_nocase(c->cats[k], text);
    }
    for (size_t k = 1; k <= n; k++) {
        size_t i = dir > 0 ? (dv->rows.cur + k) % n : (dv->rows.cur + n - k % n) % n;
        double v = c->v[hs_data_view_row(dv, i)];
        bool match;

        if (!chunk_check(task, k, n, "searching")) {
            free(hit);
            return hs_err_set(err, HS_ECANCELLED, "search cancelled");
        }
        if (hit)
            match = isnan(v) ? strcmp(text, "NA") == 0 : (size_t)v < c->ncats && hit[(size_t)v];
        else
            match = number_matches(v, text, &q);
        if (match) {
            free(hit);
            dv->rows.cur = i;
            return HS_OK;
        }
    }
    free(hit);
    return hs_err_set(err, HS_ENOTFOUND, "'%s' is not in column '%s'%s", text, c->name,
                      dv->order && dv->rows.n < dv->t->nrows ? " (of the rows selected)" : "");
}

int
hs_data_view_freq(const struct hs_data_view *dv, struct hs_freq_row **rows, size_t *nrows,
                  const struct hs_task *task, struct hs_err *err)
{
    const struct hs_column *c;
    struct hs_freq f;
    struct hs_freq_input in = {0};
    struct hs_freq_row *out;
    int rc;

    *rows = NULL;
    *nrows = 0;
    if (!dv->t || dv->curcol >= dv->ncols)
        return hs_err_set(err, HS_EUSAGE, "no column to count");
    c = shown(dv, dv->curcol);
    in.v = c->v;
    in.rows = dv->order;
    in.n = dv->rows.n;
    in.label = hs_table_label(dv->t);
    in.max_distinct = HS_FREQ_DISTINCT;
    if (c->kind == HS_COL_TEXT) {
        in.cats = (const char *const *)c->cats;
        in.ncats = c->ncats;
    }
    if ((rc = hs_freq_count(&in, &f, task, err)) != HS_OK)
        return rc;
    if (!(out = calloc(f.n ? f.n : 1, sizeof *out))) {
        hs_freq_release(&f);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < f.n; k++) {
        const struct hs_freq_entry *e = &f.entries[k];
        char a[HS_NUM_BUF], b[HS_NUM_BUF];

        switch (e->what) {
        case HS_FREQ_TEXT:
            snprintf(out[k].label, sizeof out[k].label, "%s", c->cats[e->code]);
            break;
        case HS_FREQ_BIN:
            /* Edges as decimals: lo + k * width has binary noise. */
            hs_num_show(hs_num_round_within(e->lo, f.width / 1000), a);
            hs_num_show(hs_num_round_within(e->hi, f.width / 1000), b);
            snprintf(out[k].label, sizeof out[k].label, "[%s, %s)", a, b);
            break;
        case HS_FREQ_VALUE:
            hs_num_format(e->value, a);
            snprintf(out[k].label, sizeof out[k].label, "%s", a);
            break;
        case HS_FREQ_MISSING:
            snprintf(out[k].label, sizeof out[k].label, "NA");
            break;
        }
        out[k].count = e->count;
        out[k].nsig = e->nsig;
        out[k].nbkg = e->nbkg;
    }
    *rows = out;
    *nrows = f.n;
    hs_freq_release(&f);
    return HS_OK;
}

/* ---- the view class ---- */

static void
data_init(struct hs_tui *tui, struct hs_view *view)
{
    view->data = &tui->data;
}

static void
data_release(struct hs_tui *tui, struct hs_view *view)
{
    (void)tui;
    hs_data_view_release(view->data);
}

static void
data_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    (void)tui;
    hs_data_view_move(view->data, m, count);
}

/* A new selection (:where) is a new set of rows to show, sorted as
 * before; computed here when it changes, not per frame. */
static void
data_prepare(struct hs_tui *tui, struct hs_view *view, unsigned changes)
{
    struct hs_data_view *dv = view->data;
    struct hs_task task;
    struct hs_err err;

    if (!(changes & HS_CHANGE_SELECTION) || !dv->t)
        return;
    hs_err_clear(&err);
    task = hs_tui_task(tui);
    if (hs_data_view_filter(dv, hs_where_active(&tui->where) ? tui->where.sel.mask : NULL, &task,
                            &err) != HS_OK)
        hs_tui_message(tui, true, "the data view shows every event: %s", err.msg);
    hs_tui_sigint = 0;
    tui->dirty = true;
}

/* The columns the draw shows, read from the session when first shown. */
static void
data_load(struct hs_tui *tui, struct hs_view *view, struct hs_rect r)
{
    struct hs_task task = hs_tui_task(tui);
    struct hs_err err;

    hs_err_clear(&err);
    if (hs_data_view_load_shown(view->data, r.w, &tui->feat.fs, &task, &err) != HS_OK)
        hs_tui_message(tui, true, "%s", err.msg);
}

static void
data_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    (void)tui;
    hs_data_view_draw(view->data, s, r.x, r.y, r.w, r.h);
}

static void
data_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_data_view *dv = view->data;
    const char *col = hs_data_view_column(dv);
    char cell[128];

    hs_data_view_cell(dv, cell, sizeof cell);
    if (dv->rows.n)
        snprintf(buf, size, " row %zu of %zu%s%s%s  %s = %s", dv->rows.cur + 1, dv->rows.n,
                 dv->sort_dir ? " by " : "", dv->sort_dir ? dv->sort_col : "",
                 dv->sort_dir > 0 ? " asc" : dv->sort_dir < 0 ? " desc" : "", col ? col : "",
                 cell);
    else
        snprintf(buf, size, " no events");
}

const struct hs_view_class hs_view_data_class = {
    .name = "data",
    .selection = true,
    .init = data_init,
    .prepare = data_prepare,
    .release = data_release,
    .move = data_move,
    .load = data_load,
    .draw = data_draw,
    .status = data_status,
};
