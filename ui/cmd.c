/* cmd.c: the command table, central option parsing, sessions and journal.
 *
 * Every front end reaches a command through hs_cmd_run_argv: the words are
 * parsed against the entry's option table (global options may stand
 * anywhere), the session is opened as the command needs it, the dataset is
 * resolved, exec runs, and a successful command that writes is journaled
 * in its own transaction.
 */
#include "config.h"

#include "ui/cmd.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "method.h"
#include "numparse.h"
#include "par.h"
#include "ui/grid.h"
#include "ui/progress.h"

struct hs_cmd_optval {
    const struct hs_opt_spec *spec;
    size_t n;            /* times given */
    const char **values; /* n values (for flags: NULL entries) */
};

/* The families, in the order help lists them. */
static const struct hs_cmd_entry *const *const families[] = {
    hs_cmd_help_entries,
    hs_cmd_data_entries,
    hs_cmd_demo_entries,
    hs_cmd_feature_entries,
    hs_cmd_plot_entries,
    hs_cmd_roc_entries,
    hs_cmd_cut_entries,
    hs_cmd_train_entries,
    hs_cmd_importance_entries,
    hs_cmd_model_entries,
    hs_cmd_search_entries,
    hs_cmd_project_entries,
    hs_cmd_cluster_entries,
    hs_cmd_select_entries,
    hs_cmd_tui_entries,
    hs_cmd_tui_data_entries,
    hs_cmd_tui_cuts_entries,
    hs_cmd_tui_train_entries,
    hs_cmd_tui_proj_entries,
    hs_cmd_tui_clust_entries,
};

#define NFAMILIES (sizeof families / sizeof families[0])

const struct hs_opt_spec hs_cmd_global_opts[] = {
    {"session", 0, HS_OPT_VALUE, "S",
     "the session file (default: $XDG_DATA_HOME/hepscope/default.db)"},
    {"dataset", 0, HS_OPT_VALUE, "D",
     "the dataset to work on (needed when the session holds several)"},
    {"threads", 0, HS_OPT_VALUE, "N", "parts parallel work is split into, so its numbers (default: the CPUs usable)"},
    {0},
};

const struct hs_cmd_entry *const *
hs_cmd_entries(void)
{
    /* Built once from the families; the UI is single-threaded here. */
    static const struct hs_cmd_entry *all[256];
    static bool built;

    if (!built) {
        size_t n = 0;
        for (size_t f = 0; f < NFAMILIES; f++)
            for (size_t i = 0; families[f][i] && n + 1 < sizeof all / sizeof all[0]; i++)
                all[n++] = families[f][i];
        all[n] = NULL;
        built = true;
    }
    return all;
}

const struct hs_cmd_entry *
hs_cmd_find(const char *name)
{
    const struct hs_cmd_entry *const *all = hs_cmd_entries();

    for (size_t i = 0; all[i]; i++)
        if (strcmp(all[i]->name, name) == 0 || (all[i]->alias && strcmp(all[i]->alias, name) == 0))
            return all[i];
    return NULL;
}

/* ---- families: `cut set`, `model show` -------------------------------
 *
 * An entry named "cut set" is one verb of the family "cut": the user types
 * `cut set NAME ...`, the verb is the first word that is not an option,
 * and the command keeps it as its first argument, so that its journal
 * line reads `cut --dataset D --range ... set NAME` as it always has. */

bool
hs_cmd_of_family(const struct hs_cmd_entry *e, const char *fam, size_t len, const char **verb)
{
    if (strncmp(e->name, fam, len) != 0 || e->name[len] != ' ')
        return false;
    if (verb)
        *verb = e->name + len + 1;
    return true;
}

bool
hs_cmd_is_family(const char *name)
{
    const struct hs_cmd_entry *const *all = hs_cmd_entries();

    for (size_t i = 0; all[i]; i++)
        if (hs_cmd_of_family(all[i], name, strlen(name), NULL))
            return true;
    return false;
}

/* The verb of a family entry ("set" of "cut set"), or NULL. */
static const char *
entry_verb(const struct hs_cmd_entry *e)
{
    const char *sp = strchr(e->name, ' ');
    return sp ? sp + 1 : NULL;
}

/* Does any verb of family `fam` take option `name` (len bytes) with a
 * value?  (To find the verb, the words between are skipped.) */
static bool
family_opt_takes_value(const char *fam, const char *name, size_t len)
{
    const struct hs_cmd_entry *const *all = hs_cmd_entries();

    for (size_t i = 0; all[i]; i++) {
        if (!hs_cmd_of_family(all[i], fam, strlen(fam), NULL))
            continue;
        for (const struct hs_opt_spec *o = all[i]->opts; o && o->name; o++)
            if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
                return o->type != HS_OPT_FLAG;
    }
    return false;
}

