/* cmd-help.c: the help the command layer writes, all of it generated from
 * the command entries, the global options and the methods' parameter
 * specs (no text is typed twice): `hepscope help`, `COMMAND --help`, a
 * family's actions (`cut --help`) and the `help` command itself. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "method.h"
#include "ui/cmd.h"

static void
print_opt_line(FILE *out, const struct hs_opt_spec *o)
{
    char lhs[64];
    int n;

    if (o->short_name)
        n = snprintf(lhs, sizeof lhs, "-%c, --%s", o->short_name, o->name);
    else
        n = snprintf(lhs, sizeof lhs, "--%s", o->name);
    if (o->type != HS_OPT_FLAG && n >= 0 && (size_t)n < sizeof lhs) {
        const char *mv = o->metavar ? o->metavar : "VALUE";
        size_t ml = strlen(mv);
        bool dots = o->type == HS_OPT_LIST && !(ml >= 3 && strcmp(mv + ml - 3, "...") == 0);
        snprintf(lhs + n, sizeof lhs - (size_t)n, " %s%s", mv, dots ? "..." : "");
    }
    if (strlen(lhs) > 24)
        fprintf(out, "  %s\n  %-24s  %s\n", lhs, "", o->help ? o->help : "");
    else
        fprintf(out, "  %-24s  %s\n", lhs, o->help ? o->help : "");
}

/* Each method's parameters, with their defaults. */
/* Whether command e has an option of its own named name (`cluster --k`
 * takes a range where the methods' parameter takes one K). */
