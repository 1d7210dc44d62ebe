/* Unit tests of the rapidity-mass matrix (src/rmm.c): the features it
 * builds, added to a feature set and evaluated on hand-made events whose
 * four-vectors come from exact transverse momenta, rapidities, azimuths
 * and masses, against the cells of Chekanov's paper (arXiv:1805.11650)
 * computed here from those parameters: E_T = E p_T / |p|, the pair mass
 * from m^2 = m1^2 + m2^2 + 2 (mT1 mT2 cosh dy - pT1 pT2 cos dphi), the
 * rapidities as given.  Ordering by E_T, missing objects, types from the
 * particle keys, the MET row and the errors. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "featureset.h"
#include "mem.h"
#include "rmm.h"

/* One object as the test knows it: transverse momentum, rapidity, azimuth,
 * mass; pt NaN for none. */
struct obj {
    double pt, y, phi, m;
};

static double
mt_of(const struct obj *o)
{
    return sqrt(o->m * o->m + o->pt * o->pt);
}

static void
four(const struct obj *o, double v[4])
{
    double mt = mt_of(o);
    v[0] = mt * cosh(o->y);
    v[1] = o->pt * cos(o->phi);
    v[2] = o->pt * sin(o->phi);
    v[3] = mt * sinh(o->y);
}

static double
et_of(const struct obj *o)
{
    double v[4];
    four(o, v);
    return v[0] * o->pt / sqrt(o->pt * o->pt + v[3] * v[3]);
}

static double
mass_of(const struct obj *a, const struct obj *b)
{
    double m2 = a->m * a->m + b->m * b->m +
                2 * (mt_of(a) * mt_of(b) * cosh(a->y - b->y) -
                     a->pt * b->pt * cos(a->phi - b->phi));
    return sqrt(m2);
}

#define NEV 4
#define NSLOT 4
static const char *const slot_key[NSLOT] = {"mu1", "mu2", "e1", "e2"};
static const double MMU = 0.1056583755, ME = 0.000510999;

/* The events: slots mu1, mu2, e1, e2 in file order, and the MET (x, y). */
static const struct obj events[NEV][NSLOT] = {
    /* mu2 above mu1 in E_T: the order must swap */
    {{20, 0.3, 0.1, MMU}, {45, -1.2, 2.0, MMU}, {33, 1.7, -2.5, ME}, {12, -0.4, 1.0, ME}},
    /* no e2 */
    {{50, 0.0, 0.5, MMU}, {10, 2.1, -1.0, MMU}, {25, -2.0, 3.0, ME}, {NAN, 0, 0, 0}},
    /* no e1, an e2: it is the first electron */
    {{30, -0.7, -0.2, MMU}, {30.5, 0.7, 0.2, MMU}, {NAN, 0, 0, 0}, {40, 0.9, 1.5, ME}},
    /* no electron */
    {{70, 1.1, 1.1, MMU}, {5, -0.1, -3.0, MMU}, {NAN, 0, 0, 0}, {NAN, 0, 0, 0}},
};
static const double metxy[NEV][2] = {{10, -5}, {0, 0}, {-30, 12}, {3, 4}};

static struct hs_table *
make_table(bool met)
{
    struct hs_table *t = hs_table_new();
    static const char *const comp[4] = {"E", "px", "py", "pz"};
    size_t col[NSLOT][4], mx = 0, my = 0;
    char name[64];

    for (int s = 0; s < NSLOT; s++)
        for (int c = 0; c < 4; c++) {
            snprintf(name, sizeof name, "%s_%s", comp[c], slot_key[s]);
            assert_int_equal(hs_table_add_column(t, name, HS_COL_NUMBER, &col[s][c], NULL), HS_OK);
        }
    if (met) {
        assert_int_equal(hs_table_add_column(t, "MET_px", HS_COL_NUMBER, &mx, NULL), HS_OK);
        assert_int_equal(hs_table_add_column(t, "MET_py", HS_COL_NUMBER, &my, NULL), HS_OK);
    }
    assert_int_equal(hs_table_resize(t, NEV), HS_OK);
    for (int i = 0; i < NEV; i++) {
        for (int s = 0; s < NSLOT; s++) {
            double v[4];
            four(&events[i][s], v);
            for (int c = 0; c < 4; c++)
                t->cols[col[s][c]].v[i] = isnan(events[i][s].pt) ? NAN : v[c];
        }
        if (met) {
            t->cols[mx].v[i] = metxy[i][0];
            t->cols[my].v[i] = metxy[i][1];
        }
    }
    return t;
}

