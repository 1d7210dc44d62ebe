/* expr_eval.c: running a compiled expression over columns.
 *
 * Rows go in blocks of HS_EXPR_BLOCK.  Each instruction is one loop of
 * exactly HS_EXPR_BLOCK iterations over restrict pointers, a shape that
 * compilers vectorise even at -O2; the last, partial block is copied into
 * padded buffers so that it runs the same loops.  Groups of blocks are the
 * parts of a par.h job; each row is computed by the same instructions
 * whatever the thread, and the counts are integer sums, so results do not
 * depend on the number of threads.
 */
#include "config.h"

#include "expr_int.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "mem.h"
#include "par.h"

/* name, nargs, boolean, can_nan */
const struct hs_expr_opinfo hs_expr_ops[HS_OP_COUNT] = {
    [HS_OP_COPY] = {"copy", 1, false, false},
    [HS_OP_NEG] = {"-", 1, false, false},
    [HS_OP_NOT] = {"!", 1, true, false},
    [HS_OP_ADD] = {"+", 2, false, true},
    [HS_OP_SUB] = {"-", 2, false, true},
    [HS_OP_MUL] = {"*", 2, false, true},
    [HS_OP_DIV] = {"/", 2, false, true},
    [HS_OP_POW] = {"^", 2, false, true},
    [HS_OP_SQUARE] = {"^2", 1, false, false},
    [HS_OP_LT] = {"<", 2, true, false},
    [HS_OP_LE] = {"<=", 2, true, false},
    [HS_OP_GT] = {">", 2, true, false},
    [HS_OP_GE] = {">=", 2, true, false},
    [HS_OP_EQ] = {"==", 2, true, false},
    [HS_OP_NE] = {"!=", 2, true, false},
    [HS_OP_AND] = {"&&", 2, true, false},
    [HS_OP_OR] = {"||", 2, true, false},
    [HS_OP_SQRT] = {"sqrt", 1, false, true},
    [HS_OP_ABS] = {"abs", 1, false, false},
    [HS_OP_LOG] = {"log", 1, false, true},
    [HS_OP_LOG10] = {"log10", 1, false, true},
    [HS_OP_EXP] = {"exp", 1, false, false},
    [HS_OP_SIN] = {"sin", 1, false, true},
    [HS_OP_COS] = {"cos", 1, false, true},
    [HS_OP_TAN] = {"tan", 1, false, true},
    [HS_OP_ASIN] = {"asin", 1, false, true},
    [HS_OP_ACOS] = {"acos", 1, false, true},
    [HS_OP_ATAN] = {"atan", 1, false, false},
    [HS_OP_ATAN2] = {"atan2", 2, false, false},
    [HS_OP_SINH] = {"sinh", 1, false, false},
    [HS_OP_COSH] = {"cosh", 1, false, false},
    [HS_OP_TANH] = {"tanh", 1, false, false},
    [HS_OP_MIN] = {"min", 2, false, false},
    [HS_OP_MAX] = {"max", 2, false, false},
    [HS_OP_MASS] = {"mass", 8, false, true},
    [HS_OP_PT] = {"pt", 2, false, false},
    [HS_OP_P] = {"p", 3, false, false},
    [HS_OP_ETA] = {"eta", 3, false, true},
    [HS_OP_RAPIDITY] = {"rapidity", 2, false, true},
    [HS_OP_PHI] = {"phi", 2, false, false},
    [HS_OP_DPHI] = {"dphi", 2, false, true},
    [HS_OP_DELTAR] = {"deltaR", 4, false, true},
    [HS_OP_ANGLE] = {"angle", 6, false, true},
    [HS_OP_RECODE] = {"recode", 1, false, false},
};

#define N HS_EXPR_BLOCK

static const double two_pi = 6.283185307179586476925286766559;

/* A number as a truth value: non-zero is true, NaN is false.  Written as
 * arithmetic on doubles, without || or ?:, the loops below vectorise. */
static inline double
truth(double x)
{
    return (double)(x < 0) + (double)(x > 0);
}

