/* complete.c: the candidates of a ':' line's word (see complete.h). */
#include "config.h"

#include "ui/complete.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ui/cmd.h"

#define MAX_WORDS 64

void
hs_complete_names_release(struct hs_complete_names *n)
{
    char **lists[] = {n->features, n->cutsets, n->models, n->datasets};
    size_t counts[] = {n->nfeatures, n->ncutsets, n->nmodels, n->ndatasets};

    for (size_t l = 0; l < 4; l++) {
        for (size_t i = 0; lists[l] && i < counts[l]; i++)
            free(lists[l][i]);
        free(lists[l]);
    }
    memset(n, 0, sizeof *n);
}

void
hs_completion_release(struct hs_completion *c)
{
    for (size_t i = 0; c->cands && i < c->n; i++)
        free(c->cands[i]);
    free(c->cands);
    free(c->common);
    memset(c, 0, sizeof *c);
}

/* The candidates being gathered: those that start with prefix. */
struct gather {
    const char *prefix;
    size_t plen;
    char **v;
    size_t n, cap;
    bool nomem;
};

static void
add(struct gather *g, const char *word, size_t len)
{
    char *dup;

    if (len < g->plen || strncmp(word, g->prefix, g->plen) != 0 || g->nomem)
        return;
    for (size_t i = 0; i < g->n; i++)
        if (strlen(g->v[i]) == len && strncmp(g->v[i], word, len) == 0)
            return;
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 32;
        char **nv = realloc(g->v, cap * sizeof *nv);
        if (!nv) {
            g->nomem = true;
            return;
        }
        g->v = nv;
        g->cap = cap;
    }
    if (!(dup = strndup(word, len))) {
        g->nomem = true;
        return;
    }
    g->v[g->n++] = dup;
}

static void
add_list(struct gather *g, char *const *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        add(g, list[i], strlen(list[i]));
}

/* Command names; a family ("cut set") by its first word. */
static void
add_commands(struct gather *g)
{
    const struct hs_cmd_entry *const *all = hs_cmd_entries();

    for (size_t i = 0; all && all[i]; i++)
        add(g, all[i]->name, strcspn(all[i]->name, " "));
}

static void
add_verbs(struct gather *g, const char *family)
{
    const struct hs_cmd_entry *const *all = hs_cmd_entries();
    const char *verb;

    for (size_t i = 0; all && all[i]; i++)
        if (hs_cmd_of_family(all[i], family, strlen(family), &verb))
            add(g, verb, strlen(verb));
}

static void
add_options(struct gather *g, const struct hs_opt_spec *opts)
{
    char buf[80];

    for (const struct hs_opt_spec *o = opts; o && o->name; o++) {
        int n = snprintf(buf, sizeof buf, "--%s", o->name);
        if (n > 0 && (size_t)n < sizeof buf)
            add(g, buf, (size_t)n);
    }
}

static const struct hs_opt_spec *
find_opt(const struct hs_opt_spec *opts, const char *word)
{
    if (strncmp(word, "--", 2) == 0) {
        for (const struct hs_opt_spec *o = opts; o && o->name; o++)
            if (strcmp(o->name, word + 2) == 0)
                return o;
    } else if (word[0] == '-' && word[1] && !word[2]) {
        for (const struct hs_opt_spec *o = opts; o && o->name; o++)
            if (o->short_name == word[1])
                return o;
    }
    return NULL;
}

static bool
is(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

/* An option's value: the names its metavar (or name) says it takes. */
static void
add_values(struct gather *g, const struct hs_opt_spec *o, const struct hs_complete_names *nm)
{
    static const char *const feature_vars[] = {"COL", "COLUMN", "FEATURE", "FEATURES",
                                               "F,G,...", "F:lo:hi", NULL};
    static const char *const dataset_opts[] = {"dataset", "data", NULL};

    if (!nm)
        return;
    if (is(o->metavar ? o->metavar : "", feature_vars))
        add_list(g, nm->features, nm->nfeatures);
    else if (o->metavar && strcmp(o->metavar, "CUTSET") == 0)
        add_list(g, nm->cutsets, nm->ncutsets);
    else if (o->metavar && strcmp(o->metavar, "MODEL") == 0)
        add_list(g, nm->models, nm->nmodels);
    else if (is(o->name, dataset_opts) || (o->metavar && strcmp(o->metavar, "DATASET") == 0))
        add_list(g, nm->datasets, nm->ndatasets);
}

/* ---- literal words of a command's usage ----
 *
 * A usage line says which words a positional argument may be: "hist
 * FEATURE ...", "FEATURE lower|upper [VALUE]", "[asc|desc|none]".  Its
 * lowercase alternatives are literal words, offered as they are; an
 * uppercase one (FEATURE, NAME) is a name of the session.  Options and
 * their values, and bracketed option groups, are not positional. */

#define MAX_POS 16

struct usage_pos {
    const char *tok[MAX_POS]; /* positional tokens, not NUL-ended */
    size_t len[MAX_POS];
    size_t n;
    bool repeat;              /* the last one takes any number ("NAME...") */
};

static bool
is_literal(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '_'))
            return false;
    return true;
}

