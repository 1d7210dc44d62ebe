/* cmd.h: the command layer, one grammar for every action.
 *
 * The CLI (argv), the TUI's ':' line and key table, and journal replay all
 * become a command: a const struct hs_cmd_entry found by name, its options
 * parsed centrally from the entry's option table, then run by its exec
 * function against the application state.  A command writes its results
 * to cmd->out (stdout for the CLI, a buffer in the TUI) and reports
 * failure by returning an hs_status with cmd->err filled; it never writes
 * to stdout or stderr itself.  A successful command that changes the
 * session is appended to the session's journal, in the same transaction.
 *
 * Sessions: in batch use app->sess is NULL when a command starts; the
 * command layer opens the session (read-only for commands that only read,
 * read-write and created when missing for HS_CMD_WRITES ones) and closes
 * it at the end.  When app->sess is already open (the TUI keeps it open),
 * the command runs on it, reopening it read-write first when the command
 * writes and it was read-only; it stays open afterwards.
 */
#ifndef HS_CMD_H
#define HS_CMD_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "method.h"
#include "sessions/session.h"
#include "task.h"

struct hs_tui;

/* A result a front end's worker has computed, waiting for the command
 * that stores it (the TUI's training: its finished job, handed to
 * `train`).  The command takes it only when `key` is what its own words
 * describe, and then uses it instead of doing the work again; the store
 * and its journal line are the command's, as from the CLI. */
struct hs_pending {
    const char *command;        /* the entry's name ("train"); NULL: the slot is empty */
    char *key;                  /* the command's description of the work (owned) */
    void *result;               /* owned until taken */
    void (*free)(void *result); /* frees an untaken result */
};

/* The state every command runs against. */
struct hs_app {
    char *session_path;     /* --session, or the default path (NULL until known) */
    char *dataset;          /* --dataset, or NULL */
    int threads;            /* --threads, 0 = the machine's choice */
    struct hs_sess *sess;   /* open session (kept open by the TUI), or NULL */
    bool sess_writable;     /* sess was opened read-write */
    atomic_int cancel;      /* raised by SIGINT or Esc; long work stops */
    volatile sig_atomic_t signal; /* SIGTERM or SIGHUP (or the CLI's SIGINT) asked to
                                     stop: the front end leaves, exit 128 + signal */
    bool progress_tty;      /* stderr is a terminal: progress lines allowed */
    struct hs_tui *tui;     /* the running TUI, or NULL in batch use */
    unsigned changes;       /* enum hs_change: what the last command changed in the
                               session (with the commands it ran); 0: nothing */
    int depth;              /* commands running (a TUI command runs others) */
    /* A front end's own progress display (the TUI's); when NULL, commands
     * draw a progress line on stderr if progress_tty is set. */
    void (*progress)(void *user, double fraction, const char *what);
    void *progress_user;
    /* After a failure: the name of the command whose words were wrong
     * (HS_EUSAGE from parsing), so that the CLI can add "Try 'hepscope
     * NAME --help'"; NULL otherwise.  Points into the command table. */
    const char *usage_cmd;
    struct hs_pending pending; /* a worker's result for the next command (see above) */
    /* The CLI on a terminal: safe_out is the stream that makes control
     * characters visible (ui/termout.h), term the raw stdout behind it;
     * both NULL otherwise.  Not owned. */
    FILE *safe_out;
    FILE *term;
};

enum hs_opt_type {
    HS_OPT_FLAG,   /* --name */
    HS_OPT_VALUE,  /* --name VALUE (the last one given counts) */
    HS_OPT_LIST,   /* --name VALUE, repeatable, all kept in order */
};

struct hs_opt_spec {
    const char *name;      /* long name without "--"; NULL ends a table */
    char short_name;       /* 'o' for -o, or 0 */
    enum hs_opt_type type;
    const char *metavar;   /* "FILE", "N", ... */
    const char *help;      /* one line for --help */
};

enum hs_cmd_flags {
    HS_CMD_NO_SESSION = 1 << 0,  /* runs without opening a session */
    HS_CMD_WRITES = 1 << 1,      /* changes the session: opened read-write, journaled */
    HS_CMD_DATASET = 1 << 2,     /* needs a dataset: --dataset or the only one */
    HS_CMD_TUI = 1 << 3,         /* only meaningful inside the TUI */
    HS_CMD_DATASET_ARG = 1 << 4, /* with HS_CMD_DATASET: the first positional
                                    argument, when given, names the dataset */
    HS_CMD_LATE_BEGIN = 1 << 5,  /* with HS_CMD_WRITES: exec calls hs_cmd_begin itself
                                    once it is ready to change the session */
    HS_CMD_CREATES = 1 << 6,     /* with HS_CMD_WRITES: may create the session file
                                    (import); other commands need an existing one */
    HS_CMD_METHOD_PARAMS = 1 << 8, /* also takes every method's parameters as options
                                      (src/method.h): --layers, --shrinkage, ... */
    HS_CMD_WHILE_TRAINING = 1 << 7, /* may run in the TUI while its training worker
                                       borrows the features' columns: it looks, moves,
                                       switches views or edits the training form */
};

