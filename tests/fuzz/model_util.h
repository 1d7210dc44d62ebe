/* model_util.h: what the model readers' fuzz targets share: a failed
 * property aborts with a message, and the FNV-1a 64 checksum of the
 * stored formats is put right (written here, not taken from src/, so
 * that a wrong one there shows), letting mutations reach the checks and
 * code behind it. */
#ifndef HS_FUZZ_MODEL_UTIL_H
#define HS_FUZZ_MODEL_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

static inline void
fz_check(int ok, const char *target, const char *what)
{
    if (ok)
        return;
    fprintf(stderr, "%s: %s\n", target, what);
    abort();
}

/* The last 8 bytes of b[0..n) become the checksum of the ones before. */
static inline void
fz_fix_checksum(uint8_t *b, size_t n)
{
    uint64_t h = UINT64_C(14695981039346656037);

    if (n < 8)
        return;
    for (size_t i = 0; i < n - 8; i++)
        h = (h ^ b[i]) * UINT64_C(1099511628211);
    for (int i = 0; i < 8; i++)
        b[n - 8 + i] = (uint8_t)(h >> (8 * i));
}

/* The blob of a fuzz input: its bytes after the first, the option byte,
 * copied into a buffer of exactly their size (so that the sanitizers see
 * any read past its end; free it), the checksum put right when option
 * bit 0 is set.  NULL for an empty input. */
static inline uint8_t *
fz_blob(const uint8_t *data, size_t size, size_t *n)
{
    uint8_t *blob;

    if (size == 0)
        return NULL;
    *n = size - 1;
    blob = malloc(*n ? *n : 1);
    if (!blob)
        return NULL;
    memcpy(blob, data + 1, *n);
    if (data[0] & 1)
        fz_fix_checksum(blob, *n);
    return blob;
}

/* A refused read: HS_EDATA, no model, a message saying so. */
static inline void
fz_check_refused(const char *target, int rc, const void *model, const struct hs_err *err)
{
    fz_check(rc == HS_EDATA, target, "a bad blob is not HS_EDATA");
    fz_check(model == NULL, target, "a failed read left a model");
    fz_check(strncmp(err->msg, "model data is damaged", 21) == 0, target,
             "a failed read's message");
}

#endif
