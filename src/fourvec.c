#include "config.h"

#include "fourvec.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "nameidx.h"

/* Spellings of each component, matched without regard to case except for
 * the energy: a lone "e" is as often an electron as an energy, so only "E"
 * and the longer words count. */
static const char *const comp_words[HS_FV_NCOMP][4] = {
    [HS_FV_E] = {"E", "energy", "En", NULL},
    [HS_FV_PX] = {"px", NULL},
    [HS_FV_PY] = {"py", NULL},
    [HS_FV_PZ] = {"pz", NULL},
    [HS_FV_PT] = {"pt", NULL},
    [HS_FV_ETA] = {"eta", NULL},
    [HS_FV_PHI] = {"phi", NULL},
};

static bool
word_is(const char *s, size_t len, const char *word)
{
    if (strlen(word) != len)
        return false;
    if (strcmp(word, "E") == 0)
        return s[0] == 'E';
    return strncasecmp(s, word, len) == 0;
}

/* The component a word names, or -1. */
static int
comp_of(const char *s, size_t len)
{
    for (int c = 0; c < HS_FV_NCOMP; c++)
        for (int k = 0; comp_words[c][k]; k++)
            if (word_is(s, len, comp_words[c][k]))
                return c;
    return -1;
}

static bool
is_sep(char ch)
{
    return ch == '_' || ch == '.' || ch == '-' || ch == ' ';
}

/* Split a name into component and particle key, or return -1.  Tried in
 * order: "p_KEY_x" (axis last, momentum first), "COMP[_]KEY" and
 * "KEY[_]COMP".  The key is never empty, so "px" alone is no particle. */
static int
split_name(const char *name, char *key, size_t keysize)
{
    size_t len = strlen(name);

    /* p_KEY_x, P_KEY_X */
    if (len >= 5 && (name[0] == 'p' || name[0] == 'P') && is_sep(name[1]) && is_sep(name[len - 2])) {
        char axis = (char)tolower((unsigned char)name[len - 1]);
        if (axis == 'x' || axis == 'y' || axis == 'z') {
            snprintf(key, keysize, "%.*s", (int)(len - 4), name + 2);
            return axis == 'x' ? HS_FV_PX : axis == 'y' ? HS_FV_PY : HS_FV_PZ;
        }
    }
    /* COMP then KEY: the longest component word that leaves a key. */
    for (size_t l = len - 1 < 6 ? len - 1 : 6; l >= 1; l--) {
        int c = comp_of(name, l);
        const char *rest = name + l;
        bool sep = is_sep(*rest);
        if (c < 0)
            continue;
        /* "E1", "px_mu": the key starts with a separator, a digit, or (after
         * a lower-case component such as "px") an upper-case letter: that
         * keeps "phi" from being read as "p" + "hi" and "Eta" as "E" + "ta". */
        if (sep || isdigit((unsigned char)*rest) ||
            (islower((unsigned char)name[l - 1]) && isupper((unsigned char)*rest))) {
            rest += sep;
            if (*rest) {
                snprintf(key, keysize, "%s", rest);
                return c;
            }
        }
    }
    /* KEY then COMP: "mu_px", "Muon_Pt", "jetE". */
    for (size_t l = 1; l <= 6 && l < len; l++) {
        const char *tail = name + len - l;
        int c = comp_of(tail, l);
        size_t klen = len - l;
        if (c < 0)
            continue;
        if (is_sep(name[klen - 1]) ||
            (islower((unsigned char)name[klen - 1]) && isupper((unsigned char)tail[0]))) {
            klen -= is_sep(name[klen - 1]);
            if (klen) {
                snprintf(key, keysize, "%.*s", (int)klen, name);
                return c;
            }
        }
    }
    return -1;
}

void
hs_particles_free(struct hs_particle *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++)
        hs_free(p[i].key);
    hs_free(p);
}

int
hs_fourvec_find(const char *const *names, size_t n, struct hs_particle **out, size_t *nout,
                struct hs_err *err)
{
    struct hs_particle *ps = NULL;
    struct hs_nameidx keys = {0}; /* key -> particle, so that 2,500 particles are found in
                                     linear time */
    size_t np = 0, cap = 0, kept = 0;
    char key[256];

