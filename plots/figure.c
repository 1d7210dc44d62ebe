/* figure.c: the figure model: deep copies, freeing, data ranges. */
#include "config.h"

#include "plots/figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
set_msg(char *msg, const char *s)
{
    if (msg)
        snprintf(msg, HS_PLOT_MSG_MAX, "%s", s);
}

struct hs_figure *
hs_figure_new(void)
{
    struct hs_figure *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->legend = true;
    return f;
}

static void
free_names(char **names, size_t n)
{
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void
series_release(struct hs_series *s)
{
    free(s->label);
    free(s->x);
    free(s->y);
    free(s->yerr);
    free(s->cat);
    free(s->z);
    free(s->zlabel);
    free_names(s->xnames, s->nx);
    free_names(s->ynames, s->ny);
}

static void
panel_release(struct hs_panel *p)
{
    for (size_t i = 0; i < p->nseries; i++)
        series_release(&p->series[i]);
    free(p->series);
    free(p->x.label);
    free(p->y.label);
}

void
hs_figure_free(struct hs_figure *f)
{
    if (!f)
        return;
    free(f->title);
    free(f->experiment);
    free(f->text);
    panel_release(&f->main);
    panel_release(&f->ratio);
    free(f);
}

static char *
dup_str(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d)
        *oom = true;
    else
        memcpy(d, s, n);
    return d;
}

int
hs_figure_set_string(char **field, const char *s, char *msg)
{
    bool oom = false;
    char *d = dup_str(s, &oom);
    if (oom) {
        set_msg(msg, "out of memory");
        return -1;
    }
    free(*field);
    *field = d;
    return 0;
}

static void *
dup_mem(const void *src, size_t n, size_t size, bool *oom)
{
    if (!src || n == 0)
        return NULL;
    void *d = malloc(n * size);
    if (!d)
        *oom = true;
    else
        memcpy(d, src, n * size);
    return d;
}

