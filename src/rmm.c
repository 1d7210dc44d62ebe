#include "config.h"

#include "rmm.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fourvec.h"
#include "mem.h"
#include "numparse.h"
#include "strbuf.h"

/* A column name as an expression operand: bare when it is an identifier,
 * else in backquotes with any backquote doubled. */
static void
sb_ref(struct hs_strbuf *b, const char *name)
{
    bool ident = isalpha((unsigned char)name[0]) || name[0] == '_';
    for (const char *p = name; *p && ident; p++)
        ident = isalnum((unsigned char)*p) || *p == '_';
    if (ident) {
        hs_strbuf_printf(b, "%s", name);
        return;
    }
    hs_strbuf_printf(b, "`");
    for (const char *p = name; *p; p++)
        hs_strbuf_printf(b, *p == '`' ? "``" : "%c", *p);
    hs_strbuf_printf(b, "`");
}

/* The four components of a particle, as operands (parenthesised when they
 * are computed): E, px, py, pz.  Polar-only particles are massless. */
static void
components(struct hs_strbuf c[4], const struct hs_particle *p, const char *const *names)
{
    if (p->has_cartesian) {
        static const int comp[4] = {HS_FV_E, HS_FV_PX, HS_FV_PY, HS_FV_PZ};
        for (int k = 0; k < 4; k++)
            sb_ref(&c[k], names[p->col[comp[k]]]);
        return;
    }
    static const char *const fn[4] = {"cosh", "cos", "sin", "sinh"};
    for (int k = 0; k < 4; k++) {
        hs_strbuf_printf(&c[k], "(");
        sb_ref(&c[k], names[p->col[HS_FV_PT]]);
        hs_strbuf_printf(&c[k], "*%s(", fn[k]);
        sb_ref(&c[k], names[p->col[k == 1 || k == 2 ? HS_FV_PHI : HS_FV_ETA]]);
        hs_strbuf_printf(&c[k], "))");
    }
}

static bool
is_sep(char ch)
{
    return ch == '_' || ch == '.' || ch == '-' || ch == ' ';
}

/* The type of a particle key: without its number, a separator before it
 * and a charge word ("mu_plus" -> "mu", "e2" -> "e", "1" -> "obj"),
 * letters, digits and '_' only, and ending with '_' after a digit so that
 * the rank appended stays apart ("j2_" + "1"). */
static void
type_of(const char *key, char *buf, size_t size)
{
    static const char *const charge[] = {"plus", "minus", "pos", "neg", NULL};
    size_t len = strlen(key);

    while (len && isdigit((unsigned char)key[len - 1]))
        len--;
    while (len && is_sep(key[len - 1]))
        len--;
    for (int w = 0; charge[w]; w++) {
        size_t wl = strlen(charge[w]);
        if (len > wl + 1 && is_sep(key[len - wl - 1]) &&
            strncasecmp(key + len - wl, charge[w], wl) == 0) {
            len -= wl + 1;
            break;
        }
    }
    while (len && is_sep(key[len - 1]))
        len--;
    if (!len) {
        snprintf(buf, size, "obj");
        return;
    }
    snprintf(buf, size, "%.*s%s", (int)len, key,
             isdigit((unsigned char)key[len - 1]) ? "_" : "");
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p))
            *p = '_';
}

/* A key as part of a name: letters, digits and '_'. */
static void
key_name(char *buf, size_t size, const char *prefix, const char *key)
{
    size_t pl = strlen(prefix);
    snprintf(buf, size, "%s%s", prefix, key);
    for (size_t i = pl; buf[i]; i++)
        if (!isalnum((unsigned char)buf[i]))
            buf[i] = '_';
}

struct builder {
    struct hs_rmm *r;
    int rc;
};

