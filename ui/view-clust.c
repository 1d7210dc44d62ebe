/* view-clust.c: the clusters view's state and drawing (view-clust.h).
 *
 * Top: the form (method, covariance, K range, column) and the fit's
 * progress bar or how the last one ended.  Then the table of K with the
 * log-likelihood per event, BIC and AIC (the numbers `cluster --csv`
 * prints), the cursor on one K, beside the plot of BIC and AIC against
 * K drawn by the terminal renderer every view uses (plots/canvas.h), the
 * cursor's K marked.  Under them the clusters of that K, and the purity
 * and ARI per signal group as far as the height allows.
 */
#include "config.h"

#include "ui/view-clust.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/canvas.h"
#include "ui/keys.h"

#define PLOT_MIN_W 24

void
hs_clust_view_init(struct hs_clust_view *cv)
{
    memset(cv, 0, sizeof *cv);
    cv->lo = 2;
    cv->hi = 8;
    cv->progress = -1;
    snprintf(cv->name, sizeof cv->name, "clusters");
}

void
hs_clust_result_free(struct hs_clust_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->tab && i < r->fits.n; i++)
        hs_cluster_table_release(&r->tab[i]);
    free(r->tab);
    for (size_t i = 0; r->keys && i < r->fits.n; i++)
        free(r->keys[i]);
    free(r->keys);
    if (r->fits.method)
        hs_cluster_fits_release(&r->fits);
    if (r->job && r->job_free)
        r->job_free(r->job);
    free(r);
}

void
hs_clust_view_release(struct hs_clust_view *cv)
{
    hs_clust_result_free(cv->res);
    cv->res = NULL;
}

void
hs_clust_view_set(struct hs_clust_view *cv, struct hs_clust_result *r)
{
    hs_clust_result_free(cv->res);
    cv->res = r;
    cv->cur = r ? r->fits.chosen : 0;
}

const char *
hs_clust_view_method(const struct hs_clust_view *cv)
{
    return cv->kmeans ? "kmeans" : "gmm";
}

void
hs_clust_range_text(size_t lo, size_t hi, char *buf, size_t size)
{
    if (lo == hi)
        snprintf(buf, size, "%zu", lo);
    else
        snprintf(buf, size, "%zu..%zu", lo, hi);
}

void
hs_clust_view_words(const struct hs_clust_view *cv, char *buf, size_t size)
{
    char range[48];

    hs_clust_range_text(cv->lo, cv->hi, range, sizeof range);
    snprintf(buf, size, "%s %s --k %s", hs_clust_view_method(cv), cv->name, range);
    if (!cv->kmeans) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, " --covariance %s", cv->diag ? "diag" : "full");
    }
}

int
hs_clust_view_set_range(struct hs_clust_view *cv, const char *text, struct hs_err *err)
{
    return hs_cluster_range_parse(text, "K", &cv->lo, &cv->hi, err);
}

void
hs_clust_view_title(const struct hs_clust_view *cv, char *buf, size_t size)
{
    const struct hs_clust_result *r = cv->res;

    if (!r) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, size, "%s%s%s%s of '%s': column %s, %zu events", r->method,
             r->covariance[0] ? " (" : "", r->covariance,
             r->covariance[0] ? " covariance)" : "", r->dataset, r->name, r->nfit);
}

int
hs_clust_view_figure(const struct hs_clust_view *cv, bool titled, struct hs_figure **out,
                     struct hs_err *err)
{
    const struct hs_clust_result *r = cv->res;
    char title[300];

    *out = NULL;
    if (!r || r->fits.n == 0)
        return hs_err_set(err, HS_EUSAGE, "nothing to save yet: f fits the clusters");
    hs_clust_view_title(cv, title, sizeof title);
    return hs_cluster_criteria_figure(r->fits.f, r->fits.n, r->fits.f[cv->cur].k,
                                      titled ? title : NULL, out, err);
}

/* ---- drawing ---- */

/* A number by fmt, "-" when there is none. */
static void
num(double v, const char *fmt, char *buf, size_t size)
{
    if (isfinite(v))
        snprintf(buf, size, fmt, v);
    else
        snprintf(buf, size, "-");
}

/* The key the key table gives command in this view, for the hints. */
static const char *
key_of(const char *command)
{
    const char *k = hs_keys_key_for("clust", command);

    return k ? k : "?";
}

