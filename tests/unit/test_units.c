/* test_units.c: a feature's unit and axis label in the session
 * (sessions/units.h) and the labels made of them (ui/axislabel.h). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sessions/session.h"
#include "sessions/units.h"
#include "test_sess_util.h"
#include "ui/axislabel.h"

struct fixture {
    char *dir;
    struct hs_sess *s;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    struct hs_table *t = hs_table_new();
    struct hs_err err = {0};
    char *path;
    size_t idx;

    assert_non_null(fx);
    fx->dir = tu_tmpdir();
    path = tu_path(fx->dir, "s.db");
    assert_int_equal(hs_sess_open(path, HS_SESS_CREATE, &fx->s, &err), HS_OK);
    free(path);
    assert_int_equal(hs_table_add_column(t, "m", HS_COL_NUMBER, &idx, &err), HS_OK);
    assert_int_equal(hs_table_resize(t, 3), HS_OK);
    assert_int_equal(hs_sess_dataset_store(fx->s, "a", t, false, NULL, -1, -1, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_store(fx->s, "b", t, false, NULL, -1, -1, NULL, &err), HS_OK);
    hs_table_free(t);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    hs_sess_close(fx->s);
    tu_rmdir(fx->dir);
    free(fx);
    return 0;
}

/* "unit|label" of a feature, "-" for none. */
static const char *
got(struct hs_sess *s, const char *ds, const char *name)
{
    static char buf[600];
    struct hs_feature_unit u;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_unit_get(s, ds, name, &u, &err), HS_OK);
    snprintf(buf, sizeof buf, "%s|%s", u.unit ? u.unit : "-", u.axis_label ? u.axis_label : "-");
    hs_feature_unit_release(&u);
    return buf;
}

