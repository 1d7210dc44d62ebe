/* expr.h: the expression language of derived features and cut strings.
 *
 * An expression is compiled once against a list of column names into a
 * compact program, then evaluated over whole columns, a block of rows at a
 * time (each instruction is one tight loop over the block), so a million
 * rows of mass(...) take a few milliseconds.
 *
 * The language:
 *   numbers        1, 0.5, .5, 1e-3, 2.5E+4 (parsed exactly)
 *   columns        E_mu_plus, doca; any name in backquotes: `p T`, `a``b`
 *                  (a doubled backquote stands for one).  An identifier
 *                  followed by '(' is a function, any other is a column, so
 *                  columns called eta or pt work.
 *   strings        "EB", with \" and \\ as escapes; only compared with text
 *                  columns: type == "EB", type != "EB"
 *   operators      from loosest to tightest:
 *                    ||    &&    < <= > >= == != (not chainable: a < b < c
 *                    is an error)    + -    * /    unary - + !    ^
 *                  All binary operators are left-associative except ^, which
 *                  is right-associative and binds tighter than a unary minus
 *                  on its left: -x^2 is -(x^2), 2^3^2 is 512, 2^-1 is 0.5.
 *   functions      sqrt abs log log10 exp sin cos tan asin acos atan atan2
 *                  sinh cosh tanh pow min max (min and max take 2 or more)
 *   physics        mass(E1,px1,py1,pz1,E2,px2,py2,pz2)  invariant mass of
 *                      the sum; sqrt(m2) if m2 >= 0, else -sqrt(-m2) as
 *                      ROOT's TLorentzVector::M does, so a slightly negative
 *                      m2 from rounding stays visible near zero
 *                  pt(px,py)  p(px,py,pz)  phi(px,py) = atan2(py,px)
 *                  eta(px,py,pz) = asinh(pz/pt), +-inf along the beam
 *                  rapidity(E,pz) = atanh(pz/E) = 1/2 ln((E+pz)/(E-pz))
 *                  dphi(phi1,phi2) = phi1 - phi2 wrapped into [-pi, pi]
 *                  deltaR(eta1,phi1,eta2,phi2) = hypot(eta1-eta2, dphi)
 *                  angle(px1,py1,pz1,px2,py2,pz2) opening angle in [0, pi],
 *                      as atan2(|p1 x p2|, p1.p2), which unlike an acos
 *                      stays accurate for small angles; NaN (counted) when
 *                      either vector is zero
 *
 * Values and missing data.  Every value is a double; a missing value is NaN
 * and propagates through arithmetic and functions.  Comparisons give 1 or
 * 0, and 0 when either side is NaN (also for !=).  && || and ! take any
 * non-zero number as true and NaN as false, and give 1 or 0.
 *
 * Domain errors never stop an evaluation: x/0, log of zero or less, sqrt
 * of a negative, pow(0, negative), inf - inf, ... give NaN and are counted
 * in hs_expr_stats.ndomain.  The rule: an operation whose operands are not
 * NaN but whose result is.  Overflow to +-inf (exp(1000)) is not counted.
 *
 * Text columns hold codes (see table.h); "type == \"EB\"" compiles to a
 * comparison with the code of "EB" in that column's strings.  A string
 * the column does not have compares unequal everywhere and leaves a
 * warning (hs_expr_warning); a missing cell is neither equal nor unequal
 * (0 for both), as for numbers.  Codes are bound at compile time: compile
 * against the columns you evaluate.  Two text columns compare by their
 * strings (Type1 == Type2).  A text column cannot be used in arithmetic
 * or compared with a number, and a string only with a text column: those
 * are compile errors.
 *
 * Compile errors have messages such as "column 'E_mu_plsu' not found at 6
 * (did you mean 'E_mu_plus'?)" or "unknown function 'sqr' at 1 (did you
 * mean 'sqrt'?)", and err->col set to the 1-based character (not byte)
 * offset of the offending token, so that a caller can draw a caret (an
 * unclosed parenthesis points at the '(').  Callers prefix their context
 * ("feature 'm': ...") with hs_err_prefix.
 */