static void
draw_form(struct hs_clust_view *cv, const char *dsname, struct hs_screen *s, int x, int y, int w)
{
    char line[400], range[48];

    hs_clust_range_text(cv->lo, cv->hi, range, sizeof range);
    snprintf(line, sizeof line, "Clusters of '%s'", dsname ? dsname : "");
    hs_screen_put(s, x + 1, y, w - 1, line, HS_COLOR_HEADER, HS_ATTR_BOLD);
    snprintf(line, sizeof line, "method %s (%s)  covariance %s (%s)  K %s (%s %s)  column %s (%s)",
             hs_clust_view_method(cv), key_of("clust-method"),
             cv->kmeans ? "-" : cv->diag ? "diag" : "full", key_of("clust-covariance"), range,
             key_of("clust-range more"), key_of("clust-range fewer"), cv->name,
             key_of("prompt clust-name"));
    hs_screen_put(s, x + 1, y + 1, w - 1, line, HS_COLOR_NORMAL, 0);
}

/* The fit's progress as a bar, or how the last one ended, or a hint. */
static void
draw_state(struct hs_clust_view *cv, const char *dsname, struct hs_screen *s, int x, int y,
           int w)
{
    char line[600];

    if (cv->job) {
        int bw = w / 4 < 10 ? 10 : w / 4 > 30 ? 30 : w / 4, fill;
        double p = cv->progress >= 0 && cv->progress <= 1 ? cv->progress : 0;
        char bar[40];
        fill = (int)(p * bw + 0.5);
        for (int i = 0; i < bw; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[bw] = '\0';
        snprintf(line, sizeof line, "[%s] %3.0f%%  %s  %s", bar, 100 * p,
                 cv->stopping ? "cancelling..." : cv->what,
                 cv->stopping ? "" : "(Esc cancels)");
        hs_screen_put(s, x + 1, y, w - 1, line, HS_COLOR_SELECTION, HS_ATTR_BOLD);
        return;
    }
    /* Another dataset shown since: the result is not of it. */
    if (cv->res && dsname && strcmp(cv->res->dataset, dsname) != 0) {
        snprintf(line, sizeof line, "below: the clusters of '%s'; %s fits '%s'",
                 cv->res->dataset, key_of("clust-fit"), dsname);
        hs_screen_put(s, x + 1, y, w - 1, line, HS_COLOR_HEADER, 0);
        return;
    }
    if (cv->msg[0]) {
        hs_screen_put(s, x + 1, y, w - 1, cv->msg, cv->msg_error ? HS_COLOR_ERROR : HS_COLOR_DIM,
                      0);
        return;
    }
    snprintf(line, sizeof line, "%s fits every K of the range and stores the %s's "
                                "clusters as the column",
             key_of("clust-fit"), cv->kmeans ? "highest silhouette" : "lowest BIC");
    hs_screen_put(s, x + 1, y, w - 1, line, HS_COLOR_DIM, 0);
}

/* The K table's columns: all (wide), without the log-likelihood
 * (narrow), or k-means's inertia. */
enum ktable_cols { KT_FULL, KT_SHORT, KT_INERTIA };

static const int ktable_w[] = {42, 31, 20}; /* with the chosen mark */

static enum ktable_cols
ktable_cols(const struct hs_clust_result *r, int w)
{
    if (r->fits.n == 0 || !isfinite(r->fits.f[0].bic))
        return KT_INERTIA;
    return w >= 80 ? KT_FULL : KT_SHORT;
}

/* One row of the K table (i < 0: its header) into buf. */
static void
ktable_row(const struct hs_clust_result *r, enum ktable_cols cols, long i, char *buf,
           size_t size)
{
    const struct hs_cluster_kfit *f = i >= 0 ? &r->fits.f[i] : NULL;
    char k[16], a[32], b[32], c[32];
    const char *mark = f && (size_t)i == r->fits.chosen ? " *" : "";

    if (!f) {
        snprintf(k, sizeof k, "K");
        snprintf(a, sizeof a, "loglik/ev");
        snprintf(b, sizeof b, "%s", cols == KT_INERTIA ? "inertia" : "BIC");
        snprintf(c, sizeof c, "AIC");
    } else {
        snprintf(k, sizeof k, "%zu", f->k);
        num(f->loglik / (double)r->fits.nfit, "%.6g", a, sizeof a);
        num(cols == KT_INERTIA ? f->inertia : f->bic, "%.6g", b, sizeof b);
        num(f->aic, "%.6g", c, sizeof c);
    }
    if (cols == KT_FULL)
        snprintf(buf, size, "%3s %10s %11s %11s%s", k, a, b, c, mark);
    else if (cols == KT_SHORT)
        snprintf(buf, size, "%3s %11s %11s%s", k, b, c, mark);
    else
        snprintf(buf, size, "%3s %11s%s", k, b, mark);
}

/* The table of K; the cursor's row reversed. */
static void
draw_ktable(struct hs_clust_view *cv, enum ktable_cols cols, struct hs_screen *s, int x, int y,
            int w, int h)
{
    const struct hs_clust_result *r = cv->res;
    size_t top = 0, rows = h > 1 ? (size_t)(h - 1) : 0;
    char line[128];

    ktable_row(r, cols, -1, line, sizeof line);
    hs_screen_put(s, x + 1, y, w - 1, line, HS_COLOR_HEADER, HS_ATTR_BOLD);
    if (rows && cv->cur >= rows)
        top = cv->cur - rows + 1;
    for (size_t i = top; i < r->fits.n && (int)(i - top) + 1 < h; i++) {
        ktable_row(r, cols, (long)i, line, sizeof line);
        hs_screen_put(s, x + 1, y + 1 + (int)(i - top), w - 1, line, HS_COLOR_NORMAL,
                      i == cv->cur ? HS_ATTR_REVERSE : 0);
    }
}

static void
draw_plot(struct hs_clust_view *cv, int mode, struct hs_screen *s, int x, int y, int w, int h)
{
    struct hs_figure *f = NULL;
    struct hs_canvas *c = NULL;
    struct hs_err err;
    char msg[HS_PLOT_MSG_MAX];

    hs_err_clear(&err);
    if (w < PLOT_MIN_W || h < 5)
        return;
    if (hs_clust_view_figure(cv, false, &f, &err) != HS_OK) {
        hs_screen_put(s, x + 1, y, w - 1, err.msg, HS_COLOR_ERROR, 0);
        return;
    }
    if ((c = hs_screen_canvas(s, w, h, mode, msg)) != NULL && hs_canvas_render(c, f, msg) == 0)
        hs_screen_put_canvas(s, c, x, y);
    else
        hs_screen_put(s, x + 1, y, w - 1, msg, HS_COLOR_ERROR, 0);
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* The clusters of the cursor's K, then the per-group rows that fit. */
static void
draw_clusters(struct hs_clust_view *cv, struct hs_screen *s, int x, int y, int w, int h)
{
    const struct hs_clust_result *r = cv->res;
    const struct hs_cluster_table *t = &r->tab[cv->cur];
    const struct hs_clusterq *q = &t->q;
    int yy = y, end = y + h;
    char a[32], b[32], line[300];

    if (h < 2)
        return;
    snprintf(line, sizeof line, "K = %zu%s: %zu clusters of %zu events", r->fits.f[cv->cur].k,
             cv->cur != r->fits.chosen                ? ""
             : isfinite(r->fits.f[cv->cur].bic)       ? " (lowest BIC)"
             : r->fits.f[cv->cur].inertia > 0         ? " (highest silhouette)"
                                                      : "",
             q->nclusters, q->n);
    if (r->stored_k == r->fits.f[cv->cur].k)
        snprintf(line + strlen(line), sizeof line - strlen(line), ", stored as column %s",
                 r->name);
    else
        snprintf(line + strlen(line), sizeof line - strlen(line), " (%s stores it as %s)",
                 key_of("clust-store"), r->name);
    hs_screen_put(s, x + 1, yy++, w - 1, line, HS_COLOR_HEADER, HS_ATTR_BOLD);
    /* Without a label: the sizes alone. */
    if (q->nlabelled == 0)
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, 0, "%7s %8s", "cluster",
                         "events");
    else
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, 0, "%7s %8s %8s %10s %7s %9s",
                         "cluster", "events", "signal", "background", "purity", "sig.frac");
    for (size_t c = 0; c < q->nclusters && yy < end - 1; c++) {
        const struct hs_cluster_stats *k = &q->cluster[c];
        num(k->purity, "%.4f", a, sizeof a);
        num(k->signal_fraction, "%.4f", b, sizeof b);
        if (q->nlabelled == 0)
            hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_NORMAL, 0, "%7ld %8zu", k->id + 1,
                             k->size);
        else
            hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_NORMAL, 0,
                             "%7ld %8zu %8zu %10zu %7s %9s", k->id + 1, k->size, k->nsignal,
                             k->nbackground, a, b);
    }
    if (yy >= end || q->nlabelled == 0)
        return;
    num(q->purity, "%.4f", a, sizeof a);
    num(q->ari, "%.4f", b, sizeof b);
    snprintf(line, sizeof line, "purity %s, adjusted Rand index %s against the label", a, b);
    hs_screen_put(s, x + 1, yy++, w - 1, line, HS_COLOR_NORMAL, HS_ATTR_BOLD);
    if (t->ngroups == 0 || yy + 2 > end)
        return;
    /* Per group: as many as fit, side by side in columns of 26. */
    snprintf(line, sizeof line, "per %s (its signal against all the background): purity, ARI",
             t->group_column);
    hs_screen_put(s, x + 1, yy++, w - 1, line, HS_COLOR_HEADER, 0);
    {
        int per = (w - 1) / 26 > 0 ? (w - 1) / 26 : 1, rows = end - yy;
        size_t shown = 0;
        for (size_t g = 0; g < t->ngroups && (int)(g / (size_t)per) < rows; g++) {
            const struct hs_cluster_group_row *gr = &t->group[g];
            bool last = (int)(g / (size_t)per) == rows - 1 && (int)(g % (size_t)per) == per - 1 &&
                        g + 1 < t->ngroups;
            num(gr->purity, "%.4f", a, sizeof a);
            num(gr->ari, "%.4f", b, sizeof b);
            if (last)
                snprintf(line, sizeof line, "(%zu more)", t->ngroups - g);
            else
                snprintf(line, sizeof line, "%-6.6s %s %s", gr->name, a, b);
            hs_screen_put(s, x + 1 + (int)(g % (size_t)per) * 26, yy + (int)(g / (size_t)per), 25,
                          line, last ? HS_COLOR_DIM : HS_COLOR_NORMAL, 0);
            shown++;
            if (last)
                break;
        }
        (void)shown;
    }
}