/* What a command changed in the session, so that a front end that shows
 * the session (the TUI) refreshes only what depends on it.  An entry
 * declares what a successful run changes (`changes`); where that depends
 * on the run, exec reports it in cmd->changes (a split made on first
 * need adds HS_CHANGE_SPLIT).  The command layer gathers the changes of a
 * run, with those of the commands it ran, in app->changes. */
enum hs_change {
    HS_CHANGE_DATASETS = 1 << 0, /* datasets added, dropped, renamed or replaced, and with
                                    them everything stored of them */
    HS_CHANGE_FEATURES = 1 << 1, /* a dataset's derived features, or which are on */
    HS_CHANGE_CUTS = 1 << 2,     /* cut sets stored, replaced or dropped */
    HS_CHANGE_SPLIT = 1 << 3,    /* a dataset's train/validation/test split */
    HS_CHANGE_MODELS = 1 << 4,   /* models stored, replaced or dropped */
    HS_CHANGE_ALL = (1 << 5) - 1 /* another session: everything */
};

struct hs_cmd;
struct hs_cmd_optval;

struct hs_cmd_entry {
    const char *name;
    const char *alias;         /* or NULL */
    const char *usage;         /* arguments after the name, for --help; alternative
                                  forms separated by '\n' */
    const char *summary;       /* one line */
    const struct hs_opt_spec *opts; /* this command's options, ended by {0} */
    int min_args, max_args;    /* positional arguments; max -1 = no limit */
    unsigned flags;            /* enum hs_cmd_flags */
    unsigned changes;          /* enum hs_change: what a successful run changes (0 for
                                  an HS_CMD_WRITES command: anything) */
    int (*exec)(struct hs_cmd *cmd, struct hs_app *app);
    /* HS_CMD_METHOD_PARAMS: whose parameters it takes, the methods with
     * one of these outputs (enum hs_method_outputs: `train` the scoring
     * ones, `project` those with coordinates); 0: every method. */
    unsigned method_outputs;
    /* Optional: check the options and arguments before any session is
     * opened (so that a usage error creates no session file); fills
     * cmd->err and returns an hs_status like exec. */
    int (*check)(struct hs_cmd *cmd);
    /* Optional, for HS_CMD_DATASET commands: when no dataset was named and
     * the session holds several, choose one of ds[0..n) from the options
     * (plot --data D: the only labelled dataset besides D).  Returns its
     * index, or -1 for the usual error listing the choices. */
    long (*resolve)(const struct hs_cmd *cmd, const struct hs_dataset_info *ds, size_t n);
};

/* The command a method belongs to, by its main output: a scoring method
 * is `train`'s, a clustering (which may also give coordinates: a
 * mixture's probabilities) `cluster`'s, any other with coordinates
 * `project`'s.  For hs_cmd_entry.method_outputs. */
static inline unsigned
hs_method_primary(const struct hs_method *m)
{
    return m->outputs & HS_METHOD_SCORE     ? HS_METHOD_SCORE
           : m->outputs & HS_METHOD_CLUSTER ? HS_METHOD_CLUSTER
                                            : HS_METHOD_COORDS;
}

/* One parsed invocation. */
struct hs_cmd {
    const struct hs_cmd_entry *entry;
    int argc;                  /* positional arguments */
    char **argv;
    const char *dataset;       /* resolved for HS_CMD_DATASET commands */
    FILE *out;                 /* where results go */
    FILE *term;                /* the raw terminal behind out when out is app->safe_out,
                                  else NULL: see hs_termout_term */
    struct hs_err err;         /* filled on failure */
    struct hs_task task;       /* progress and cancel for long work */
    /* parsed options: private to cmd.c */
    struct hs_cmd_optval *optvals;
    size_t noptvals;
    const char **param_names;  /* HS_CMD_METHOD_PARAMS: the parameters given, each once */
    const char **param_values; /*   (the last value given; NULL for a flag) */
    size_t nparams;
    unsigned changes;          /* enum hs_change: what this run changes, entry->changes
                                  unless exec says otherwise; counts only when the
                                  command is journaled */
    bool in_txn;               /* a write transaction is open (hs_cmd_begin) */
    bool unchanged;            /* set by exec of a writing command that changed nothing
                                  this time (`feature suggest` without --add): no journal;
                                  set by check: this invocation needs no session at all
                                  (`demo -o FILE`), which is then not opened */
};