/* Add a feature; expr's text is taken over (the buffer is left empty). */
static void __attribute__((format(__printf__, 5, 6)))
add(struct builder *b, const char *name, struct hs_strbuf *expr, bool cell, const char *fmt, ...)
{
    struct hs_rmm *r = b->r;
    char *text = hs_strbuf_detach(expr);
    char what[512];
    va_list ap;

    if (b->rc || !text || hs_grow((void **)&r->f, &r->cap, r->n + 1, sizeof *r->f)) {
        b->rc = HS_ENOMEM;
        hs_free(text);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    r->f[r->n] = (struct hs_rmm_feature){
        .name = hs_strdup(name), .expr = text, .what = hs_strdup(what), .cell = cell};
    if (!r->f[r->n].name || !r->f[r->n].what)
        b->rc = HS_ENOMEM;
    r->n++;
    r->ncells += cell;
}

/* One type of object: its particles (indices into the particle list) in
 * column order, and the objects of the matrix it gives. */
struct otype {
    char name[128];
    size_t *slot;
    size_t nslot, nobj;
    const char **pid; /* by particle type code: each slot's code column; NULL by key */
    long code;
};

/* The rank helper of a particle in a type: by key a particle has one
 * type, by code it has a rank in each. */
static void
rank_name(char *buf, size_t size, const struct otype *t, const char *key)
{
    char prefix[160];

    snprintf(prefix, sizeof prefix, "rmm_rank_%s%s", t->pid ? t->name : "", t->pid ? "_" : "");
    key_name(buf, size, prefix, key);
}

/* The expression of the k-th (1-based) object's value of a component:
 * operand[i] is the component of the type's particle i. */
static void
pick(struct hs_strbuf *e, const struct otype *t, const struct hs_particle *ps, size_t k,
     struct hs_strbuf *operand)
{
    char rank[300];

    hs_strbuf_printf(e, "(");
    for (size_t i = 0; i < t->nslot; i++) {
        rank_name(rank, sizeof rank, t, ps[t->slot[i]].key);
        hs_strbuf_printf(e, "%s(%s)^(%s == %zu) + (%s == %zu) - 1", i ? " + " : "",
                         operand[i].s, rank, k, rank, k);
    }
    hs_strbuf_printf(e, ") / (");
    for (size_t i = 0; i < t->nslot; i++) {
        rank_name(rank, sizeof rank, t, ps[t->slot[i]].key);
        hs_strbuf_printf(e, "%s(%s == %zu)", i ? " + " : "", rank, k);
    }
    hs_strbuf_printf(e, ")");
}

/* The MET columns, found by name in any case: met and met_phi, or met_px
 * and met_py (and a few other spellings). */
struct met {
    const char *mag, *phi, *px, *py;
};

static const char *
find_name(const char *const *names, size_t n, const char *const *words)
{
    for (const char *const *w = words; *w; w++)
        for (size_t i = 0; i < n; i++)
            if (strcasecmp(names[i], *w) == 0)
                return names[i];
    return NULL;
}

static bool
find_met(const char *const *names, size_t n, struct met *m)
{
    static const char *const mag[] = {"met", "met_pt", "met_et", "met_met", "etmiss",
                                      "missing_et", NULL};
    static const char *const phi[] = {"met_phi", "phi_met", "etmiss_phi", "metphi", NULL};
    static const char *const px[] = {"met_px", "met_x", "metx", NULL};
    static const char *const py[] = {"met_py", "met_y", "mety", NULL};

    *m = (struct met){find_name(names, n, mag), find_name(names, n, phi),
                      find_name(names, n, px), find_name(names, n, py)};
    return (m->px && m->py) || (m->mag && m->phi);
}

/* The MET's components and magnitude as operands. */
static void
met_operands(struct hs_strbuf *mx, struct hs_strbuf *my, struct hs_strbuf *mag, const struct met *m)
{
    if (m->px && m->py) {
        sb_ref(mx, m->px);
        sb_ref(my, m->py);
        hs_strbuf_printf(mag, "pt(%s,%s)", mx->s ? mx->s : "", my->s ? my->s : "");
        return;
    }
    hs_strbuf_printf(mx, "(");
    sb_ref(mx, m->mag);
    hs_strbuf_printf(mx, "*cos(");
    sb_ref(mx, m->phi);
    hs_strbuf_printf(mx, "))");
    hs_strbuf_printf(my, "(");
    sb_ref(my, m->mag);
    hs_strbuf_printf(my, "*sin(");
    sb_ref(my, m->phi);
    hs_strbuf_printf(my, "))");
    sb_ref(mag, m->mag);
}

void
hs_rmm_release(struct hs_rmm *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        hs_free(r->f[i].name);
        hs_free(r->f[i].expr);
        hs_free(r->f[i].what);
    }
    hs_free(r->f);
    for (size_t i = 0; i < r->nobjects; i++)
        hs_free(r->objects[i]);
    hs_free(r->objects);
    *r = (struct hs_rmm){0};
}

