/* sim.c: the demo generator's table: configuration, event order, blocks
 * with their own random streams, columns and roles.  The physics of one
 * event is in sim_event.c and sim_decay.c.
 */
#include "config.h"

#include "sim.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "par.h"
#include "rng.h"
#include "sim_kin.h"

static const char *const col_mumunu[HS_SIM_NCOLS] = {
    "E_mu_plus", "E_mu_minus", "p_mu_plus_x", "p_mu_minus_x", "p_mu_plus_y",
    "p_mu_minus_y", "p_mu_plus_z", "p_mu_minus_z", "vx", "vy", "vz", "doca", "ip",
    "HNL_mass", "Truth",
};

static const char *const col_murho[HS_SIM_NCOLS] = {
    "E_mu_plus", "E_pi_minus", "p_mu_plus_x", "p_pi_minus_x", "p_mu_plus_y",
    "p_pi_minus_y", "p_mu_plus_z", "p_pi_minus_z", "vx", "vy", "vz", "doca", "ip",
    "HNL_mass", "Truth",
};

static const char *const channel_names[] = {"mumunu", "murho"};

void
hs_sim_config_init(struct hs_sim_config *c)
{
    memset(c, 0, sizeof *c);
    c->channel = HS_SIM_MUMUNU;
    c->n_signal = 20000;
    c->n_background = 200000;
    c->mass = 0;
    c->seed = 1;
}

const char *
hs_sim_channel_name(enum hs_sim_channel ch)
{
    return ch == HS_SIM_MUMUNU || ch == HS_SIM_MURHO ? channel_names[ch] : NULL;
}

int
hs_sim_channel_parse(const char *name, enum hs_sim_channel *ch, struct hs_err *err)
{
    for (int i = 0; i < 2; i++)
        if (strcmp(name, channel_names[i]) == 0) {
            *ch = (enum hs_sim_channel)i;
            return HS_OK;
        }
    return hs_err_set(err, HS_EUSAGE, "unknown channel '%s' (choose mumunu or murho)", name);
}

double
hs_sim_mass_min(enum hs_sim_channel ch)
{
    return ch == HS_SIM_MURHO ? 0.9 : 0.25;
}

size_t
hs_sim_masses(enum hs_sim_channel ch, double mass, double *out)
{
    size_t n = 0;

    if (mass > 0) {
        out[0] = mass;
        return 1;
    }
    for (int i = 0; i < HS_SIM_NMASS; i++) {
        double m = 0.5 + 0.25 * i;
        if (m >= hs_sim_mass_min(ch))
            out[n++] = m;
    }
    return n;
}

const char *
hs_sim_column_name(enum hs_sim_channel ch, size_t i)
{
    if (i >= HS_SIM_NCOLS)
        return NULL;
    return ch == HS_SIM_MURHO ? col_murho[i] : col_mumunu[i];
}

/* splitmix64's finaliser: spreads (seed, block) over the seed space so
 * that neighbouring blocks get unrelated streams. */
static uint64_t
mix64(uint64_t x)
{
    return hs_splitmix64(&x);
}

static unsigned long
block_seed(unsigned long seed, size_t block)
{
    return (unsigned long)mix64(mix64((uint64_t)seed) ^ (uint64_t)block);
}

/* Rows of signal among the first `row` of n when s of them are signal,
 * spread evenly: floor(row * s / n) without overflow. */
static size_t
signal_before(size_t row, size_t s, size_t n)
{
#ifdef __SIZEOF_INT128__
    return (size_t)((unsigned __int128)row * s / n);
#else
    return (size_t)((long double)row * s / n);
#endif
}

/* Generate rows [r0, r1) into the table's columns: plan the block's
 * events in mass[] (0 = background), shuffle them, then draw each. */
static int
fill_block(const struct hs_sim_config *c, const double *masses, size_t nm, size_t r0,
           size_t r1, double *const *col, gsl_rng *r, const struct hs_task *task)
{
    const size_t n = c->n_signal + c->n_background;
    size_t k0 = signal_before(r0, c->n_signal, n), k1 = signal_before(r1, c->n_signal, n);
    double *mass = col[13];
    struct hs_sim_truth ev;
    double row[HS_SIM_NCOLS];

    for (size_t i = r0; i < r1; i++) {
        size_t k = k0 + (i - r0);
        mass[i] = k < k1 ? masses[k % nm] : 0.0;
    }
    /* Fisher-Yates; gsl_rng_uniform_int never fails for 1 <= m <= 2^32. */
    for (size_t i = r1 - r0; i > 1; i--) {
        size_t j = gsl_rng_uniform_int(r, (unsigned long)i);
        double t = mass[r0 + i - 1];
        mass[r0 + i - 1] = mass[r0 + j];
        mass[r0 + j] = t;
    }
    for (size_t i = r0; i < r1; i++) {
        /* A block takes some 0.1 s: look at the cancel flag within it too. */
        if ((i - r0) % 8192 == 8191 && hs_task_cancelled(task))
            return HS_ECANCELLED;
        if (mass[i] > 0) {
            int rc = hs_sim_signal_event(c->channel, mass[i], r, &ev);
            if (rc)
                return rc;
        } else {
            hs_sim_background_event(r, &ev);
        }
        hs_sim_reconstruct(c->channel, &ev, r, row);
        for (int j = 0; j < HS_SIM_NCOLS; j++)
            col[j][i] = row[j];
    }
    return HS_OK;
}