static void
column_names(const struct hs_table *t, const char **names)
{
    for (size_t j = 0; j < t->ncols; j++)
        names[j] = t->cols[j].name;
}

/* The objects of event i in matrix order (mu1 mu2 e1 e2 by E_T within
 * the type), NULL for none; sorted here by a plain insertion sort. */
static void
ordered(int i, const struct obj *out[4])
{
    for (int type = 0; type < 2; type++) {
        const struct obj *o[2];
        int n = 0;
        for (int s = 2 * type; s < 2 * type + 2; s++)
            if (!isnan(events[i][s].pt))
                o[n++] = &events[i][s];
        if (n == 2 && et_of(o[1]) > et_of(o[0])) {
            const struct obj *x = o[0];
            o[0] = o[1];
            o[1] = x;
        }
        out[2 * type] = n > 0 ? o[0] : NULL;
        out[2 * type + 1] = n > 1 ? o[1] : NULL;
    }
}

/* The cell (r, c) of event i, 0 being the MET, objects 1..4. */
static double
want_cell(int i, int r, int c, double rs)
{
    const struct obj *o[4];
    double mx = metxy[i][0], my = metxy[i][1], met = hypot(mx, my);

    ordered(i, o);
    if (r == 0 && c == 0)
        return met / rs;
    if (r == 0) {
        const struct obj *b = o[c - 1];
        double ex, ey, et;
        if (!b)
            return NAN;
        et = et_of(b);
        ex = b->pt * cos(b->phi) + mx;
        ey = b->pt * sin(b->phi) + my;
        return sqrt(fmax((et + met) * (et + met) - ex * ex - ey * ey, 0)) / rs;
    }
    if (c == 0)
        return o[r - 1] ? cosh(o[r - 1]->y) - 1 : NAN;
    {
        const struct obj *a = o[r - 1], *b = o[c - 1];
        if (r == c) {
            const struct obj *p = (r - 1) % 2 ? o[r - 2] : NULL;
            if (!a)
                return NAN;
            if ((r - 1) % 2 == 0)
                return et_of(a) / rs;
            return p ? (et_of(p) - et_of(a)) / (et_of(p) + et_of(a)) : NAN;
        }
        if (!a || !b)
            return NAN;
        if (r < c)
            return mass_of(a, b) / rs;
        return cosh((a->y - b->y) / 2) - 1;
    }
}

static void
add_all(struct hs_featureset *fs, const struct hs_rmm *r)
{
    struct hs_err err;

    for (size_t i = 0; i < r->n; i++) {
        if (hs_featureset_add(fs, r->f[i].name, r->f[i].expr, r->f[i].cell, &err) != HS_OK)
            fail_msg("%s = %s: %s", r->f[i].name, r->f[i].expr, err.msg);
        assert_true(hs_rmm_name(r->f[i].name));
    }
}

