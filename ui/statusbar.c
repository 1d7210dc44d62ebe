#include "config.h"

#include "ui/view.h"

#include <stdio.h>
#include <string.h>

#include "ui/keys.h"

/* The tabs from x on; compact: only the current view's name, the others
 * by their number.  Returns the columns used. */
static int
draw_tabs(const struct hs_tui *tui, struct hs_screen *s, int x, int y, bool compact)
{
    static const char *const tabs[HS_NVIEWS] = {"1 data", "2 stats", "3 datasets", "4 features",
                                                 "5 hist", "6 cuts", "7 roc",      "8 train"};
    int x0 = x;

    for (int v = 0; v < HS_NVIEWS; v++) {
        bool on = (int)tui->view == v;
        char tab[32];
        snprintf(tab, sizeof tab, "%.*s", compact && !on ? 1 : 31, tabs[v]);
        x += hs_screen_put(s, x, y, -1, compact ? "" : " ", HS_COLOR_STATUS, 0);
        x += hs_screen_put(s, x, y, -1, " ", on ? HS_COLOR_SELECTION : HS_COLOR_STATUS, 0);
        x += hs_screen_put(s, x, y, -1, tab, on ? HS_COLOR_SELECTION : HS_COLOR_STATUS,
                           on ? HS_ATTR_BOLD : 0);
        x += hs_screen_put(s, x, y, -1, " ", on ? HS_COLOR_SELECTION : HS_COLOR_STATUS, 0);
    }
    return x - x0;
}

void
hs_titlebar_draw(const struct hs_tui *tui, struct hs_screen *s, int y)
{
    int x = 0, full, infow;
    char info[160];
    size_t ncols = tui->data.ncols - tui->data.nextra;

    hs_screen_fill(s, 0, y, s->w, 1, HS_COLOR_STATUS, 0);
    x += hs_screen_put(s, x, y, -1, " hepscope ", HS_COLOR_STATUS, HS_ATTR_BOLD);
    /* The dataset's name and size matter more than the other tabs'
     * names: on a narrow screen those shrink to their numbers. */
    if (tui->dsname && tui->table)
        snprintf(info, sizeof info, "%s  %zu x %zu ", tui->dsname, tui->table->nrows, ncols);
    else
        info[0] = '\0';
    infow = hs_text_width(info);
    full = draw_tabs(tui, s, x, y, false);
    if (x + full + 2 + infow > s->w) {
        hs_screen_fill(s, x, y, s->w - x, 1, HS_COLOR_STATUS, 0);
        full = draw_tabs(tui, s, x, y, true);
    }
    x += full;
    if (!tui->dsname || !tui->table)
        return;
    /* The shown dataset at the right, as much of it as fits.  The size
     * counts the dataset's own columns, not the derived features shown. */
    snprintf(info, sizeof info, "%s  %zu x %zu ", tui->dsname, tui->table->nrows, ncols);
    if (hs_text_width(info) > s->w - x - 2)
        snprintf(info, sizeof info, "%s ", tui->dsname);
    if (hs_text_width(info) <= s->w - x - 2)
        hs_screen_put(s, s->w - hs_text_width(info), y, -1, info, HS_COLOR_STATUS, HS_ATTR_BOLD);
}

