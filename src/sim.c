/* sim.c: the demo generator's table: configuration, event order, blocks
 * with their own random streams, columns and roles.  The physics of one
 * event is in sim_event.c and sim_decay.c.
 */
#include "config.h"

#include "sim.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mem.h"

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
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
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
           size_t r1, double *const *col, gsl_rng *r)
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
    if (c->n_background > SIZE_MAX / 2 - c->n_signal || c->n_signal > SIZE_MAX / 2)
        return hs_err_set(err, HS_ERANGE, "too many events");
    if (c->mass != 0 && !(c->mass >= hs_sim_mass_min(c->channel) && c->mass <= HS_SIM_MASS_MAX))
        return hs_err_set(err, HS_ERANGE,
                          "HNL mass %g GeV is outside the range of channel '%s' (%g to %g GeV)",
                          c->mass, ch, hs_sim_mass_min(c->channel), HS_SIM_MASS_MAX);
    return HS_OK;
}

int
hs_sim_generate(const struct hs_sim_config *c, struct hs_table **out,
                const struct hs_task *task, struct hs_err *err)
{
    const size_t n = c->n_signal + c->n_background;
    double masses[HS_SIM_NMASS], *col[HS_SIM_NCOLS];
    struct hs_table *t = NULL;
    gsl_rng *r = NULL;
    size_t nm, nblocks;
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
    r = gsl_rng_alloc(hs_sim_rng_type());
    if (!r)
        goto nomem;

    nblocks = (n + HS_SIM_BLOCK - 1) / HS_SIM_BLOCK;
    for (size_t b = 0; b < nblocks; b++) {
        size_t r0 = b * HS_SIM_BLOCK, r1 = r0 + HS_SIM_BLOCK < n ? r0 + HS_SIM_BLOCK : n;
        if (hs_task_cancelled(task)) {
            rc = hs_err_set(err, HS_ECANCELLED, "event generation cancelled");
            goto fail;
        }
        gsl_rng_set(r, block_seed(c->seed, b));
        rc = fill_block(c, masses, nm, r0, r1, col, r);
        if (rc) {
            hs_err_set(err, rc, "cannot generate an event at HNL mass %g GeV", c->mass);
            goto fail;
        }
        /* About every 0.1 s, and at the end. */
        if (b % 4 == 3 || b + 1 == nblocks)
            hs_task_progress(task, (double)r1 / (double)n, "generating events");
    }
    gsl_rng_free(r);
    r = NULL;
    t->nrows = n;

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
    gsl_rng_free(r);
    hs_table_free(t);
    return rc;
}
