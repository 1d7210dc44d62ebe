/* scatter.h: a scatter figure of two columns of a dataset's events,
 * coloured by a choice of the user's; shared by `plot scatter` and
 * `project -o`.
 *
 * --color names what colours the points:
 *   label       signal and background (the default when the data are
 *               labelled; unlabelled data are one colour);
 *   group       the group column (the HNL mass of the demo), a colour per
 *               group value (the 11 most frequent among the drawn
 *               events, ties by the smaller value; the rest "other");
 *   any column or feature, a clustering's or a model's learned column
 *   included: one with at most 11 distinct values among the drawn events,
 *   or a text one, is categories (a clustering's clusters), anything else
 *   is cut in up to five bands of about equal counts of the drawn events
 *   (a model's score), a run of tied values never split.
 * Everything is counted over the events drawn (after --where and the
 * subsample), not the whole dataset: a map of 2,000 events is coloured by
 * what it shows.  Categories take the palette's 11 category colours
 * (none a role's: signal, background, "other"), bands viridis, low to
 * high (plots/palette.h).
 * Each colour is a series of its own, so the legend names it.  Above
 * max_points points, a stratified subsample (src/subsample.h) of that
 * many is drawn and the figure says so; dense figures get a low alpha so
 * that density shows.
 */
#ifndef HS_UI_SCATTER_H
#define HS_UI_SCATTER_H

#include <stddef.h>
#include <stdint.h>

#include "featureset.h"
#include "plots/figure.h"
#include "ui/cmd.h"

#define HS_SCATTER_MAX_POINTS 100000

/* The usage of the --color option. */
#define HS_SCATTER_COLOR_HELP                                                                      \
    "colour the points by label, group, or any column (a clustering, a model's score)"

struct hs_scatter_spec {
    const double *x, *y;       /* fs->t->nrows values each */
    const unsigned char *mask; /* the events to draw, or NULL for all */
    const char *color;         /* --color, or NULL for the default */
    const char *xlabel, *ylabel, *title;
    size_t max_points;         /* 0: HS_SCATTER_MAX_POINTS */
    uint64_t seed;             /* of the subsample above max_points */
};

/* The figure (new, hs_figure_free) of sp over fs's events; errors in
 * cmd->err (HS_ENOTFOUND for an unknown --color with a did-you-mean,
 * HS_EUSAGE for `label` or `group` without such a column, HS_EDATA when
 * no event has both coordinates). */
int hs_scatter_figure(struct hs_cmd *cmd, struct hs_featureset *fs,
                      const struct hs_scatter_spec *sp, struct hs_figure **out);

#endif