static void
check_matrix(struct hs_table *t, bool met, const struct hs_rmm_opts *o)
{
    static const char *const label[5] = {"met", "mu1", "mu2", "e1", "e2"};
    const char *names[40];
    struct hs_featureset fs;
    struct hs_rmm r;
    struct hs_err err;
    double rs = o->sqrt_s ? o->sqrt_s : HS_RMM_SQRT_S;

    column_names(t, names);
    assert_int_equal(hs_rmm_build(names, t->ncols, o, &r, &err), HS_OK);
    assert_int_equal(r.nobjects, 4);
    for (int k = 0; k < 4; k++)
        assert_string_equal(r.objects[k], label[k + 1]);
    assert_int_equal(r.has_met, met);
    assert_int_equal(r.ncells, met ? 25 : 20);
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    add_all(&fs, &r);
    for (int row = met ? 0 : 1; row < 5; row++)
        for (int c = 0; c < 5; c++) {
            char name[64];
            const double *v;
            long idx;
            if (row == 0 && !met)
                continue;
            snprintf(name, sizeof name, "rmm_%s_%s", label[row], label[c]);
            idx = hs_featureset_find(&fs, name);
            if (c == 0 && row == 0 && !met) {
                assert_true(idx < 0);
                continue;
            }
            if (idx < 0)
                fail_msg("no cell %s", name);
            assert_true(fs.f[idx].on);
            assert_int_equal(hs_featureset_values(&fs, (size_t)idx, &v, NULL, &err), HS_OK);
            for (int i = 0; i < NEV; i++) {
                double w = want_cell(i, row, c, rs);
                if (isnan(w) || isnan(v[i])) {
                    if (!(isnan(w) && isnan(v[i])))
                        fail_msg("%s event %d: %.17g, want %.17g", name, i, v[i], w);
                } else if (fabs(v[i] - w) > 1e-11 * fmax(fabs(w), 1e-3)) {
                    fail_msg("%s event %d: %.17g, want %.17g", name, i, v[i], w);
                }
            }
        }
    /* The helpers are off: not default inputs. */
    assert_false(fs.f[hs_featureset_find(&fs, "rmm_mu2_E")].on);
    hs_featureset_release(&fs);
    hs_rmm_release(&r);
    hs_table_free(t);
}

static void
test_cells_with_met(void **state)
{
    struct hs_rmm_opts o = {0};

    (void)state;
    check_matrix(make_table(true), true, &o);
}

static void
test_cells_without_met(void **state)
{
    struct hs_rmm_opts o = {.sqrt_s = 8000};

    (void)state;
    check_matrix(make_table(false), false, &o);
}

/* The same events with any particle in any slot (E1,px1,py1,pz1,PID1 ...,
 * rotated by one slot more each event; electrons with a negative code),
 * typed by code: the same matrix. */
static void
test_cells_by_code(void **state)
{
    static const struct hs_rmm_code codes[2] = {{"mu", 13}, {"e", 11}};
    struct hs_rmm_opts o = {.objects = 2, .pid = codes, .npid = 2};
    struct hs_table *t = hs_table_new();
    static const char *const comp[5] = {"E", "px", "py", "pz", "PID"};
    size_t col[NSLOT][5];
    char name[64];

    (void)state;
    for (int s = 0; s < NSLOT; s++)
        for (int c = 0; c < 5; c++) {
            snprintf(name, sizeof name, "%s%d", comp[c], s + 1);
            assert_int_equal(hs_table_add_column(t, name, HS_COL_NUMBER, &col[s][c], NULL), HS_OK);
        }
    assert_int_equal(hs_table_resize(t, NEV), HS_OK);
    for (int i = 0; i < NEV; i++)
        for (int s = 0; s < NSLOT; s++) {
            int src = (s + i) % NSLOT;
            double v[4];
            four(&events[i][src], v);
            for (int c = 0; c < 4; c++)
                t->cols[col[s][c]].v[i] = isnan(events[i][src].pt) ? NAN : v[c];
            t->cols[col[s][4]].v[i] = src < 2 ? 13 : -11;
        }
    check_matrix(t, false, &o);
}

/* The rank helper: mu2 first in event 0, ties to the earlier column, a
 * missing particle rank 0. */
