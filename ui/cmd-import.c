/* cmd-import.c: `import`, a data file (or a signal file and background
 * files) into the session as one dataset, in one transaction. */
#include "config.h"

#include "ui/cmd-data.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "featureset.h"
#include "sessions/features.h"
#include "sessions/units.h"
#include "table.h"
#include "ui/unitspec.h"

static int import_exec(struct hs_cmd *cmd, struct hs_app *app);
static int import_check(struct hs_cmd *cmd);

static const struct hs_opt_spec import_opts[] = {
    {"name", 0, HS_OPT_VALUE, "D", "the dataset's name (default: the file's stem; 'stdin' for -)"},
    {"replace", 0, HS_OPT_FLAG, NULL, "replace a dataset of that name"},
    {"label", 0, HS_OPT_VALUE, "COL", "the column that says signal or background"},
    {"signal", 0, HS_OPT_VALUE, "VALUE",
     "the label value of signal (default: 1 when the values are 0/1)"},
    {"weight", 0, HS_OPT_VALUE, "COL", "the column of per-event weights"},
    {"group", 0, HS_OPT_VALUE, "COL", "the column of per-event groups (process, mass point)"},
    {"id", 0, HS_OPT_LIST, "COL",
     "an identifier column, never a feature; 'none' keeps Run, Event, EventId, ... as features"},
    {"no-header", 0, HS_OPT_FLAG, NULL, "the first line is data; columns are col1..colN"},
    {"delimiter", 0, HS_OPT_VALUE, "C",
     "the field separator: a character, 'tab' or 'ws' (default: sniffed)"},
    {"missing", 0, HS_OPT_LIST, "VALUE",
     "a value that means missing (compared as a number: -999 matches -999.0)"},
    {"text", 0, HS_OPT_LIST, "COL", "keep column COL as text (categories)"},
    {"columns", 0, HS_OPT_LIST, "A,B,...",
     "import only these columns (label, weight and group come too)"},
    {"rows", 0, HS_OPT_VALUE, "N", "import only the first N events"},
    {"rename", 0, HS_OPT_LIST, "OLD=NEW", "import column OLD under the name NEW"},
    {"signal-file", 0, HS_OPT_VALUE, "A", "a file of signal events (group 'signal')"},
    {"background-file", 0, HS_OPT_LIST, "[NAME=]B",
     "a file of background events, group NAME or its stem"},
    {"units", 0, HS_OPT_LIST, "FILE|NAME=UNIT,...",
     "the columns' units (GeV, m, rad): a file of NAME,UNIT[,AXIS LABEL] lines, or a list"},
    {0},
};

const struct hs_cmd_entry hs_cmd_import_entry = {
    .name = "import",
    .alias = NULL,
    .usage = "[options] FILE|-\n[options] --signal-file A --background-file [NAME=]B...",
    .summary = "import a CSV, TSV or whitespace-separated file (plain or gzip) as a dataset",
    .opts = import_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_CREATES,
    .changes = HS_CHANGE_DATASETS,
    .exec = import_exec,
    .check = import_check,
};

static bool
has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* The file's base name without ".gz" and its last extension. */
static char *
file_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t len;
    char *s;

    if (strcmp(path, "-") == 0)
        return strdup("stdin");
    base = base ? base + 1 : path;
    len = strlen(base);
    if (len > 3 && strcmp(base + len - 3, ".gz") == 0)
        len -= 3;
    for (size_t i = len; i-- > 1;)
        if (base[i] == '.') {
            len = i;
            break;
        }
    s = strndup(base, len ? len : strlen(base));
    return s;
}

int
hs_import_default_name(const char *path, char **name, struct hs_err *err)
{
    char *s = file_stem(path);

    *name = NULL;
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    /* The same rule as for --name: a file called "a\033[31m.csv" must not
     * bring its escape into every listing and journal line. */
    if (!*s || has_control(s)) {
        int rc = hs_err_set(err, HS_EUSAGE,
                            "file name '%s' %s: name the dataset with --name", path,
                            *s ? "holds a control character" : "gives no dataset name");
        free(s);
        return rc;
    }
    *name = s;
    return HS_OK;
}

