/* csrc.h: writing C source, for the models' C exports.
 *
 * A growing string that stays failed after an allocation fails, so that an
 * export writes everything and checks once at the end (hs_csrc_detach);
 * numbers that read back to the same double; text made safe inside a
 * block comment; and the checks a function name must pass.
 */
#ifndef HS_CSRC_H
#define HS_CSRC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct hs_csrc {
    char *s; /* owned; NULL until the first append */
    size_t len, cap;
    bool failed; /* an append ran out of memory */
};

void hs_csrc_printf(struct hs_csrc *b, const char *f, ...) __attribute__((format(__printf__, 2, 3)));
/* A number that a C99 compiler reads back to the same double: "%a", or
 * NAN, INFINITY, -INFINITY. */
void hs_csrc_number(struct hs_csrc *b, double v);
/* Text inside a block comment: control characters become '?', and the
 * sequences that would end the comment, open a nested one or form a
 * trigraph get a space inside. */
void hs_csrc_comment_text(struct hs_csrc *b, const char *s);
/* "static const double FUNC_NAME[n] = {...};", three numbers a line. */
void hs_csrc_array(struct hs_csrc *b, const char *func, const char *name, const double *v,
                   size_t n);
/* "static double FUNC_sigmoid(double z)": 1 / (1 + e^-z) without overflow
 * of exp for either sign, as the engine's models compute it. */
void hs_csrc_sigmoid(struct hs_csrc *b, const char *func);

/* HS_OK when func can name a C function (an identifier, not a keyword,
 * main, a <math.h> name or one reserved to the implementation), else
 * HS_EUSAGE saying so. */
int hs_csrc_check_func(const char *func, struct hs_err *err);

/* The text, handed over (hs_free) in *out; HS_ENOMEM (and the text
 * freed) when an append failed. */
int hs_csrc_detach(struct hs_csrc *b, char **out, struct hs_err *err);

#endif