/* The positional tokens of the usage line [s, end). */
static void
usage_line(const char *s, const char *end, struct usage_pos *up)
{
    bool skip_value = false;

    memset(up, 0, sizeof *up);
    while (s < end) {
        const char *t;
        size_t n;

        while (s < end && *s == ' ')
            s++;
        if (s >= end)
            break;
        if (s[0] == '[' && s + 1 < end && s[1] == '-') {
            /* An option group, "[--bins N]" or "[--nsig N | --lumi L]". */
            int depth = 0;
            for (; s < end; s++) {
                depth += *s == '[';
                depth -= *s == ']';
                if (depth == 0) {
                    s++;
                    break;
                }
            }
            skip_value = false;
            continue;
        }
        t = s;
        while (s < end && *s != ' ')
            s++;
        n = (size_t)(s - t);
        if (t[0] == '-') {
            skip_value = true; /* "-o FILE", "--as c" */
            continue;
        }
        if (skip_value || (n == 3 && strncmp(t, "...", 3) == 0)) {
            skip_value = false;
            continue;
        }
        if (t[0] == '[') {
            t++;
            n--;
        }
        while (n && (t[n - 1] == ']' || t[n - 1] == '\''))
            n--;
        if (t[0] == '\'') {
            t++;
            n -= n > 0;
        }
        up->repeat = n >= 3 && strncmp(t + n - 3, "...", 3) == 0;
        if (up->repeat)
            n -= 3;
        if (up->n < MAX_POS) {
            up->tok[up->n] = t;
            up->len[up->n++] = n;
        }
    }
}

/* Is word one of token's literal alternatives (or may it be a name)? */
static bool
token_allows(const char *tok, size_t len, const char *word)
{
    const char *end = tok + len;

    while (tok < end) {
        const char *bar = memchr(tok, '|', (size_t)(end - tok));
        size_t n = (size_t)((bar ? bar : end) - tok);
        if (!is_literal(tok, n) || (strlen(word) == n && strncmp(tok, word, n) == 0))
            return true;
        tok += n + 1;
    }
    return false;
}

/* Offer the literal words that e's usage allows as positional argument k
 * (typed: the k positional words before it); true when a name of the
 * session may go there too (or the usage does not say). */
static bool
add_usage_words(struct gather *g, const struct hs_cmd_entry *e, char *const *typed, size_t k)
{
    const char *s = e->usage ? e->usage : "";
    bool names = false, any = false;

    while (*s) {
        const char *end = strchr(s, '\n');
        struct usage_pos up;
        bool fits = true;
        size_t at;

        end = end ? end : s + strlen(s);
        usage_line(s, end, &up);
        s = *end ? end + 1 : end;
        for (size_t j = 0; j < k && fits; j++) {
            at = j < up.n ? j : up.n ? up.n - 1 : 0;
            fits = (j < up.n || up.repeat) && token_allows(up.tok[at], up.len[at], typed[j]);
        }
        if (!fits || (k >= up.n && !up.repeat))
            continue;
        any = true;
        at = k < up.n ? k : up.n - 1;
        for (const char *t = up.tok[at], *tend = t + up.len[at]; t < tend;) {
            const char *bar = memchr(t, '|', (size_t)(tend - t));
            size_t n = (size_t)((bar ? bar : tend) - t);
            if (is_literal(t, n))
                add(g, t, n);
            else
                names = true;
            t += n + 1;
        }
    }
    return names || !any;
}

