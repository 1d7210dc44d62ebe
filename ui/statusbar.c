#include "config.h"

#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/keys.h"

/* The tabs from x on, one per view: the key that shows it and its name;
 * compact: only the current view's name, the others by their key.
 * Returns the columns used. */
static int
draw_tabs(const struct hs_tui *tui, struct hs_screen *s, int x, int y, bool compact)
{
    int x0 = x;

    for (size_t v = 0; v < tui->nviews; v++) {
        const char *name = tui->views[v].cls->name;
        bool on = (size_t)tui->view == v;
        char tab[64], cmd[64];
        const char *key;
        snprintf(cmd, sizeof cmd, "view %s", name);
        key = hs_keys_key_for("global", cmd);
        if (compact && !on)
            snprintf(tab, sizeof tab, "%s", key ? key : name);
        else
            snprintf(tab, sizeof tab, "%s%s%s", key ? key : "", key ? " " : "", name);
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

/* Where the cursor is, in words, for the left of the status line: the
 * shown view says. */
static void
position(const struct hs_tui *tui, char *buf, size_t size)
{
    const struct hs_view *v = (size_t)tui->view < tui->nviews ? &tui->views[tui->view] : NULL;

    buf[0] = '\0';
    if (!v || !v->cls->status)
        return;
    if (tui->table || (v->cls->without_dataset && tui->nds))
        v->cls->status(tui, v, buf, size);
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

/* The active selection after the position, on the views that compute
 * over it: the hints go first when it needs their room; when even then
 * not some of its expression fits beside the position, it takes the
 * position's place (the view shows where its cursor is anyway). */
static void
draw_selection(const struct hs_tui *tui, struct hs_screen *s, int y, const char *left, int *rw)
{
    const struct hs_view *v = (size_t)tui->view < tui->nviews ? &tui->views[tui->view] : NULL;
    const struct hs_select *sel = &tui->where.sel;
    char what[sizeof sel->text + 128];
    int x = hs_text_width(left) + 2;

    if (!v || !v->cls->selection || !hs_where_active(&tui->where) || !tui->table)
        return;
    hs_where_describe(sel->text, sel->nsel, sel->nrows, s->w, what, sizeof what);
    if (x + hs_text_width(what) + 1 > s->w - *rw) {
        *rw = 0;
        hs_where_describe(sel->text, sel->nsel, sel->nrows, s->w - x - 1, what, sizeof what);
        if (strncmp(what, "where ", 6) != 0) {
            x = 1;
            hs_screen_fill(s, 0, y, s->w, 1, HS_COLOR_STATUS, 0);
            hs_where_describe(sel->text, sel->nsel, sel->nrows, s->w - 2, what, sizeof what);
        }
    }
    hs_screen_put(s, x, y, s->w - *rw - x, what, HS_COLOR_STATUS, HS_ATTR_BOLD);
}

void
hs_caret_draw(const struct hs_tui *tui, struct hs_screen *s, int y)
{
    const char *text = tui->caret.text;
    size_t at = 0;
    char *head;

    hs_screen_fill(s, 0, y, s->w, 2, HS_COLOR_NORMAL, 0);
    hs_screen_put(s, 1, y, s->w - 1, text, HS_COLOR_NORMAL, HS_ATTR_BOLD);
    /* The caret under character col (1-based; one past the end for "unexpected end"). */
    for (int c = 1; c < tui->caret.col && text[at]; c++) {
        at++;
        while (((unsigned char)text[at] & 0xc0) == 0x80)
            at++;
    }
    if (!(head = strndup(text, at)))
        return;
    if (1 + hs_text_width(head) < s->w)
        hs_screen_put(s, 1 + hs_text_width(head), y + 1, 1, "^", HS_COLOR_ERROR, HS_ATTR_BOLD);
    free(head);
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
        draw_selection(tui, s, y, left, &rw);
    }
    if (rw)
        hs_screen_put(s, s->w - rw, y, rw, right, HS_COLOR_STATUS, 0);
}
