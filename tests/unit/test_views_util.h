/* test_views_util.h: what the view tests share: reading a screen's
 * lines, driving the TUI with keys, a labelled table, a stopwatch. */
#ifndef HS_TEST_VIEWS_UTIL_H
#define HS_TEST_VIEWS_UTIL_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "table.h"
#include "ui/keys.h"
#include "ui/screen.h"
#include "ui/view.h"

/* Line y of the screen's text (without the newline), in a static inline buffer. */
static const char *
line(const struct hs_screen *s, int y)
{
    static char buf[4096];
    char *text = hs_screen_text(s), *p = text;

    for (int i = 0; i < y && p; i++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    assert_non_null(p);
    snprintf(buf, sizeof buf, "%.*s", (int)strcspn(p, "\n"), p);
    free(text);
    return buf;
}

static inline bool
screen_has(const struct hs_screen *s, const char *needle)
{
    char *text = hs_screen_text(s);
    bool found = strstr(text, needle) != NULL;

    free(text);
    return found;
}

static inline void
keys(struct hs_tui *tui, const char *text)
{
    for (const char *c = text; *c; c++)
        hs_tui_key(tui, *c == '\n' ? HS_KEY_ENTER : (unsigned char)*c);
}

/* n events of x and y, signal when i % 4 == 0: signal x around 6,
 * background x spread over 0..9; y a parabola, the same in both. */
static inline struct hs_table *
hist_table(size_t n)
{
    struct hs_table *t = hs_table_new();
    struct hs_err err;
    size_t c;

    assert_non_null(t);
    assert_int_equal(hs_table_add_column(t, "x", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_add_column(t, "y", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_add_column(t, "Truth", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_reserve(t, n), HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t i = 0; i < n; i++) {
        bool sig = i % 4 == 0;
        t->cols[0].v[i] = sig ? 6 + 0.5 * (double)(i % 7) : 0.75 * (double)(i % 13);
        t->cols[1].v[i] = (double)((i * i) % 17);
        t->cols[2].v[i] = sig ? 1 : 0;
    }
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, &err), HS_OK);
    return t;
}

static inline double
ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

#endif