/* "set, flow, optimise, export, list, show or drop" */
static void
family_verbs(const char *fam, char *buf, size_t size)
{
    const struct hs_cmd_entry *const *all = hs_cmd_entries();
    size_t len = 0, n = 0, k = 0;
    const char *verb;

    for (size_t i = 0; all[i]; i++)
        n += hs_cmd_of_family(all[i], fam, strlen(fam), NULL);
    buf[0] = '\0';
    for (size_t i = 0; all[i] && len < size; i++)
        if (hs_cmd_of_family(all[i], fam, strlen(fam), &verb)) {
            k++;
            len += (size_t)snprintf(buf + len, size - len, "%s%s", k == 1 ? "" : k == n ? " or " : ", ",
                                    verb);
        }
}

/* The entry of family argv[0]'s verb: the first word after argv[0] that
 * is not an option or an option's value (or the first after "--"). */
static int
find_family_entry(int argc, char **argv, const struct hs_cmd_entry **out, int *verb_at,
                  struct hs_err *err)
{
    const char *fam = argv[0], *verb = NULL;
    char name[128], verbs[256];

    *out = NULL;
    *verb_at = -1;
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        if (strcmp(w, "--") == 0) {
            if (i + 1 < argc)
                *verb_at = i + 1;
            break;
        }
        if (w[0] != '-' || w[1] == '\0') {
            *verb_at = i;
            break;
        }
        if (w[1] == '-' && !strchr(w, '=')) {
            size_t len = strlen(w + 2);
            if (hs_cmd_is_global(w + 2) || family_opt_takes_value(fam, w + 2, len))
                i++;
        }
    }
    family_verbs(fam, verbs, sizeof verbs);
    if (*verb_at < 0)
        return hs_err_set(err, HS_EUSAGE, "%s: an action is missing (%s)", fam, verbs);
    verb = argv[*verb_at];
    snprintf(name, sizeof name, "%s %s", fam, verb);
    if (!(*out = hs_cmd_find(name)))
        return hs_err_set(err, HS_EUSAGE, "%s: unknown action '%s' (%s)", fam, verb, verbs);
    return HS_OK;
}

const struct hs_cmd_entry *
hs_cmd_lookup(int argc, char **argv)
{
    const struct hs_cmd_entry *e;
    int at;

    if (argc < 1)
        return NULL;
    if ((e = hs_cmd_find(argv[0])) || !hs_cmd_is_family(argv[0]))
        return e;
    return find_family_entry(argc, argv, &e, &at, NULL) == HS_OK ? e : NULL;
}

bool
hs_cmd_is_global(const char *name)
{
    for (size_t i = 0; hs_cmd_global_opts[i].name; i++)
        if (strcmp(hs_cmd_global_opts[i].name, name) == 0)
            return true;
    return false;
}

/* ---- option values --------------------------------------------------- */

static struct hs_cmd_optval *
find_optval(const struct hs_cmd *cmd, const char *name)
{
    for (size_t i = 0; i < cmd->noptvals; i++)
        if (strcmp(cmd->optvals[i].spec->name, name) == 0)
            return &cmd->optvals[i];
    return NULL;
}

const char *
hs_cmd_opt(const struct hs_cmd *cmd, const char *name)
{
    struct hs_cmd_optval *v = find_optval(cmd, name);
    return v && v->n ? v->values[v->n - 1] : NULL;
}

bool
hs_cmd_flag(const struct hs_cmd *cmd, const char *name)
{
    struct hs_cmd_optval *v = find_optval(cmd, name);
    return v && v->n;
}

size_t
hs_cmd_opt_list(const struct hs_cmd *cmd, const char *name, const char ***values)
{
    struct hs_cmd_optval *v = find_optval(cmd, name);

    *values = v ? v->values : NULL;
    return v ? v->n : 0;
}

int
hs_cmd_opt_count(struct hs_cmd *cmd, const char *name, size_t min, size_t max, size_t *out)
{
    const char *s = hs_cmd_opt(cmd, name);
    char *end;
    unsigned long long n;

    if (!s)
        return HS_OK;
    errno = 0;
    n = strtoull(s, &end, 10);
    if (!isdigit((unsigned char)*s) || *end || errno || n < min || n > max)
        return hs_err_set(&cmd->err, HS_EUSAGE, "--%s wants a whole number from %zu to %zu, not '%s'",
                          name, min, max, s);
    *out = (size_t)n;
    return HS_OK;
}