static int
str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
hs_complete(const char *line, size_t pos, const struct hs_complete_names *names,
            struct hs_completion *out)
{
    char *words[MAX_WORDS];
    size_t nw = 0, start = 0, at = 0, len = strlen(line);
    const struct hs_cmd_entry *e = NULL;
    const struct hs_opt_spec *valopt = NULL;
    struct gather g = {0};
    bool in_list = false;

    memset(out, 0, sizeof *out);
    pos = pos > len ? len : pos;
    /* The cursor's word starts after the last blank before it; the
     * words before it are split at blanks. */
    start = pos;
    while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
        start--;
    while (at < start && nw < MAX_WORDS) {
        size_t b = at + strspn(line + at, " \t"), n;
        if (b >= start)
            break;
        n = strcspn(line + b, " \t");
        if (!(words[nw] = strndup(line + b, n))) {
            for (size_t i = 0; i < nw; i++)
                free(words[i]);
            return HS_ENOMEM;
        }
        nw++;
        at = b + n;
    }
    if (nw)
        e = hs_cmd_lookup((int)nw, words);
    if (nw && e && strchr(e->name, ' ') && nw == 1)
        e = NULL; /* "cut " wants a verb, not cut set's options */
    g.prefix = line + start;
    g.plen = pos - start;
    /* An option's value: after "--cut" (or in a list, after a comma). */
    if (nw && e && words[nw - 1][0] == '-') {
        valopt = find_opt(e->opts, words[nw - 1]);
        if (!valopt)
            valopt = find_opt(hs_cmd_global_opts, words[nw - 1]);
        if (valopt && valopt->type == HS_OPT_FLAG)
            valopt = NULL;
    }
    if (valopt && memchr(g.prefix, ',', g.plen)) {
        const char *comma = g.prefix + g.plen;
        while (comma[-1] != ',')
            comma--;
        start = (size_t)(comma - line);
        g.prefix = comma;
        g.plen = pos - start;
        in_list = true;
    }
    if (nw == 0) {
        add_commands(&g);
        out->final = 1;
    } else if (nw == 1 && hs_cmd_is_family(words[0])) {
        add_verbs(&g, words[0]);
        out->final = 1;
    } else if (valopt) {
        add_values(&g, valopt, names);
        out->final = !in_list;
    } else if (g.plen && g.prefix[0] == '-') {
        add_options(&g, e ? e->opts : NULL);
        add_options(&g, hs_cmd_global_opts);
        out->final = 1;
    } else {
        /* A positional argument: the usage's literal words, and names
         * where it takes a name. */
        size_t first = e && strchr(e->name, ' ') ? 2 : 1, k = 0;
        char *typed[MAX_WORDS];
        for (size_t i = first; e && i < nw; i++) {
            const struct hs_opt_spec *o = NULL;
            if (words[i][0] == '-' && words[i][1]) {
                o = find_opt(e->opts, words[i]);
                o = o ? o : find_opt(hs_cmd_global_opts, words[i]);
                i += o && o->type != HS_OPT_FLAG;
                continue;
            }
            typed[k++] = words[i];
        }
        if ((!e || add_usage_words(&g, e, typed, k)) && names) {
            add_list(&g, names->features, names->nfeatures);
            add_list(&g, names->cutsets, names->ncutsets);
            add_list(&g, names->models, names->nmodels);
        }
        out->final = 1;
    }
    for (size_t i = 0; i < nw; i++)
        free(words[i]);
    if (g.nomem) {
        out->cands = g.v;
        out->n = g.n;
        hs_completion_release(out);
        return HS_ENOMEM;
    }
    if (g.n > 1)
        qsort(g.v, g.n, sizeof *g.v, str_cmp);
    out->start = start;
    out->cands = g.v;
    out->n = g.n;
    /* The longest beginning they share. */
    {
        size_t common = g.n ? strlen(g.v[0]) : 0;
        for (size_t i = 1; i < g.n; i++) {
            size_t k = 0;
            while (k < common && g.v[i][k] == g.v[0][k])
                k++;
            common = k;
        }
        if (!(out->common = strndup(g.n ? g.v[0] : "", common))) {
            hs_completion_release(out);
            return HS_ENOMEM;
        }
    }
    return HS_OK;
}