bool
hs_rmm_name(const char *name)
{
    return strncmp(name, "rmm_", 4) == 0;
}

/* Helpers of the particles: their E_T. */
static void
add_et_helpers(struct builder *b, const struct hs_particle *ps, size_t np,
               const char *const *names)
{
    char name[300];

    for (size_t i = 0; i < np && !b->rc; i++) {
        struct hs_strbuf c[4] = {{0}}, e = {0};
        components(c, &ps[i], names);
        key_name(name, sizeof name, "rmm_et_", ps[i].key);
        e.failed = c[0].failed || c[1].failed || c[2].failed || c[3].failed;
        if (!e.failed)
            hs_strbuf_printf(&e, "%s*pt(%s,%s)/p(%s,%s,%s)", c[0].s, c[1].s, c[2].s, c[1].s,
                             c[2].s, c[3].s);
        for (int k = 0; k < 4; k++)
            hs_strbuf_release(&c[k]);
        add(b, name, &e, false, "E_T of particle %s", ps[i].key);
    }
}

/* "(abs(PID1) == 11) && " when particles are typed by code, else nothing. */
static void
of_type(struct hs_strbuf *e, const struct otype *t, size_t i)
{
    if (!t->pid)
        return;
    hs_strbuf_printf(e, "(abs(");
    sb_ref(e, t->pid[i]);
    hs_strbuf_printf(e, ") == %ld) && ", t->code);
}

/* Helpers of the particles in a type: their rank by E_T in it. */
static void
add_rank_helpers(struct builder *b, const struct otype *t, const struct hs_particle *ps)
{
    char name[300], other[300];

    for (size_t i = 0; i < t->nslot && !b->rc; i++) {
        struct hs_strbuf e = {0};
        key_name(name, sizeof name, "rmm_et_", ps[t->slot[i]].key);
        hs_strbuf_printf(&e, "(");
        of_type(&e, t, i);
        hs_strbuf_printf(&e, "(%s >= 0))", name);
        if (t->nslot > 1) {
            hs_strbuf_printf(&e, " * (1");
            for (size_t j = 0; j < t->nslot; j++) {
                if (j == i)
                    continue;
                key_name(other, sizeof other, "rmm_et_", ps[t->slot[j]].key);
                /* Ties go to the earlier column. */
                hs_strbuf_printf(&e, " + (");
                of_type(&e, t, j);
                hs_strbuf_printf(&e, "(%s %s %s))", other, j < i ? ">=" : ">", name);
            }
            hs_strbuf_printf(&e, ")");
        }
        rank_name(name, sizeof name, t, ps[t->slot[i]].key);
        add(b, name, &e, false, "rank by E_T of particle %s among the %s", ps[t->slot[i]].key,
            t->name);
    }
}

