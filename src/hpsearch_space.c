/* hpsearch_space.c: reading a search space and writing its values
 * (hpsearch.h). */
#include "config.h"

#include "hpsearch.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "numparse.h"
#include "rng.h"
#include "strbuf.h"

/* The text being read, for messages that say where. */
struct reader {
    const char *text;
    const struct hs_param_spec *spec;
    struct hs_err *err;
};

static int
fail_at(struct reader *r, const char *at, const char *param, const char *fmt, const char *a)
{
    char msg[200];
    int col = (int)(at - r->text) + 1;

    snprintf(msg, sizeof msg, fmt, a);
    if (param)
        return hs_err_set_at(r->err, HS_EUSAGE, 0, col, "--space, character %d: %s: %s", col,
                             param, msg);
    return hs_err_set_at(r->err, HS_EUSAGE, 0, col, "--space, character %d: %s", col, msg);
}

static const char *
skip_ws(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
        s++;
    return s;
}

static const char *
trim_end(const char *s, const char *end)
{
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
        end--;
    return end;
}

static bool
is_number_param(const struct hs_param_spec *s)
{
    return s->type == HS_PARAM_INT || s->type == HS_PARAM_REAL || s->type == HS_PARAM_INTS ||
           s->type == HS_PARAM_REALS;
}

/* Check one value text against the parameter, the message placed at `at`. */
static int
check_value(struct reader *r, const struct hs_param_spec *s, const char *at, const char *text)
{
    struct hs_param_value v;
    struct hs_err e = {0};

    if (hs_param_parse(s, text, &v, &e) == HS_OK)
        return HS_OK;
    return fail_at(r, at, s->name, "%s", e.msg);
}

/* A bound of a range: a number the parameter takes as a value. */
static int
read_bound(struct reader *r, const struct hs_param_spec *s, const char *b, const char *e,
           double *out)
{
    char buf[64];
    size_t len;

    b = skip_ws(b, e);
    e = trim_end(b, e);
    len = (size_t)(e - b);
    if (len == 0 || len >= sizeof buf || hs_num_parse(b, len, out) || !isfinite(*out))
        return fail_at(r, b, s->name, "'%s' is not a number",
                       len < sizeof buf ? (memcpy(buf, b, len), buf[len] = '\0', buf) : "...");
    memcpy(buf, b, len);
    buf[len] = '\0';
    return check_value(r, s, b, buf);
}

static int
read_range(struct reader *r, struct hs_hp_dim *d, const struct hs_param_spec *s, const char *b,
           const char *e)
{
    const char *sep;
    int rc;

    if (!is_number_param(s))
        return fail_at(r, b, s->name, "%s", "a range needs a parameter that is a number "
                                             "(give choices: a,b,c)");
    d->integer = s->type == HS_PARAM_INT || s->type == HS_PARAM_INTS;
    d->list = s->type == HS_PARAM_INTS || s->type == HS_PARAM_REALS;
    if (e - b >= 4 && strncmp(b, "log(", 4) == 0) {
        const char *in = b + 4;
        if (e[-1] != ')')
            return fail_at(r, e - 1, s->name, "%s", "log(lo,hi) misses its ')'");
        if (!(sep = memchr(in, ',', (size_t)(e - 1 - in))))
            return fail_at(r, in, s->name, "%s", "log(lo,hi) wants two numbers");
        d->kind = HS_HP_LOG;
        if ((rc = read_bound(r, s, in, sep, &d->lo)) || (rc = read_bound(r, s, sep + 1, e - 1, &d->hi)))
            return rc;
        if (d->lo <= 0)
            return fail_at(r, in, s->name, "%s", "log(lo,hi) wants 0 < lo");
    } else {
        sep = memchr(b, ':', (size_t)(e - b));
        d->kind = HS_HP_UNIFORM;
        if ((rc = read_bound(r, s, b, sep, &d->lo)) || (rc = read_bound(r, s, sep + 1, e, &d->hi)))
            return rc;
    }
    if (!(d->lo < d->hi))
        return fail_at(r, b, s->name, "%s", "a range wants lo < hi");
    return HS_OK;
}

