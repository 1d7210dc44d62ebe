/* cexport.h: pieces of the dependency-free C files models export
 * (`model export --as c`): a safe function name, comments that cannot
 * break out, exact constant arrays and an overflow-free sigmoid. */
#ifndef HS_CEXPORT_H
#define HS_CEXPORT_H

#include <stddef.h>

#include "err.h"
#include "strbuf.h"

/* Can func name the exported C function?  A C identifier that is not a
 * keyword, main, a <math.h> name or reserved to the implementation:
 * HS_EUSAGE saying so otherwise. */
int hs_cexport_check_name(const char *func, struct hs_err *err);
/* Text inside a block comment: control characters become '?', and the
 * sequences that would end the comment, open a nested one or form a
 * trigraph get a space inside. */
void hs_cexport_comment(struct hs_strbuf *b, const char *s);
/* "static const double FUNC_NAME[n] = {...};", each value exact. */
void hs_cexport_array(struct hs_strbuf *b, const char *func, const char *name, const double *v,
                      size_t n);
/* "static double FUNC_sigmoid(double z)", no overflow of exp for either
 * sign (as src/mlp.c and src/fisher.c compute it). */
void hs_cexport_sigmoid(struct hs_strbuf *b, const char *func);

/* Hand the text over in *out (hs_free); HS_ENOMEM, and the text freed,
 * when an append failed. */
int hs_cexport_finish(struct hs_strbuf *b, char **out, struct hs_err *err);

#endif