/* Helpers of the objects: the k-th object's E, px, py, pz, E_T and y. */
static void
add_object_helpers(struct builder *b, const struct otype *t, const struct hs_particle *ps,
                   const char *const *names)
{
    static const char *const comp[4] = {"E", "px", "py", "pz"};
    struct hs_strbuf *ops = hs_calloc(t->nslot * 5 + 1, sizeof *ops);
    char name[300];

    if (!ops) {
        b->rc = HS_ENOMEM;
        return;
    }
    for (size_t i = 0; i < t->nslot; i++) {
        components(&ops[i * 5], &ps[t->slot[i]], names);
        key_name(name, sizeof name, "rmm_et_", ps[t->slot[i]].key);
        hs_strbuf_printf(&ops[i * 5 + 4], "%s", name);
        for (int k = 0; k < 5; k++)
            b->rc = ops[i * 5 + k].failed ? HS_ENOMEM : b->rc;
    }
    for (size_t k = 1; k <= t->nobj && !b->rc; k++) {
        struct hs_strbuf *opk = hs_calloc(t->nslot + 1, sizeof *opk);
        if (!opk) {
            b->rc = HS_ENOMEM;
            break;
        }
        for (int c = 0; c < 5 && !b->rc; c++) {
            struct hs_strbuf e = {0};
            for (size_t i = 0; i < t->nslot; i++)
                opk[i] = ops[i * 5 + c];
            pick(&e, t, ps, k, opk);
            snprintf(name, sizeof name, "rmm_%s%zu_%s", t->name, k, c < 4 ? comp[c] : "et");
            add(b, name, &e, false, "%s of the %s with the %zu%s highest E_T",
                c < 4 ? comp[c] : "E_T", t->name, k,
                k == 1 ? "st" : k == 2 ? "nd" : k == 3 ? "rd" : "th");
        }
        hs_free(opk);
        if (!b->rc) {
            struct hs_strbuf e = {0};
            hs_strbuf_printf(&e, "rapidity(rmm_%s%zu_E,rmm_%s%zu_pz)", t->name, k, t->name, k);
            snprintf(name, sizeof name, "rmm_%s%zu_y", t->name, k);
            add(b, name, &e, false, "rapidity of %s%zu", t->name, k);
        }
    }
    for (size_t i = 0; i < t->nslot * 5; i++)
        hs_strbuf_release(&ops[i]);
    hs_free(ops);
}

/* The cells, row by row.  obj[o] is "mu1"; prev[o] is the object before
 * it in its type, or -1 for the first. */
static void
add_cells(struct builder *b, const struct met *m, bool has_met, char **obj, const long *prev,
          size_t nobj, const char *rs)
{
    char name[300];

    if (has_met && !b->rc) {
        struct hs_strbuf mx = {0}, my = {0}, mag = {0}, e = {0};
        met_operands(&mx, &my, &mag, m);
        if (mx.failed || my.failed || mag.failed)
            b->rc = HS_ENOMEM;
        else
            hs_strbuf_printf(&e, "%s/%s", mag.s, rs);
        add(b, "rmm_met_met", &e, true, "E_T^miss / sqrt(s)");
        for (size_t o = 0; o < nobj && !b->rc; o++) {
            const char *a = obj[o];
            hs_strbuf_printf(
                &e, "sqrt(max((rmm_%s_et + %s)^2 - (rmm_%s_px + %s)^2 - (rmm_%s_py + %s)^2, 0))/%s",
                a, mag.s, a, mx.s, a, my.s, rs);
            snprintf(name, sizeof name, "rmm_met_%s", a);
            add(b, name, &e, true, "transverse mass of %s and the MET / sqrt(s)", a);
        }
        hs_strbuf_release(&mx);
        hs_strbuf_release(&my);
        hs_strbuf_release(&mag);
    }
    for (size_t r = 0; r < nobj && !b->rc; r++) {
        const char *a = obj[r];
        struct hs_strbuf e = {0};
        hs_strbuf_printf(&e, "cosh(rmm_%s_y) - 1", a);
        snprintf(name, sizeof name, "rmm_%s_met", a);
        add(b, name, &e, true, "h_L = cosh(y) - 1 of %s", a);
        for (size_t c = 0; c < nobj && !b->rc; c++) {
            const char *z = obj[c];
            snprintf(name, sizeof name, "rmm_%s_%s", a, z);
            if (c == r && prev[r] < 0) {
                hs_strbuf_printf(&e, "rmm_%s_et/%s", a, rs);
                add(b, name, &e, true, "E_T of %s / sqrt(s)", a);
            } else if (c == r) {
                const char *y = obj[prev[r]];
                hs_strbuf_printf(&e, "(rmm_%s_et - rmm_%s_et)/(rmm_%s_et + rmm_%s_et)", y, a, y,
                                 a);
                add(b, name, &e, true, "E_T imbalance of %s and %s", y, a);
            } else if (r < c) {
                hs_strbuf_printf(&e,
                                 "mass(rmm_%s_E,rmm_%s_px,rmm_%s_py,rmm_%s_pz,"
                                 "rmm_%s_E,rmm_%s_px,rmm_%s_py,rmm_%s_pz)/%s",
                                 a, a, a, a, z, z, z, z, rs);
                add(b, name, &e, true, "invariant mass of %s and %s / sqrt(s)", a, z);
            } else {
                hs_strbuf_printf(&e, "cosh((rmm_%s_y - rmm_%s_y)/2) - 1", a, z);
                add(b, name, &e, true, "h = cosh(dy/2) - 1 of %s and %s", a, z);
            }
        }
    }
}