#ifndef HS_EXPR_H
#define HS_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "nameidx.h"
#include "table.h"
#include "task.h"

/* Deepest nesting of parentheses, calls, unary operators and ^ chains. */
#define HS_EXPR_MAX_DEPTH 256
/* Longest expression accepted, in bytes. */
#define HS_EXPR_MAX_LEN 65536

struct hs_expr;

/* The columns an expression may name.  Index i (0 <= i < n) is what
 * hs_expr_column() returns and where hs_expr_eval() looks. */
struct hs_expr_columns {
    size_t n;
    const char *const *names;
    const enum hs_col_kind *kinds;        /* NULL: every column is a number */
    /* NULL, or one pointer per column (NULL entries allowed): the strings
     * of text columns, needed to compare them with a string literal */
    const struct hs_column *const *cols;
    /* NULL, or an index of names[] (first position of each name): a
     * caller compiling many expressions against many names keeps one, so
     * a lookup is a probe.  Without it a compile indexes the names itself
     * when there are many. */
    const struct hs_nameidx *index;
};

struct hs_expr_stats {
    size_t nrows;    /* rows evaluated */
    size_t nnan;     /* rows whose result is NaN */
    size_t ndomain;  /* domain errors (see above); a row may count more than once */
};

/* Compile src against cols into a new program (*out, free with
 * hs_expr_free).  Errors, with a located message: HS_ENOTFOUND for an
 * unknown column, HS_EUSAGE for a syntax, function, type or argument-count
 * error, HS_ERANGE for an expression nested too deeply or longer than
 * HS_EXPR_MAX_LEN; and HS_ENOMEM.  *out is untouched on error. */
int hs_expr_compile(const char *src, const struct hs_expr_columns *cols, struct hs_expr **out,
                    struct hs_err *err);

/* The same against the columns of table t (names, kinds and strings). */
int hs_expr_compile_table(const char *src, const struct hs_table *t, struct hs_expr **out,
                          struct hs_err *err);

void hs_expr_free(struct hs_expr *e);

/* The columns the expression reads, each once, in order of first use:
 * hs_expr_column(e, k) for k < hs_expr_ncolumns(e) is an index into the
 * hs_expr_columns the expression was compiled with. */
size_t hs_expr_ncolumns(const struct hs_expr *e);
size_t hs_expr_column(const struct hs_expr *e, size_t k);
/* Its name (borrowed from the expression). */
const char *hs_expr_column_name(const struct hs_expr *e, size_t k);

/* Is the result a truth value (a comparison, &&, || or !), always 0 or 1? */
bool hs_expr_is_boolean(const struct hs_expr *e);

/* A compile-time warning ("string \"ZZ\" at 9 is not a value of column
 * 'type'"), or NULL.  Borrowed from the expression. */
const char *hs_expr_warning(const struct hs_expr *e);

/* Evaluate over nrows rows.  columns[i] points at the values of column i
 * of the hs_expr_columns used to compile (only the entries that
 * hs_expr_column lists are read; the others may be NULL).  Writes nrows
 * results to out (which must not overlap the columns).  stats may be NULL;
 * it is filled on success.  Work is split into blocks over the OpenMP
 * threads; the results do not depend on the number of threads.
 * Errors: HS_EUSAGE (a needed column is NULL), HS_ENOMEM, HS_ECANCELLED.
 * NEEDSWORK: on HS_ECANCELLED out holds some results already (the task
 * contract asks for untouched outputs): the caller owns out and must
 * discard it, which every caller does today. */
int hs_expr_eval(const struct hs_expr *e, const double *const *columns, size_t nrows,
                 double *out, struct hs_expr_stats *stats, const struct hs_task *task,
                 struct hs_err *err);

/* Evaluate over every row of t, finding the expression's columns in t by
 * name (HS_ENOTFOUND when one is missing, HS_EUSAGE when its kind
 * changed).  out holds t->nrows values. */
int hs_expr_eval_table(const struct hs_expr *e, const struct hs_table *t, double *out,
                       struct hs_expr_stats *stats, const struct hs_task *task,
                       struct hs_err *err);

#endif