/* phi1 - phi2 in [-pi, pi]; remainder() is exact, so no loop and no
 * drift for large angles. */
static inline double
wrap_phi(double d)
{
    return remainder(d, two_pi);
}

/* ---- kernels: one loop of N over restrict pointers each ---- */

typedef void kernel_fn(double *restrict o, const double *const *a);

static void
k_copy(double *restrict o, const double *const *a)
{
    memcpy(o, a[0], N * sizeof *o);
}

static void
k_neg(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = -x[i];
}

static void
k_not(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = 1.0 - truth(x[i]);
}

static void
k_add(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] + y[i];
}

static void
k_sub(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] - y[i];
}

static void
k_mul(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] * y[i];
}

/* x/0 is NaN (counted), not inf: a pole is a domain error here.  The
 * division is done on every lane and then masked, which vectorises. */
static void
k_div(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] / y[i];
    for (size_t i = 0; i < N; i++)
        o[i] = y[i] == 0 ? NAN : o[i];
}

static void
k_pow(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] == 0 && y[i] < 0 ? NAN : pow(x[i], y[i]);
}

static void
k_square(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] * x[i];
}

static void
k_lt(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] < y[i];
}

static void
k_le(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] <= y[i];
}

static void
k_gt(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] > y[i];
}

static void
k_ge(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] >= y[i];
}

static void
k_eq(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] == y[i];
}

/* Not IEEE's != (true for NaN): a comparison with a missing value is false. */
static void
k_ne(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = (double)(x[i] < y[i]) + (double)(x[i] > y[i]);
}

static void
k_and(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = truth(x[i]) * truth(y[i]);
}

static void
k_or(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = (double)(truth(x[i]) + truth(y[i]) > 0);
}

static void
k_sqrt(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = sqrt(x[i]);
}

static void
k_abs(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = fabs(x[i]);
}

/* log(0) is NaN (counted) rather than -inf, like x/0. */
static void
k_log(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] == 0 ? NAN : log(x[i]);
}

static void
k_log10(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] == 0 ? NAN : log10(x[i]);
}

static void
k_exp(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = exp(x[i]);
}

static void
k_sin(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = sin(x[i]);
}

static void
k_cos(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = cos(x[i]);
}

static void
k_tan(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = tan(x[i]);
}

static void
k_asin(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = asin(x[i]);
}

static void
k_acos(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = acos(x[i]);
}

static void
k_atan(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = atan(x[i]);
}

static void
k_atan2(double *restrict o, const double *const *a)
{
    const double *restrict y = a[0], *restrict x = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = atan2(y[i], x[i]);
}

static void
k_sinh(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = sinh(x[i]);
}

static void
k_cosh(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = cosh(x[i]);
}

static void
k_tanh(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0];
    for (size_t i = 0; i < N; i++)
        o[i] = tanh(x[i]);
}

/* NaN in, NaN out (fmin would drop it). */
static void
k_min(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] < y[i] || x[i] != x[i] ? x[i] : y[i];
}

static void
k_max(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = x[i] > y[i] || x[i] != x[i] ? x[i] : y[i];
}

/* m^2 = E^2 - |p|^2 of the sum, as ROOT's TLorentzVector::M2; a negative
 * m^2 gives -sqrt(-m^2) as TLorentzVector::M does. */
static void
k_mass(double *restrict o, const double *const *a)
{
    const double *restrict e1 = a[0], *restrict x1 = a[1], *restrict y1 = a[2],
                           *restrict z1 = a[3], *restrict e2 = a[4], *restrict x2 = a[5],
                           *restrict y2 = a[6], *restrict z2 = a[7];
    for (size_t i = 0; i < N; i++) {
        double e = e1[i] + e2[i], x = x1[i] + x2[i], y = y1[i] + y2[i], z = z1[i] + z2[i];
        double m2 = e * e - (x * x + y * y + z * z);
        o[i] = copysign(sqrt(fabs(m2)), m2);
    }
}

static void
k_pt(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = sqrt(x[i] * x[i] + y[i] * y[i]);
}