static bool
nt_by_code(const struct hs_rmm_opts *opts)
{
    return opts && opts->npid;
}

/* The column of particle key's type code: PIDkey, PID_key, key_PID, or
 * pdgId in place of PID, in any case; NULL when there is none. */
static const char *
code_column(const char *const *names, size_t n, const char *key)
{
    static const char *const form[] = {"pid%s", "pid_%s", "%s_pid", "pdgid%s", "pdgid_%s",
                                       "%s_pdgid", NULL};
    char want[300];

    for (int f = 0; form[f]; f++) {
        snprintf(want, sizeof want, form[f], key);
        for (size_t i = 0; i < n; i++)
            if (strcasecmp(names[i], want) == 0)
                return names[i];
    }
    return NULL;
}

/* Types given by particle code: each holds every particle, counted in it
 * when |code| matches in the event. */
static int
types_by_code(struct otype *types, size_t *nt, const struct hs_rmm_opts *opts,
              const char *const *names, size_t n, const struct hs_particle *ps, size_t np,
              struct hs_err *err)
{
    for (size_t t = 0; t < opts->npid; t++) {
        struct otype *ty = &types[t];
        const char *given = opts->pid[t].type;
        size_t len = strlen(given);
        if (!len || len > 64)
            return hs_err_set(err, HS_EUSAGE, "rmm: a type needs a name of 1 to 64 characters");
        snprintf(ty->name, sizeof ty->name, "%s%s", given,
                 isdigit((unsigned char)given[len - 1]) ? "_" : "");
        for (char *p = ty->name; *p; p++)
            if (!isalnum((unsigned char)*p))
                *p = '_';
        for (size_t u = 0; u < t; u++)
            if (strcmp(types[u].name, ty->name) == 0)
                return hs_err_set(err, HS_EUSAGE, "rmm: type '%s' is given twice", given);
        ty->code = opts->pid[t].code < 0 ? -opts->pid[t].code : opts->pid[t].code;
        ty->slot = hs_calloc(np, sizeof *ty->slot);
        ty->pid = hs_calloc(np, sizeof *ty->pid);
        (*nt)++;
        if (!ty->slot || !ty->pid)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        for (size_t i = 0; i < np; i++) {
            if (!(ty->pid[i] = code_column(names, n, ps[i].key)))
                return hs_err_set(err, HS_ENOTFOUND,
                                  "rmm: typing by particle code needs a code column for "
                                  "particle '%s' (PID%s, pdgId%s, ...)",
                                  ps[i].key, ps[i].key, ps[i].key);
            ty->slot[ty->nslot++] = i;
        }
    }
    return HS_OK;
}

int
hs_rmm_build(const char *const *names, size_t n, const struct hs_rmm_opts *opts,
             struct hs_rmm *out, struct hs_err *err)
{
    size_t per = opts && opts->objects ? opts->objects : HS_RMM_OBJECTS;
    double sqrt_s = opts && opts->sqrt_s != 0 ? opts->sqrt_s : HS_RMM_SQRT_S;
    struct hs_particle *ps = NULL;
    struct otype *types = NULL;
    struct hs_rmm r = {0};
    struct builder b = {.r = &r};
    struct met m;
    long *prev = NULL;
    size_t np = 0, nt = 0, nobj = 0;
    char rs[HS_NUM_BUF];
    int rc;

