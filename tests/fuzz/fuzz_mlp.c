/* fuzz_mlp.c: libFuzzer target for the model reader (hs_mlp_deserialize)
 * and what a read model then goes through: scoring and the C export.
 *
 * The first byte is an option, the rest the blob.  Option bit 0 set: the
 * blob's last 8 bytes are first overwritten with the right checksum, so
 * that mutations reach the checks and code behind it (with the checksum
 * kept, nearly every mutation stops there).  Besides crashes, leaks and
 * sanitizer reports, it aborts when a property fails:
 *   - a failed read is HS_EDATA with a message and no model;
 *   - a model read back writes out to the very same bytes;
 *   - its scores are in [0, 1] (or NaN, for NaN weights);
 *   - its C export succeeds and is non-empty.
 * Built as a libFuzzer binary with --enable-fuzzing (see tests/fuzz.mk),
 * and always as a replay program that make check runs on the seeds.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_util.h"
#include "mem.h"
#include "mlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok, const char *what)
{
    fz_check(ok, "fuzz_mlp", what);
}

static void
exercise(const struct hs_mlp *m, const uint8_t *blob, size_t n)
{
    enum { NROWS = 3 };
    static const double vals[NROWS] = {0.5, -3.0, NAN};
    unsigned char *again = NULL;
    size_t len = 0;
    struct hs_err err = {0};
    double **x, out[NROWS];
    char *src = NULL;
    int rc;

    rc = hs_mlp_serialize(m, &again, &len, &err);
    check(rc == HS_OK, "a model read cannot be written");
    check(len == n && memcmp(again, blob, n) == 0, "a model does not write back to its bytes");
    hs_free(again);

    /* A few events: the inputs cycle through a number, a negative one and
     * a missing one, shifted per row. */
    x = malloc(m->nin * sizeof *x);
    check(x != NULL, "out of memory in the target");
    for (size_t j = 0; j < m->nin; j++) {
        x[j] = malloc(NROWS * sizeof **x);
        check(x[j] != NULL, "out of memory in the target");
        for (size_t r = 0; r < NROWS; r++)
            x[j][r] = vals[(j + r) % NROWS];
    }
    rc = hs_mlp_score(m, (const double *const *)x, NROWS, out, NULL, &err);
    check(rc == HS_OK, "scoring a read model failed");
    for (size_t r = 0; r < NROWS; r++)
        check(isnan(out[r]) || (out[r] >= 0 && out[r] <= 1), "a score outside [0, 1]");
    for (size_t j = 0; j < m->nin; j++)
        free(x[j]);
    free(x);

    rc = hs_mlp_export_c(m, NULL, "score", &src, &err);
    check(rc == HS_OK && src && src[0], "the C export of a read model failed");
    hs_free(src);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hs_mlp *m = (struct hs_mlp *)&m; /* the reader must reset it */
    struct hs_err err = {0};
    uint8_t *blob;
    size_t n;
    int rc;

    blob = fz_blob(data, size, &n);
    if (!blob)
        return 0;
    rc = hs_mlp_deserialize(blob, n, &m, &err);
    if (rc == HS_OK) {
        check(m != NULL, "success without a model");
        exercise(m, blob, n);
        hs_mlp_free(m);
    } else {
        fz_check_refused("fuzz_mlp", rc, m, &err);
    }
    free(blob);
    return 0;
}