int
hs_cmd_opt_number(struct hs_cmd *cmd, const char *name, double min, double max, double *out)
{
    const char *s = hs_cmd_opt(cmd, name);
    char lo[HS_NUM_BUF], hi[HS_NUM_BUF];
    double x;

    if (!s)
        return HS_OK;
    if (hs_num_parse(s, strlen(s), &x) != HS_OK || !(x >= min && x <= max)) {
        hs_num_format(min, lo);
        hs_num_format(max, hi);
        return hs_err_set(&cmd->err, HS_EUSAGE, "--%s wants a number from %s to %s, not '%s'",
                          name, lo, hi, s);
    }
    *out = x;
    return HS_OK;
}

static int
add_optval(struct hs_cmd *cmd, const struct hs_opt_spec *spec, const char *value)
{
    struct hs_cmd_optval *v = find_optval(cmd, spec->name);
    const char **nv;

    if (!v) {
        /* One slot per option of the entry: the table never grows past it. */
        v = &cmd->optvals[cmd->noptvals++];
        v->spec = spec;
        v->n = 0;
        v->values = NULL;
    }
    nv = realloc(v->values, (v->n + 1) * sizeof *nv);
    if (!nv)
        return HS_ENOMEM;
    v->values = nv;
    v->values[v->n++] = value;
    return HS_OK;
}

/* A parameter of any method, by name; NULL when no method has one. */
static const struct hs_param_spec *
find_method_param(const struct hs_cmd_entry *e, const char *name, size_t len)
{
    for (const struct hs_method *const *m = hs_methods(); *m; m++)
        if (!e->method_outputs || (hs_method_primary(*m) & e->method_outputs))
        for (const struct hs_param_spec *p = (*m)->params; p && p->name; p++)
            if (strlen(p->name) == len && strncmp(p->name, name, len) == 0)
                return p;
    return NULL;
}

/* Was parameter `name` declared by an earlier method than m? */
static bool
param_seen_before(const struct hs_method *const *m, const char *name)
{
    for (const struct hs_method *const *k = hs_methods(); k != m; k++)
        if (hs_params_find((*k)->params, name) >= 0)
            return true;
    return false;
}

static int
add_param(struct hs_cmd *cmd, const char *name, const char *value)
{
    const char **nn, **nv;

    for (size_t i = 0; i < cmd->nparams; i++)
        if (strcmp(cmd->param_names[i], name) == 0) {
            cmd->param_values[i] = value;
            return HS_OK;
        }
    nn = realloc(cmd->param_names, (cmd->nparams + 1) * sizeof *nn);
    if (!nn)
        return HS_ENOMEM;
    cmd->param_names = nn;
    nv = realloc(cmd->param_values, (cmd->nparams + 1) * sizeof *nv);
    if (!nv)
        return HS_ENOMEM;
    cmd->param_values = nv;
    nn[cmd->nparams] = name;
    nv[cmd->nparams++] = value;
    return HS_OK;
}

size_t
hs_cmd_nparams(const struct hs_cmd *cmd)
{
    return cmd->nparams;
}

void
hs_cmd_param(const struct hs_cmd *cmd, size_t i, const char **name, const char **value)
{
    *name = cmd->param_names[i];
    *value = cmd->param_values[i];
}

static void
cmd_release(struct hs_cmd *cmd)
{
    free(cmd->param_names);
    free(cmd->param_values);
    cmd->param_names = cmd->param_values = NULL;
    cmd->nparams = 0;
    for (size_t i = 0; i < cmd->noptvals; i++)
        free(cmd->optvals[i].values);
    free(cmd->optvals);
    free(cmd->argv);
    cmd->optvals = NULL;
    cmd->argv = NULL;
    cmd->noptvals = 0;
}

/* ---- globals and the session ----------------------------------------- */

void
hs_app_init(struct hs_app *app)
{
    memset(app, 0, sizeof *app);
    atomic_init(&app->cancel, 0);
}

void
hs_app_close_session(struct hs_app *app)
{
    hs_sess_close(app->sess);
    app->sess = NULL;
    app->sess_writable = false;
}

void
hs_app_release(struct hs_app *app)
{
    hs_app_pending_clear(app);
    hs_app_close_session(app);
    free(app->session_path);
    free(app->dataset);
    app->session_path = NULL;
    app->dataset = NULL;
}

int
hs_app_pending_set(struct hs_app *app, const char *command, const char *key, void *result,
                   void (*free_fn)(void *result))
{
    char *k = strdup(key);

    hs_app_pending_clear(app);
    if (!k) {
        free_fn(result);
        return HS_ENOMEM;
    }
    app->pending.command = command;
    app->pending.key = k;
    app->pending.result = result;
    app->pending.free = free_fn;
    return HS_OK;
}

