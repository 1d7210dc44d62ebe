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
            size_t n = s->kind == HS_SERIES_HIST ? s->n + 1
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
