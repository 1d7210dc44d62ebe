/* Unit tests of the projections view's pure parts (ui/view-proj.c): the
 * window, its zoom and the cursor that it follows; the box from two
 * marks, rounded as the selection and the cut set read it, and its
 * expression and --box text; and clicks mapped back to the map through
 * the plot area read from a rendered figure: a point's own cell must map
 * back to within half a cell of it, computed here from the window. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plots/canvas.h"
#include "plots/palette.h"
#include "ui/view-proj.h"

/* a within tol of b (this cmocka has no assert_double_equal). */
static void
near(double a, double b, double tol)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%.17g is not within %g of %.17g", a, tol, b);
}

/* A figure of a few points spread over [-10, 30] x [-2, 6]. */
static struct hs_figure *
points_figure(void)
{
    double x[5] = {-10, 0, 10, 20, 30}, y[5] = {-2, 6, 0, 4, 2};
    struct hs_figure *f = hs_figure_new();
    struct hs_series s = {0};

    assert_non_null(f);
    s.kind = HS_SERIES_SCATTER;
    s.label = "events";
    s.color = HS_PAL_SIGNAL;
    s.alpha = 1;
    s.n = 5;
    s.x = x;
    s.y = y;
    assert_non_null(hs_panel_add(&f->main, &s, NULL));
    return f;
}

static void
view_with_points(struct hs_proj_view *pv)
{
    memset(pv, 0, sizeof *pv);
    pv->zoom = 1;
    hs_proj_view_set_figure(pv, points_figure(), -10, 30, -2, 6, false);
}

static void
test_window_zoom_follow(void **state)
{
    struct hs_proj_view pv;
    double x0, x1, y0, y1;

    (void)state;
    view_with_points(&pv);
    hs_proj_view_window(&pv, &x0, &x1, &y0, &y1);
    /* Every point inside, centred, with a margin of 4% a side. */
    near(x0, 10 - 40 * 0.54, 1e-12);
    near(x1, 10 + 40 * 0.54, 1e-12);
    near(y0, 2 - 8 * 0.54, 1e-12);
    near(y1, 2 + 8 * 0.54, 1e-12);
    near(pv.cx, 10, 0);
    near(pv.cy, 2, 0);
    /* 40 steps cross the window: 8 steps right is a fifth of it. */
    hs_proj_view_move(&pv, 1, 0, 8);
    near(pv.cx, 10 + (x1 - x0) / 5, 1e-12);
    /* Zoom 2 about the cursor: half the spans, centred on it. */
    hs_proj_view_zoom(&pv, 2);
    hs_proj_view_window(&pv, &x0, &x1, &y0, &y1);
    near(x1 - x0, 40 * 0.54, 1e-12);
    near((x0 + x1) / 2, pv.cx, 1e-12);
    /* Far to the left: the window follows the cursor, edge on it. */
    hs_proj_view_move(&pv, -1, 0, 100);
    hs_proj_view_window(&pv, &x0, &x1, &y0, &y1);
    near(x0, pv.cx, 1e-9);
    /* Never below zoom 1; 0 shows everything again. */
    hs_proj_view_zoom(&pv, 0.01);
    near(pv.zoom, 1, 0);
    hs_proj_view_zoom(&pv, 0);
    hs_proj_view_window(&pv, &x0, &x1, &y0, &y1);
    near((x0 + x1) / 2, 10, 1e-12);
    hs_proj_view_release(&pv);
}

static void
test_box_from_marks(void **state)
{
    struct hs_proj_view pv;
    char buf[400];
    bool done;

    (void)state;
    view_with_points(&pv);
    pv.cx = 12.345678901;
    pv.cy = 3.25;
    hs_proj_view_mark(&pv, &done);
    assert_false(done);
    assert_int_equal(pv.marks, 1);
    /* The second corner left of and below the first: the box is sorted. */
    pv.cx = -1.0000004;
    pv.cy = -0.5;
    hs_proj_view_mark(&pv, &done);
    assert_true(done);
    assert_int_equal(pv.marks, 2);
    near(pv.box.x0, -1, 0);       /* six digits: -1.00000 */
    near(pv.box.x1, 12.3457, 0); /* 12.345678901 to six digits */
    near(pv.box.y0, -0.5, 0);
    near(pv.box.y1, 3.25, 0);
    hs_proj_box_spec(&pv.box, buf, sizeof buf);
    assert_string_equal(buf, "-1:12.3457,-0.5:3.25");
    hs_proj_box_expr("tsne", &pv.box, buf, sizeof buf);
    assert_string_equal(buf, "tsne_1 >= -1 && tsne_1 < 12.3457 && tsne_2 >= -0.5 && tsne_2 < 3.25");
    /* A third mark starts another box. */
    hs_proj_view_mark(&pv, &done);
    assert_false(done);
    assert_int_equal(pv.marks, 1);
    hs_proj_view_unmark(&pv);
    assert_int_equal(pv.marks, 0);
    hs_proj_view_release(&pv);
}

/* Draw, then click each point's cell: the map point returned lies within
 * half a cell (the window's span over the area's cells) of the point. */
static void
check_clicks(int mode, int w, int h)
{
    double px[5] = {-10, 0, 10, 20, 30}, py[5] = {-2, 6, 0, 4, 2};
    struct hs_screen *s = hs_screen_new(w, h);
    struct hs_proj_view pv;
    double x0, x1, y0, y1, mx, my;

    assert_non_null(s);
    view_with_points(&pv);
    hs_proj_view_draw(&pv, mode, "demo", s, 0, 0, w, h);
    assert_true(pv.aw > 10 && pv.ah > 3);
    assert_true(pv.ax > 0 && pv.ay > 0 && pv.ax + pv.aw <= w && pv.ay + pv.ah <= h);
    hs_proj_view_window(&pv, &x0, &x1, &y0, &y1);
    for (int i = 0; i < 5; i++) {
        int cx = pv.ax + (int)floor((px[i] - x0) / (x1 - x0) * pv.aw);
        int cy = pv.ay + (int)floor((y1 - py[i]) / (y1 - y0) * pv.ah);
        assert_true(hs_proj_view_hit(&pv, cx, cy, &mx, &my));
        assert_true(fabs(mx - px[i]) <= 0.5 * (x1 - x0) / pv.aw + 1e-9);
        assert_true(fabs(my - py[i]) <= 0.5 * (y1 - y0) / pv.ah + 1e-9);
    }
    /* The axes' labels are not the map. */
    assert_false(hs_proj_view_hit(&pv, 0, pv.ay, &mx, &my));
    assert_false(hs_proj_view_hit(&pv, pv.ax, pv.ay + pv.ah, &mx, &my));
    hs_proj_view_release(&pv);
    hs_screen_free(s);
}

static void
test_clicks_braille(void **state)
{
    (void)state;
    check_clicks(HS_CANVAS_BRAILLE, 80, 24);
    check_clicks(HS_CANVAS_BRAILLE, 130, 40);
}

static void
test_clicks_ascii(void **state)
{
    (void)state;
    check_clicks(HS_CANVAS_ASCII, 80, 24);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_zoom_follow),
        cmocka_unit_test(test_box_from_marks),
        cmocka_unit_test(test_clicks_braille),
        cmocka_unit_test(test_clicks_ascii),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