void *
hs_app_pending_take(struct hs_app *app, const char *command, const char *key)
{
    void *r = app->pending.result;

    if (!app->pending.command || strcmp(app->pending.command, command) != 0 ||
        strcmp(app->pending.key, key) != 0)
        return NULL;
    free(app->pending.key);
    memset(&app->pending, 0, sizeof app->pending);
    return r;
}

void
hs_app_pending_clear(struct hs_app *app)
{
    if (app->pending.command && app->pending.free)
        app->pending.free(app->pending.result);
    free(app->pending.key);
    memset(&app->pending, 0, sizeof app->pending);
}

static int
set_string(char **dst, const char *value, struct hs_err *err)
{
    char *s = strdup(value);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    free(*dst);
    *dst = s;
    return HS_OK;
}

int
hs_app_set_global(struct hs_app *app, const char *name, const char *value, struct hs_err *err)
{
    if (strcmp(name, "session") == 0) {
        if (!*value)
            return hs_err_set(err, HS_EUSAGE, "--session needs a file name");
        if (app->sess && strcmp(hs_sess_path(app->sess), value) != 0) {
            /* Another session: the open one no longer applies. */
            hs_app_close_session(app);
            app->changes = HS_CHANGE_ALL;
        }
        return set_string(&app->session_path, value, err);
    }
    if (strcmp(name, "dataset") == 0) {
        if (!*value)
            return hs_err_set(err, HS_EUSAGE, "--dataset needs a dataset name");
        return set_string(&app->dataset, value, err);
    }
    if (strcmp(name, "threads") == 0) {
        char *end;
        long n;
        errno = 0;
        n = strtol(value, &end, 10);
        if (errno || end == value || *end || n < 0 || n > 4096)
            return hs_err_set(err, HS_EUSAGE,
                              "--threads wants a whole number from 0 (the CPUs usable) to 4096, not '%s'",
                              value);
        app->threads = (int)n;
        /* How work is split, hence every number, follows this alone. */
        hs_par_set_threads((int)n);
        return HS_OK;
    }
    return hs_err_set(err, HS_EUSAGE, "unknown global option '--%s'", name);
}

/* HS_ESESSION unless the session file exists (app->session_path gets the
 * default when unset). */
static int
require_session_file(struct hs_app *app, struct hs_err *err)
{
    struct stat st;

    if (!app->session_path) {
        app->session_path = hs_sess_default_path();
        if (!app->session_path)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    if (stat(app->session_path, &st) != 0)
        return hs_err_set(err, HS_ESESSION,
                          "no session at %s: import data first (hepscope import FILE)",
                          app->session_path);
    return HS_OK;
}

int
hs_app_open_session(struct hs_app *app, bool writable, struct hs_err *err)
{
    return hs_app_open_session_flags(app, writable ? HS_SESS_CREATE : HS_SESS_READONLY, err);
}

int
hs_app_open_session_flags(struct hs_app *app, unsigned sess_flags, struct hs_err *err)
{
    bool writable = !(sess_flags & HS_SESS_READONLY);
    int rc;

    if (app->sess && (app->sess_writable || !writable))
        return HS_OK;
    if (app->sess)
        hs_app_close_session(app); /* read-only: reopen for writing */
    if (!writable && (rc = require_session_file(app, err)))
        return rc;
    if (!app->session_path && !(app->session_path = hs_sess_default_path()))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    rc = hs_sess_open(app->session_path, sess_flags, &app->sess, err);
    if (rc) {
        app->sess = NULL;
        /* A file that cannot be opened as a session is a session error,
         * whatever the system call said. */
        if (rc == HS_EIO || rc == HS_ENOTFOUND) {
            if (err)
                err->code = HS_ESESSION;
            rc = HS_ESESSION;
        }
        return rc;
    }
    app->sess_writable = writable;
    return HS_OK;
}

/* ---- parsing --------------------------------------------------------- */

static const struct hs_opt_spec *
find_spec(const struct hs_opt_spec *opts, const char *name, size_t len, char short_name)
{
    for (size_t i = 0; opts && opts[i].name; i++) {
        if (short_name) {
            if (opts[i].short_name == short_name)
                return &opts[i];
        } else if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) {
            return &opts[i];
        }
    }
    return NULL;
}

static int
usage_error(struct hs_app *app, struct hs_err *err, const struct hs_cmd_entry *e, const char *fmt,
            const char *a)
{
    char msg[HS_ERR_MSG_MAX];

    snprintf(msg, sizeof msg, fmt, a);
    app->usage_cmd = e->name;
    return hs_err_set(err, HS_EUSAGE, "%s: %s", e->name, msg);
}

/* A word that looks like an option but is a value: "-", "-3", "-.5". */
static bool
is_positional(const char *w)
{
    return w[0] != '-' || w[1] == '\0' || (w[1] >= '0' && w[1] <= '9') || w[1] == '.';
}