/* Names that would make later command lines awkward are refused. */
int
hs_import_check_name(const char *name, struct hs_err *err)
{
    if (!*name)
        return hs_err_set(err, HS_EUSAGE, "a dataset name cannot be empty");
    if (has_control(name))
        return hs_err_set(err, HS_EUSAGE, "dataset name '%s' holds a control character", name);
    return HS_OK;
}

/* --columns values, split at commas, plus the role columns. */
struct name_list {
    const char **v;
    size_t n, cap;
    char **owned;
    size_t nowned;
};

static int
names_add(struct name_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return HS_OK;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? 2 * l->cap : 16;
        const char **nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return HS_ENOMEM;
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = s;
    return HS_OK;
}

static void
names_release(struct name_list *l)
{
    for (size_t i = 0; i < l->nowned; i++)
        free(l->owned[i]);
    free(l->owned);
    free(l->v);
}

static int
names_split(struct name_list *l, const char *csv)
{
    const char *p = csv;

    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char **no;
        char *w;
        if (len) {
            w = strndup(p, len);
            no = w ? realloc(l->owned, (l->nowned + 1) * sizeof *no) : NULL;
            if (!no) {
                free(w);
                return HS_ENOMEM;
            }
            l->owned = no;
            l->owned[l->nowned++] = w;
            if (names_add(l, w))
                return HS_ENOMEM;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    return HS_OK;
}

static int
parse_rows(const char *s, size_t *out, struct hs_err *err)
{
    char *end;
    unsigned long long n;

    errno = 0;
    n = strtoull(s, &end, 10);
    if (!*s || *s == '-' || *end || errno || n == 0 || n > SIZE_MAX)
        return hs_err_set(err, HS_EUSAGE, "--rows wants a positive whole number, not '%s'", s);
    *out = (size_t)n;
    return HS_OK;
}

static int
parse_delimiter(const char *s, int *out, struct hs_err *err)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
        *out = '\t';
    else if (strcmp(s, "ws") == 0 || strcmp(s, "whitespace") == 0)
        *out = HS_CSV_WS;
    else if (strcmp(s, "comma") == 0)
        *out = ',';
    else if (strcmp(s, "semicolon") == 0)
        *out = ';';
    else if (strlen(s) == 1 && s[0] != '"' && s[0] != '\n' && s[0] != '\r')
        *out = (unsigned char)s[0];
    else
        return hs_err_set(err, HS_EUSAGE,
                          "--delimiter wants one character, 'tab' or 'ws', not '%s'", s);
    return HS_OK;
}

/* Label, weight and group problems are problems of the input: give them
 * the file's location (the header line, the column's place), as the reader
 * does for its own errors.  A column that is not there gets the list of
 * those that are, so that a typo is easy to see. */
static int
locate_error(struct hs_err *err, int rc, const char *file, const struct hs_table *t,
             const char *col)
{
    char msg[HS_ERR_MSG_MAX];
    long ci = hs_table_find(t, col);
    int pos = 1;
    size_t used;

    if (rc == HS_ENOTFOUND)
        rc = HS_EDATA;
    if (rc != HS_EDATA || !err)
        return rc;
    if (ci >= 0) {
        pos = 0;
        for (long j = 0; j <= ci; j++)
            pos += !t->cols[j].synthetic;
    }
    used = (size_t)snprintf(msg, sizeof msg, "%.300s", err->msg);
    if (ci < 0) {
        size_t k = 0, j;
        for (j = 0; j < t->ncols && used + 80 < sizeof msg; j++)
            if (!t->cols[j].synthetic)
                used += (size_t)snprintf(msg + used, sizeof msg - used, "%s'%.60s'",
                                         k++ ? ", " : " (columns: ", t->cols[j].name);
        if (k)
            snprintf(msg + used, sizeof msg - used, "%s)", j < t->ncols ? ", ..." : "");
    }
    return hs_err_set_at(err, rc, 1, pos, "%.150s:1:%d: %.340s", file, pos, msg);
}

/* Weight, group and label of a freshly read table, in that order, so that
 * the label may come from the group column; then the identifiers: those
 * of --id, and (unless --id none) the columns named like event numbers. */