    for (size_t i = 0; i < n; i++) {
        int c = split_name(names[i], key, sizeof key);
        long at;
        size_t k;
        if (c < 0)
            continue;
        at = hs_nameidx_get(&keys, key, strlen(key));
        k = at < 0 ? np : (size_t)at;
        if (k == np) {
            if (hs_grow((void **)&ps, &cap, np + 1, sizeof *ps))
                goto nomem;
            memset(&ps[np], 0, sizeof *ps);
            for (int j = 0; j < HS_FV_NCOMP; j++)
                ps[np].col[j] = -1;
            if (!(ps[np].key = hs_strdup(key)) || hs_nameidx_put(&keys, ps[np].key, (long)np)) {
                np += ps[np].key != NULL;
                goto nomem;
            }
            np++;
        }
        /* Two columns for one component of one key: ambiguous, keep none. */
        ps[k].col[c] = ps[k].col[c] == -1 ? (long)i : -2;
    }
    for (size_t k = 0; k < np; k++) {
        struct hs_particle *p = &ps[k];
        p->has_cartesian = p->col[HS_FV_E] >= 0 && p->col[HS_FV_PX] >= 0 &&
                           p->col[HS_FV_PY] >= 0 && p->col[HS_FV_PZ] >= 0;
        p->has_polar = p->col[HS_FV_PT] >= 0 && p->col[HS_FV_ETA] >= 0 && p->col[HS_FV_PHI] >= 0;
        for (int j = 0; j < HS_FV_NCOMP; j++)
            if (p->col[j] == -2)
                p->col[j] = -1;
        if (p->has_cartesian || p->has_polar)
            ps[kept++] = *p;
        else
            hs_free(p->key);
    }
    hs_nameidx_release(&keys);
    *out = ps;
    *nout = kept;
    return HS_OK;
nomem:
    hs_nameidx_release(&keys);
    hs_particles_free(ps, np);
    return hs_err_set(err, HS_ENOMEM, "out of memory");
}

void
hs_suggestions_free(struct hs_suggestion *s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        hs_free(s[i].name);
        hs_free(s[i].expr);
        hs_free(s[i].what);
    }
    hs_free(s);
}

/* A column name as the expression language reads it: bare when it is an
 * identifier, else in backquotes. */
static const char *
ref(const char *name, char *buf, size_t size)
{
    bool ident = isalpha((unsigned char)name[0]) || name[0] == '_';
    for (const char *p = name; *p && ident; p++)
        ident = isalnum((unsigned char)*p) || *p == '_';
    if (ident)
        return name;
    snprintf(buf, size, "`%s`", name);
    return buf;
}

struct builder {
    struct hs_suggestion *s;
    size_t n, cap;
    const char *const *names;
    size_t nnames;
    struct hs_nameidx taken; /* names, indexed: a suggestion of a name there is skipped */
    int rc;
};

static void __attribute__((format(__printf__, 4, 5)))
add(struct builder *b, const char *name, const char *what, const char *fmt, ...)
{
    char expr[2048];
    va_list ap;

    if (b->rc || hs_nameidx_get(&b->taken, name, strlen(name)) >= 0)
        return;
    va_start(ap, fmt);
    vsnprintf(expr, sizeof expr, fmt, ap);
    va_end(ap);
    if (hs_grow((void **)&b->s, &b->cap, b->n + 1, sizeof *b->s)) {
        b->rc = HS_ENOMEM;
        return;
    }
    b->s[b->n].name = hs_strdup(name);
    b->s[b->n].expr = hs_strdup(expr);
    b->s[b->n].what = hs_strdup(what);
    if (!b->s[b->n].name || !b->s[b->n].expr || !b->s[b->n].what)
        b->rc = HS_ENOMEM;
    b->n++;
}

/* A feature name from two particle keys: letters, digits and '_' only. */
static void
pair_name(char *buf, size_t size, const char *quantity, const char *k1, const char *k2)
{
    size_t used = (size_t)snprintf(buf, size, "%s_%s_%s", quantity, k1, k2);
    for (size_t i = 0; i < used && i < size; i++)
        if (!isalnum((unsigned char)buf[i]))
            buf[i] = '_';
}