/* Parse words[1..n) into cmd.  *help is set by --help. */
static int
parse_words(struct hs_app *app, const struct hs_cmd_entry *e, int n, char **words,
            struct hs_cmd *cmd, bool *help, struct hs_err *err)
{
    size_t nspec = 0;
    bool dashdash = false;
    int rc;

    while (e->opts && e->opts[nspec].name)
        nspec++;
    cmd->optvals = calloc(nspec + 1, sizeof *cmd->optvals);
    cmd->argv = calloc((size_t)n + 1, sizeof *cmd->argv);
    if (!cmd->optvals || !cmd->argv)
        return hs_err_set(err, HS_ENOMEM, "out of memory");

    for (int i = 1; i < n; i++) {
        char *w = words[i];
        const struct hs_opt_spec *spec;
        const char *value = NULL, *name, *eq;
        size_t len;
        char shown[80];

        if (dashdash || is_positional(w)) {
            cmd->argv[cmd->argc++] = w;
            continue;
        }
        if (strcmp(w, "--") == 0) {
            dashdash = true;
            continue;
        }
        if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
            *help = true;
            continue;
        }
        if (w[1] == '-') {
            name = w + 2;
            eq = strchr(name, '=');
            len = eq ? (size_t)(eq - name) : strlen(name);
            if (eq)
                value = eq + 1;
            snprintf(shown, sizeof shown, "--%.*s", (int)len, name);
            /* Global options first: they may follow any command. */
            if (find_spec(hs_cmd_global_opts, name, len, 0)) {
                char gname[16];
                if (!value) {
                    if (i + 1 >= n)
                        return usage_error(app, err, e, "option '%s' needs a value", shown);
                    value = words[++i];
                }
                snprintf(gname, sizeof gname, "%.*s", (int)len, name);
                rc = hs_app_set_global(app, gname, value, err);
                if (rc) {
                    app->usage_cmd = e->name;
                    hs_err_prefix(err, "%s", e->name);
                    return rc;
                }
                continue;
            }
            spec = find_spec(e->opts, name, len, 0);
            if (!spec && (e->flags & HS_CMD_METHOD_PARAMS)) {
                const struct hs_param_spec *ps = find_method_param(e, name, len);
                if (ps && ps->type == HS_PARAM_FLAG && value)
                    return usage_error(app, err, e, "option '%s' takes no value", shown);
                if (ps && ps->type != HS_PARAM_FLAG && !value) {
                    if (i + 1 >= n)
                        return usage_error(app, err, e, "option '%s' needs a value", shown);
                    value = words[++i];
                }
                if (ps) {
                    if (add_param(cmd, ps->name, value))
                        return hs_err_set(err, HS_ENOMEM, "out of memory");
                    continue;
                }
            }
        } else {
            /* -o FILE or -oFILE */
            spec = find_spec(e->opts, NULL, 0, w[1]);
            snprintf(shown, sizeof shown, "-%c", w[1]);
            if (spec && w[2])
                value = w + 2;
        }
        if (!spec)
            return usage_error(app, err, e, "unknown option '%s'", w[1] == '-' ? shown : w);
        if (spec->type == HS_OPT_FLAG) {
            if (value)
                return usage_error(app, err, e, "option '%s' takes no value", shown);
        } else if (!value) {
            if (i + 1 >= n)
                return usage_error(app, err, e, "option '%s' needs a value", shown);
            value = words[++i];
        }
        if (add_optval(cmd, spec, value))
            return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    if (*help)
        return HS_OK;
    if (cmd->argc < e->min_args)
        return usage_error(app, err, e, "%s", e->min_args == 1 && cmd->argc == 0
                                                  ? "an argument is missing"
                                                  : "too few arguments");
    if (e->max_args >= 0 && cmd->argc > e->max_args)
        return usage_error(app, err, e, "unexpected argument '%s'", cmd->argv[e->max_args]);
    return HS_OK;
}

/* ---- dataset resolution ---------------------------------------------- */

static void
list_names(char *buf, size_t size, const struct hs_dataset_info *ds, size_t n)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 1 < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", ds[i].name);
        if (w < 0 || (size_t)w >= size - used) {
            /* Out of room: end with an ellipsis where it fits. */
            if (size > 5)
                memcpy(buf + size - 5, ", ...", 5);
            buf[size - 1] = '\0';
            break;
        }
        used += (size_t)w;
    }
}