static int
apply_roles(struct hs_cmd *cmd, struct hs_table *t, const char *file, const char *label,
            const char *signal)
{
    const char *weight = hs_cmd_opt(cmd, "weight"), *group = hs_cmd_opt(cmd, "group"), **ids;
    size_t nids = hs_cmd_opt_list(cmd, "id", &ids);
    struct hs_err *err = &cmd->err;
    bool guess = true;
    int rc;

    if (weight && (rc = hs_table_set_role(t, weight, HS_ROLE_WEIGHT, err)))
        return locate_error(err, rc, file, t, weight);
    if (group && (rc = hs_table_set_role(t, group, HS_ROLE_GROUP, err)))
        return locate_error(err, rc, file, t, group);
    if (label && (rc = hs_table_set_label(t, label, signal, err)))
        return locate_error(err, rc, file, t, label);
    for (size_t i = 0; i < nids; i++) {
        if (strcmp(ids[i], "none") == 0) {
            guess = false;
            continue;
        }
        if ((rc = hs_table_set_role(t, ids[i], HS_ROLE_ID, err)))
            return locate_error(err, rc, file, t, ids[i]);
    }
    if (guess)
        hs_table_guess_ids(t);
    return HS_OK;
}

/* "NAME=path" or "path": a background file and its group. */
static int
split_background(const char *arg, char **group, const char **path, struct hs_err *err)
{
    const char *eq = strchr(arg, '=');
    struct stat st;

    *path = arg;
    if (eq && eq > arg && !memchr(arg, '/', (size_t)(eq - arg)) && stat(arg, &st) != 0) {
        *group = strndup(arg, (size_t)(eq - arg));
        *path = eq + 1;
    } else {
        int rc = hs_import_default_name(arg, group, err);
        if (rc == HS_EUSAGE)
            return hs_err_set(err, rc,
                              "background file '%s' gives no group name: give one as "
                              "NAME=%s",
                              arg, arg);
        if (rc)
            return rc;
    }
    if (!*group)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (!**path)
        return hs_err_set(err, HS_EUSAGE, "--background-file '%s' names no file", arg);
    if (strcmp(*group, "signal") == 0)
        return hs_err_set(err, HS_EUSAGE,
                          "background file '%s' cannot have the group name 'signal'", *path);
    return HS_OK;
}

static int
read_signal_background(struct hs_cmd *cmd, const struct hs_csv_options *copt,
                       const char *sigfile, struct hs_table **out)
{
    const char **bg;
    size_t nbg = hs_cmd_opt_list(cmd, "background-file", &bg);
    struct hs_table *all = hs_table_new(), *part = NULL;
    int rc = HS_OK;

    if (!all)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    rc = hs_csv_read(sigfile, copt, &part, &cmd->task, &cmd->err);
    if (rc == HS_OK)
        rc = hs_table_append(all, part, "signal", sigfile, sigfile, &cmd->err);
    hs_table_free(part);
    part = NULL;
    for (size_t i = 0; rc == HS_OK && i < nbg; i++) {
        char *group = NULL;
        const char *path;
        rc = split_background(bg[i], &group, &path, &cmd->err);
        if (rc == HS_OK)
            rc = hs_csv_read(path, copt, &part, &cmd->task, &cmd->err);
        if (rc == HS_OK)
            rc = hs_table_append(all, part, group, sigfile, path, &cmd->err);
        hs_table_free(part);
        part = NULL;
        free(group);
    }
    if (rc)
        goto fail;
    *out = all;
    return HS_OK;
fail:
    hs_table_free(all);
    return rc;
}

static void
print_summary(FILE *out, const char *name, const struct hs_table *t)
{
    size_t ncols = 0, nsig, nbkg;

    if (!out)
        return;
    for (size_t j = 0; j < t->ncols; j++)
        ncols += !t->cols[j].synthetic;
    fprintf(out, "imported '%s': %zu event%s", name, t->nrows, t->nrows == 1 ? "" : "s");
    if (hs_table_label(t)) {
        hs_table_class_counts(t, &nsig, &nbkg);
        fprintf(out, " (%zu signal, %zu background)", nsig, nbkg);
    }
    fprintf(out, ", %zu column%s\n", ncols, ncols == 1 ? "" : "s");
    for (size_t j = 0, k = 0; j < t->ncols; j++)
        if (t->cols[j].role == HS_ROLE_ID && !t->cols[j].synthetic)
            fprintf(out, "%s%s", k++ ? ", " : "identifiers, not features: ", t->cols[j].name);
    for (size_t j = 0; j < t->ncols; j++)
        if (t->cols[j].role == HS_ROLE_ID && !t->cols[j].synthetic) {
            fputs(" (--id none keeps them as features)\n", out);
            break;
        }
}