static char **
dup_names(char *const *names, size_t n, bool *oom)
{
    if (!names || n == 0)
        return NULL;
    char **d = calloc(n, sizeof *d);
    if (!d) {
        *oom = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = dup_str(names[i], oom);
    return d;
}

struct hs_series *
hs_panel_add(struct hs_panel *p, const struct hs_series *s, char *msg)
{
    size_t nx = s->n, ny = s->n;
    switch (s->kind) {
    case HS_SERIES_HIST:
        if (s->n == 0 || !s->x || !s->y) {
            set_msg(msg, "a histogram needs bins, edges and contents");
            return NULL;
        }
        nx = s->n + 1;
        break;
    case HS_SERIES_BAND:
        if (s->n == 0 || !s->x || !s->y || !s->yerr) {
            set_msg(msg, "a band needs bins, edges, values and errors");
            return NULL;
        }
        nx = s->n + 1;
        break;
    case HS_SERIES_HEATMAP:
        if (s->nx == 0 || s->ny == 0 || !s->x || !s->y || !s->z) {
            set_msg(msg, "a heat map needs edges and values");
            return NULL;
        }
        nx = s->nx + 1;
        ny = s->ny + 1;
        break;
    default:
        if (s->n > 0 && (!s->x || !s->y)) {
            set_msg(msg, "a series needs x and y values");
            return NULL;
        }
        break;
    }
    if (p->nseries == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 4;
        struct hs_series *ns = realloc(p->series, cap * sizeof *ns);
        if (!ns) {
            set_msg(msg, "out of memory");
            return NULL;
        }
        p->series = ns;
        p->cap = cap;
    }
    struct hs_series c = *s;
    bool oom = false;
    bool heat = s->kind == HS_SERIES_HEATMAP;
    c.label = dup_str(s->label, &oom);
    c.zlabel = dup_str(s->zlabel, &oom);
    c.x = dup_mem(s->x, nx, sizeof *c.x, &oom);
    c.y = dup_mem(s->y, ny, sizeof *c.y, &oom);
    c.yerr = heat ? NULL : dup_mem(s->yerr, s->n, sizeof *c.yerr, &oom);
    c.cat = heat ? NULL : dup_mem(s->cat, s->n, sizeof *c.cat, &oom);
    c.z = heat ? dup_mem(s->z, s->nx * s->ny, sizeof *c.z, &oom) : NULL;
    c.xnames = heat ? dup_names(s->xnames, s->nx, &oom) : NULL;
    c.ynames = heat ? dup_names(s->ynames, s->ny, &oom) : NULL;
    if (!heat) {
        c.nx = c.ny = 0;
    }
    if (c.alpha <= 0 || c.alpha > 1)
        c.alpha = 1;
    if (oom) {
        series_release(&c);
        set_msg(msg, "out of memory");
        return NULL;
    }
    p->series[p->nseries] = c;
    return &p->series[p->nseries++];
}

struct range {
    double lo, hi;
    bool any;
    bool log;
};

static void
take(struct range *r, double v)
{
    if (!isfinite(v) || (r->log && !(v > 0)))
        return;
    if (!r->any) {
        r->lo = r->hi = v;
        r->any = true;
    } else {
        if (v < r->lo)
            r->lo = v;
        if (v > r->hi)
            r->hi = v;
    }
}

/* The series below s in its stack (same stack number, same binning, added
 * earlier), or NULL.  Stacks are summed bin by bin. */
static bool
stacks_on(const struct hs_series *a, const struct hs_series *s)
{
    return a->kind == HS_SERIES_HIST && s->kind == HS_SERIES_HIST && s->stack != 0 &&
           a->stack == s->stack && a->n == s->n;
}

static void
y_range(const struct hs_panel *p, struct range *r)
{
    for (size_t k = 0; k < p->nseries; k++) {
        const struct hs_series *s = &p->series[k];
        if (s->kind == HS_SERIES_HEATMAP) {
            for (size_t i = 0; i <= s->ny; i++)
                take(r, s->y[i]);
            continue;
        }
        if (s->kind == HS_SERIES_HIST && !r->log)
            take(r, 0);
        for (size_t i = 0; i < s->n; i++) {
            double base = 0;
            if (s->kind == HS_SERIES_HIST)
                for (size_t j = 0; j < k; j++)
                    if (stacks_on(&p->series[j], s) && isfinite(p->series[j].y[i]))
                        base += p->series[j].y[i];
            double v = base + s->y[i];
            take(r, v);
            if (s->yerr && isfinite(s->yerr[i])) {
                take(r, v + fabs(s->yerr[i]));
                take(r, v - fabs(s->yerr[i]));
            }
        }
    }
}

bool
hs_panel_data_range(const struct hs_panel *p, int axis, double *lo, double *hi)
{
    struct range r = {0, 0, false, (axis ? p->y.scale : p->x.scale) == HS_AXIS_LOG};
    if (axis == 1) {
        y_range(p, &r);
    } else {
        for (size_t k = 0; k < p->nseries; k++) {
            const struct hs_series *s = &p->series[k];
            size_t n = s->kind == HS_SERIES_HIST || s->kind == HS_SERIES_BAND ? s->n + 1
                       : s->kind == HS_SERIES_HEATMAP ? s->nx + 1 : s->n;
            for (size_t i = 0; i < n; i++)
                take(&r, s->x[i]);
        }
    }
    if (!r.any)
        return false;
    *lo = r.lo;
    *hi = r.hi;
    return true;
}

/* ---- legend order, styles, the experiment label ---- */

size_t
hs_panel_legend_order(const struct hs_panel *p, bool all, size_t *idx)
{
    size_t n = 0;
    for (int pass = 0; pass < (all ? 2 : 1); pass++) {
        bool labelled = pass == 0;
        for (size_t i = 0; i < p->nseries; i++) {
            const struct hs_series *s = &p->series[i];
            if ((s->label != NULL) == labelled && s->kind == HS_SERIES_POINTS)
                idx[n++] = i;
        }
        for (size_t i = 0; i < p->nseries; i++) {
            const struct hs_series *s = &p->series[i];
            if ((s->label != NULL) == labelled && s->kind != HS_SERIES_POINTS &&
                s->kind != HS_SERIES_HEATMAP && s->stack == 0)
                idx[n++] = i;
        }
        for (size_t i = p->nseries; i-- > 0;) {
            const struct hs_series *s = &p->series[i];
            if ((s->label != NULL) == labelled && s->kind != HS_SERIES_POINTS &&
                s->kind != HS_SERIES_HEATMAP && s->stack != 0)
                idx[n++] = i;
        }
    }
    return n;
}

int
hs_panel_style_index(const struct hs_panel *p, size_t i)
{
    if (i >= p->nseries || p->series[i].kind == HS_SERIES_HEATMAP)
        return -1;
    /* The legend order, counted without a buffer: the places before i. */
    const struct hs_series *s = &p->series[i];
    int k = 0;
    bool lab = s->label != NULL;
    if (!lab)
        for (size_t j = 0; j < p->nseries; j++)
            k += p->series[j].label && p->series[j].kind != HS_SERIES_HEATMAP;
    for (size_t j = 0; j < p->nseries; j++) {
        const struct hs_series *o = &p->series[j];
        if ((o->label != NULL) != lab || o->kind == HS_SERIES_HEATMAP || j == i)
            continue;
        bool op = o->kind == HS_SERIES_POINTS, sp = s->kind == HS_SERIES_POINTS;
        bool ost = !op && o->stack != 0, sst = !sp && s->stack != 0;
        int og = op ? 0 : ost ? 2 : 1, sg = sp ? 0 : sst ? 2 : 1;
        if (og < sg || (og == sg && (og == 2 ? j > i : j < i)))
            k++;
    }
    return k;
}

const char *
hs_figure_marker_glyph(int k, bool ascii)
{
    static const char *const uni[] = {"\u25cf", "+", "\u00d7", "\u25cb",
                                      "\u25c6", "\u25b2", "\u25a0", "\u25bd"};
    static const char *const asc[] = {"o", "+", "x", "*", "@", "^", "#", "v"};
    size_t n = sizeof uni / sizeof uni[0];
    size_t m = k < 0 ? 0 : (size_t)k % n;
    return ascii ? asc[m] : uni[m];
}

/* Copy at most len bytes of s into out (size bytes), without cutting a
 * UTF-8 sequence, raising "^..." when asked. */
static void
copy_part(const char *s, size_t len, bool raise, char *out, size_t size)
{
    static const char *const sup_digit[10] = {"\u2070", "\u00b9", "\u00b2", "\u00b3",
                                              "\u2074", "\u2075", "\u2076", "\u2077",
                                              "\u2078", "\u2079"};
    size_t o = 0;
    bool up = false;
    if (size == 0)
        return;
    for (size_t i = 0; i < len && s[i]; i++) {
        const char *piece = NULL;
        char one[2] = {s[i], '\0'};
        if (raise && s[i] == '^') {
            up = true;
            continue;
        }
        /* "fb^{-1}" as TeX writes it */
        if (raise && up && (s[i] == '{' || s[i] == '}')) {
            up = s[i] == '{';
            continue;
        }
        if (up && s[i] >= '0' && s[i] <= '9')
            piece = sup_digit[s[i] - '0'];
        else if (up && s[i] == '-')
            piece = "\u207b";
        else if (up && s[i] == '+')
            piece = "\u207a";
        else
            up = false;
        if (!piece)
            piece = one;
        size_t n = strlen(piece);
        /* a UTF-8 sequence of the text itself is copied whole or not at all */
        if (!up && ((unsigned char)s[i] & 0xC0) == 0xC0) {
            size_t k = 1;
            while (i + k < len && ((unsigned char)s[i + k] & 0xC0) == 0x80)
                k++;
            if (o + k >= size)
                break;
            memcpy(out + o, s + i, k);
            o += k;
            i += k - 1;
            continue;
        }
        if (o + n >= size)
            break;
        memcpy(out + o, piece, n);
        o += n;
    }
    out[o] = '\0';
}

static size_t
trimmed(const char **s, size_t len)
{
    while (len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        len--;
    }
    while (len > 0 && ((*s)[len - 1] == ' ' || (*s)[len - 1] == '\t'))
        len--;
    return len;
}

void
hs_figure_experiment_parts(const char *experiment, bool raise, char *name, char *rest,
                           char *right, size_t size)
{
    const char *s = experiment ? experiment : "";
    const char *comma = strchr(s, ',');
    size_t left = comma ? (size_t)(comma - s) : strlen(s);
    left = trimmed(&s, left);
    size_t w = 0;
    while (w < left && s[w] != ' ')
        w++;
    copy_part(s, w, raise, name, size);
    copy_part(s + w, left - w, raise, rest, size);
    const char *r = comma ? comma + 1 : "";
    size_t rl = trimmed(&r, strlen(r));
    copy_part(r, rl, raise, right, size);
}
