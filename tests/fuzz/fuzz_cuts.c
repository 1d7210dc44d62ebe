/* fuzz_cuts.c: libFuzzer target for the cut-set parser and exports.
 *
 * The first byte chooses what the rest is: bit 0 clear, a --range spec
 * (hs_cutset_add_range_spec); set, an expression cut.  Either is then
 * described and exported to SQL, C and ROOT.  Besides crashes, leaks and
 * sanitizer reports, it aborts when a property fails:
 *   - an accepted range has lo < hi and neither NaN, and the set grew by one;
 *   - a failed call leaves the set as it was, with a message;
 *   - an export either succeeds with a non-empty string or fails with a
 *     message and no string.
 * Built as a libFuzzer binary with --enable-fuzzing (see tests/fuzz.mk),
 * and always as a replay program that make check runs on the seeds.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuts.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok, const char *what, const char *input)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_cuts: %s for '%s'\n", what, input);
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hs_cutset cs = {0};
    struct hs_err err = {0};
    char *text;
    int rc;

    if (size == 0)
        return 0;
    text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] & 1)
        rc = hs_cutset_add_expr(&cs, text, &err);
    else
        rc = hs_cutset_add_range_spec(&cs, text, &err);
    check(rc == HS_OK ? cs.n == 1 : cs.n == 0 && err.msg[0] != '\0', "set and status disagree",
          text);
    if (rc == HS_OK) {
        const struct hs_cut *c = &cs.cuts[0];
        char *d = hs_cut_describe(c);
        check(d != NULL, "no description", text);
        hs_free(d);
        if (c->kind == HS_CUT_RANGE)
            check(!isnan(c->lo) && !isnan(c->hi) && c->lo < c->hi, "a bad range accepted",
                  text);
        for (int lang = HS_CUTS_SQL; lang <= HS_CUTS_ROOT; lang++) {
            char *out = NULL;
            hs_err_clear(&err);
            rc = hs_cutset_export(&cs, (enum hs_cuts_lang)lang, &out, &err);
            if (rc == HS_OK)
                check(out && out[0], "an empty export", text);
            else
                check(!out && err.msg[0], "a failed export without a message", text);
            hs_free(out);
        }
    }
    hs_cutset_release(&cs);
    free(text);
    return 0;
}