static const char *const reserved_names[] = {HS_LABEL_NAME, HS_WEIGHT_NAME, HS_GROUP_NAME};

/* The reader's options from the command's, and every check that needs no
 * session.  cols receives the --columns names (release it). */
static int
import_options(struct hs_cmd *cmd, struct hs_csv_options *copt, struct name_list *cols)
{
    const char *file = cmd->argc ? cmd->argv[0] : NULL;
    const char *sigfile = hs_cmd_opt(cmd, "signal-file");
    const char *label = hs_cmd_opt(cmd, "label"), *signal = hs_cmd_opt(cmd, "signal");
    const char *weight = hs_cmd_opt(cmd, "weight"), *group = hs_cmd_opt(cmd, "group");
    const char *opt, **list;
    size_t n;
    int rc;

    if (sigfile && file)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "import: give either FILE or --signal-file with --background-file");
    if (!sigfile && !file)
        return hs_err_set(&cmd->err, HS_EUSAGE, "import: which file? (FILE, '-' for standard "
                                                "input, or --signal-file and --background-file)");
    if (!sigfile && hs_cmd_opt_list(cmd, "background-file", &list))
        return hs_err_set(&cmd->err, HS_EUSAGE, "import: --background-file needs --signal-file");
    if (sigfile && !hs_cmd_opt_list(cmd, "background-file", &list))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "import: --signal-file needs at least one --background-file");
    if (sigfile && (label || signal))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "import: --signal-file labels the events itself: leave out --label "
                          "and --signal");
    if (signal && !label)
        return hs_err_set(&cmd->err, HS_EUSAGE, "import: --signal needs --label COL");
    if ((opt = hs_cmd_opt(cmd, "name")) && (rc = hs_import_check_name(opt, &cmd->err)))
        return rc;

    memset(copt, 0, sizeof *copt);
    copt->delimiter = HS_CSV_SNIFF;
    if ((opt = hs_cmd_opt(cmd, "delimiter")) &&
        (rc = parse_delimiter(opt, &copt->delimiter, &cmd->err)))
        return rc;
    if ((opt = hs_cmd_opt(cmd, "rows")) && (rc = parse_rows(opt, &copt->max_rows, &cmd->err)))
        return rc;
    copt->no_header = hs_cmd_flag(cmd, "no-header");
    copt->n_missing = hs_cmd_opt_list(cmd, "missing", &list);
    copt->missing = list;
    copt->n_text = hs_cmd_opt_list(cmd, "text", &list);
    copt->text_columns = list;
    copt->weight_column = weight; /* an inf or empty weight is refused where it stands */
    /* the names the dataset's view adds: a file column of one of them
     * would clash ("duplicate column name") or shadow it */
    copt->reserved = reserved_names;
    copt->n_reserved = sizeof reserved_names / sizeof *reserved_names;
    copt->n_renames = hs_cmd_opt_list(cmd, "rename", &list);
    copt->renames = list;
    for (size_t i = 0; i < copt->n_renames; i++) {
        const char *eq = strchr(list[i], '=');
        if (!eq || eq == list[i] || !eq[1] || strchr(eq + 1, '='))
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "import: --rename wants OLD=NEW (two column names), not '%s'",
                              list[i]);
        for (size_t k = 0; k < copt->n_reserved; k++)
            if (strcmp(eq + 1, reserved_names[k]) == 0)
                return hs_err_set(&cmd->err, HS_EUSAGE,
                                  "import: --rename %s: the name '%s' is reserved", list[i],
                                  eq + 1);
    }
    n = hs_cmd_opt_list(cmd, "columns", &list);
    if (n) {
        for (size_t i = 0; i < n; i++)
            if (names_split(cols, list[i]))
                return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        /* The role columns come along even when not listed. */
        if ((label && names_add(cols, label)) || (weight && names_add(cols, weight)) ||
            (group && names_add(cols, group)))
            return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        if (cols->n == 0)
            return hs_err_set(&cmd->err, HS_EUSAGE, "import: --columns names no column");
        copt->columns = cols->v;
        copt->n_columns = cols->n;
    }
    return HS_OK;
}

/* An input that cannot be read is bad data (exit 2); finding out before
 * the session is opened means a typo creates no session file. */