static void
test_set_get_list_clear(void **state)
{
    struct fixture *fx = *state;
    struct hs_feature_unit *u;
    struct hs_err err = {0};
    size_t n;

    assert_string_equal(got(fx->s, "a", "m"), "-|-");
    assert_int_equal(hs_sess_unit_set(fx->s, "a", "m", "GeV", "m(ll)", &err), HS_OK);
    assert_int_equal(hs_sess_unit_set(fx->s, "a", "pt", "GeV", NULL, &err), HS_OK);
    assert_int_equal(hs_sess_unit_set(fx->s, "b", "m", NULL, "mass", &err), HS_OK);
    assert_string_equal(got(fx->s, "a", "m"), "GeV|m(ll)");
    assert_string_equal(got(fx->s, "b", "m"), "-|mass");
    /* Replaced as a whole; "" is none. */
    assert_int_equal(hs_sess_unit_set(fx->s, "a", "m", "MeV", "", &err), HS_OK);
    assert_string_equal(got(fx->s, "a", "m"), "MeV|-");
    assert_int_equal(hs_sess_units_list(fx->s, "a", &u, &n, &err), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(u[0].name, "m");
    assert_string_equal(u[1].name, "pt");
    assert_ptr_equal(hs_feature_units_find(u, n, "pt"), &u[1]);
    assert_null(hs_feature_units_find(u, n, "eta"));
    hs_feature_units_free(u, n);
    /* Both none: the row goes. */
    assert_int_equal(hs_sess_unit_set(fx->s, "a", "pt", NULL, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_unit_clear(fx->s, "a", "m", &err), HS_OK);
    assert_int_equal(hs_sess_unit_clear(fx->s, "a", "m", &err), HS_OK);
    assert_int_equal(hs_sess_units_list(fx->s, "a", &u, &n, &err), HS_OK);
    assert_int_equal(n, 0);
    assert_null(u);
}

static void
test_errors(void **state)
{
    struct fixture *fx = *state;
    struct hs_err err = {0};
    char long_unit[HS_UNIT_MAX + 2];

    assert_int_equal(hs_sess_unit_set(fx->s, "nope", "m", "GeV", NULL, &err), HS_ENOTFOUND);
    assert_int_equal(hs_sess_unit_set(fx->s, "a", "m", "G\neV", NULL, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "control character"));
    memset(long_unit, 'x', sizeof long_unit - 1);
    long_unit[sizeof long_unit - 1] = '\0';
    assert_int_equal(hs_sess_unit_set(fx->s, "a", "m", long_unit, NULL, &err), HS_EUSAGE);
    assert_string_equal(got(fx->s, "a", "m"), "-|-");
}

/* Inside the caller's transaction, a rollback takes the units back. */
static void
test_transactional(void **state)
{
    struct fixture *fx = *state;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_unit_set(fx->s, "a", "m", "GeV", NULL, &err), HS_OK);
    assert_int_equal(hs_sess_begin(fx->s, &err), HS_OK);
    assert_int_equal(hs_sess_unit_set(fx->s, "a", "m", "TeV", "x", &err), HS_OK);
    assert_int_equal(hs_sess_unit_set(fx->s, "a", "q", "e", NULL, &err), HS_OK);
    assert_string_equal(got(fx->s, "a", "m"), "TeV|x");
    hs_sess_rollback(fx->s);
    assert_string_equal(got(fx->s, "a", "m"), "GeV|-");
    assert_string_equal(got(fx->s, "a", "q"), "-|-");
}

/* Keyed by the dataset's id: a rename keeps them, a drop takes them. */
static void
test_rename_drop(void **state)
{
    struct fixture *fx = *state;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_unit_set(fx->s, "a", "m", "GeV", NULL, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_rename(fx->s, "a", "c", &err), HS_OK);
    assert_string_equal(got(fx->s, "c", "m"), "GeV|-");
    assert_int_equal(hs_sess_dataset_drop(fx->s, "c", &err), HS_OK);
    assert_int_equal(hs_sess_unit_set(fx->s, "b", "m", "cm", NULL, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_rename(fx->s, "b", "a", &err), HS_OK);
    /* A new dataset of the old name does not inherit the dropped one's. */
    assert_string_equal(got(fx->s, "a", "m"), "cm|-");
}

static void
test_labels(void **state)
{
    struct hs_feature_unit u = {"m", "GeV", NULL}, v = {"m", NULL, "m(ll)"};
    struct hs_featlabel fl;
    char buf[HS_AXISLABEL_MAX];
    static const struct {
        double w;
        const char *text;
    } widths[] = {
        {0.05, "0.05"},       {0.049999999999, "0.05"}, {0.1 / 3, "0.0333"}, {2.5, "2.5"},
        {1.0, "1"},           {10, "10"},               {1234.5, "1234"},    {0.125, "0.125"},
        {1e-6, "1e-06"},      {2.5e7, "2.5e+07"},       {-0.5, "-0.5"},
    };

    (void)state;
    hs_featlabel_make("m", &u, &fl);
    assert_string_equal(fl.axis, "m [GeV]");
    assert_string_equal(fl.unit, "GeV");
    hs_featlabel_make("m", &v, &fl);
    assert_string_equal(fl.axis, "m(ll)");
    assert_string_equal(fl.unit, "");
    hs_featlabel_make("m", NULL, &fl);
    assert_string_equal(fl.axis, "m");
    assert_string_equal(hs_featlabel_text("m", &v), "m(ll)");
    assert_string_equal(hs_featlabel_text("m", &u), "m");
    for (size_t i = 0; i < sizeof widths / sizeof *widths; i++) {
        hs_axislabel_width(widths[i].w, buf, sizeof buf);
        assert_string_equal(buf, widths[i].text);
    }
    hs_axislabel_events(0.05, "GeV", HS_YLABEL_EVENTS, buf, sizeof buf);
    assert_string_equal(buf, "Events / 0.05 GeV");
    hs_axislabel_events(0.05, "", HS_YLABEL_EVENTS, buf, sizeof buf);
    assert_string_equal(buf, "Events / 0.05");
    hs_axislabel_events(0.05, "GeV", HS_YLABEL_FRACTION, buf, sizeof buf);
    assert_string_equal(buf, "Fraction of events / 0.05 GeV");
    hs_axislabel_events(NAN, "GeV", HS_YLABEL_EVENTS, buf, sizeof buf);
    assert_string_equal(buf, "Events / bin");
    hs_axislabel_events(0.05, "GeV", HS_YLABEL_DENSITY, buf, sizeof buf);
    assert_string_equal(buf, "Probability density [1/GeV]");
    hs_axislabel_events(0.05, NULL, HS_YLABEL_DENSITY, buf, sizeof buf);
    assert_string_equal(buf, "Probability density");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_set_get_list_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactional, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename_drop, setup, teardown),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