static int
resolve_dataset(struct hs_cmd *cmd, struct hs_app *app, char **owned, struct hs_err *err)
{
    struct hs_dataset_info *ds = NULL;
    size_t n = 0;
    const char *want = NULL;
    char names[300];
    long pick;
    int rc;

    if ((cmd->entry->flags & HS_CMD_DATASET_ARG) && cmd->argc > 0)
        want = cmd->argv[0];
    else if (app->dataset)
        want = app->dataset;
    rc = hs_sess_datasets(app->sess, &ds, &n, err);
    if (rc)
        return rc;
    list_names(names, sizeof names, ds, n);
    if (want) {
        size_t i;
        for (i = 0; i < n && strcmp(ds[i].name, want) != 0; i++)
            ;
        if (i == n)
            rc = hs_err_set(err, HS_ENOTFOUND, "no dataset '%s' in %s (%s%s)", want,
                            app->session_path, n ? "datasets: " : "it holds none", names);
        else
            cmd->dataset = want;
    } else if (n == 1) {
        *owned = strdup(ds[0].name);
        if (!*owned)
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        cmd->dataset = *owned;
    } else if (n == 0) {
        rc = hs_err_set(err, HS_EUSAGE,
                        "%s: the session holds no dataset: import one first (hepscope import FILE)",
                        cmd->entry->name);
    } else if (cmd->entry->resolve && (pick = cmd->entry->resolve(cmd, ds, n)) >= 0 &&
               (size_t)pick < n) {
        *owned = strdup(ds[pick].name);
        if (!*owned)
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        cmd->dataset = *owned;
    } else {
        rc = hs_err_set(err, HS_EUSAGE,
                        "%s: the session holds %zu datasets, say which with --dataset D: %s",
                        cmd->entry->name, n, names);
    }
    hs_dataset_info_free(ds, n);
    return rc;
}

/* ---- journal --------------------------------------------------------- */

/* The canonical form of a command: its name, the dataset when it was
 * resolved, the options in the entry's order, then the arguments (after
 * "--" when one looks like an option).  --session and --threads are left
 * out: they say where and how fast, not what. */
static char *
canonical_line(const struct hs_cmd *cmd)
{
    const struct hs_cmd_entry *e = cmd->entry;
    size_t cap = 4 + (size_t)cmd->argc + 2, n = 0;
    char **w;
    char *line = NULL;
    char *scratch[64], *family = NULL;
    size_t nscratch = 0;
    bool dashdash = false;

    for (size_t i = 0; i < cmd->noptvals; i++)
        cap += 2 * cmd->optvals[i].n;
    cap += 2 * cmd->nparams;
    w = calloc(cap, sizeof *w);
    if (!w)
        return NULL;
    if (entry_verb(e)) {
        /* A family's verb is the command's first argument: "cut". */
        family = strndup(e->name, (size_t)(entry_verb(e) - 1 - e->name));
        if (!family)
            goto out;
        w[n++] = family;
    } else {
        w[n++] = (char *)e->name;
    }
    if ((e->flags & HS_CMD_DATASET) && cmd->dataset &&
        !((e->flags & HS_CMD_DATASET_ARG) && cmd->argc > 0)) {
        w[n++] = "--dataset";
        w[n++] = (char *)cmd->dataset;
    }
    for (size_t s = 0; e->opts && e->opts[s].name; s++) {
        const struct hs_cmd_optval *v = find_optval(cmd, e->opts[s].name);
        for (size_t k = 0; v && k < v->n; k++) {
            char *flag;
            if (nscratch >= sizeof scratch / sizeof scratch[0])
                goto out;
            flag = malloc(strlen(e->opts[s].name) + 3);
            if (!flag)
                goto out;
            sprintf(flag, "--%s", e->opts[s].name);
            scratch[nscratch++] = flag;
            w[n++] = flag;
            if (e->opts[s].type != HS_OPT_FLAG)
                w[n++] = (char *)v->values[k];
        }
    }
    /* Method parameters in the methods' order, each name once. */
    for (const struct hs_method *const *m = hs_methods(); cmd->nparams && *m; m++)
        for (const struct hs_param_spec *p = (*m)->params; p && p->name; p++) {
            size_t k = 0;
            char *flag;
            while (k < cmd->nparams && strcmp(cmd->param_names[k], p->name) != 0)
                k++;
            if (k == cmd->nparams || param_seen_before(m, p->name))
                continue;
            if (nscratch >= sizeof scratch / sizeof scratch[0] ||
                !(flag = malloc(strlen(p->name) + 3)))
                goto out;
            sprintf(flag, "--%s", p->name);
            scratch[nscratch++] = flag;
            w[n++] = flag;
            if (p->type != HS_PARAM_FLAG)
                w[n++] = (char *)cmd->param_values[k];
        }
    for (int i = 0; i < cmd->argc; i++)
        if (!is_positional(cmd->argv[i]))
            dashdash = true;
    if (dashdash)
        w[n++] = "--";
    for (int i = 0; i < cmd->argc; i++)
        w[n++] = cmd->argv[i];
    line = hs_cmd_join((int)n, w);
out:
    for (size_t i = 0; i < nscratch; i++)
        free(scratch[i]);
    free(family);
    free(w);
    return line;
}