static int
check_readable(struct hs_cmd *cmd, const char *path)
{
    if (strcmp(path, "-") != 0 && access(path, R_OK) != 0)
        return hs_err_set(&cmd->err, HS_EIO, "cannot open '%s': %s", path, strerror(errno));
    return HS_OK;
}

/* Call check on every input path of the command (FILE, or the signal and
 * background files) until one fails. */
static int
each_input(struct hs_cmd *cmd, int (*check)(struct hs_cmd *, const char *))
{
    const char *sigfile = hs_cmd_opt(cmd, "signal-file"), **bg;
    size_t nbg = hs_cmd_opt_list(cmd, "background-file", &bg);
    int rc = HS_OK;

    if (cmd->argc)
        rc = check(cmd, cmd->argv[0]);
    if (rc == HS_OK && sigfile)
        rc = check(cmd, sigfile);
    for (size_t i = 0; rc == HS_OK && i < nbg; i++) {
        char *group = NULL;
        const char *path;
        rc = split_background(bg[i], &group, &path, &cmd->err);
        if (rc == HS_OK)
            rc = check(cmd, path);
        free(group);
    }
    return rc;
}

/* Every --units value, in order (a later one wins for the same name). */
static int
parse_units(struct hs_cmd *cmd, struct hs_unitspecs *u)
{
    const char **list;
    size_t n = hs_cmd_opt_list(cmd, "units", &list);
    int rc = HS_OK;

    for (size_t i = 0; i < n && rc == HS_OK; i++)
        rc = hs_unitspecs_parse(list[i], u, &cmd->err);
    return rc;
}

static int
import_check(struct hs_cmd *cmd)
{
    struct hs_csv_options copt;
    struct name_list cols = {0};
    struct hs_unitspecs units = {0};
    int rc = import_options(cmd, &copt, &cols);

    names_release(&cols);
    if (rc == HS_OK)
        rc = parse_units(cmd, &units);
    hs_unitspecs_release(&units);
    return rc ? rc : each_input(cmd, check_readable);
}

/* In the TUI, standard input and any terminal are the screen's own: a read
 * from them waits for keys the TUI is reading too, until Ctrl-C.  Refuse
 * "-", a terminal device (/dev/tty, /dev/pts/N) and anything that is the
 * TUI's standard input (/dev/stdin, /dev/fd/0). */
static int
refuse_terminal(struct hs_cmd *cmd, const char *path)
{
    struct stat st, in;
    int fd;
    bool tty = false;

    if (strcmp(path, "-") == 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "import: standard input is the terminal in the TUI: give a file, or "
                          "pipe the data into 'hepscope import -' outside the TUI");
    if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return HS_OK;
    if (fstat(STDIN_FILENO, &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino)
        tty = true;
    else if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) >= 0) {
        tty = isatty(fd);
        close(fd);
    }
    if (tty)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "import: '%s' is a terminal, which the TUI reads its keys from: give "
                          "a file, or pipe the data into 'hepscope import -' outside the TUI",
                          path);
    return HS_OK;
}

/* Is name a feature of dataset `name` as now stored: a column of t, or
 * one of its derived features recs[0..n)? */