static int
read_choices(struct reader *r, struct hs_hp_dim *d, const struct hs_param_spec *s, const char *b,
             const char *e)
{
    const char *p = b;
    int rc;

    d->kind = HS_HP_CHOICE;
    while (p <= e) {
        const char *q = p, *vb, *ve;
        int depth = 0;
        char *text, **grown;

        while (q < e && (depth > 0 || *q != ',')) {
            depth += *q == '[' ? 1 : *q == ']' ? -1 : 0;
            if (depth < 0)
                return fail_at(r, q, s->name, "%s", "a ']' without its '['");
            q++;
        }
        if (depth > 0)
            return fail_at(r, p, s->name, "%s", "a '[' without its ']'");
        vb = skip_ws(p, q);
        ve = trim_end(vb, q);
        if (vb < ve && *vb == '[') {
            if (ve[-1] != ']')
                return fail_at(r, vb, s->name, "%s", "text after a ']'");
            vb = skip_ws(vb + 1, ve - 1);
            ve = trim_end(vb, ve - 1);
        }
        if (vb == ve)
            return fail_at(r, vb, s->name, "%s", "an empty choice");
        if (!(text = hs_strndup(vb, (size_t)(ve - vb))))
            return hs_err_set(r->err, HS_ENOMEM, "out of memory");
        if ((rc = check_value(r, s, vb, text))) {
            hs_free(text);
            return rc;
        }
        if (!(grown = hs_realloc(d->choices, (d->nchoices + 1) * sizeof *grown))) {
            hs_free(text);
            return hs_err_set(r->err, HS_ENOMEM, "out of memory");
        }
        d->choices = grown;
        d->choices[d->nchoices++] = text;
        p = q + 1;
    }
    return HS_OK;
}

static void
dim_release(struct hs_hp_dim *d)
{
    hs_free(d->name);
    for (size_t i = 0; i < d->nchoices; i++)
        hs_free(d->choices[i]);
    hs_free(d->choices);
    memset(d, 0, sizeof *d);
}

static int
unknown_param(struct reader *r, const char *at, const char *name)
{
    char list[400];
    size_t len = 0;
    int col = (int)(at - r->text) + 1;

    list[0] = '\0';
    for (size_t i = 0; r->spec[i].name && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                r->spec[i].name);
    return hs_err_set_at(r->err, HS_EUSAGE, 0, col,
                         "--space, character %d: no parameter '%s'; the parameters are %s", col,
                         name, list);
}

/* One item "name = value" in [b, e). */
static int
read_item(struct reader *r, struct hs_hp_space *sp, const char *b, const char *e)
{
    const char *eq = memchr(b, '=', (size_t)(e - b)), *nb, *ne, *vb, *ve;
    struct hs_hp_dim d = {0};
    char name[64];
    long pi;
    int rc;

    nb = skip_ws(b, e);
    if (!eq)
        return fail_at(r, nb, NULL, "%s", "want name=values");
    ne = trim_end(nb, eq);
    if (ne == nb || (size_t)(ne - nb) >= sizeof name)
        return fail_at(r, nb, NULL, "%s", "a parameter's name is missing before '='");
    memcpy(name, nb, (size_t)(ne - nb));
    name[ne - nb] = '\0';
    if ((pi = hs_params_find(r->spec, name)) < 0)
        return unknown_param(r, nb, name);
    if (hs_hp_space_find(sp, name) >= 0)
        return fail_at(r, nb, name, "%s", "named twice");
    vb = skip_ws(eq + 1, e);
    ve = trim_end(vb, e);
    if (vb == ve)
        return fail_at(r, vb, name, "%s", "no values after '='");
    d.param = (size_t)pi;
    if (!(d.name = hs_strdup(name)))
        return hs_err_set(r->err, HS_ENOMEM, "out of memory");
    if ((ve - vb >= 4 && strncmp(vb, "log(", 4) == 0) ||
        (*vb != '[' && memchr(vb, ':', (size_t)(ve - vb))))
        rc = read_range(r, &d, &r->spec[pi], vb, ve);
    else
        rc = read_choices(r, &d, &r->spec[pi], vb, ve);
    if (rc == HS_OK) {
        struct hs_hp_dim *grown = hs_realloc(sp->dims, (sp->n + 1) * sizeof *grown);
        if (!grown)
            rc = hs_err_set(r->err, HS_ENOMEM, "out of memory");
        else {
            sp->dims = grown;
            sp->dims[sp->n++] = d;
            return HS_OK;
        }
    }
    dim_release(&d);
    return rc;
}