static void
k_p(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1], *restrict z = a[2];
    for (size_t i = 0; i < N; i++)
        o[i] = sqrt(x[i] * x[i] + y[i] * y[i] + z[i] * z[i]);
}

/* asinh(pz/pt) = -ln tan(theta/2), accurate at every angle; +-inf along
 * the beam, NaN (counted) for a zero vector. */
static void
k_eta(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1], *restrict z = a[2];
    for (size_t i = 0; i < N; i++)
        o[i] = asinh(z[i] / sqrt(x[i] * x[i] + y[i] * y[i]));
}

/* atanh(pz/E) = 1/2 ln((E+pz)/(E-pz)) without the cancellation. */
static void
k_rapidity(double *restrict o, const double *const *a)
{
    const double *restrict e = a[0], *restrict z = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = atanh(z[i] / e[i]);
}

static void
k_phi(double *restrict o, const double *const *a)
{
    const double *restrict x = a[0], *restrict y = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = atan2(y[i], x[i]);
}

static void
k_dphi(double *restrict o, const double *const *a)
{
    const double *restrict p1 = a[0], *restrict p2 = a[1];
    for (size_t i = 0; i < N; i++)
        o[i] = wrap_phi(p1[i] - p2[i]);
}

static void
k_deltar(double *restrict o, const double *const *a)
{
    const double *restrict e1 = a[0], *restrict p1 = a[1], *restrict e2 = a[2],
                           *restrict p2 = a[3];
    for (size_t i = 0; i < N; i++) {
        double de = e1[i] - e2[i], dp = wrap_phi(p1[i] - p2[i]);
        o[i] = sqrt(de * de + dp * dp);
    }
}

/* atan2(|p1 x p2|, p1.p2): unlike acos of the normalised dot product, it
 * keeps full precision for small and nearly opposite angles.  A zero
 * vector has no direction: NaN (counted). */
static void
k_angle(double *restrict o, const double *const *a)
{
    const double *restrict x1 = a[0], *restrict y1 = a[1], *restrict z1 = a[2],
                           *restrict x2 = a[3], *restrict y2 = a[4], *restrict z2 = a[5];
    for (size_t i = 0; i < N; i++) {
        double cx = y1[i] * z2[i] - z1[i] * y2[i];
        double cy = z1[i] * x2[i] - x1[i] * z2[i];
        double cz = x1[i] * y2[i] - y1[i] * x2[i];
        double dot = x1[i] * x2[i] + y1[i] * y2[i] + z1[i] * z2[i];
        double n1 = x1[i] * x1[i] + y1[i] * y1[i] + z1[i] * z1[i];
        double n2 = x2[i] * x2[i] + y2[i] * y2[i] + z2[i] * z2[i];
        double r = atan2(sqrt(cx * cx + cy * cy + cz * cz), dot);
        o[i] = n1 == 0 || n2 == 0 ? NAN : r;
    }
}

static kernel_fn *const kernels[HS_OP_COUNT] = {
    [HS_OP_COPY] = k_copy,   [HS_OP_NEG] = k_neg,     [HS_OP_NOT] = k_not,
    [HS_OP_ADD] = k_add,     [HS_OP_SUB] = k_sub,     [HS_OP_MUL] = k_mul,
    [HS_OP_DIV] = k_div,     [HS_OP_POW] = k_pow,     [HS_OP_SQUARE] = k_square,
    [HS_OP_LT] = k_lt,       [HS_OP_LE] = k_le,       [HS_OP_GT] = k_gt,
    [HS_OP_GE] = k_ge,       [HS_OP_EQ] = k_eq,       [HS_OP_NE] = k_ne,
    [HS_OP_AND] = k_and,     [HS_OP_OR] = k_or,       [HS_OP_SQRT] = k_sqrt,
    [HS_OP_ABS] = k_abs,     [HS_OP_LOG] = k_log,     [HS_OP_LOG10] = k_log10,
    [HS_OP_EXP] = k_exp,     [HS_OP_SIN] = k_sin,     [HS_OP_COS] = k_cos,
    [HS_OP_TAN] = k_tan,     [HS_OP_ASIN] = k_asin,   [HS_OP_ACOS] = k_acos,
    [HS_OP_ATAN] = k_atan,   [HS_OP_ATAN2] = k_atan2, [HS_OP_SINH] = k_sinh,
    [HS_OP_COSH] = k_cosh,   [HS_OP_TANH] = k_tanh,   [HS_OP_MIN] = k_min,
    [HS_OP_MAX] = k_max,     [HS_OP_MASS] = k_mass,   [HS_OP_PT] = k_pt,
    [HS_OP_P] = k_p,         [HS_OP_ETA] = k_eta,     [HS_OP_RAPIDITY] = k_rapidity,
    [HS_OP_PHI] = k_phi,     [HS_OP_DPHI] = k_dphi,   [HS_OP_DELTAR] = k_deltar,
    [HS_OP_ANGLE] = k_angle, [HS_OP_RECODE] = k_copy, /* run_block does the work */
};