/* Where the cursor is, in words, for the left of the status line. */
static void
position(const struct hs_tui *tui, char *buf, size_t size)
{
    const char *col;
    char cell[128];

    buf[0] = '\0';
    if (!tui->table) {
        if (tui->view == HS_VIEW_DATASETS && tui->nds)
            snprintf(buf, size, " dataset %zu of %zu", tui->dssc.cur + 1, tui->nds);
        return;
    }
    switch (tui->view) {
    case HS_VIEW_DATA:
        col = hs_data_view_column(&tui->data);
        hs_data_view_cell(&tui->data, cell, sizeof cell);
        if (tui->table->nrows)
            snprintf(buf, size, " row %zu of %zu  %s = %s", tui->data.rows.cur + 1,
                     tui->table->nrows, col ? col : "", cell);
        else
            snprintf(buf, size, " no events");
        break;
    case HS_VIEW_STATS:
        col = hs_stats_view_column(&tui->stats);
        snprintf(buf, size, " column %zu of %zu  %s", tui->stats.sc.cur + 1,
                 tui->stats.nentries, col ? col : "");
        break;
    case HS_VIEW_DATASETS:
        snprintf(buf, size, " dataset %zu of %zu", tui->dssc.cur + 1, tui->nds);
        break;
    case HS_VIEW_FEATURES: {
        const struct hs_feature *f = hs_features_view_current(&tui->feat);
        if (f)
            snprintf(buf, size, " feature %zu of %zu  %s %s", tui->feat.sc.cur + 1, tui->feat.fs.n,
                     f->name, f->on ? "on" : "off");
        break;
    }
    case HS_VIEW_HIST: {
        long cur = hs_hist_view_current(&tui->hist, &tui->feat);
        if (tui->hist.msg[0])
            snprintf(buf, size, " %s", tui->hist.msg);
        else if (cur >= 0)
            snprintf(buf, size, " %s", tui->feat.fs.f[cur].name);
        break;
    }
    case HS_VIEW_CUTS: {
        const struct hs_cuts_view *cv = &tui->cuts;
        const char *f = hs_cuts_view_current(cv, &tui->feat);
        if (f)
            snprintf(buf, size, " feature %zu of %zu  %s  %s cut", cv->sc.cur + 1, cv->nrows, f,
                     cv->col ? "upper" : "lower");
        break;
    }
    case HS_VIEW_TRAIN: {
        const struct hs_train_view *tv = &tui->train;
        if (tv->job && tv->stopping)
            snprintf(buf, size, " stopping '%s' after this batch...", tv->model);
        else if (tv->job && tv->progress >= 0)
            snprintf(buf, size, " training '%s': %s  %3.0f%%  (Esc stops)", tv->model,
                     tv->what[0] ? tv->what : "", 100 * tv->progress);
        else if (tv->job)
            snprintf(buf, size, " training '%s'...  (Esc stops)", tv->model);
        else if (tv->page == HS_TPAGE_TRAIN && tv->sc.cur < HS_TRAIN_NFIELDS)
            snprintf(buf, size, " field %zu of %d  %s", tv->sc.cur + 1, HS_TRAIN_NFIELDS,
                     hs_train_field_name((enum hs_train_field)tv->sc.cur));
        break;
    }
    case HS_VIEW_ROC:
        if (tui->roc.ncurves)
            snprintf(buf, size, " %zu curve%s", tui->roc.ncurves,
                     tui->roc.ncurves == 1 ? "" : "s");
        break;
    default:
        break;
    }
}

/* "? help  : command  q quit", the keys read from the key table. */
static void
hints(const char *view, char *buf, size_t size)
{
    static const struct {
        const char *command, *word;
    } want[] = {{"keys", "help"}, {"prompt", "command"}, {"quit", "quit"}};
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *key = hs_keys_key_for(view, want[i].command);
        if (key && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s %s  ", key, want[i].word);
    }
}

void
hs_statusbar_draw(const struct hs_tui *tui, struct hs_screen *s, int y)
{
    char left[HS_ERR_MSG_MAX + 80], right[96];
    int rw, lw;

    hs_screen_fill(s, 0, y, s->w, 1, HS_COLOR_STATUS, 0);
    hints(hs_tui_focus(tui), right, sizeof right);
    rw = hs_text_width(right);
    if (tui->msg[0]) {
        snprintf(left, sizeof left, " %s ", tui->msg);
        lw = hs_text_width(left);
        /* A message wins over the hints: drop them when it needs the room. */
        if (lw > s->w - rw)
            rw = 0;
        /* Cut to the screen with a '~' to show that there was more. */
        hs_screen_put_field(s, 0, y, lw < s->w - rw ? lw : s->w - rw, left, HS_ALIGN_LEFT,
                            tui->msg_error ? HS_COLOR_ERROR : HS_COLOR_STATUS,
                            tui->msg_error ? HS_ATTR_BOLD : 0);
    } else {
        position(tui, left, sizeof left);
        if (hs_text_width(left) > s->w - rw)
            rw = 0;
        hs_screen_put(s, 0, y, s->w - rw, left, HS_COLOR_STATUS, 0);
    }
    if (rw)
        hs_screen_put(s, s->w - rw, y, rw, right, HS_COLOR_STATUS, 0);
}
