/* fuzz_fisher.c: libFuzzer target for the Fisher model reader
 * (hs_model_kind_fisher.deserialize) and what a read model then goes
 * through: scoring, the details and the C export.
 *
 * The first byte is an option, the rest the blob.  Option bit 0 set: the
 * blob's last 8 bytes are first overwritten with the right checksum (see
 * model_util.h).  Besides crashes, leaks and sanitizer reports, it aborts
 * when a property fails:
 *   - a failed read is HS_EDATA with a message and no model;
 *   - a model read back writes out to the very same bytes;
 *   - its scores are in [0, 1] (or NaN, for NaN coefficients);
 *   - its details and C export succeed and are non-empty.
 * Built as a libFuzzer binary with --enable-fuzzing (see tests/fuzz.mk),
 * and always as a replay program that make check runs on the seeds.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fisher.h"
#include "model_util.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok, const char *what)
{
    fz_check(ok, "fuzz_fisher", what);
}

static void
exercise(const struct hs_model_kind *k, const void *f, size_t nin, const uint8_t *blob, size_t n)
{
    enum { NROWS = 3 };
    static const double vals[NROWS] = {0.5, -3.0e300, NAN};
    unsigned char *again = NULL;
    size_t len = 0;
    double **x, out[NROWS];
    char *text = NULL;

    check(k->serialize(f, &again, &len, NULL) == HS_OK, "a model read cannot be written");
    check(len == n && memcmp(again, blob, n) == 0, "a model does not write back to its bytes");
    hs_free(again);

    x = malloc(nin * sizeof *x);
    check(x != NULL, "out of memory in the target");
    for (size_t j = 0; j < nin; j++) {
        x[j] = malloc(NROWS * sizeof **x);
        check(x[j] != NULL, "out of memory in the target");
        for (size_t r = 0; r < NROWS; r++)
            x[j][r] = vals[(j + r) % NROWS];
    }
    check(k->score(f, (const double *const *)x, NROWS, out, NULL, NULL) == HS_OK,
          "scoring a read model failed");
    for (size_t r = 0; r < NROWS; r++)
        check(isnan(out[r]) || (out[r] >= 0 && out[r] <= 1), "a score outside [0, 1]");
    for (size_t j = 0; j < nin; j++)
        free(x[j]);
    free(x);

    check(k->details(f, NULL, &text, NULL) == HS_OK && text && text[0],
          "the details of a read model failed");
    hs_free(text);
    check(k->export_c(f, NULL, "score", &text, NULL) == HS_OK && text && text[0],
          "the C export of a read model failed");
    hs_free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct hs_model_kind *k = &hs_model_kind_fisher;
    void *f = &f; /* the reader must reset it */
    size_t nin = 0;
    struct hs_err err = {0};
    uint8_t *blob;
    size_t n;
    int rc;

    blob = fz_blob(data, size, &n);
    if (!blob)
        return 0;
    rc = k->deserialize(blob, n, &f, &nin, &err);
    if (rc == HS_OK) {
        check(f != NULL && nin > 0, "success without a model");
        exercise(k, f, nin, blob, n);
        k->free(f);
    } else {
        fz_check_refused("fuzz_fisher", rc, f, &err);
    }
    free(blob);
    return 0;
}
