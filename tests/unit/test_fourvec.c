/* Unit tests of particle finding among column names (src/fourvec.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fourvec.h"

static void
test_cms_dimuon(void **state)
{
    /* The header of the CMS open-data dimuon files. */
    const char *names[] = {"Run", "Event", "Type1", "E1",   "px1",  "py1", "pz1",
                           "pt1", "eta1",  "phi1",  "Q1",   "Type2", "E2",  "px2",
                           "py2", "pz2",   "pt2",   "eta2", "phi2", "Q2",  "M"};
    struct hs_particle *p;
    size_t n;

    (void)state;
    assert_int_equal(hs_fourvec_find(names, 21, &p, &n, NULL), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].key, "1");
    assert_string_equal(p[1].key, "2");
    assert_true(p[0].has_cartesian && p[0].has_polar);
    assert_int_equal(p[0].col[HS_FV_E], 3);
    assert_int_equal(p[1].col[HS_FV_PZ], 15);
    assert_int_equal(p[1].col[HS_FV_PHI], 18);
    hs_particles_free(p, n);
}

static void
test_ship_names(void **state)
{
    const char *names[] = {"E_mu_plus",    "E_mu_minus",    "p_mu_plus_x", "p_mu_minus_x",
                           "p_mu_plus_y",  "p_mu_minus_y",  "p_mu_plus_z", "p_mu_minus_z",
                           "vx",           "vy",            "vz",          "doca",
                           "ip",           "HNL_mass",      "Truth"};
    struct hs_particle *p;
    size_t n;

    (void)state;
    assert_int_equal(hs_fourvec_find(names, 15, &p, &n, NULL), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].key, "mu_plus");
    assert_string_equal(p[1].key, "mu_minus");
    assert_int_equal(p[0].col[HS_FV_E], 0);
    assert_int_equal(p[0].col[HS_FV_PX], 2);
    assert_int_equal(p[1].col[HS_FV_PZ], 7);
    assert_true(p[1].has_cartesian && !p[1].has_polar);
    hs_particles_free(p, n);
}

static void
test_other_spellings(void **state)
{
    /* Key before the component, camel case, and pt/eta/phi only. */
    const char *names[] = {"mu_px", "mu_py", "mu_pz", "mu_E", "jetPt", "jetEta", "jetPhi",
                           "HoverE1", "sigmaEtaEta1", "eta", "px"};
    struct hs_particle *p;
    size_t n;

    (void)state;
    assert_int_equal(hs_fourvec_find(names, 11, &p, &n, NULL), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].key, "mu");
    assert_true(p[0].has_cartesian);
    assert_string_equal(p[1].key, "jet");
    assert_true(p[1].has_polar && !p[1].has_cartesian);
    hs_particles_free(p, n);
}

static void
test_suggest(void **state)
{
    const char *names[] = {"E1", "px1", "py1", "pz1", "E2", "px2", "py2", "pz2", "m_1_2"};
    struct hs_suggestion *s;
    size_t n;
    int found_pt = 0;

    (void)state;
    assert_int_equal(hs_fourvec_suggest(names, 9, &s, &n, NULL), HS_OK);
    /* Six pair quantities, less the mass that is already a column. */
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_true(strcmp(s[i].name, "m_1_2") != 0);
        if (strcmp(s[i].name, "pt_1_2") == 0) {
            assert_string_equal(s[i].expr, "pt(px1+px2,py1+py2)");
            found_pt = 1;
        }
    }
    assert_true(found_pt);
    hs_suggestions_free(s, n);
}

static void
test_polar_pair_and_quoting(void **state)
{
    const char *names[] = {"pt 1", "eta 1", "phi 1", "pt2", "eta2", "phi2"};
    struct hs_suggestion *s;
    size_t n;

    (void)state;
    assert_int_equal(hs_fourvec_suggest(names, 6, &s, &n, NULL), HS_OK);
    assert_int_equal(n, 4);
    assert_string_equal(s[2].name, "dphi_1_2");
    assert_string_equal(s[2].expr, "dphi(`phi 1`,phi2)");
    hs_suggestions_free(s, n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cms_dimuon),     cmocka_unit_test(test_ship_names),
        cmocka_unit_test(test_other_spellings), cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_polar_pair_and_quoting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