void
hs_expr_kernel(enum hs_expr_op op, double *out, const double *const *args)
{
    kernels[op](out, args);
}

/* NaN stays missing; a code outside the table is no string of the other
 * column. */
static void
k_recode(double *restrict o, const double *restrict x, const struct hs_expr_recode *r)
{
    for (size_t i = 0; i < N; i++) {
        double v = x[i];
        o[i] = v != v ? v : v >= 0 && v < (double)r->n ? r->codes[(size_t)v] : -1;
    }
}

/* ---- counting ---- */

/* Eight double accumulators (exact far beyond N): one would be a serial
 * chain of additions, and an integer count does not vectorise at -O2. */
static size_t
count_nan_block(const double *restrict o)
{
    double acc[8] = {0}, c = 0;
    for (size_t i = 0; i < N; i += 8)
        for (size_t j = 0; j < 8; j++)
            acc[j] += (double)(o[i + j] != o[i + j]);
    for (size_t j = 0; j < 8; j++)
        c += acc[j];
    return (size_t)c;
}

static size_t
count_nan(const double *o, size_t n)
{
    size_t c = 0;

    if (n == N)
        return count_nan_block(o);
    for (size_t i = 0; i < n; i++)
        c += o[i] != o[i];
    return c;
}

/* NaN results whose operands were all numbers: the domain errors. */
static size_t
count_domain(const double *o, const double *const *a, int nargs, size_t n)
{
    size_t c = 0;

    if (count_nan(o, n) == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int j;
        if (o[i] == o[i])
            continue;
        for (j = 0; j < nargs && a[j][i] == a[j][i]; j++)
            ;
        c += j == nargs;
    }
    return c;
}

/* ---- evaluation ---- */

struct accessors {
    const struct hs_expr *e;
    const double *const *cols;  /* per column of the expression */
    double *out;
    size_t nrows;
};

/* One thread's buffers: registers, constants, padded copies of the
 * columns and of the output for the last block. */
struct scratch {
    double *regs, *consts, *tail_cols, *tail_out;
};

static size_t
nconst_blocks(const struct hs_expr *e)
{
    return e->nconsts < HS_EXPR_CONST_BLOCKS ? e->nconsts : HS_EXPR_CONST_BLOCKS;
}

static size_t
scratch_doubles(const struct hs_expr *e)
{
    return (e->nregs + nconst_blocks(e) + e->ncols + 1) * (size_t)N;
}

static void
scratch_init(struct scratch *s, double *base, const struct hs_expr *e)
{
    size_t k, i;

    s->regs = base;
    s->consts = s->regs + e->nregs * (size_t)N;
    s->tail_cols = s->consts + nconst_blocks(e) * (size_t)N;
    s->tail_out = s->tail_cols + e->ncols * (size_t)N;
    for (k = 0; k < nconst_blocks(e); k++)
        for (i = 0; i < N; i++)
            s->consts[k * N + i] = e->consts[k];
}