static int
check_config(const struct hs_sim_config *c, struct hs_err *err)
{
    const char *ch = hs_sim_channel_name(c->channel);

    if (!ch)
        return hs_err_set(err, HS_EUSAGE, "unknown channel %d", (int)c->channel);
    if (c->n_signal == 0)
        return hs_err_set(err, HS_EUSAGE, "the demo needs at least one signal event");
    if (c->n_signal > SIZE_MAX / 2 || c->n_background > SIZE_MAX / 2 - c->n_signal)
        return hs_err_set(err, HS_ERANGE, "too many events");
    if (c->mass != 0 && !(c->mass >= hs_sim_mass_min(c->channel) && c->mass <= HS_SIM_MASS_MAX))
        return hs_err_set(err, HS_ERANGE,
                          "HNL mass %g GeV is outside the range of channel '%s' (%g to %g GeV)",
                          c->mass, ch, hs_sim_mass_min(c->channel), HS_SIM_MASS_MAX);
    return HS_OK;
}

/* Make every block, each a part of a par.h job.  Each block has its own
 * stream, seeded from (seed, block), so the bytes do not depend on the
 * number of threads or the order in which blocks are made.  Only the
 * calling thread reports progress: after its first block, then about 5
 * times a second; every thread checks the cancel flag before each block
 * and every 8192 events. */
struct fill_job {
    const struct hs_sim_config *c;
    const double *masses;
    size_t nm, n, nblocks;
    double *const *col;
    const struct hs_task *task;
    atomic_int status;
    struct hs_par_progress prog;
};

static int
fill_part(void *ctx, size_t b)
{
    struct fill_job *j = ctx;
    const struct hs_task *task = j->task;
    size_t r0 = b * HS_SIM_BLOCK, r1 = r0 + HS_SIM_BLOCK < j->n ? r0 + HS_SIM_BLOCK : j->n;
    struct hs_sim_rng_state st;
    /* A gsl_rng of our own type needs no allocation: its state is here. */
    gsl_rng r = {hs_sim_rng_type(), &st};
    int rc;

    if (atomic_load_explicit(&j->status, memory_order_relaxed) != HS_OK)
        return 0;
    if (hs_task_cancelled(task)) {
        atomic_store(&j->status, HS_ECANCELLED);
        return 0;
    }
    gsl_rng_set(&r, block_seed(j->c->seed, b));
    rc = fill_block(j->c, j->masses, j->nm, r0, r1, j->col, &r, task);
    if (rc) {
        atomic_store(&j->status, rc);
        return 0;
    }
    hs_par_progress_add(&j->prog, 1);
    return 0;
}

static int
fill_blocks(const struct hs_sim_config *c, const double *masses, size_t nm, size_t n,
            double *const *col, const struct hs_task *task)
{
    struct fill_job j = {.c = c, .masses = masses, .nm = nm, .n = n, .col = col, .task = task};

    j.nblocks = (n + HS_SIM_BLOCK - 1) / HS_SIM_BLOCK;
    hs_par_progress_init(&j.prog, task, j.nblocks, "generating events", true);
    hs_par_run(j.nblocks, hs_par_threads(), fill_part, &j);
    if (j.status == HS_OK)
        hs_task_progress(task, 1.0, "generating events");
    return j.status;
}

int
hs_sim_generate(const struct hs_sim_config *c, struct hs_table **out,
                const struct hs_task *task, struct hs_err *err)
{
    const size_t n = c->n_signal + c->n_background;
    double masses[HS_SIM_NMASS], *col[HS_SIM_NCOLS];
    struct hs_table *t = NULL;
    size_t nm;
    int rc;

    rc = check_config(c, err);
    if (rc)
        return rc;
    nm = hs_sim_masses(c->channel, c->mass, masses);

    t = hs_table_new();
    if (!t)
        goto nomem;
    for (int j = 0; j < HS_SIM_NCOLS; j++) {
        rc = hs_table_add_column(t, hs_sim_column_name(c->channel, (size_t)j), HS_COL_NUMBER,
                                 NULL, err);
        if (rc)
            goto fail;
    }
    if (hs_table_reserve(t, n))
        goto nomem;
    for (int j = 0; j < HS_SIM_NCOLS; j++)
        col[j] = t->cols[j].v;

    rc = fill_blocks(c, masses, nm, n, col, task);
    if (rc == HS_ECANCELLED) {
        hs_err_set(err, rc, "event generation cancelled");
        goto fail;
    } else if (rc) {
        hs_err_set(err, rc, "cannot generate the events: %s", hs_status_name(rc));
        goto fail;
    }
    /* Every value of the n rows is written: no need to fill them first. */
    hs_table_set_nrows(t, n);

    rc = hs_table_set_label(t, "Truth", "1", err);
    if (!rc)
        rc = hs_table_set_role(t, "HNL_mass", HS_ROLE_GROUP, err);
    if (rc)
        goto fail;
    *out = t;
    return HS_OK;

nomem:
    rc = hs_err_set(err, HS_ENOMEM, "out of memory generating %zu events", n);
fail:
    hs_table_free(t);
    return rc;
}