static bool
command_has_opt(const struct hs_cmd_entry *e, const char *name)
{
    for (const struct hs_opt_spec *o = e->opts; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return true;
    return false;
}

static void
print_method_params(const struct hs_cmd_entry *e, FILE *out)
{
    for (const struct hs_method *const *m = hs_methods(); *m; m++) {
        if (e->method_outputs && !(hs_method_primary(*m) & e->method_outputs))
            continue;
        if (hs_method_primary(*m) == HS_METHOD_SCORE)
            fprintf(out, "\n--method %s: %s\n", (*m)->name, (*m)->summary);
        else
            fprintf(out, "\n%s %s: %s\n", e->name, (*m)->name, (*m)->summary);
        for (const struct hs_param_spec *p = (*m)->params; p && p->name; p++) {
            if (command_has_opt(e, p->name))
                continue; /* the command's own option, listed above, takes it */
            struct hs_opt_spec o = {p->name, 0, p->type == HS_PARAM_FLAG ? HS_OPT_FLAG : HS_OPT_VALUE,
                                    p->metavar, NULL};
            char help[256];
            hs_param_help(p, help, sizeof help);
            o.help = help;
            print_opt_line(out, &o);
        }
    }
}

/* "usage: hepscope NAME USAGE", a line per alternative form. */
static void
print_usage(const struct hs_cmd_entry *e, bool first, FILE *out)
{
    const char *u = e->usage ? e->usage : "";

    for (;;) {
        const char *nl = strchr(u, '\n');
        int len = nl ? (int)(nl - u) : (int)strlen(u);
        fprintf(out, "%s hepscope %s%s%.*s\n", first ? "usage:" : "   or:", e->name,
                len ? " " : "", len, u);
        first = false;
        if (!nl)
            break;
        u = nl + 1;
    }
}

static void
print_hs_cmd_global_opts(FILE *out)
{
    fprintf(out, "\nglobal options:\n");
    for (size_t i = 0; hs_cmd_global_opts[i].name; i++)
        print_opt_line(out, &hs_cmd_global_opts[i]);
}

void
hs_cmd_help(const struct hs_cmd_entry *e, FILE *out)
{
    print_usage(e, true, out);
    fprintf(out, "\n%s%s%s%s\n", e->summary ? e->summary : "",
            e->alias ? " (alias: " : "", e->alias ? e->alias : "", e->alias ? ")" : "");
    if (e->flags & HS_CMD_TUI)
        fprintf(out, "This command works only on the TUI's ':' line.\n");
    fprintf(out, "\noptions:\n");
    for (size_t i = 0; e->opts && e->opts[i].name; i++)
        print_opt_line(out, &e->opts[i]);
    fprintf(out, "  %-24s  %s\n", "-h, --help", "show this help");
    if (e->flags & HS_CMD_METHOD_PARAMS)
        print_method_params(e, out);
    if (!(e->flags & HS_CMD_NO_SESSION))
        print_hs_cmd_global_opts(out);
}

void
hs_cmd_help_family(const char *fam, FILE *out)
{
    const struct hs_cmd_entry *const *all = hs_cmd_entries();
    size_t len = strlen(fam);
    bool first = true, session = false;

    for (size_t i = 0; all[i]; i++)
        if (hs_cmd_of_family(all[i], fam, len, NULL)) {
            print_usage(all[i], first, out);
            first = false;
        }
    fprintf(out, "\nactions:\n");
    for (size_t i = 0; all[i]; i++)
        if (hs_cmd_of_family(all[i], fam, len, NULL))
            fprintf(out, "  %-12s  %s\n", all[i]->name + len + 1,
                    all[i]->summary ? all[i]->summary : "");
    for (size_t i = 0; all[i]; i++) {
        if (!hs_cmd_of_family(all[i], fam, len, NULL) || !all[i]->opts || !all[i]->opts[0].name)
            continue;
        fprintf(out, "\noptions of %s:\n", all[i]->name);
        for (const struct hs_opt_spec *o = all[i]->opts; o->name; o++)
            print_opt_line(out, o);
        session = session || !(all[i]->flags & HS_CMD_NO_SESSION);
    }
    fprintf(out, "\nRun 'hepscope %s ACTION --help' for one action.\n", fam);
    if (session)
        print_hs_cmd_global_opts(out);
}

void
hs_cmd_help_all(FILE *out)
{
    const struct hs_cmd_entry *const *all = hs_cmd_entries();

    fprintf(out, "usage: hepscope [global options] COMMAND [options] [args]\n"
                 "       hepscope [global options] [FILE]\n"
                 "       hepscope --help | --version\n\n"
                 "A terminal workbench for signal-versus-background exploration.\n"
                 "With no command, hepscope opens its TUI on the session; with a data file\n"
                 "as the only argument, it imports the file into the session (or reuses an\n"
                 "earlier import of the unchanged file) and opens the TUI on it.\n\n"
                 "commands:\n");
    for (size_t i = 0; all[i]; i++)
        if (!(all[i]->flags & HS_CMD_TUI))
            fprintf(out, "  %-12s  %s\n", all[i]->name, all[i]->summary ? all[i]->summary : "");
    fprintf(out, "\nglobal options (before or after the command):\n");
    for (size_t i = 0; hs_cmd_global_opts[i].name; i++)
        print_opt_line(out, &hs_cmd_global_opts[i]);
    fprintf(out, "  %-24s  %s\n", "-h, --help", "show this help");
    fprintf(out, "  %-24s  %s\n", "--version", "show the version");
    fprintf(out, "\nRun 'hepscope COMMAND --help' for a command's options; see hepscope(1).\n");
    fprintf(out, "Exit codes: 0 success, 1 usage, 2 bad data, 3 session error, 130 cancelled\n"
                 "(Ctrl-C), 143 terminated, 129 hung up.\n");
}

static int
cmd_help_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const struct hs_cmd_entry *e;

    (void)app;
    if (cmd->argc == 0) {
        hs_cmd_help_all(cmd->out);
        return HS_OK;
    }
    e = hs_cmd_find(cmd->argv[0]);
    if (!e && hs_cmd_is_family(cmd->argv[0])) {
        char name[128];
        if (cmd->argc < 2) {
            hs_cmd_help_family(cmd->argv[0], cmd->out);
            return HS_OK;
        }
        snprintf(name, sizeof name, "%s %s", cmd->argv[0], cmd->argv[1]);
        e = hs_cmd_find(name);
    }
    if (!e)
        return hs_err_set(&cmd->err, HS_EUSAGE, "unknown command '%s'; 'help' lists the commands",
                          cmd->argv[0]);
    hs_cmd_help(e, cmd->out);
    return HS_OK;
}

static const struct hs_opt_spec help_opts[] = {{0}};

static const struct hs_cmd_entry help_entry = {
    .name = "help",
    .alias = NULL,
    .usage = "[COMMAND [ACTION]]",
    .summary = "show the commands, or one command's options",
    .opts = help_opts,
    .min_args = 0,
    .max_args = 2,
    .flags = HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = cmd_help_exec,
};

const struct hs_cmd_entry *const hs_cmd_help_entries[] = {&help_entry, NULL};
