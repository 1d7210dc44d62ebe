/* method.c: parameters of a method from their spec, and the fit driver
 * (method.h). */
#include "config.h"

#include "method.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "model.h"
#include "numparse.h"
#include "strbuf.h"

/* ---- parsing one value ------------------------------------------------ */

static void
range_text(const struct hs_param_spec *s, char *buf, size_t size)
{
    char a[HS_NUM_BUF], b[HS_NUM_BUF];

    hs_num_format(s->min, a);
    hs_num_format(s->max, b);
    if (s->max_open)
        snprintf(buf, size, "in [%s, %s)", a, b);
    else
        snprintf(buf, size, "from %s to %s", a, b);
}

static bool
in_range(const struct hs_param_spec *s, double x)
{
    return x >= s->min && (s->max_open ? x < s->max : x <= s->max);
}

/* A whole number of at most 20 digits; false for anything else. */
static bool
parse_u64(const char *p, size_t len, uint64_t *out)
{
    uint64_t n = 0;

    if (len == 0 || len > 20)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        uint64_t d = (uint64_t)(p[i] - '0');
        if (n > (UINT64_MAX - d) / 10)
            return false;
        n = n * 10 + d;
    }
    *out = n;
    return true;
}

static int
bad_value(const struct hs_param_spec *s, const char *text, struct hs_err *err)
{
    char r[96];

    range_text(s, r, sizeof r);
    switch (s->type) {
    case HS_PARAM_INT:
        return hs_err_set(err, HS_EUSAGE, "--%s wants a whole number %s, not '%s'", s->name, r,
                          text);
    case HS_PARAM_REAL:
        return hs_err_set(err, HS_EUSAGE, "--%s wants a number %s, not '%s'", s->name, r, text);
    case HS_PARAM_SEED:
        return hs_err_set(err, HS_EUSAGE,
                          "--%s wants a whole number from 0 to 18446744073709551615, not '%s'",
                          s->name, text);
    case HS_PARAM_CHOICE: {
        char list[256];
        size_t len = 0;
        list[0] = 0;
        for (size_t i = 0; s->choices[i] && len < sizeof list; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                    i == 0                 ? ""
                                    : s->choices[i + 1]    ? ", "
                                                           : " or ",
                                    s->choices[i]);
        return hs_err_set(err, HS_EUSAGE, "--%s takes %s, not '%s'", s->name, list, text);
    }
    case HS_PARAM_FLAG:
        return hs_err_set(err, HS_EUSAGE, "--%s is on (1) or off (0), not '%s'", s->name, text);
    case HS_PARAM_INTS:
    case HS_PARAM_REALS:
        return hs_err_set(err, HS_EUSAGE,
                          "--%s wants %s separated by commas such as %s (each %s, at most %zu%s), "
                          "not '%s'",
                          s->name, s->noun ? s->noun : "values", s->def, r, s->max_items,
                          s->type == HS_PARAM_INTS ? "; 'none' for none" : "", text);
    }
    return hs_err_set(err, HS_EUSAGE, "--%s: bad value '%s'", s->name, text);
}

int
hs_param_parse(const struct hs_param_spec *s, const char *text, struct hs_param_value *v,
               struct hs_err *err)
{
    struct hs_param_value nv = {.given = text != NULL};
    size_t len;
    double x;

    if (!text)
        text = s->def ? s->def : s->type == HS_PARAM_FLAG ? "0" : "";

    if (s->type == HS_PARAM_FLAG) {
        if (strcmp(text, "1") == 0)
            nv.x = 1;
        else if (strcmp(text, "0") == 0)
            nv.x = 0;
        else
            return bad_value(s, text, err);
        goto ok;
    }
    len = strlen(text);
    switch (s->type) {
    case HS_PARAM_INT: {
        uint64_t u;
        if (!parse_u64(text, len, &u) || !in_range(s, (double)u))
            return bad_value(s, text, err);
        nv.x = (double)u;
        break;
    }
    case HS_PARAM_REAL:
        if (hs_num_parse(text, len, &x) || !in_range(s, x))
            return bad_value(s, text, err);
        nv.x = x;
        break;
    case HS_PARAM_SEED:
        if (!parse_u64(text, len, &nv.u))
            return bad_value(s, text, err);
        nv.x = (double)nv.u;
        break;
    case HS_PARAM_CHOICE: {
        size_t i = 0;
        while (s->choices[i] && strcmp(s->choices[i], text) != 0)
            i++;
        if (!s->choices[i])
            return bad_value(s, text, err);
        nv.x = (double)i;
        break;
    }
    case HS_PARAM_INTS:
    case HS_PARAM_REALS: {
        const char *p = text;
        if (s->type == HS_PARAM_INTS && (len == 0 || strcmp(text, "none") == 0))
            goto ok;
        for (;;) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            uint64_t u;
            bool good = nv.n < s->max_items && nv.n < HS_PARAM_MAX_ITEMS;
            if (good && s->type == HS_PARAM_INTS)
                good = parse_u64(p, n, &u) && in_range(s, x = (double)u);
            else if (good)
                good = !hs_num_parse(p, n, &x) && in_range(s, x);
            if (!good)
                return bad_value(s, text, err);
            nv.items[nv.n++] = x;
            if (!e)
                break;
            p = e + 1;
        }
        break;
    }
    case HS_PARAM_FLAG:
        break;
    }