static bool
has_feature(const struct hs_table *t, const struct hs_feature_rec *recs, size_t n,
            const char *name)
{
    if (hs_table_find(t, name) >= 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (recs[i].expr && strcmp(recs[i].name, name) == 0)
            return true;
    return false;
}

/* The units of the new dataset: a replaced one's units of the features it
 * still has, then those of --units, each of a column of the data. */
static int
store_units(struct hs_cmd *cmd, struct hs_app *app, const char *name, const struct hs_table *t,
            const struct hs_feature_unit *old, size_t nold, const struct hs_unitspecs *u)
{
    struct hs_feature_rec *recs = NULL;
    size_t nrecs = 0;
    int rc;

    if (!nold && !u->n)
        return HS_OK;
    if ((rc = hs_sess_feature_recs(app->sess, name, &recs, &nrecs, &cmd->err)))
        return rc;
    for (size_t i = 0; i < nold && rc == HS_OK; i++)
        if (has_feature(t, recs, nrecs, old[i].name))
            rc = hs_sess_unit_set(app->sess, name, old[i].name, old[i].unit, old[i].axis_label,
                                  &cmd->err);
    for (size_t i = 0; i < u->n && rc == HS_OK; i++) {
        const struct hs_unitspec *e = &u->v[i];
        if (!has_feature(t, recs, nrecs, e->name))
            rc = hs_err_set(&cmd->err, HS_ENOTFOUND, "%s: no column '%s' in the data to give a unit",
                            e->where, e->name);
        else
            rc = hs_sess_unit_set(app->sess, name, e->name, e->unit, e->label, &cmd->err);
        if (rc && rc != HS_ENOTFOUND && rc != HS_ENOMEM)
            hs_err_prefix(&cmd->err, "%s", e->where);
    }
    hs_feature_recs_free(recs, nrecs);
    return rc;
}

/* Re-derive a replaced dataset's features on its new table t. */
static int
keep_features(struct hs_cmd *cmd, struct hs_app *app, const char *name, const struct hs_table *t,
              const struct hs_feature_rec *recs, size_t nrecs, char **dropped)
{
    struct hs_featureset fs;
    int rc = hs_featureset_init(&fs, t, &cmd->err);

    if (rc)
        return rc;
    rc = hs_featureset_apply_recs(&fs, recs, nrecs, false, dropped, &cmd->err);
    if (rc == HS_OK)
        rc = hs_sess_featureset_save(app->sess, name, &fs, &cmd->err);
    hs_featureset_release(&fs);
    return rc;
}

static int
import_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_csv_options copt;
    struct name_list cols = {0};
    struct hs_table *t = NULL;
    struct hs_dataset_info info = {0};
    const char *file = cmd->argc ? cmd->argv[0] : NULL;
    const char *sigfile = hs_cmd_opt(cmd, "signal-file");
    const char *label = hs_cmd_opt(cmd, "label"), *signal = hs_cmd_opt(cmd, "signal");
    const char *opt;
    const char *name;
    char *stem = NULL, *source = NULL;
    int64_t size = -1, mtime = -1;
    bool replace = hs_cmd_flag(cmd, "replace");
    struct hs_feature_rec *recs = NULL;
    struct hs_feature_unit *old_units = NULL;
    struct hs_unitspecs units = {0};
    size_t nrecs = 0, nold_units = 0;
    char *dropped = NULL;
    int rc;

    if ((rc = import_options(cmd, &copt, &cols)) || (rc = parse_units(cmd, &units)))
        goto out;
    if (app->tui && (rc = each_input(cmd, refuse_terminal)))
        goto out;

    /* The name, and an early refusal before a long read. */
    if ((opt = hs_cmd_opt(cmd, "name"))) {
        name = opt;
    } else {
        if ((rc = hs_import_default_name(sigfile ? sigfile : file, &stem, &cmd->err)))
            goto out;
        name = stem;
    }
    if (!replace) {
        rc = hs_sess_dataset_info(app->sess, name, &info, &cmd->err);
        hs_dataset_info_release(&info);
        if (rc == HS_OK) {
            rc = hs_err_set(&cmd->err, HS_EEXIST,
                            "dataset '%s' exists already: use --replace, or --name for another "
                            "name",
                            name);
            goto out;
        }
        if (rc != HS_ENOTFOUND)
            goto out;
        hs_err_clear(&cmd->err);
    }

    /* The source, taken before reading: if the file changes meanwhile, the
     * record is older than the data and a later open imports it again. */
    if (file && strcmp(file, "-") != 0) {
        struct stat st;
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
            size = (int64_t)st.st_size;
            mtime = (int64_t)st.st_mtime;
        }
        source = realpath(file, NULL);
    }

    if (sigfile) {
        rc = read_signal_background(cmd, &copt, sigfile, &t);
        if (rc == HS_OK)
            rc = apply_roles(cmd, t, sigfile, HS_GROUP_NAME, "signal");
    } else {
        rc = hs_csv_read(file, &copt, &t, &cmd->task, &cmd->err);
        if (rc == HS_OK)
            rc = apply_roles(cmd, t, strcmp(file, "-") == 0 ? "<stdin>" : file, label, signal);
    }
    if (rc)
        goto out;

    rc = hs_cmd_begin(cmd, app);
    /* A replaced dataset keeps the features derived on it, where they
     * still compute on the new columns. */
    if (rc == HS_OK && replace) {
        rc = hs_sess_feature_recs(app->sess, name, &recs, &nrecs, &cmd->err);
        if (rc == HS_OK)
            rc = hs_sess_units_list(app->sess, name, &old_units, &nold_units, &cmd->err);
        if (rc == HS_ENOTFOUND)
            rc = HS_OK;
    }
    if (rc == HS_OK)
        rc = hs_sess_dataset_store(app->sess, name, t, replace, source, size, mtime, &cmd->task,
                                   &cmd->err);
    if (rc == HS_EEXIST)
        hs_err_set(&cmd->err, HS_EEXIST,
                   "dataset '%s' exists already: use --replace, or --name for another name",
                   name);
    if (rc == HS_OK && nrecs)
        rc = keep_features(cmd, app, name, t, recs, nrecs, &dropped);
    if (rc == HS_OK)
        rc = store_units(cmd, app, name, t, old_units, nold_units, &units);
    if (rc == HS_OK) {
        hs_cmd_output_begin(cmd);
        print_summary(cmd->out, name, t);
        if (dropped)
            fprintf(cmd->out, "features that no longer compute on the new data were dropped: %s\n",
                    dropped);
    }
    hs_feature_recs_free(recs, nrecs);
    hs_feature_units_free(old_units, nold_units);
    free(dropped);
