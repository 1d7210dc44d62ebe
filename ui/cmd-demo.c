/* cmd-demo.c: `hepscope demo`, the embedded SHiP-like HNL simulation.
 *
 * Generates events with src/sim and stores them as a dataset with the
 * derived features a physicist would look at first, or writes them as CSV
 * with -o.  Same options and seed, same bytes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "featureset.h"
#include "sessions/features.h"
#include "sim.h"
#include "ui/cmd-data.h"
#include "ui/cmd.h"
#include "ui/export.h"

struct demo_feature {
    const char *name;
    const char *expr;
};

/* The pair quantities of the two visible tracks, named for the channel.
 * pt_frac is the pair's transverse momentum over its momentum: the sine of
 * the angle between the pair and the beam, small for an HNL that flew
 * from the target. */
static const struct demo_feature mumunu_features[] = {
    {"m_mumu", "mass(E_mu_plus,p_mu_plus_x,p_mu_plus_y,p_mu_plus_z,"
               "E_mu_minus,p_mu_minus_x,p_mu_minus_y,p_mu_minus_z)"},
    {"p_mumu", "p(p_mu_plus_x+p_mu_minus_x,p_mu_plus_y+p_mu_minus_y,p_mu_plus_z+p_mu_minus_z)"},
    {"pt_mumu", "pt(p_mu_plus_x+p_mu_minus_x,p_mu_plus_y+p_mu_minus_y)"},
    {"pt_frac", "pt_mumu/p_mumu"},
    {"open_angle", "angle(p_mu_plus_x,p_mu_plus_y,p_mu_plus_z,p_mu_minus_x,p_mu_minus_y,"
                   "p_mu_minus_z)"},
    {"dphi_mumu", "dphi(phi(p_mu_plus_x,p_mu_plus_y),phi(p_mu_minus_x,p_mu_minus_y))"},
    {NULL, NULL},
};

static const struct demo_feature murho_features[] = {
    {"m_mupi", "mass(E_mu_plus,p_mu_plus_x,p_mu_plus_y,p_mu_plus_z,"
               "E_pi_minus,p_pi_minus_x,p_pi_minus_y,p_pi_minus_z)"},
    {"p_mupi", "p(p_mu_plus_x+p_pi_minus_x,p_mu_plus_y+p_pi_minus_y,p_mu_plus_z+p_pi_minus_z)"},
    {"pt_mupi", "pt(p_mu_plus_x+p_pi_minus_x,p_mu_plus_y+p_pi_minus_y)"},
    {"pt_frac", "pt_mupi/p_mupi"},
    {"open_angle", "angle(p_mu_plus_x,p_mu_plus_y,p_mu_plus_z,p_pi_minus_x,p_pi_minus_y,"
                   "p_pi_minus_z)"},
    {"dphi_mupi", "dphi(phi(p_mu_plus_x,p_mu_plus_y),phi(p_pi_minus_x,p_pi_minus_y))"},
    {NULL, NULL},
};

static int
add_demo_features(struct hs_featureset *fs, enum hs_sim_channel ch, struct hs_err *err)
{
    const struct demo_feature *f = ch == HS_SIM_MURHO ? murho_features : mumunu_features;
    int rc;

    for (; f->name; f++)
        if ((rc = hs_featureset_add(fs, f->name, f->expr, true, err)))
            return rc;
    return HS_OK;
}

static int
demo_config(struct hs_cmd *cmd, struct hs_sim_config *c)
{
    const char *ch = hs_cmd_opt(cmd, "channel");
    double seed = -1;
    int rc;

    hs_sim_config_init(c);
    if (ch && (rc = hs_sim_channel_parse(ch, &c->channel, &cmd->err)))
        return rc;
    if ((rc = hs_cmd_opt_count(cmd, "n-signal", 1, 100000000, &c->n_signal)) ||
        (rc = hs_cmd_opt_count(cmd, "n-background", 0, 1000000000, &c->n_background)) ||
        (rc = hs_cmd_opt_number(cmd, "mass", hs_sim_mass_min(c->channel), HS_SIM_MASS_MAX,
                                &c->mass)) ||
        (rc = hs_cmd_opt_number(cmd, "seed", 0, 4294967295.0, &seed)))
        return rc;
    if (seed >= 0) {
        if (seed != (double)(unsigned long)seed)
            return hs_err_set(&cmd->err, HS_EUSAGE, "--seed wants a whole number");
        c->seed = (unsigned long)seed;
    }
    return HS_OK;
}