static const double *
slot_ptr(const struct accessors *ac, const struct scratch *s, uint32_t slot, size_t row0,
         bool tail)
{
    uint32_t k = hs_slot_index(slot);

    switch (hs_slot_kind(slot)) {
    case HS_SLOT_REG: return s->regs + (size_t)k * N;
    case HS_SLOT_CONST: return s->consts + (size_t)k * N;
    case HS_SLOT_COL: return tail ? s->tail_cols + (size_t)k * N : ac->cols[k] + row0;
    case HS_SLOT_OUT: break;
    }
    return tail ? s->tail_out : ac->out + row0;
}

/* Rows [row0, row0 + n), n <= N; returns the domain errors found. */
static size_t
run_block(const struct accessors *ac, const struct scratch *s, size_t row0, size_t n)
{
    const struct hs_expr *e = ac->e;
    bool tail = n < N;
    size_t pc, k, ndomain = 0;

    if (tail) {
        /* Padding with zeros keeps the unused lanes harmless. */
        for (k = 0; k < e->ncols; k++) {
            memcpy(s->tail_cols + k * N, ac->cols[k] + row0, n * sizeof(double));
            memset(s->tail_cols + k * N + n, 0, (N - n) * sizeof(double));
        }
    }
    for (pc = 0; pc < e->ncode; pc++) {
        const struct hs_expr_ins *ins = &e->code[pc];
        const double *args[HS_EXPR_MAXARGS];
        double *dst = (double *)slot_ptr(ac, s, ins->dst, row0, tail);
        int j;

        if (ins->nargs == 0) {
            /* A constant without a block of its own, filled here. */
            double v = e->consts[ins->args[0]];
            for (size_t i = 0; i < N; i++)
                dst[i] = v;
            continue;
        }
        for (j = 0; j < ins->nargs; j++)
            args[j] = slot_ptr(ac, s, ins->args[j], row0, tail);
        if (ins->op == HS_OP_RECODE) {
            k_recode(dst, args[0], &e->recodes[ins->aux]);
            continue;
        }
        kernels[ins->op](dst, args);
        if (hs_expr_ops[ins->op].can_nan)
            ndomain += count_domain(dst, args, ins->nargs, n);
    }
    if (tail)
        memcpy(ac->out + row0, s->tail_out, n * sizeof(double));
    return ndomain;
}

/* Rows of one part of a par.h job: a part is PART_BLOCKS blocks. */
#define PART_BLOCKS 8

/* One thread slot's scratch and counts (a cache line apart). */
struct eval_slot {
    struct scratch s;
    bool ready;
    size_t ndomain, nnan;
    char pad[64];
};

struct eval_job {
    const struct accessors *ac;
    const struct hs_expr *e;
    double *mem;
    size_t per, nrows, nblocks;
    struct eval_slot *slots;
    atomic_int stop;
    struct hs_par_progress prog;
    const struct hs_task *task;
};

static int
eval_part(void *ctx, size_t part)
{
    struct eval_job *j = ctx;
    int me = hs_par_slot();
    struct eval_slot *sl = &j->slots[me];
    size_t b1 = (part + 1) * PART_BLOCKS < j->nblocks ? (part + 1) * PART_BLOCKS : j->nblocks;

    if (!sl->ready) {
        scratch_init(&sl->s, j->mem + j->per * (size_t)me, j->e);
        sl->ready = true;
    }
    for (size_t b = part * PART_BLOCKS; b < b1; b++) {
        size_t row0 = b * N, n = j->nrows - row0 < N ? j->nrows - row0 : N;
        if (atomic_load_explicit(&j->stop, memory_order_relaxed))
            return HS_ECANCELLED;
        if (hs_task_cancelled(j->task)) {
            atomic_store(&j->stop, 1);
            return HS_ECANCELLED;
        }
        sl->ndomain += run_block(j->ac, &sl->s, row0, n);
        sl->nnan += count_nan(j->ac->out + row0, n);
        hs_par_progress_add(&j->prog, 1);
    }
    return HS_OK;
}