static void
suggest_pair(struct builder *b, const struct hs_particle *p1, const struct hs_particle *p2)
{
    const char *const *nm = b->names;
    char name[300], what[300];
    char r1[HS_FV_NCOMP][260], r2[HS_FV_NCOMP][260];
    const char *a[HS_FV_NCOMP], *c[HS_FV_NCOMP];

    for (int j = 0; j < HS_FV_NCOMP; j++) {
        a[j] = p1->col[j] >= 0 ? ref(nm[p1->col[j]], r1[j], sizeof r1[j]) : NULL;
        c[j] = p2->col[j] >= 0 ? ref(nm[p2->col[j]], r2[j], sizeof r2[j]) : NULL;
    }
#define NAME(q) pair_name(name, sizeof name, q, p1->key, p2->key)
#define WHAT(text) snprintf(what, sizeof what, text " of %s and %s", p1->key, p2->key)
    if (p1->has_cartesian && p2->has_cartesian) {
        NAME("m");
        WHAT("invariant mass");
        add(b, name, what, "mass(%s,%s,%s,%s,%s,%s,%s,%s)", a[HS_FV_E], a[HS_FV_PX], a[HS_FV_PY],
            a[HS_FV_PZ], c[HS_FV_E], c[HS_FV_PX], c[HS_FV_PY], c[HS_FV_PZ]);
        NAME("pt");
        WHAT("transverse momentum of the pair");
        add(b, name, what, "pt(%s+%s,%s+%s)", a[HS_FV_PX], c[HS_FV_PX], a[HS_FV_PY], c[HS_FV_PY]);
        NAME("angle");
        WHAT("opening angle");
        add(b, name, what, "angle(%s,%s,%s,%s,%s,%s)", a[HS_FV_PX], a[HS_FV_PY], a[HS_FV_PZ],
            c[HS_FV_PX], c[HS_FV_PY], c[HS_FV_PZ]);
        NAME("dphi");
        WHAT("delta-phi");
        add(b, name, what, "dphi(phi(%s,%s),phi(%s,%s))", a[HS_FV_PX], a[HS_FV_PY], c[HS_FV_PX],
            c[HS_FV_PY]);
        NAME("dR");
        WHAT("delta-R");
        add(b, name, what, "deltaR(eta(%s,%s,%s),phi(%s,%s),eta(%s,%s,%s),phi(%s,%s))",
            a[HS_FV_PX], a[HS_FV_PY], a[HS_FV_PZ], a[HS_FV_PX], a[HS_FV_PY], c[HS_FV_PX],
            c[HS_FV_PY], c[HS_FV_PZ], c[HS_FV_PX], c[HS_FV_PY]);
        NAME("y");
        WHAT("rapidity of the pair");
        add(b, name, what, "rapidity(%s+%s,%s+%s)", a[HS_FV_E], c[HS_FV_E], a[HS_FV_PZ],
            c[HS_FV_PZ]);
    } else if (p1->has_polar && p2->has_polar) {
        /* Without energies the particles are taken as massless. */
        NAME("m");
        WHAT("invariant mass (massless)");
        add(b, name, what, "sqrt(2*%s*%s*(cosh(%s-%s)-cos(dphi(%s,%s))))", a[HS_FV_PT], c[HS_FV_PT],
            a[HS_FV_ETA], c[HS_FV_ETA], a[HS_FV_PHI], c[HS_FV_PHI]);
        NAME("pt");
        WHAT("transverse momentum of the pair");
        add(b, name, what, "pt(%s*cos(%s)+%s*cos(%s),%s*sin(%s)+%s*sin(%s))", a[HS_FV_PT],
            a[HS_FV_PHI], c[HS_FV_PT], c[HS_FV_PHI], a[HS_FV_PT], a[HS_FV_PHI], c[HS_FV_PT],
            c[HS_FV_PHI]);
        NAME("dphi");
        WHAT("delta-phi");
        add(b, name, what, "dphi(%s,%s)", a[HS_FV_PHI], c[HS_FV_PHI]);
        NAME("dR");
        WHAT("delta-R");
        add(b, name, what, "deltaR(%s,%s,%s,%s)", a[HS_FV_ETA], a[HS_FV_PHI], c[HS_FV_ETA],
            c[HS_FV_PHI]);
    }
#undef NAME
#undef WHAT
}

int
hs_fourvec_suggest(const char *const *names, size_t n, struct hs_suggestion **out, size_t *nout,
                   struct hs_err *err)
{
    struct hs_particle *ps;
    size_t np;
    struct builder b = {.names = names, .nnames = n};
    int rc = hs_fourvec_find(names, n, &ps, &np, err);

    if (rc)
        return rc;
    for (size_t i = 0; i < n && !b.rc; i++)
        b.rc = hs_nameidx_put(&b.taken, names[i], (long)i);
    for (size_t i = 0; i < np; i++)
        for (size_t j = i + 1; j < np; j++)
            suggest_pair(&b, &ps[i], &ps[j]);
    hs_nameidx_release(&b.taken);
    hs_particles_free(ps, np);
    if (b.rc) {
        hs_suggestions_free(b.s, b.n);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    *out = b.s;
    *nout = b.n;
    return HS_OK;
}