/* The dataset's source: the generator's settings in the words that make
 * the same events again ("demo --channel murho --seed 1 ..."), so that
 * `datasets` tells the two channels apart. */
static void
demo_source(const struct hs_sim_config *c, char *buf, size_t size)
{
    int len = snprintf(buf, size, "demo --channel %s --seed %lu --n-signal %zu --n-background %zu",
                       hs_sim_channel_name(c->channel), c->seed, c->n_signal, c->n_background);

    if (c->mass > 0 && len > 0 && (size_t)len < size)
        snprintf(buf + len, size - (size_t)len, " --mass %.17g", c->mass);
}

static int
demo_check(struct hs_cmd *cmd)
{
    struct hs_sim_config c;
    const char *name = hs_cmd_opt(cmd, "name");
    int rc = demo_config(cmd, &c);

    if (rc == HS_OK && name)
        rc = hs_import_check_name(name, &cmd->err);
    /* With -o the events go to a file: the session is not touched. */
    if (hs_cmd_opt(cmd, "output"))
        cmd->unchanged = true;
    return rc;
}

static int
demo_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_sim_config c;
    struct hs_table *t = NULL;
    struct hs_featureset fs = {0};
    const char *out = hs_cmd_opt(cmd, "output");
    const char *name = hs_cmd_opt(cmd, "name");
    size_t ns, nb;
    char source[256];
    int rc;

    if ((rc = demo_config(cmd, &c)))
        return rc;
    demo_source(&c, source, sizeof source);
    if (!name)
        name = c.channel == HS_SIM_MURHO ? "demo_murho" : "demo";
    if ((rc = hs_sim_generate(&c, &t, &cmd->task, &cmd->err)))
        return rc;
    if (out) {
        rc = hs_export_csv(cmd, t, NULL, out);
        hs_table_free(t);
        return rc;
    }
    if ((rc = hs_featureset_init(&fs, t, &cmd->err)) ||
        (rc = add_demo_features(&fs, c.channel, &cmd->err)))
        goto done;
    if ((rc = hs_cmd_begin(cmd, app)) ||
        (rc = hs_sess_dataset_store(app->sess, name, t, hs_cmd_flag(cmd, "replace"), source, -1,
                                    -1, &cmd->task, &cmd->err)) ||
        (rc = hs_sess_featureset_save(app->sess, name, &fs, &cmd->err)))
        goto done;
    hs_table_class_counts(t, &ns, &nb);
    hs_cmd_output_begin(cmd);
    fprintf(cmd->out, "made '%s': %zu events (%zu signal, %zu background)\n", name, t->nrows, ns,
            nb);
done:
    if (rc == HS_EEXIST)
        hs_err_set(&cmd->err, HS_EEXIST, "dataset '%s' exists already: use --replace, or --name",
                   name);
    hs_featureset_release(&fs);
    hs_table_free(t);
    return rc;
}

static const struct hs_opt_spec demo_opts[] = {
    {"name", 0, HS_OPT_VALUE, "D", "the dataset's name (default demo, or demo_murho)"},
    {"channel", 0, HS_OPT_VALUE, "CH", "mumunu (N -> mu mu nu, default) or murho (N -> mu rho)"},
    {"n-signal", 0, HS_OPT_VALUE, "N", "signal events (default 20000)"},
    {"n-background", 0, HS_OPT_VALUE, "N", "background events (default 200000)"},
    {"mass", 0, HS_OPT_VALUE, "M", "one HNL mass in GeV (default: the 21 points 0.5 to 5.5)"},
    {"seed", 0, HS_OPT_VALUE, "K", "random seed (default 1): same seed, same events"},
    {"output", 'o', HS_OPT_VALUE, "FILE", "write the events as CSV instead ('-': standard output)"},
    {"replace", 0, HS_OPT_FLAG, NULL, "replace a dataset of the same name"},
    {0},
};

static const struct hs_cmd_entry demo_entry = {
    .name = "demo",
    .alias = NULL,
    .usage = "[--name D] [--channel mumunu|murho] [--n-signal N] [--n-background N] [--mass M] "
             "[--seed K] [-o FILE.csv]",
    .summary = "simulate SHiP-like heavy neutral lepton events against muon combinatorics",
    .opts = demo_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_CREATES,
    .changes = HS_CHANGE_DATASETS,
    .exec = demo_exec,
    .check = demo_check,
};

const struct hs_cmd_entry *const hs_cmd_demo_entries[] = {&demo_entry, NULL};