static void
test_ranks(void **state)
{
    struct hs_table *t = make_table(false);
    const char *names[40];
    struct hs_featureset fs;
    struct hs_rmm r;
    struct hs_err err;
    const double *mu1, *mu2, *e1, *e2;

    (void)state;
    column_names(t, names);
    /* Event 3's muons tie exactly. */
    for (int c = 0; c < 4; c++)
        t->cols[4 + c].v[3] = t->cols[c].v[3];
    assert_int_equal(hs_rmm_build(names, t->ncols, NULL, &r, &err), HS_OK);
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    add_all(&fs, &r);
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_rank_mu1", &mu1, NULL, &err), HS_OK);
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_rank_mu2", &mu2, NULL, &err), HS_OK);
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_rank_e1", &e1, NULL, &err), HS_OK);
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_rank_e2", &e2, NULL, &err), HS_OK);
    static const double w_mu1[NEV] = {2, 1, 2, 1}, w_mu2[NEV] = {1, 2, 1, 2};
    static const double w_e1[NEV] = {1, 1, 0, 0}, w_e2[NEV] = {2, 0, 1, 0};
    for (int i = 0; i < NEV; i++) {
        assert_true(mu1[i] == w_mu1[i]);
        assert_true(mu2[i] == w_mu2[i]);
        assert_true(e1[i] == w_e1[i]);
        assert_true(e2[i] == w_e2[i]);
    }
    hs_featureset_release(&fs);
    hs_rmm_release(&r);
    hs_table_free(t);
}

/* Types from keys; --objects caps each type; polar particles. */
static void
test_types_and_objects(void **state)
{
    static const char *const shipish[] = {"E_mu_plus",  "p_mu_plus_x",  "p_mu_plus_y",
                                          "p_mu_plus_z", "E_mu_minus", "p_mu_minus_x",
                                          "p_mu_minus_y", "p_mu_minus_z", "pt_j1",
                                          "eta_j1",     "phi_j1",     "pt_j2",
                                          "eta_j2",     "phi_j2",     "pt_j3",
                                          "eta_j3",     "phi_j3",     "weight"};
    static const char *const cms[] = {"E1", "px1", "py1", "pz1", "E2", "px2", "py2", "pz2",
                                      "E3", "px3", "py3", "pz3", "M"};
    struct hs_rmm r;
    struct hs_err err;
    struct hs_rmm_opts two = {.objects = 2};

    (void)state;
    assert_int_equal(hs_rmm_build(shipish, 18, &two, &r, &err), HS_OK);
    assert_int_equal(r.nobjects, 4);
    assert_string_equal(r.objects[0], "mu1");
    assert_string_equal(r.objects[1], "mu2");
    assert_string_equal(r.objects[2], "j1");
    assert_string_equal(r.objects[3], "j2");
    assert_false(r.has_met);
    assert_int_equal(r.ncells, 20);
    hs_rmm_release(&r);

    assert_int_equal(hs_rmm_build(cms, 13, NULL, &r, &err), HS_OK);
    assert_int_equal(r.nobjects, 3);
    assert_string_equal(r.objects[0], "obj1");
    assert_string_equal(r.objects[2], "obj3");
    hs_rmm_release(&r);
}