char *
hs_cmd_line(const struct hs_cmd *cmd)
{
    return canonical_line(cmd);
}

int
hs_cmd_begin(struct hs_cmd *cmd, struct hs_app *app)
{
    int rc;

    if (cmd->in_txn)
        return HS_OK;
    rc = hs_sess_begin(app->sess, &cmd->err);
    if (rc == HS_OK)
        cmd->in_txn = true;
    return rc;
}

int
hs_cmd_print_grid(struct hs_cmd *cmd, struct hs_grid *g, int rc)
{
    if (rc == HS_OK)
        hs_grid_print(g, cmd->out);
    else
        rc = hs_cmd_nomem(cmd);
    hs_grid_release(g);
    return rc;
}

int
hs_cmd_nomem(struct hs_cmd *cmd)
{
    return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
}

void
hs_cmd_output_begin(struct hs_cmd *cmd)
{
    if (cmd->task.progress == hs_progress_update)
        hs_progress_end(cmd->task.user);
}

static int
finish_write(struct hs_cmd *cmd, struct hs_app *app, int rc)
{
    char *line;

    if (rc == HS_OK && atomic_load(&app->cancel))
        rc = hs_err_set(&cmd->err, HS_ECANCELLED, "cancelled");
    if (rc == HS_OK && cmd->unchanged) {
        /* Nothing to record: end the transaction, if one was opened. */
        if (cmd->in_txn)
            rc = hs_sess_commit(app->sess, &cmd->err);
        if (rc != HS_OK && cmd->in_txn)
            hs_sess_rollback(app->sess);
        cmd->in_txn = false;
        return rc;
    }
    if (rc == HS_OK && !cmd->in_txn)
        rc = hs_cmd_begin(cmd, app);
    if (rc == HS_OK) {
        line = canonical_line(cmd);
        if (!line)
            rc = hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        else
            rc = hs_sess_journal_append(app->sess, line, &cmd->err);
        free(line);
    }
    if (rc == HS_OK)
        rc = hs_sess_commit(app->sess, &cmd->err);
    if (rc != HS_OK && cmd->in_txn)
        hs_sess_rollback(app->sess);
    cmd->in_txn = false;
    if (rc == HS_OK)
        app->changes |= cmd->changes;
    return rc;
}

/* ---- running --------------------------------------------------------- */

