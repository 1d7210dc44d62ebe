/* complete.h: Tab completion of a ':' line.
 *
 * What a word can be comes from the one command table (ui/cmd.c): the
 * first word is a command name (a family's: "cut"), the second of a
 * family its verb, a word starting with '-' one of the command's options
 * (its hs_opt_spec table and the global ones), an option's value a name
 * of the session by the option's metavar (CUTSET, MODEL, DATASET, COL:
 * features of the dataset shown, cut sets, models, datasets), and a
 * positional argument the lowercase words its usage line spells out
 * ("hist FEATURE", "lower|upper") or, where it says an uppercase NAME,
 * a feature, cut set or model.  Nothing here knows the TUI: the names
 * are handed in.
 */
#ifndef HS_COMPLETE_H
#define HS_COMPLETE_H

#include <stddef.h>

/* The names a line may use (owned; hs_complete_names_release). */
struct hs_complete_names {
    char **features, **cutsets, **models, **datasets;
    size_t nfeatures, ncutsets, nmodels, ndatasets;
};
void hs_complete_names_release(struct hs_complete_names *n);

struct hs_completion {
    size_t start;   /* byte offset in the line where the completed word starts */
    char **cands;   /* the words that fit, sorted, each once */
    size_t n;
    char *common;   /* their longest common beginning ("" when none) */
    int final;      /* a unique command, verb or name: a space may follow */
};

/* The completions of the word that ends at byte pos of line.  names may
 * be NULL (no names).  out is initialised here; release it.  HS_OK or
 * HS_ENOMEM. */
int hs_complete(const char *line, size_t pos, const struct hs_complete_names *names,
                struct hs_completion *out);
void hs_completion_release(struct hs_completion *c);

#endif