static int
eval_core(const struct hs_expr *e, const double *const *cols, size_t nrows, double *out,
          struct hs_expr_stats *stats, const struct hs_task *task, struct hs_err *err)
{
    struct accessors ac = {e, cols, out, nrows};
    struct eval_job j = {.ac = &ac, .e = e, .nrows = nrows, .task = task};
    size_t nparts, ndomain = 0, nnan = 0;
    int nthreads = 1;

    j.nblocks = (nrows + N - 1) / N;
    j.per = scratch_doubles(e);
    nparts = (j.nblocks + PART_BLOCKS - 1) / PART_BLOCKS;
    /* Threads pay off only past a few blocks. */
    if (j.nblocks >= 16) {
        nthreads = hs_par_threads();
        if ((size_t)nthreads > nparts)
            nthreads = (int)nparts;
    }
    if (j.per > (size_t)-1 / sizeof(double) / (size_t)nthreads ||
        !(j.mem = hs_malloc(j.per * (size_t)nthreads * sizeof(double))))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (!(j.slots = hs_calloc((size_t)nthreads, sizeof *j.slots))) {
        hs_free(j.mem);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    hs_par_progress_init(&j.prog, task, j.nblocks, "evaluating expression", false);
    hs_par_run(nparts, nthreads, eval_part, &j);
    for (int k = 0; k < nthreads; k++) {
        ndomain += j.slots[k].ndomain;
        nnan += j.slots[k].nnan;
    }
    hs_free(j.slots);
    hs_free(j.mem);
    if (atomic_load(&j.stop))
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    if (stats) {
        stats->nrows = nrows;
        stats->nnan = nnan;
        stats->ndomain = ndomain;
    }
    return HS_OK;
}

int
hs_expr_eval(const struct hs_expr *e, const double *const *columns, size_t nrows, double *out,
             struct hs_expr_stats *stats, const struct hs_task *task, struct hs_err *err)
{
    const double **cols;
    size_t k;
    int rc;

    if (!(cols = hs_calloc(e->ncols, sizeof *cols)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (k = 0; k < e->ncols; k++) {
        cols[k] = columns ? columns[e->cols[k]] : NULL;
        if (!cols[k] && nrows > 0) {
            hs_free(cols);
            return hs_err_set(err, HS_EUSAGE, "column '%.200s' has no values", e->col_names[k]);
        }
    }
    rc = eval_core(e, cols, nrows, out, stats, task, err);
    hs_free(cols);
    return rc;
}

int
hs_expr_eval_table(const struct hs_expr *e, const struct hs_table *t, double *out,
                   struct hs_expr_stats *stats, const struct hs_task *task, struct hs_err *err)
{
    const double **cols;
    size_t k;
    int rc;

    if (!(cols = hs_calloc(e->ncols, sizeof *cols)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (k = 0; k < e->ncols; k++) {
        long i = hs_table_find(t, e->col_names[k]);
        if (i < 0) {
            hs_free(cols);
            return hs_err_set(err, HS_ENOTFOUND, "column '%.200s' not found", e->col_names[k]);
        }
        if (t->cols[i].kind != e->col_kinds[k]) {
            hs_free(cols);
            return hs_err_set(err, HS_EUSAGE, "column '%.200s' is %s now", e->col_names[k],
                              t->cols[i].kind == HS_COL_TEXT ? "text" : "a number");
        }
        if ((rc = hs_table_values(t, (size_t)i, &cols[k], task, err))) {
            hs_free(cols);
            return rc;
        }
    }
    rc = eval_core(e, cols, t->nrows, out, stats, task, err);
    hs_free(cols);
    return rc;
}

size_t
hs_expr_ncolumns(const struct hs_expr *e)
{
    return e->ncols;
}

size_t
hs_expr_column(const struct hs_expr *e, size_t k)
{
    return e->cols[k];
}

const char *
hs_expr_column_name(const struct hs_expr *e, size_t k)
{
    return e->col_names[k];
}

bool
hs_expr_is_boolean(const struct hs_expr *e)
{
    return e->boolean;
}

const char *
hs_expr_warning(const struct hs_expr *e)
{
    return e->warning;
}