ok:
    *v = nv;
    return HS_OK;
}

/* ---- the set ---------------------------------------------------------- */

long
hs_params_find(const struct hs_param_spec *spec, const char *name)
{
    for (size_t i = 0; spec && spec[i].name; i++)
        if (strcmp(spec[i].name, name) == 0)
            return (long)i;
    return -1;
}

int
hs_params_init(struct hs_params *p, const struct hs_param_spec *spec, struct hs_err *err)
{
    size_t n = 0;
    int rc;

    memset(p, 0, sizeof *p);
    while (spec && spec[n].name)
        n++;
    p->spec = spec;
    p->n = n;
    if (n && !(p->v = hs_calloc(n, sizeof *p->v)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if ((rc = hs_param_parse(&spec[i], NULL, &p->v[i], err))) {
            hs_err_prefix(err, "the default of --%s", spec[i].name);
            hs_params_release(p);
            return rc;
        }
        p->v[i].given = false;
    }
    return HS_OK;
}

void
hs_params_release(struct hs_params *p)
{
    if (!p)
        return;
    hs_free(p->v);
    p->v = NULL;
    p->n = 0;
}

int
hs_params_copy(struct hs_params *dst, const struct hs_params *src, struct hs_err *err)
{
    memset(dst, 0, sizeof *dst);
    dst->spec = src->spec;
    if (src->n && !(dst->v = hs_calloc(src->n, sizeof *dst->v)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    dst->n = src->n;
    if (src->n)
        memcpy(dst->v, src->v, src->n * sizeof *dst->v);
    return HS_OK;
}

int
hs_params_set(struct hs_params *p, const char *name, const char *text, struct hs_err *err)
{
    long i = hs_params_find(p->spec, name);

    if (i < 0)
        return hs_err_set(err, HS_EUSAGE, "'--%s' is not an option of this method", name);
    if (!text && p->spec[i].type == HS_PARAM_FLAG)
        text = "1";
    if (!text)
        return hs_err_set(err, HS_EUSAGE, "--%s wants a value", name);
    return hs_param_parse(&p->spec[i], text, &p->v[i], err);
}

/* ---- text ------------------------------------------------------------- */

void
hs_params_format(const struct hs_params *p, size_t idx, char *buf, size_t size)
{
    const struct hs_param_spec *s = &p->spec[idx];
    const struct hs_param_value *v = &p->v[idx];
    char nb[HS_NUM_BUF];
    size_t len = 0;

    assert(idx < p->n);
    buf[0] = 0;
    switch (s->type) {
    case HS_PARAM_INT:
        snprintf(buf, size, "%.0f", v->x);
        break;
    case HS_PARAM_REAL:
        hs_num_format(v->x, nb);
        snprintf(buf, size, "%s", nb);
        break;
    case HS_PARAM_SEED:
        snprintf(buf, size, "%llu", (unsigned long long)v->u);
        break;
    case HS_PARAM_CHOICE:
        snprintf(buf, size, "%s", s->choices[(size_t)v->x]);
        break;
    case HS_PARAM_FLAG:
        snprintf(buf, size, "%d", v->x != 0);
        break;
    case HS_PARAM_INTS:
    case HS_PARAM_REALS:
        if (v->n == 0)
            snprintf(buf, size, "none");
        for (size_t i = 0; i < v->n && len < size; i++) {
            if (s->type == HS_PARAM_INTS)
                snprintf(nb, sizeof nb, "%.0f", v->items[i]);
            else
                hs_num_format(v->items[i], nb);
            len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "," : "", nb);
        }
        break;
    }
}

char *
hs_params_line(const struct hs_params *p)
{
    struct hs_strbuf b = {0};
    char val[512];

    for (size_t i = 0; i < p->n; i++) {
        const struct hs_param_spec *s = &p->spec[i];
        if (s->type == HS_PARAM_FLAG) {
            if (p->v[i].x != 0)
                hs_strbuf_printf(&b, "%s--%s", b.len ? " " : "", s->name);
            continue;
        }
        hs_params_format(p, i, val, sizeof val);
        hs_strbuf_printf(&b, "%s--%s %s", b.len ? " " : "", s->name, val);
    }
    return hs_strbuf_detach(&b);
}

int
hs_params_parse_line(struct hs_params *p, const char *line,
                     int (*other)(void *user, const char *name, const char *value,
                                  struct hs_err *err),
                     void *user, struct hs_err *err)
{
    char *copy = hs_strdup(line ? line : ""), *save = NULL;
    char *w, *next;
    int rc = HS_OK;

    if (!copy)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    w = strtok_r(copy, " ", &save);
    while (w && rc == HS_OK) {
        long i = strncmp(w, "--", 2) == 0 ? hs_params_find(p->spec, w + 2) : -1;
        next = strtok_r(NULL, " ", &save);
        if (i >= 0 && p->spec[i].type == HS_PARAM_FLAG) {
            rc = hs_param_parse(&p->spec[i], "1", &p->v[i], err);
        } else if (i >= 0) {
            if (!next) {
                rc = hs_err_set(err, HS_EUSAGE, "%s wants a value", w);
                break;
            }
            rc = hs_param_parse(&p->spec[i], next, &p->v[i], err);
            next = strtok_r(NULL, " ", &save);
        } else if (other && strncmp(w, "--", 2) == 0) {
            const char *val = next && strncmp(next, "--", 2) != 0 ? next : NULL;
            int took = other(user, w + 2, val, err);
            if (took < 0)
                rc = took;
            else if (took == 1)
                next = strtok_r(NULL, " ", &save);
        } else {
            rc = hs_err_set(err, HS_EUSAGE, "'%s' is not an option of this method", w);
        }
        w = next;
    }
    hs_free(copy);
    return rc;
}

void
hs_param_help(const struct hs_param_spec *s, char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "%s", s->help ? s->help : "");

    if (len >= size)
        return;
    if (s->type == HS_PARAM_CHOICE) {
        len += (size_t)snprintf(buf + len, size - len, ": ");
        for (size_t i = 0; s->choices[i] && len < size; i++)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", s->choices[i]);
    }
    if (len < size && s->type != HS_PARAM_FLAG)
        snprintf(buf + len, size - len, " (default %s)", s->def);
}

/* ---- values ----------------------------------------------------------- */

double
hs_params_real(const struct hs_params *p, size_t idx)
{
    assert(idx < p->n && p->spec[idx].type == HS_PARAM_REAL);
    return p->v[idx].x;
}

size_t
hs_params_int(const struct hs_params *p, size_t idx)
{
    assert(idx < p->n && p->spec[idx].type == HS_PARAM_INT);
    return (size_t)p->v[idx].x;
}

uint64_t
hs_params_seed(const struct hs_params *p, size_t idx)
{
    assert(idx < p->n && p->spec[idx].type == HS_PARAM_SEED);
    return p->v[idx].u;
}

size_t
hs_params_choice(const struct hs_params *p, size_t idx)
{
    assert(idx < p->n && p->spec[idx].type == HS_PARAM_CHOICE);
    return (size_t)p->v[idx].x;
}

bool
hs_params_flag(const struct hs_params *p, size_t idx)
{
    assert(idx < p->n && p->spec[idx].type == HS_PARAM_FLAG);
    return p->v[idx].x != 0;
}

size_t
hs_params_list(const struct hs_params *p, size_t idx, const double **items)
{
    assert(idx < p->n &&
           (p->spec[idx].type == HS_PARAM_INTS || p->spec[idx].type == HS_PARAM_REALS));
    *items = p->v[idx].items;
    return p->v[idx].n;
}

/* ---- methods ---------------------------------------------------------- */

const struct hs_method *
hs_method_find(const char *name)
{
    const struct hs_method *const *m = hs_methods();

    for (; name && *m; m++)
        if (strcmp((*m)->name, name) == 0)
            return *m;
    return NULL;
}

int
hs_method_lookup(const char *name, const struct hs_method **out, struct hs_err *err)
{
    const struct hs_method *const *m = hs_methods();
    char list[256];
    size_t len = 0;

    if ((*out = hs_method_find(name)))
        return HS_OK;
    list[0] = 0;
    for (size_t i = 0; m[i] && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                i == 0 ? "" : m[i + 1] ? ", " : " or ", m[i]->name);
    return hs_err_set(err, HS_EUSAGE, "no method '%s': the methods are %s", name ? name : "",
                      list);
}

int
hs_method_params(const struct hs_method *m, struct hs_params *p, struct hs_err *err)
{
    return hs_params_init(p, m->params, err);
}

int
hs_method_fit(const struct hs_method *m, const struct hs_params *p,
              const struct hs_method_data *d,
              void (*on_step)(void *user, const struct hs_method_status *st), void *user,
              void **state, bool *cancelled, const struct hs_task *task, struct hs_err *err)
{
    struct hs_method_status st;
    void *s = NULL;
    int rc;

    *state = NULL;
    *cancelled = false;
    if (m->check && (rc = m->check(p, err)))
        return rc;
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "%s cancelled", m->name);
    if ((rc = m->alloc(p, d, &s, err)))
        return rc;
    hs_task_progress(task, 0, m->name);
    do {
        memset(&st, 0, sizeof st);
        rc = m->step(s, &st, task, err);
        if (rc == HS_OK && on_step)
            on_step(user, &st);
    } while (rc == HS_OK && !st.done);
    if (rc == HS_ECANCELLED && m->model) {
        /* Keep what the finished steps learned, if they learned anything. */
        struct hs_model *probe = NULL;
        struct hs_err e2;
        if (m->model(s, &probe, &e2) == HS_OK) {
            hs_model_free(probe);
            *cancelled = true;
            rc = HS_OK;
        }
    }
    if (rc) {
        m->free(s);
        return rc;
    }
    *state = s;
    return HS_OK;
}