/* Option values of a parsed command. */
const char *hs_cmd_opt(const struct hs_cmd *cmd, const char *name);   /* last value, or NULL */
bool hs_cmd_flag(const struct hs_cmd *cmd, const char *name);
/* All values of a list option in order; *values points into cmd (valid
 * while cmd is). */
size_t hs_cmd_opt_list(const struct hs_cmd *cmd, const char *name, const char ***values);
/* A whole-number option in [min, max] into *out (left as it is when the
 * option is absent); HS_EUSAGE naming the option and the value otherwise. */
int hs_cmd_opt_count(struct hs_cmd *cmd, const char *name, size_t min, size_t max, size_t *out);
/* A number option in [min, max] (parsed exactly, any locale) into *out. */
int hs_cmd_opt_number(struct hs_cmd *cmd, const char *name, double min, double max, double *out);

/* For HS_CMD_METHOD_PARAMS commands: the method parameters given, in
 * the order first given (a name given twice keeps its last value).  The
 * names and values are valid while cmd is; value is NULL for a flag. */
size_t hs_cmd_nparams(const struct hs_cmd *cmd);
void hs_cmd_param(const struct hs_cmd *cmd, size_t i, const char **name, const char **value);

/* For HS_CMD_WRITES commands: open the write transaction now (BEGIN
 * IMMEDIATE; HS_EBUSY when another process writes).  A command that does
 * long preparatory work (parsing a file) calls this only when it is ready
 * to store, so that other writers are not held up; the command layer
 * begins one itself before exec otherwise.  After a successful exec the
 * layer appends the journal line and commits; after a failure it rolls
 * back. */
int hs_cmd_begin(struct hs_cmd *cmd, struct hs_app *app);

/* The command's canonical line, as the journal records it: its name, the
 * dataset, the options in the entry's order, the arguments.  New string
 * (free with free()), NULL when out of memory. */
char *hs_cmd_line(const struct hs_cmd *cmd);

/* Fill cmd->err with "out of memory" and return HS_ENOMEM. */
int hs_cmd_nomem(struct hs_cmd *cmd);

/* Print grid g to cmd->out when rc is HS_OK (else say out of memory in
 * cmd->err), release it, and return rc: the end of a command's table. */
struct hs_grid;
int hs_cmd_print_grid(struct hs_cmd *cmd, struct hs_grid *g, int rc);

/* Call before writing results to cmd->out after long work: erases the
 * progress line, if one is shown, so that results do not mix with it. */
void hs_cmd_output_begin(struct hs_cmd *cmd);

/* The command families, each a NULL-ended list in its own file. */
extern const struct hs_cmd_entry *const hs_cmd_help_entries[];    /* ui/cmd-help.c: help */
extern const struct hs_cmd_entry *const hs_cmd_data_entries[]; /* ui/cmd-data.c */
extern const struct hs_cmd_entry *const hs_cmd_tui_entries[];  /* ui/cmd-tui.c */
extern const struct hs_cmd_entry *const hs_cmd_tui_data_entries[]; /* ui/cmd-tui-data.c */
extern const struct hs_cmd_entry *const hs_cmd_tui_cuts_entries[]; /* ui/cmd-tui-cuts.c */
extern const struct hs_cmd_entry *const hs_cmd_tui_train_entries[]; /* ui/cmd-tui-train.c */
extern const struct hs_cmd_entry *const hs_cmd_tui_proj_entries[]; /* ui/cmd-tui-proj.c */
extern const struct hs_cmd_entry *const hs_cmd_tui_clust_entries[]; /* ui/cmd-tui-clust.c */
extern const struct hs_cmd_entry *const hs_cmd_demo_entries[];    /* ui/cmd-demo.c */
extern const struct hs_cmd_entry *const hs_cmd_feature_entries[]; /* ui/cmd-feature.c */
extern const struct hs_cmd_entry *const hs_cmd_plot_entries[];    /* ui/cmd-plot.c */
extern const struct hs_cmd_entry *const hs_cmd_cut_entries[];     /* ui/cmd-cut.c */
extern const struct hs_cmd_entry *const hs_cmd_roc_entries[];     /* ui/cmd-roc.c: split, roc, effs */
extern const struct hs_cmd_entry *const hs_cmd_train_entries[];   /* ui/cmd-train.c: train, score, ... */
extern const struct hs_cmd_entry *const hs_cmd_importance_entries[]; /* ui/cmd-importance.c */
extern const struct hs_cmd_entry *const hs_cmd_model_entries[];   /* ui/cmd-model.c: model, methods */
extern const struct hs_cmd_entry *const hs_cmd_search_entries[];  /* ui/cmd-search.c: search */
extern const struct hs_cmd_entry *const hs_cmd_project_entries[]; /* ui/cmd-project.c */
extern const struct hs_cmd_entry *const hs_cmd_cluster_entries[]; /* ui/cmd-cluster.c */
extern const struct hs_cmd_entry *const hs_cmd_select_entries[];  /* ui/cmd-select.c */