void
hs_clust_view_draw(struct hs_clust_view *cv, int mode, const char *dsname, struct hs_screen *s,
                   int x, int y, int w, int h)
{
    const struct hs_clust_result *r = cv->res;
    enum ktable_cols cols;
    int top, kh, ch, pw, kw;

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (h < 4)
        return;
    draw_form(cv, dsname, s, x, y, w);
    draw_state(cv, dsname, s, x, y + 2, w);
    if (!r) {
        char line[160];
        snprintf(line, sizeof line, "(no clustering yet: %s fits every K of the range,",
                 key_of("clust-fit"));
        /* Two short lines: one long one lost its end under 100 columns. */
        if (!cv->job) {
            hs_screen_put(s, x + 1, y + 4, w - 1, line, HS_COLOR_DIM, 0);
            hs_screen_put(s, x + 1, y + 5, w - 1,
                          " Gaussian mixtures or k-means on the enabled features, as "
                          "'hepscope cluster' does)",
                          HS_COLOR_DIM, 0);
        }
        return;
    }
    top = y + 3;
    /* The clusters below take their rows and a few of the groups'; the
     * K table and the plot the rest, at least the K table's rows. */
    ch = (int)r->tab[cv->cur].q.nclusters + 3 + (r->tab[cv->cur].ngroups ? 3 : 0);
    kh = y + h - top - ch;
    if (kh < (int)r->fits.n + 1)
        kh = (int)r->fits.n + 1;
    if (kh < 6)
        kh = 6;
    if (kh > y + h - top)
        kh = y + h - top;
    ch = y + h - top - kh;
    cols = ktable_cols(r, w);
    kw = ktable_w[cols] < w ? ktable_w[cols] : w;
    draw_ktable(cv, cols, s, x, top, kw, kh);
    pw = w - kw - 1;
    draw_plot(cv, mode, s, x + kw + 1, top, pw, kh);
    if (ch > 0)
        draw_clusters(cv, s, x, top + kh, w, ch);
}