/* A massless polar particle: E_T = pt, y = eta, and cells from them. */
static void
test_polar(void **state)
{
    struct hs_table *t = hs_table_new();
    static const char *const nm[6] = {"pt_j1", "eta_j1", "phi_j1", "pt_j2", "eta_j2", "phi_j2"};
    static const double val[2][6] = {{40, 0.5, 1.0, 60, -1.5, -2.0}, {15, 2.0, 0.0, NAN, NAN, NAN}};
    const char *names[6];
    size_t col;
    struct hs_featureset fs;
    struct hs_rmm r;
    struct hs_err err;
    const double *v;

    (void)state;
    for (int c = 0; c < 6; c++)
        assert_int_equal(hs_table_add_column(t, nm[c], HS_COL_NUMBER, &col, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, 2), HS_OK);
    for (int i = 0; i < 2; i++)
        for (int c = 0; c < 6; c++)
            t->cols[c].v[i] = val[i][c];
    column_names(t, names);
    assert_int_equal(hs_rmm_build(names, 6, NULL, &r, &err), HS_OK);
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    add_all(&fs, &r);
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_j1_j1", &v, NULL, &err), HS_OK);
    assert_true(fabs(v[0] - 60 / 13000.0) < 1e-15);
    assert_true(fabs(v[1] - 15 / 13000.0) < 1e-15);
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_j2_j2", &v, NULL, &err), HS_OK);
    assert_true(fabs(v[0] - (60.0 - 40) / (60 + 40)) < 1e-13);
    assert_true(isnan(v[1]));
    /* Massless: m^2 = 2 pt1 pt2 (cosh deta - cos dphi). */
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_j1_j2", &v, NULL, &err), HS_OK);
    assert_true(fabs(v[0] - sqrt(2 * 60 * 40 * (cosh(2.0) - cos(3.0))) / 13000) < 1e-13);
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_j2_j1", &v, NULL, &err), HS_OK);
    assert_true(fabs(v[0] - (cosh(1.0) - 1)) < 1e-12);
    assert_int_equal(hs_featureset_values_by_name(&fs, "rmm_j1_met", &v, NULL, &err), HS_OK);
    assert_true(fabs(v[0] - (cosh(1.5) - 1)) < 1e-12);
    assert_true(fabs(v[1] - (cosh(2.0) - 1)) < 1e-12);
    hs_featureset_release(&fs);
    hs_rmm_release(&r);
    hs_table_free(t);
}

static void
test_errors(void **state)
{
    static const char *const plain[] = {"a", "b", "Truth"};
    const char *many[200 * 4];
    static char buf[200 * 4][32];
    struct hs_rmm r = {0};
    struct hs_err err;
    struct hs_rmm_opts bad = {.sqrt_s = -1};

    (void)state;
    assert_int_equal(hs_rmm_build(plain, 3, NULL, &r, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no four-vectors"));
    assert_int_equal(r.n, 0);
    assert_int_equal(hs_rmm_build(plain, 3, &bad, &r, &err), HS_EUSAGE);
    {
        static const char *const coded[] = {"E1", "px1", "py1", "pz1", "PID1",
                                            "E2", "px2", "py2", "pz2"};
        static const struct hs_rmm_code twice[2] = {{"e", 11}, {"e", 13}};
        struct hs_rmm_opts o = {.pid = twice, .npid = 1};
        /* Particle 2 has no code column. */
        assert_int_equal(hs_rmm_build(coded, 9, &o, &r, &err), HS_ENOTFOUND);
        assert_non_null(strstr(err.msg, "particle '2'"));
        o.npid = 2;
        assert_int_equal(hs_rmm_build(coded, 5, &o, &r, &err), HS_EUSAGE);
        assert_non_null(strstr(err.msg, "given twice"));
        o.npid = 1;
        assert_int_equal(hs_rmm_build(coded, 5, &o, &r, &err), HS_OK);
        assert_int_equal(r.nobjects, 1);
        assert_string_equal(r.objects[0], "e1");
        hs_rmm_release(&r);
    }
    /* 20 types of 10 particles: 80 objects at 4 a type, over the limit. */
    for (int p = 0; p < 200; p++)
        for (int c = 0; c < 4; c++) {
            static const char *const comp[4] = {"E", "px", "py", "pz"};
            snprintf(buf[p * 4 + c], sizeof buf[0], "%s_t%c%d", comp[c], 'a' + p / 10, p % 10);
            many[p * 4 + c] = buf[p * 4 + c];
        }
    assert_int_equal(hs_rmm_build(many, 800, NULL, &r, &err), HS_ERANGE);
    assert_non_null(strstr(err.msg, "--objects"));
    {
        struct hs_rmm_opts one = {.objects = 1};
        assert_int_equal(hs_rmm_build(many, 800, &one, &r, &err), HS_OK);
        assert_int_equal(r.nobjects, 20);
        hs_rmm_release(&r);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_with_met), cmocka_unit_test(test_cells_without_met),
        cmocka_unit_test(test_cells_by_code),
        cmocka_unit_test(test_ranks),          cmocka_unit_test(test_types_and_objects),
        cmocka_unit_test(test_polar),          cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