int
hs_hp_space_parse(struct hs_hp_space *sp, const struct hs_param_spec *spec, const char *text,
                  struct hs_err *err)
{
    struct hs_hp_space s = {.spec = spec};
    struct reader r = {text, spec, err};
    const char *p = text, *end = text + strlen(text);
    int rc = HS_OK;

    while (p < end && rc == HS_OK) {
        const char *q = p;
        int depth = 0;
        while (q < end && (depth > 0 || *q != ';')) {
            depth += *q == '[' || *q == '(' ? 1 : *q == ']' || *q == ')' ? -1 : 0;
            q++;
        }
        if (skip_ws(p, q) < q)
            rc = read_item(&r, &s, p, q);
        p = q + 1;
    }
    if (rc == HS_OK && s.n == 0)
        rc = fail_at(&r, text, NULL, "%s", "no parameter to search (want name=values; ...)");
    if (rc) {
        hs_hp_space_release(&s);
        return rc;
    }
    *sp = s;
    return HS_OK;
}

void
hs_hp_space_release(struct hs_hp_space *sp)
{
    if (!sp)
        return;
    for (size_t i = 0; i < sp->n; i++)
        dim_release(&sp->dims[i]);
    hs_free(sp->dims);
    sp->dims = NULL;
    sp->n = 0;
}

long
hs_hp_space_find(const struct hs_hp_space *sp, const char *name)
{
    for (size_t i = 0; i < sp->n; i++)
        if (strcmp(sp->dims[i].name, name) == 0)
            return (long)i;
    return -1;
}

void
hs_hp_value_text(const struct hs_hp_dim *d, double x, char *buf, size_t size)
{
    if (d->kind == HS_HP_CHOICE) {
        size_t k = x >= 0 && (size_t)x < d->nchoices ? (size_t)x : 0;
        snprintf(buf, size, "%s", d->choices[k]);
    } else if (d->integer) {
        snprintf(buf, size, "%.0f", x);
    } else {
        snprintf(buf, size, "%.6g", x);
    }
}

double
hs_hp_round(const struct hs_hp_dim *d, double x)
{
    char buf[64];
    double y;

    if (d->kind == HS_HP_CHOICE)
        return x;
    if (x < d->lo)
        x = d->lo;
    if (x > d->hi)
        x = d->hi;
    if (d->integer)
        return round(x);
    /* The value the trial runs with is the one its line shows. */
    hs_hp_value_text(d, x, buf, sizeof buf);
    if (hs_num_parse(buf, strlen(buf), &y))
        return x;
    return y < d->lo ? d->lo : y > d->hi ? d->hi : y;
}

double
hs_hp_draw_prior(const struct hs_hp_dim *d, struct hs_rng *rng)
{
    double u = hs_rng_unit(rng);

    switch (d->kind) {
    case HS_HP_CHOICE:
        return (double)hs_rng_below(rng, d->nchoices);
    case HS_HP_UNIFORM:
        if (d->integer)
            return d->lo + (double)hs_rng_below(rng, (uint64_t)(d->hi - d->lo) + 1);
        return hs_hp_round(d, d->lo + u * (d->hi - d->lo));
    case HS_HP_LOG:
        if (d->integer) {
            /* Each whole number gets the log-width of [k - 1/2, k + 1/2]. */
            double a = log(d->lo - 0.5 > 0 ? d->lo - 0.5 : d->lo), b = log(d->hi + 0.5);
            return hs_hp_round(d, exp(a + u * (b - a)));
        }
        return hs_hp_round(d, exp(log(d->lo) + u * (log(d->hi) - log(d->lo))));
    }
    return 0;
}

char *
hs_hp_line(const struct hs_hp_space *sp, const double *x)
{
    struct hs_strbuf b = {0};
    char v[256];

    for (size_t i = 0; i < sp->n; i++) {
        hs_hp_value_text(&sp->dims[i], x[i], v, sizeof v);
        hs_strbuf_printf(&b, "%s--%s %s", i ? " " : "", sp->dims[i].name, v);
    }
    if (!b.s)
        hs_strbuf_printf(&b, "%s", "");
    return hs_strbuf_detach(&b);
}