out:
    hs_unitspecs_release(&units);
    hs_table_free(t);
    names_release(&cols);
    free(stem);
    free(source);
    return rc;
}

/* ---- hepscope FILE ---------------------------------------------------- */

int
hs_import_or_reuse(struct hs_app *app, const char *path, FILE *out, struct hs_err *err)
{
    struct hs_dataset_info *ds = NULL;
    size_t n = 0;
    struct stat st;
    char *abs = NULL, *stem = NULL, *name = NULL;
    bool replace = false;
    int rc;

    if (stat(path, &st) != 0)
        return hs_err_set(err, HS_EIO, "cannot open '%s': %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return hs_err_set(err, HS_EIO, "cannot open '%s': not a regular file", path);
    if ((rc = hs_import_default_name(path, &stem, err)))
        return rc;
    abs = realpath(path, NULL);
    if (!abs) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = hs_app_open_session(app, true, err)))
        goto out;
    if ((rc = hs_sess_datasets(app->sess, &ds, &n, err)))
        goto out;
    for (size_t i = 0; i < n; i++)
        if (ds[i].source && strcmp(ds[i].source, abs) == 0 &&
            ds[i].source_size == (int64_t)st.st_size &&
            ds[i].source_mtime == (int64_t)st.st_mtime) {
            name = strdup(ds[i].name);
            rc = name ? HS_OK : hs_err_set(err, HS_ENOMEM, "out of memory");
            goto chosen;
        }

    /* A new import: under the stem, replacing an older import of this very
     * path, else under the first free "stem-2", "stem-3", ... */
    for (unsigned k = 1; !name; k++) {
        char buf[PATH_MAX];
        bool taken = false;
        if (k == 1)
            snprintf(buf, sizeof buf, "%s", stem);
        else
            snprintf(buf, sizeof buf, "%s-%u", stem, k);
        for (size_t i = 0; i < n && !taken; i++)
            if (strcmp(ds[i].name, buf) == 0) {
                taken = true;
                if (ds[i].source && strcmp(ds[i].source, abs) == 0) {
                    replace = true;
                    taken = false;
                }
            }
        if (!taken && !(name = strdup(buf))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto out;
        }
    }
    {
        char *words[7];
        int nw = 0;
        FILE *sink = out ? out : fopen("/dev/null", "w");
        words[nw++] = "import";
        words[nw++] = "--name";
        words[nw++] = name;
        if (replace)
            words[nw++] = "--replace";
        words[nw++] = "--";
        words[nw++] = abs;
        words[nw] = NULL;
        rc = hs_cmd_run_argv(app, nw, words, sink ? sink : stdout, err);
        if (sink && sink != out)
            fclose(sink);
        if (rc == HS_OK)
            rc = hs_app_open_session(app, true, err);
    }
chosen:
    if (rc == HS_OK) {
        free(app->dataset);
        app->dataset = name;
        name = NULL;
    }
out:
    hs_dataset_info_free(ds, n);
    free(abs);
    free(stem);
    free(name);
    return rc;
}