static int
run_argv(struct hs_app *app, int argc, char **argv, FILE *out, struct hs_err *err)
{
    const struct hs_cmd_entry *e;
    struct hs_cmd cmd;
    struct hs_progress prog;
    char *owned_dataset = NULL;
    bool help = false, keep_open, writes;
    int rc;

    app->usage_cmd = NULL;
    hs_err_clear(err);
    if (argc < 1 || !argv[0] || !*argv[0])
        return hs_err_set(err, HS_EUSAGE, "no command given; 'help' lists the commands");
    e = hs_cmd_find(argv[0]);
    if (!e && hs_cmd_is_family(argv[0])) {
        int at;
        /* `cut --help`: the family's verbs, each with its options. */
        for (int i = 1; i < argc; i++)
            if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                if (find_family_entry(argc, argv, &e, &at, err) != HS_OK) {
                    hs_err_clear(err);
                    hs_cmd_help_family(argv[0], out);
                    return HS_OK;
                }
                break;
            }
        if (!e && (rc = find_family_entry(argc, argv, &e, &at, err))) {
            app->usage_cmd = argv[0];
            return rc;
        }
    }
    if (!e)
        return hs_err_set(err, HS_EUSAGE, "unknown command '%s'; 'help' lists the commands",
                          argv[0]);

    memset(&cmd, 0, sizeof cmd);
    cmd.entry = e;
    cmd.out = out;
    cmd.term = out && out == app->safe_out ? app->term : NULL;
    /* A writing command that declares nothing may change anything. */
    cmd.changes = e->changes || !(e->flags & HS_CMD_WRITES) ? e->changes : HS_CHANGE_ALL;
    /* A session open before the command (the TUI's) stays open after it,
     * even when --session switches to another file. */
    keep_open = app->sess != NULL;
    rc = parse_words(app, e, argc, argv, &cmd, &help, err);
    if (rc || help) {
        if (rc == HS_OK)
            hs_cmd_help(e, out);
        cmd_release(&cmd);
        return rc;
    }
    if ((e->flags & HS_CMD_TUI) && !app->tui) {
        cmd_release(&cmd);
        return hs_err_set(err, HS_EUSAGE, "'%s' works only inside the TUI (its ':' line)",
                          e->name);
    }

    if (e->check && (rc = e->check(&cmd))) {
        if (err)
            *err = cmd.err;
        cmd_release(&cmd);
        return rc;
    }
    /* A check that sets `unchanged` says this invocation leaves the
     * session alone (`demo -o FILE`): it is not even opened. */
    writes = (e->flags & HS_CMD_WRITES) != 0 && !cmd.unchanged;
    if (!(e->flags & HS_CMD_NO_SESSION) && !cmd.unchanged) {
        /* Only a command that brings data may create the session file;
         * drop or rename on a missing one says so and creates nothing. */
        if (writes && !(e->flags & HS_CMD_CREATES) && !app->sess &&
            (rc = require_session_file(app, err)))
            goto done;
        rc = hs_app_open_session_flags(app, !writes ? HS_SESS_READONLY
                                            : e->flags & HS_CMD_CREATES ? HS_SESS_CREATE
                                                                        : HS_SESS_EXISTING,
                                       err);
        if (rc)
            goto done;
    }
    if ((e->flags & HS_CMD_DATASET) && app->sess) {
        rc = resolve_dataset(&cmd, app, &owned_dataset, err);
        if (rc)
            goto done;
    }

    /* A command starts with its own cancel flag down: an Esc or Ctrl-C
     * given to an earlier one must not stop it.  A signal outside the TUI
     * is no such key but the process's end: one that came while the
     * session opened stops this command, or it would run on unasked. */
    if (!app->signal || app->tui)
        atomic_store(&app->cancel, 0);
    cmd.task.cancel = &app->cancel;
    hs_progress_start(&prog, stderr, app->progress_tty && !app->tui && !app->progress, e->name);
    if (app->progress) {
        cmd.task.progress = app->progress;
        cmd.task.user = app->progress_user;
    } else {
        cmd.task.progress = hs_progress_update;
        cmd.task.user = &prog;
    }
    hs_err_clear(&cmd.err);
    if (writes && app->sess && !(e->flags & HS_CMD_LATE_BEGIN))
        rc = hs_cmd_begin(&cmd, app);
    if (rc == HS_OK)
        rc = e->exec(&cmd, app);
    /* Whatever failed after a cancel request failed because of it. */
    if (rc != HS_OK && rc != HS_ECANCELLED && atomic_load(&app->cancel))
        rc = hs_err_set(&cmd.err, HS_ECANCELLED, "cancelled");
    if (writes && app->sess)
        rc = finish_write(&cmd, app, rc);
    hs_progress_end(&prog);
    if (rc) {
        if (cmd.err.code == HS_OK || !cmd.err.msg[0])
            hs_err_set(&cmd.err, rc, "%s: %s", e->name, hs_status_name(rc));
        cmd.err.code = rc;
        if (err)
            *err = cmd.err;
    }
    if (rc == HS_OK && cmd.out && fflush(cmd.out) != 0)
        rc = hs_err_set(err, HS_EIO, "cannot write the output: %s", strerror(errno));

done:
    if (!keep_open)
        hs_app_close_session(app);
    free(owned_dataset);
    cmd_release(&cmd);
    return rc;
}

int
hs_cmd_run_argv(struct hs_app *app, int argc, char **argv, FILE *out, struct hs_err *err)
{
    int rc;

    /* The changes of a command that runs others (a TUI key's `feature`
     * line) are theirs: gathered from the outermost run on. */
    if (app->depth++ == 0)
        app->changes = 0;
    rc = run_argv(app, argc, argv, out, err);
    app->depth--;
    return rc;
}

int
hs_cmd_run_line(struct hs_app *app, const char *line, FILE *out, struct hs_err *err)
{
    int argc, rc;
    char **argv;

    rc = hs_cmd_split(line, &argc, &argv, err);
    if (rc)
        return rc;
    if (argc == 0)
        rc = hs_err_set(err, HS_EUSAGE, "no command given; 'help' lists the commands");
    else
        rc = hs_cmd_run_argv(app, argc, argv, out, err);
    hs_cmd_words_free(argc, argv);
    return rc;
}

int
hs_exit_code(int status)
{
    switch (status) {
    case HS_OK:
        return 0;
    case HS_EUSAGE:
    case HS_ENOTFOUND:
    case HS_EEXIST:
    case HS_ERANGE:
        return 1;
    case HS_EDATA:
    case HS_EIO:
    case HS_ENOMEM:
        return 2;
    case HS_ESESSION:
    case HS_EBUSY:
        return 3;
    case HS_ECANCELLED:
        return 130;
    }
    return 1;
}