    if (!(sqrt_s > 0) || sqrt_s > 1e300)
        return hs_err_set(err, HS_EUSAGE, "rmm: sqrt(s) must be a positive number of GeV");
    if ((rc = hs_fourvec_find(names, n, &ps, &np, err)))
        return rc;
    if (np == 0) {
        hs_particles_free(ps, np);
        return hs_err_set(err, HS_ENOTFOUND,
                          "rmm: no four-vectors among the columns: name four-momenta "
                          "E1,px1,py1,pz1 or pt1,eta1,phi1 (or E_mu_plus,p_mu_plus_x,...)");
    }
    if (!(types = hs_calloc(np + (opts ? opts->npid : 0), sizeof *types))) {
        rc = HS_ENOMEM;
        goto done;
    }
    if (opts && opts->npid) {
        if ((rc = types_by_code(types, &nt, opts, names, n, ps, np, err)))
            goto done;
    }
    /* By key: types in the order of their first particle. */
    for (size_t i = 0; i < np && !nt_by_code(opts); i++) {
        char tn[128];
        size_t t;
        type_of(ps[i].key, tn, sizeof tn);
        for (t = 0; t < nt && strcmp(types[t].name, tn) != 0; t++)
            ;
        if (t == nt) {
            snprintf(types[nt].name, sizeof types[nt].name, "%s", tn);
            if (!(types[nt].slot = hs_calloc(np, sizeof *types[nt].slot))) {
                rc = HS_ENOMEM;
                goto done;
            }
            nt++;
        }
        types[t].slot[types[t].nslot++] = i;
    }
    for (size_t t = 0; t < nt; t++) {
        types[t].nobj = types[t].nslot < per ? types[t].nslot : per;
        nobj += types[t].nobj;
    }
    if (nobj > HS_RMM_MAX_OBJECTS) {
        rc = hs_err_set(err, HS_ERANGE,
                        "rmm: %zu objects (%zu types of particle, up to %zu each) would make "
                        "%zu cells; at most %d objects: give a smaller --objects",
                        nobj, nt, per, (nobj + 1) * (nobj + 1), HS_RMM_MAX_OBJECTS);
        goto done;
    }
    if (!(r.objects = hs_calloc(nobj, sizeof *r.objects)) ||
        !(prev = hs_calloc(nobj, sizeof *prev))) {
        rc = HS_ENOMEM;
        goto done;
    }
    for (size_t t = 0; t < nt; t++)
        for (size_t k = 1; k <= types[t].nobj; k++) {
            char label[160];
            snprintf(label, sizeof label, "%s%zu", types[t].name, k);
            prev[r.nobjects] = k == 1 ? -1 : (long)r.nobjects - 1;
            if (!(r.objects[r.nobjects++] = hs_strdup(label))) {
                rc = HS_ENOMEM;
                goto done;
            }
        }
    hs_num_format(sqrt_s, rs);
    r.has_met = find_met(names, n, &m);
    add_et_helpers(&b, ps, np, names);
    for (size_t t = 0; t < nt && !b.rc; t++)
        add_rank_helpers(&b, &types[t], ps);
    for (size_t t = 0; t < nt && !b.rc; t++)
        add_object_helpers(&b, &types[t], ps, names);
    add_cells(&b, &m, r.has_met, r.objects, prev, r.nobjects, rs);
    if (b.rc)
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
done:
    if (rc == HS_ENOMEM && !b.rc)
        hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t t = 0; types && t < nt; t++) {
        hs_free(types[t].slot);
        hs_free(types[t].pid);
    }
    hs_free(types);
    hs_free(prev);
    hs_particles_free(ps, np);
    if (rc) {
        hs_rmm_release(&r);
        return rc;
    }
    *out = r;
    return HS_OK;
}