/* Find a command by name or alias; NULL when there is none. */
const struct hs_cmd_entry *hs_cmd_find(const char *name);
/* The entry a command's words name: argv[0], or for a family ("cut")
 * its action's entry ("cut set"); NULL when there is none. */
const struct hs_cmd_entry *hs_cmd_lookup(int argc, char **argv);
/* Every command entry, ended by NULL. */
const struct hs_cmd_entry *const *hs_cmd_entries(void);

/* Write a command's --help text (usage, summary, options, global
 * options), generated from its entry. */
void hs_cmd_help(const struct hs_cmd_entry *e, FILE *out);
/* The help of a family of commands ("cut": every `cut VERB` entry), its
 * actions and their options. */
void hs_cmd_help_family(const char *family, FILE *out);
/* Is e an action of family fam (len bytes; e's name "FAM VERB")?  *verb,
 * when not NULL, gets the action's word. */
bool hs_cmd_of_family(const struct hs_cmd_entry *e, const char *fam, size_t len,
                      const char **verb);
/* The options every command takes (--session, --dataset, --threads),
 * ended by {0}. */
extern const struct hs_opt_spec hs_cmd_global_opts[];
/* Is name a family of commands (entries named "NAME VERB")? */
bool hs_cmd_is_family(const char *name);
/* Write the program's overall help: synopsis and every command. */
void hs_cmd_help_all(FILE *out);

/* Run a command given as words (argv[0] is the command's name), writing
 * results to out and failures to err.  Global options (--session,
 * --dataset, --threads) may stand anywhere among the words and update app.
 * "--help" (or -h) anywhere prints the command's help to out instead.
 * Returns an hs_status. */
int hs_cmd_run_argv(struct hs_app *app, int argc, char **argv, FILE *out, struct hs_err *err);

/* The same for one command line, split into words like a shell does
 * (single and double quotes, backslash escapes). */
int hs_cmd_run_line(struct hs_app *app, const char *line, FILE *out, struct hs_err *err);

/* Set one global option by name ("session", "dataset", "threads");
 * HS_EUSAGE for a bad value or an unknown name. */
int hs_app_set_global(struct hs_app *app, const char *name, const char *value,
                      struct hs_err *err);
/* Is `name` (without "--") a global option? */
bool hs_cmd_is_global(const char *name);

/* Split a line into words; *argv is a new NULL-ended array (free with
 * hs_cmd_words_free).  HS_EUSAGE for an unterminated quote. */
int hs_cmd_split(const char *line, int *argc, char ***argv, struct hs_err *err);
void hs_cmd_words_free(int argc, char **argv);
/* Join words into one line that splits back to the same words.  New
 * string (free with free()), NULL when out of memory. */
char *hs_cmd_join(int argc, char *const *argv);

/* The process exit code for a status: 0 ok, 1 usage (also a name that is
 * not found or exists already), 2 bad data (also unreadable or unwritable
 * files, out of memory), 3 session error (busy, corrupt, too new),
 * 130 cancelled. */
int hs_exit_code(int status);

void hs_app_init(struct hs_app *app);
void hs_app_release(struct hs_app *app);
/* Put a worker's result in app->pending for the command `command`
 * (a static string) whose words give `key`; the slot takes both (key
 * copied; result freed with free_fn when not taken).  A result already
 * there is freed.  HS_ENOMEM (result freed then). */
int hs_app_pending_set(struct hs_app *app, const char *command, const char *key, void *result,
                       void (*free_fn)(void *result));
/* For command `command`'s exec: the pending result when its key is
 * `key`, now the caller's (the slot is emptied); NULL otherwise. */
void *hs_app_pending_take(struct hs_app *app, const char *command, const char *key);
/* Free an untaken result and empty the slot. */
void hs_app_pending_clear(struct hs_app *app);
/* Open app->sess if needed, read-write when writable (reopening a
 * read-only one).  Creates the session file only when writable; a
 * read-only open of a file that does not exist is HS_ESESSION ("no
 * session at PATH") and creates nothing.  The same as
 * hs_app_open_session_flags with HS_SESS_CREATE or HS_SESS_READONLY. */
int hs_app_open_session(struct hs_app *app, bool writable, struct hs_err *err);
/* The same with hs_sess_open's flags: read-write unless HS_SESS_READONLY;
 * with HS_SESS_EXISTING an empty file is not made a session. */
int hs_app_open_session_flags(struct hs_app *app, unsigned sess_flags, struct hs_err *err);
/* Close app->sess (a no-op when none is open). */
void hs_app_close_session(struct hs_app *app);

#endif
