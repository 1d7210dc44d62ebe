/* select.h: --where EXPR and --cut CUTSET, the selection that every
 * command reading events takes (DESIGN.md), from a parsed command to a
 * row mask (the engine's part is src/rowsel.h).
 *
 * An event is selected when EXPR (any column or derived feature, the
 * language of expr.h) is true, non-zero and not missing, and it passes
 * every cut of the stored cut set CUTSET; a grid cut set (the optimiser's
 * boxes) is addressed one box at a time as NAME@TARGET, as `cut flow`
 * does.  Both given: both must hold.  A selection that keeps no event is
 * an error (HS_EDATA), never an empty result.
 *
 * Giving a command the options takes two lines: HS_SELECT_OPTS in its
 * option table, and after its events are loaded either
 *
 *     rc = hs_select_loaded(cmd, app, &ld, &sel);    narrow the events
 *
 * for a command that looks at all of a dataset's events (statistics,
 * plots, export), or, for one that works on a split part's mask,
 *
 *     rc = hs_select_init(cmd, app, &ld.fs, &sel);   the mask
 *     ...
 *     rc = hs_select_and(cmd, &sel, &mask, &nrows, "the test part");
 *
 * and hs_select_release(&sel) at the end.  Errors go to cmd->err: a
 * --where that does not compile says "--where: ..." with a caret under
 * the faulty character; an unknown cut set has the session's did-you-mean.
 */
#ifndef HS_UI_SELECT_H
#define HS_UI_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "cuts.h"
#include "featureset.h"
#include "plots/figure.h"
#include "sessions/results.h"
#include "ui/cmd.h"
#include "ui/loaded.h"

/* The two options, for an option table (struct hs_opt_spec[]). */
/* clang-format off */
#define HS_SELECT_OPTS \
    {"where", 0, HS_OPT_VALUE, "EXPR", \
     "only the events where EXPR is true (non-zero and not missing)"}, \
    {"cut", 0, HS_OPT_VALUE, "CUTSET", \
     "only the events that pass the stored cut set (NAME@TARGET: a grid's box)"}
/* clang-format on */

/* The usage words of the options, for an entry's usage line. */
#define HS_SELECT_USAGE "[--where 'EXPR'] [--cut CUTSET]"

struct hs_select {
    bool active;          /* --where or --cut was given */
    unsigned char *mask;  /* nrows bytes, 1 for a selected event; NULL when not active */
    size_t nsel, nrows;   /* events selected, events of the dataset */
    char text[320];       /* what was selected: "doca < 0.01", "cut set 'mine'", or both
                             joined by " and "; "" when not active */
    /* private */
    const char *where;    /* borrowed from the command (or the caller) */
    const char *cut;      /* likewise */
    struct hs_cutset cuts;
    bool has_cuts;
};

/* The selection of cmd's --where and --cut over fs's table (cmd->dataset's
 * events): sel->mask and the counts.  Without either option sel is
 * inactive (mask NULL, nsel = nrows) and nothing is computed.  The cut
 * set is loaded from app->sess.  Release sel in any case. */
int hs_select_init(struct hs_cmd *cmd, struct hs_app *app, struct hs_featureset *fs,
                   struct hs_select *sel);
void hs_select_release(struct hs_select *sel);
/* The same for a selection given as text rather than as cmd's options
 * (a stored model's): where and cut may each be NULL, and are borrowed
 * until sel is released. */
int hs_select_init_text(struct hs_cmd *cmd, struct hs_app *app, struct hs_featureset *fs,
                        const char *where, const char *cut, struct hs_select *sel);

/* The same selection on another dataset's feature set (plot hist --data):
 * the expression compiled there, the cut set's cuts as loaded for
 * cmd->dataset.  *mask is new (free()), NULL when sel is inactive; an
 * empty result is HS_EDATA naming `what` ("--data 'D'"). */
int hs_select_other(struct hs_cmd *cmd, const struct hs_select *sel, struct hs_featureset *fs,
                    const char *what, unsigned char **mask, size_t *nsel);

/* hs_select_init, then the loaded events narrowed to the selection in
 * place (hs_rowsel_keep): ld->t->nrows becomes sel->nsel and the derived
 * features are computed over the kept events. */
int hs_select_loaded(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                     struct hs_select *sel);

/* AND the selection into a part's mask (*mask NULL: every event, then it
 * becomes a copy of the selection), *nrows the events left; nothing when
 * sel is inactive.  None left is HS_EDATA: "the selection (TEXT) keeps
 * no events of <part>". */
int hs_select_and(struct hs_cmd *cmd, const struct hs_select *sel, unsigned char **mask,
                  size_t *nrows, const char *part);

/* "selection: TEXT (N of M events)" into buf; "" when inactive. */
void hs_select_note(const struct hs_select *sel, char *buf, size_t size);
/* The note as a line on cmd->out; nothing when inactive. */
void hs_select_say(struct hs_cmd *cmd, const struct hs_select *sel);
/* The note on a figure: appended to its free text, or to its title with
 * in_title (heat maps, whose free text would sit on the cells).  HS_OK
 * or HS_ENOMEM. */
int hs_select_figure(struct hs_cmd *cmd, const struct hs_select *sel, struct hs_figure *f,
                     bool in_title);

/* ---- cut sets by name, shared with `cut flow` and `cut export` ---- */

/* Load NAME, or NAME@TARGET for a grid's box nearest that target signal
 * efficiency: rec is filled (release it) and *point is the chosen box.
 * A grid without '@' is HS_EUSAGE listing its targets. */
int hs_select_cutset_load(struct hs_cmd *cmd, struct hs_app *app, const char *arg,
                          struct hs_cutset_rec *rec, size_t *point);
/* Compile the expression cuts of cs against fs, so that a faulty one is
 * reported as "cut N: ..." with a caret under the character. */
int hs_select_check_cuts(struct hs_cmd *cmd, const struct hs_featureset *fs,
                         const struct hs_cutset *cs);
/* Append to err->msg the text it is about and a caret under err->col, the
 * way a compiler shows it (nothing when the column is unknown). */
void hs_select_caret(struct hs_err *err, const char *text);

#endif
