/* expr_parse.c: from source text to a program.
 *
 * A recursive-descent parser (one function per precedence level) builds
 * the tree in an array in post-order, checking names, types and argument
 * counts as each node is made, so that an error points at the token that
 * caused it.  Recursion happens only where the source nests (parentheses,
 * calls, unary operators, ^), and that depth is limited; sequences such as
 * a+b+c+... are loops.  Then three loops over the array: fold constants,
 * mark what the root needs, and emit one instruction per operation with
 * registers reused as soon as their value is consumed.
 */
#include "config.h"

#include "expr_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "names.h"

const struct hs_expr_func hs_expr_funcs[] = {
    {"sqrt", HS_OP_SQRT, 1},   {"abs", HS_OP_ABS, 1},     {"log", HS_OP_LOG, 1},
    {"log10", HS_OP_LOG10, 1}, {"exp", HS_OP_EXP, 1},     {"sin", HS_OP_SIN, 1},
    {"cos", HS_OP_COS, 1},     {"tan", HS_OP_TAN, 1},     {"asin", HS_OP_ASIN, 1},
    {"acos", HS_OP_ACOS, 1},   {"atan", HS_OP_ATAN, 1},   {"atan2", HS_OP_ATAN2, 2},
    {"sinh", HS_OP_SINH, 1},   {"cosh", HS_OP_COSH, 1},   {"tanh", HS_OP_TANH, 1},
    {"pow", HS_OP_POW, 2},     {"min", HS_OP_MIN, -2},    {"max", HS_OP_MAX, -2},
    {"mass", HS_OP_MASS, 8},   {"pt", HS_OP_PT, 2},       {"p", HS_OP_P, 3},
    {"eta", HS_OP_ETA, 3},     {"rapidity", HS_OP_RAPIDITY, 2},
    {"phi", HS_OP_PHI, 2},     {"dphi", HS_OP_DPHI, 2},   {"deltaR", HS_OP_DELTAR, 4},
    {"angle", HS_OP_ANGLE, 6},
};
const size_t hs_expr_nfuncs = sizeof hs_expr_funcs / sizeof hs_expr_funcs[0];

enum node_kind { N_NUM, N_COL, N_STR, N_OP };
enum node_type { T_NUM, T_BOOL, T_TEXT, T_STR };

struct node {
    uint8_t kind;       /* enum node_kind */
    uint8_t type;       /* enum node_type */
    uint16_t op;        /* N_OP: enum hs_expr_op */
    uint16_t nargs;
    int pos;            /* 1-based character offset of its token */
    uint32_t args[HS_EXPR_MAXARGS];
    double value;       /* N_NUM */
    size_t col;         /* N_COL: index into the expression's columns */
    char *str;          /* N_STR: owned */
    uint32_t aux;       /* HS_OP_RECODE: index of its table */
    uint32_t slot;      /* code generation: where its value is */
};

struct parser {
    struct hs_lexer lx;
    struct hs_token tok;
    const struct hs_expr_columns *cols;
    struct hs_err *err;
    struct node *nodes;
    size_t nnodes, nodes_cap;
    size_t *used;       /* resolver index of each column read, in order of first use */
    size_t nused, used_cap;
    const struct hs_nameidx *index; /* cols->index, or own_index once built */
    struct hs_nameidx own_index;
    struct hs_nameidx used_index;   /* name -> slot in used, past a few columns */
    int depth;
    char *warning;
    struct hs_expr_recode *recodes;
    size_t nrecodes, recodes_cap;
};

/* ---- names ---- */

static const char *
suggest_column(const struct hs_expr_columns *cols, const char *name, size_t len)
{
    return hs_closest_name_n(name, len, cols->names, cols->n);
}

static const char *
suggest_function(const char *name, size_t len)
{
    const char *names[64];
    size_t n = 0;

    for (size_t i = 0; i < hs_expr_nfuncs && n < sizeof names / sizeof *names; i++)
        names[n++] = hs_expr_funcs[i].name;
    return hs_closest_name_n(name, len, names, n);
}

/* ---- nodes ---- */

static int
new_node(struct parser *p, enum node_kind kind, enum node_type type, int pos, uint32_t *idx)
{
    struct node *n;

    if (p->nnodes >= 0x3fffffff)
        return hs_err_set_at(p->err, HS_ERANGE, 0, pos, "expression too long at %d", pos);
    if (hs_grow((void **)&p->nodes, &p->nodes_cap, p->nnodes + 1, sizeof *p->nodes) != HS_OK)
        return hs_err_set(p->err, HS_ENOMEM, "out of memory");
    n = &p->nodes[p->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->type = (uint8_t)type;
    n->pos = pos;
    *idx = (uint32_t)p->nnodes++;
    return HS_OK;
}

static const char *
col_name(const struct parser *p, const struct node *n)
{
    return p->cols->names[p->used[n->col]];
}

/* Operands of arithmetic and functions must be numbers (or truth values). */
static int
need_number(struct parser *p, uint32_t idx)
{
    const struct node *n = &p->nodes[idx];

    if (n->type == T_TEXT)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, n->pos,
                             "text column '%.100s' at %d can only be compared with a string",
                             col_name(p, n), n->pos);
    if (n->type == T_STR)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, n->pos,
                             "string \"%.100s\" at %d can only be compared with a text column",
                             n->str, n->pos);
    return HS_OK;
}

static int
make_op(struct parser *p, enum hs_expr_op op, const uint32_t *args, int nargs, int pos,
        uint32_t *idx)
{
    int i, rc;
    struct node *n;

    for (i = 0; i < nargs; i++)
        if ((rc = need_number(p, args[i])) != HS_OK)
            return rc;
    if ((rc = new_node(p, N_OP, hs_expr_ops[op].boolean ? T_BOOL : T_NUM, pos, idx)) != HS_OK)
        return rc;
    n = &p->nodes[*idx];
    n->op = (uint16_t)op;
    n->nargs = (uint16_t)nargs;
    for (i = 0; i < nargs; i++)
        n->args[i] = args[i];
    return HS_OK;
}

static int
make_binary(struct parser *p, enum hs_expr_op op, uint32_t a, uint32_t b, int pos, uint32_t *idx)
{
    uint32_t args[2] = {a, b};
    return make_op(p, op, args, 2, pos, idx);
}

/* The code of string s in text column n, or -1 (never a code) when the
 * column has no such value. */
static int
text_code(struct parser *p, const struct node *coln, const struct node *strn, double *code)
{
    size_t ci = p->used[coln->col], k;
    const struct hs_column *c = p->cols->cols ? p->cols->cols[ci] : NULL;

    if (!c)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, strn->pos,
                             "cannot compare text column '%.100s' with \"%.100s\" at %d: "
                             "its values are not known",
                             p->cols->names[ci], strn->str, strn->pos);
    for (k = 0; k < c->ncats; k++) {
        if (strcmp(c->cats[k], strn->str) == 0) {
            *code = (double)k;
            return HS_OK;
        }
    }
    *code = -1;
    if (!p->warning) {
        char msg[HS_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "string \"%.100s\" at %d is not a value of column '%.100s'",
                 strn->str, strn->pos, p->cols->names[ci]);
        if (!(p->warning = hs_strdup(msg)))
            return hs_err_set(p->err, HS_ENOMEM, "out of memory");
    }
    return HS_OK;
}

/* Two text columns: b's codes are translated into a's, then compared as
 * numbers. */
static int
compare_texts(struct parser *p, enum hs_expr_op op, uint32_t a, uint32_t b, int pos,
              uint32_t *idx)
{
    size_t ia = p->used[p->nodes[a].col], ib = p->used[p->nodes[b].col], k, j;
    const struct hs_column *ca = p->cols->cols ? p->cols->cols[ia] : NULL;
    const struct hs_column *cb = p->cols->cols ? p->cols->cols[ib] : NULL;
    struct hs_expr_recode *r;
    uint32_t rec;
    int rc;

    if (!ca || !cb)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, pos,
                             "cannot compare text columns '%.100s' and '%.100s' at %d: "
                             "their values are not known",
                             p->cols->names[ia], p->cols->names[ib], pos);
    if (hs_grow((void **)&p->recodes, &p->recodes_cap, p->nrecodes + 1, sizeof *p->recodes) !=
        HS_OK)
        return hs_err_set(p->err, HS_ENOMEM, "out of memory");
    r = &p->recodes[p->nrecodes];
    r->n = cb->ncats;
    if (!(r->codes = hs_calloc(cb->ncats, sizeof *r->codes)))
        return hs_err_set(p->err, HS_ENOMEM, "out of memory");
    p->nrecodes++;
    for (k = 0; k < cb->ncats; k++) {
        r->codes[k] = -1;
        for (j = 0; j < ca->ncats; j++) {
            if (strcmp(cb->cats[k], ca->cats[j]) == 0) {
                r->codes[k] = (double)j;
                break;
            }
        }
    }
    p->nodes[a].type = T_NUM;
    p->nodes[b].type = T_NUM;
    if ((rc = make_op(p, HS_OP_RECODE, &b, 1, pos, &rec)) != HS_OK)
        return rc;
    p->nodes[rec].aux = (uint32_t)(p->nrecodes - 1);
    return make_binary(p, op, a, rec, pos, idx);
}

static int
make_compare(struct parser *p, enum hs_expr_op op, uint32_t a, uint32_t b, int pos,
             uint32_t *idx)
{
    struct node *na = &p->nodes[a], *nb = &p->nodes[b], *coln, *strn;
    bool texty_a = na->type == T_TEXT || na->type == T_STR;
    bool texty_b = nb->type == T_TEXT || nb->type == T_STR;
    double code;
    int rc;

    if (!texty_a && !texty_b)
        return make_binary(p, op, a, b, pos, idx);
    if (op != HS_OP_EQ && op != HS_OP_NE)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, pos,
                             "text can only be compared with '==' or '!=', not '%s' at %d",
                             hs_expr_ops[op].name, pos);
    if (na->type == T_STR && nb->type == T_STR)
        return need_number(p, a);
    if (na->type == T_TEXT && nb->type == T_TEXT)
        return compare_texts(p, op, a, b, pos, idx);
    if (na->type == T_STR || nb->type == T_STR) {
        strn = na->type == T_STR ? na : nb;
        coln = na->type == T_STR ? nb : na;
        if (coln->type != T_TEXT) {
            if (coln->kind == N_COL)
                return hs_err_set_at(p->err, HS_EUSAGE, 0, strn->pos,
                                     "cannot compare number column '%.100s' with the string "
                                     "\"%.100s\" at %d",
                                     col_name(p, coln), strn->str, strn->pos);
            return hs_err_set_at(p->err, HS_EUSAGE, 0, strn->pos,
                                 "cannot compare a number with the string \"%.100s\" at %d",
                                 strn->str, strn->pos);
        }
        if ((rc = text_code(p, coln, strn, &code)) != HS_OK)
            return rc;
        /* The string becomes the number it stands for in that column. */
        hs_free(strn->str);
        strn->str = NULL;
        strn->kind = N_NUM;
        strn->type = T_NUM;
        strn->value = code;
        coln->type = T_NUM;
        return make_binary(p, op, a, b, pos, idx);
    }
    /* A text column against a number. */
    return need_number(p, na->type == T_TEXT ? a : b);
}

/* ---- parsing ---- */

static int
next(struct parser *p)
{
    return hs_expr_lex_next(&p->lx, &p->tok, p->err);
}

static int
enter(struct parser *p, int pos)
{
    if (++p->depth > HS_EXPR_MAX_DEPTH)
        return hs_err_set_at(p->err, HS_ERANGE, 0, pos,
                             "expression nested too deeply at %d (more than %d levels)", pos,
                             HS_EXPR_MAX_DEPTH);
    return HS_OK;
}

static int
unexpected(struct parser *p, const char *expected)
{
    char what[240];

    hs_expr_tok_describe(&p->lx, &p->tok, what, sizeof what);
    if (p->tok.kind == HS_TOK_END)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, p->tok.pos, "unexpected end of expression at %d: expected %s",
                             p->tok.pos, expected);
    return hs_err_set_at(p->err, HS_EUSAGE, 0, p->tok.pos, "unexpected %s at %d: expected %s", what,
                         p->tok.pos, expected);
}

/* At a token that should have been ')': an unclosed parenthesis at the
 * end, else a token that does not belong. */
static int
unclosed(struct parser *p, int open_pos, const char *expected)
{
    char what[240];

    if (p->tok.kind == HS_TOK_END)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, open_pos, "unclosed '(' at %d", open_pos);
    hs_expr_tok_describe(&p->lx, &p->tok, what, sizeof what);
    return hs_err_set_at(p->err, HS_EUSAGE, 0, p->tok.pos,
                         "unexpected %s at %d: expected %s to close '(' at %d", what,
                         p->tok.pos, expected, open_pos);
}

static int parse_or(struct parser *p, uint32_t *idx);
static int parse_unary(struct parser *p, uint32_t *idx);

/* Few names are scanned; many are indexed once per compile (or come
 * indexed by the caller), so that an expression of thousands of terms
 * over thousands of columns compiles in linear time. */
enum { SCAN_MAX = 32 };

/* The position of name[0..len) in p->cols into *i, cols->n when absent. */
static int
find_column(struct parser *p, const char *name, size_t len, size_t *i)
{
    const struct hs_expr_columns *cols = p->cols;
    long at;

    if (!p->index && cols->n <= SCAN_MAX) {
        for (*i = 0; *i < cols->n; (*i)++)
            if (strlen(cols->names[*i]) == len && memcmp(cols->names[*i], name, len) == 0)
                break;
        return HS_OK;
    }
    if (!p->index) {
        for (size_t j = 0; j < cols->n; j++)
            if (hs_nameidx_put(&p->own_index, cols->names[j], (long)j))
                return hs_err_set(p->err, HS_ENOMEM, "out of memory");
        p->index = &p->own_index;
    }
    at = hs_nameidx_get(p->index, name, len);
    *i = at < 0 ? cols->n : (size_t)at;
    return HS_OK;
}

/* The slot of column i among those the expression reads into *k, adding
 * it when new.  Positions found by name are each a name's first, so a
 * name keys its slot. */
static int
use_column(struct parser *p, size_t i, size_t *k)
{
    const char *name = p->cols->names[i];
    long at;

    if (p->nused <= SCAN_MAX) {
        for (*k = 0; *k < p->nused; (*k)++)
            if (p->used[*k] == i)
                return HS_OK;
    } else if ((at = hs_nameidx_get(&p->used_index, name, strlen(name))) >= 0) {
        *k = (size_t)at;
        return HS_OK;
    }
    if (hs_grow((void **)&p->used, &p->used_cap, p->nused + 1, sizeof *p->used) != HS_OK)
        return hs_err_set(p->err, HS_ENOMEM, "out of memory");
    *k = p->nused;
    p->used[p->nused++] = i;
    if (p->nused == SCAN_MAX + 1) {
        for (size_t j = 0; j < p->nused; j++)
            if (hs_nameidx_put(&p->used_index, p->cols->names[p->used[j]], (long)j))
                return hs_err_set(p->err, HS_ENOMEM, "out of memory");
    } else if (p->nused > SCAN_MAX + 1 && hs_nameidx_put(&p->used_index, name, (long)*k)) {
        return hs_err_set(p->err, HS_ENOMEM, "out of memory");
    }
    return HS_OK;
}

static int
parse_column(struct parser *p, const char *name, size_t len, int pos, uint32_t *idx)
{
    const struct hs_expr_columns *cols = p->cols;
    size_t i = 0, k = 0;
    int rc;

    if ((rc = find_column(p, name, len, &i)))
        return rc;
    if (i == cols->n) {
        const char *hint = suggest_column(cols, name, len);
        int shown = len > 100 ? 100 : (int)len;
        if (hint)
            return hs_err_set_at(p->err, HS_ENOTFOUND, 0, pos,
                                 "column '%.*s' not found at %d (did you mean '%.100s'?)", shown,
                                 name, pos, hint);
        return hs_err_set_at(p->err, HS_ENOTFOUND, 0, pos, "column '%.*s' not found at %d",
                             shown, name, pos);
    }
    if ((rc = use_column(p, i, &k)))
        return rc;
    if ((rc = new_node(p, N_COL, cols->kinds && cols->kinds[i] == HS_COL_TEXT ? T_TEXT : T_NUM,
                       pos, idx)) != HS_OK)
        return rc;
    p->nodes[*idx].col = k;
    return HS_OK;
}

/* name(args...): the '(' is the current token. */
static int
parse_call(struct parser *p, const char *name, size_t len, int pos, uint32_t *idx)
{
    const struct hs_expr_func *f = NULL;
    uint32_t args[HS_EXPR_MAXARGS], acc = 0;
    int nargs = 0, open_pos = p->tok.pos, rc, shown = len > 100 ? 100 : (int)len;
    size_t i;

    for (i = 0; i < hs_expr_nfuncs; i++)
        if (strlen(hs_expr_funcs[i].name) == len && memcmp(hs_expr_funcs[i].name, name, len) == 0)
            f = &hs_expr_funcs[i];
    if (!f) {
        const char *hint = suggest_function(name, len);
        if (hint)
            return hs_err_set_at(p->err, HS_EUSAGE, 0, pos,
                                 "unknown function '%.*s' at %d (did you mean '%s'?)", shown, name,
                                 pos, hint);
        return hs_err_set_at(p->err, HS_EUSAGE, 0, pos, "unknown function '%.*s' at %d", shown,
                             name, pos);
    }
    if ((rc = enter(p, open_pos)) != HS_OK || (rc = next(p)) != HS_OK)
        return rc;
    if (p->tok.kind != HS_TOK_RPAREN) {
        for (;;) {
            uint32_t a;
            if ((rc = parse_or(p, &a)) != HS_OK)
                return rc;
            if (f->nargs < 0) {
                /* min(a,b,c) is min(min(a,b),c), built as the arguments come. */
                if (nargs == 0)
                    acc = a;
                else if ((rc = make_binary(p, f->op, acc, a, pos, &acc)) != HS_OK)
                    return rc;
            } else if (nargs < HS_EXPR_MAXARGS) {
                args[nargs] = a;
            }
            if (nargs < 1000000)
                nargs++;
            if (p->tok.kind == HS_TOK_COMMA) {
                if ((rc = next(p)) != HS_OK)
                    return rc;
                continue;
            }
            if (p->tok.kind == HS_TOK_RPAREN)
                break;
            return unclosed(p, open_pos, "',' or ')'");
        }
    }
    if ((rc = next(p)) != HS_OK)
        return rc;
    p->depth--;
    if (f->nargs < 0) {
        if (nargs < 2)
            return hs_err_set_at(p->err, HS_EUSAGE, 0, pos,
                                 "function '%s' at %d takes 2 or more arguments, got %d", f->name,
                                 pos, nargs);
        *idx = acc;
        return need_number(p, acc);
    }
    if (nargs != f->nargs)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, pos,
                             "function '%s' at %d takes %d argument%s, got %d", f->name, pos,
                             f->nargs, f->nargs == 1 ? "" : "s", nargs);
    return make_op(p, f->op, args, nargs, pos, idx);
}

static int
parse_primary(struct parser *p, uint32_t *idx)
{
    struct hs_token t = p->tok;
    int rc;

    switch (t.kind) {
    case HS_TOK_NUM:
        if ((rc = new_node(p, N_NUM, T_NUM, t.pos, idx)) != HS_OK)
            return rc;
        p->nodes[*idx].value = t.value;
        return next(p);
    case HS_TOK_STRING:
        if ((rc = new_node(p, N_STR, T_STR, t.pos, idx)) != HS_OK)
            return rc;
        if (!(p->nodes[*idx].str = hs_strndup(t.text, t.text_len)))
            return hs_err_set(p->err, HS_ENOMEM, "out of memory");
        return next(p);
    case HS_TOK_QNAME:
        if ((rc = parse_column(p, t.text, t.text_len, t.pos, idx)) != HS_OK)
            return rc;
        return next(p);
    case HS_TOK_IDENT:
        if ((rc = next(p)) != HS_OK)
            return rc;
        if (p->tok.kind == HS_TOK_LPAREN)
            return parse_call(p, p->lx.src + t.start, t.len, t.pos, idx);
        return parse_column(p, p->lx.src + t.start, t.len, t.pos, idx);
    case HS_TOK_LPAREN:
        if ((rc = enter(p, t.pos)) != HS_OK || (rc = next(p)) != HS_OK ||
            (rc = parse_or(p, idx)) != HS_OK)
            return rc;
        if (p->tok.kind != HS_TOK_RPAREN)
            return unclosed(p, t.pos, "')'");
        p->depth--;
        return next(p);
    default:
        return unexpected(p, "a value");
    }
}

/* power := primary ['^' unary]: right-associative, and tighter than a
 * unary minus on its left but not on its right (2^-1). */
static int
parse_power(struct parser *p, uint32_t *idx)
{
    uint32_t base, ex;
    int pos, rc;

    if ((rc = parse_primary(p, &base)) != HS_OK)
        return rc;
    if (p->tok.kind != HS_TOK_CARET) {
        *idx = base;
        return HS_OK;
    }
    pos = p->tok.pos;
    if ((rc = enter(p, pos)) != HS_OK || (rc = next(p)) != HS_OK ||
        (rc = parse_unary(p, &ex)) != HS_OK)
        return rc;
    p->depth--;
    return make_binary(p, HS_OP_POW, base, ex, pos, idx);
}

static int
parse_unary(struct parser *p, uint32_t *idx)
{
    enum hs_tok k = p->tok.kind;
    uint32_t a;
    int pos = p->tok.pos, rc;

    if (k != HS_TOK_MINUS && k != HS_TOK_PLUS && k != HS_TOK_NOT)
        return parse_power(p, idx);
    if ((rc = enter(p, pos)) != HS_OK || (rc = next(p)) != HS_OK ||
        (rc = parse_unary(p, &a)) != HS_OK)
        return rc;
    p->depth--;
    if (k == HS_TOK_PLUS) {
        *idx = a;
        return need_number(p, a);
    }
    return make_op(p, k == HS_TOK_MINUS ? HS_OP_NEG : HS_OP_NOT, &a, 1, pos, idx);
}

static int
parse_mul(struct parser *p, uint32_t *idx)
{
    uint32_t r;
    int rc;

    if ((rc = parse_unary(p, idx)) != HS_OK)
        return rc;
    while (p->tok.kind == HS_TOK_STAR || p->tok.kind == HS_TOK_SLASH) {
        enum hs_expr_op op = p->tok.kind == HS_TOK_STAR ? HS_OP_MUL : HS_OP_DIV;
        int pos = p->tok.pos;
        if ((rc = next(p)) != HS_OK || (rc = parse_unary(p, &r)) != HS_OK ||
            (rc = make_binary(p, op, *idx, r, pos, idx)) != HS_OK)
            return rc;
    }
    return HS_OK;
}

static int
parse_add(struct parser *p, uint32_t *idx)
{
    uint32_t r;
    int rc;

    if ((rc = parse_mul(p, idx)) != HS_OK)
        return rc;
    while (p->tok.kind == HS_TOK_PLUS || p->tok.kind == HS_TOK_MINUS) {
        enum hs_expr_op op = p->tok.kind == HS_TOK_PLUS ? HS_OP_ADD : HS_OP_SUB;
        int pos = p->tok.pos;
        if ((rc = next(p)) != HS_OK || (rc = parse_mul(p, &r)) != HS_OK ||
            (rc = make_binary(p, op, *idx, r, pos, idx)) != HS_OK)
            return rc;
    }
    return HS_OK;
}

static bool
compare_op(enum hs_tok k, enum hs_expr_op *op)
{
    switch (k) {
    case HS_TOK_LT: *op = HS_OP_LT; return true;
    case HS_TOK_LE: *op = HS_OP_LE; return true;
    case HS_TOK_GT: *op = HS_OP_GT; return true;
    case HS_TOK_GE: *op = HS_OP_GE; return true;
    case HS_TOK_EQ: *op = HS_OP_EQ; return true;
    case HS_TOK_NE: *op = HS_OP_NE; return true;
    default: return false;
    }
}

/* Comparisons do not chain: a < b < c means (a < b) < c in C, which is
 * never what a cut wants, so it is an error. */
static int
parse_cmp(struct parser *p, uint32_t *idx)
{
    enum hs_expr_op op;
    uint32_t r;
    int pos, rc;

    if ((rc = parse_add(p, idx)) != HS_OK)
        return rc;
    if (!compare_op(p->tok.kind, &op))
        return HS_OK;
    pos = p->tok.pos;
    if ((rc = next(p)) != HS_OK || (rc = parse_add(p, &r)) != HS_OK ||
        (rc = make_compare(p, op, *idx, r, pos, idx)) != HS_OK)
        return rc;
    if (compare_op(p->tok.kind, &op)) {
        char what[240];
        hs_expr_tok_describe(&p->lx, &p->tok, what, sizeof what);
        return hs_err_set_at(p->err, HS_EUSAGE, 0, p->tok.pos,
                             "unexpected %s at %d: comparisons do not chain (use &&)", what,
                             p->tok.pos);
    }
    return HS_OK;
}

static int
parse_and(struct parser *p, uint32_t *idx)
{
    uint32_t r;
    int rc;

    if ((rc = parse_cmp(p, idx)) != HS_OK)
        return rc;
    while (p->tok.kind == HS_TOK_AND) {
        int pos = p->tok.pos;
        if ((rc = next(p)) != HS_OK || (rc = parse_cmp(p, &r)) != HS_OK ||
            (rc = make_binary(p, HS_OP_AND, *idx, r, pos, idx)) != HS_OK)
            return rc;
    }
    return HS_OK;
}

static int
parse_or(struct parser *p, uint32_t *idx)
{
    uint32_t r;
    int rc;

    if ((rc = parse_and(p, idx)) != HS_OK)
        return rc;
    while (p->tok.kind == HS_TOK_OR) {
        int pos = p->tok.pos;
        if ((rc = next(p)) != HS_OK || (rc = parse_and(p, &r)) != HS_OK ||
            (rc = make_binary(p, HS_OP_OR, *idx, r, pos, idx)) != HS_OK)
            return rc;
    }
    return HS_OK;
}

/* ---- after parsing ---- */

/* Replace operations on constants by their value, computed by the same
 * kernels as at run time so that folding never changes a result.  An
 * operation whose constant operands give a domain error (log(-1)) is left
 * for run time, where it is counted on every row. */
static int
fold(struct parser *p, struct hs_err *err)
{
    double *buf = NULL;
    const double *argp[HS_EXPR_MAXARGS];
    size_t i;
    int j;

    for (i = 0; i < p->nnodes; i++) {
        struct node *n = &p->nodes[i];
        bool all_const = true, any_nan = false;
        double r;

        if (n->kind != N_OP || n->op == HS_OP_RECODE)
            continue;
        if (n->op == HS_OP_POW && p->nodes[n->args[1]].kind == N_NUM &&
            p->nodes[n->args[1]].value == 2.0) {
            n->op = HS_OP_SQUARE;
            n->nargs = 1;
        }
        for (j = 0; j < n->nargs; j++) {
            const struct node *a = &p->nodes[n->args[j]];
            all_const = all_const && a->kind == N_NUM;
            any_nan = any_nan || (a->kind == N_NUM && isnan(a->value));
        }
        if (!all_const)
            continue;
        if (!buf && !(buf = hs_malloc((HS_EXPR_MAXARGS + 1) * HS_EXPR_BLOCK * sizeof *buf)))
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        for (j = 0; j < n->nargs; j++) {
            double v = p->nodes[n->args[j]].value, *b = buf + (size_t)(j + 1) * HS_EXPR_BLOCK;
            size_t k;
            for (k = 0; k < HS_EXPR_BLOCK; k++)
                b[k] = v;
            argp[j] = b;
        }
        hs_expr_kernel((enum hs_expr_op)n->op, buf, argp);
        r = buf[0];
        if (isnan(r) && !any_nan)
            continue;
        n->kind = N_NUM;
        n->value = r;
    }
    hs_free(buf);
    return HS_OK;
}

struct codegen {
    struct hs_expr *e;
    size_t code_cap, consts_cap;
    bool *busy;          /* register in use */
    size_t busy_cap;
};

static int
emit(struct codegen *g, const struct hs_expr_ins *ins)
{
    if (hs_grow((void **)&g->e->code, &g->code_cap, g->e->ncode + 1, sizeof *g->e->code) != HS_OK)
        return HS_ENOMEM;
    g->e->code[g->e->ncode++] = *ins;
    return HS_OK;
}

static int
alloc_reg(struct codegen *g, uint32_t *slot)
{
    size_t r;

    for (r = 0; r < g->e->nregs && g->busy[r]; r++)
        ;
    if (r == g->e->nregs) {
        if (hs_grow((void **)&g->busy, &g->busy_cap, r + 1, sizeof *g->busy) != HS_OK)
            return HS_ENOMEM;
        g->e->nregs++;
    }
    g->busy[r] = true;
    *slot = hs_slot(HS_SLOT_REG, (uint32_t)r);
    return HS_OK;
}

static void
free_slot(struct codegen *g, uint32_t slot)
{
    if (hs_slot_kind(slot) == HS_SLOT_REG)
        g->busy[hs_slot_index(slot)] = false;
}

/* The slot of a leaf operand; a constant beyond HS_EXPR_CONST_BLOCKS is filled
 * into a register (HS_OP_COPY from a constant index in args[0] with
 * nargs 0, see expr_eval.c). */
static int
leaf_slot(struct codegen *g, const struct node *n, uint32_t *slot)
{
    struct hs_expr *e = g->e;
    size_t k;

    if (n->kind == N_COL) {
        *slot = hs_slot(HS_SLOT_COL, (uint32_t)n->col);
        return HS_OK;
    }
    for (k = 0; k < e->nconsts; k++)
        if (memcmp(&e->consts[k], &n->value, sizeof n->value) == 0)
            break;
    if (k == e->nconsts) {
        if (hs_grow((void **)&e->consts, &g->consts_cap, k + 1, sizeof *e->consts) != HS_OK)
            return HS_ENOMEM;
        e->consts[e->nconsts++] = n->value;
    }
    if (k < HS_EXPR_CONST_BLOCKS) {
        *slot = hs_slot(HS_SLOT_CONST, (uint32_t)k);
        return HS_OK;
    } else {
        struct hs_expr_ins ins = {.op = HS_OP_COPY, .nargs = 0};
        int rc;
        if ((rc = alloc_reg(g, slot)) != HS_OK)
            return rc;
        ins.dst = *slot;
        ins.args[0] = (uint32_t)k;
        return emit(g, &ins);
    }
}

static int
codegen(struct parser *p, struct hs_expr *e, struct hs_err *err)
{
    struct codegen g = {.e = e};
    bool *need = NULL;
    size_t root = p->nnodes - 1, i;
    int j, rc = HS_ENOMEM;

    if (!(need = hs_calloc(p->nnodes, sizeof *need)))
        goto fail;
    need[root] = true;
    for (i = p->nnodes; i-- > 0;)
        if (need[i] && p->nodes[i].kind == N_OP)
            for (j = 0; j < p->nodes[i].nargs; j++)
                need[p->nodes[i].args[j]] = true;
    for (i = 0; i < p->nnodes; i++) {
        struct node *n = &p->nodes[i];
        struct hs_expr_ins ins;
        if (!need[i] || (n->kind != N_OP && i != root))
            continue;
        memset(&ins, 0, sizeof ins);
        if (n->kind == N_OP) {
            ins.op = n->op;
            ins.nargs = n->nargs;
            ins.aux = n->aux;
            for (j = 0; j < n->nargs; j++) {
                const struct node *a = &p->nodes[n->args[j]];
                if (a->kind == N_OP)
                    ins.args[j] = a->slot;
                else if (leaf_slot(&g, a, &ins.args[j]) != HS_OK)
                    goto fail;
            }
        } else {
            ins.op = HS_OP_COPY;
            ins.nargs = 1;
            if (leaf_slot(&g, n, &ins.args[0]) != HS_OK)
                goto fail;
        }
        /* The destination is chosen while the operands still hold their
         * registers, so that it never overlaps them (the kernels take
         * restrict pointers). */
        if (i == root)
            ins.dst = hs_slot(HS_SLOT_OUT, 0);
        else if (alloc_reg(&g, &ins.dst) != HS_OK)
            goto fail;
        n->slot = ins.dst;
        for (j = 0; j < ins.nargs; j++)
            free_slot(&g, ins.args[j]);
        if (emit(&g, &ins) != HS_OK)
            goto fail;
    }
    rc = HS_OK;
fail:
    hs_free(need);
    hs_free(g.busy);
    return rc == HS_OK ? HS_OK : hs_err_set(err, rc, "out of memory");
}

static void
parser_release(struct parser *p)
{
    size_t i;

    for (i = 0; i < p->nnodes; i++)
        hs_free(p->nodes[i].str);
    hs_free(p->nodes);
    hs_free(p->used);
    hs_nameidx_release(&p->own_index);
    hs_nameidx_release(&p->used_index);
    hs_free(p->warning);
    for (i = 0; i < p->nrecodes; i++)
        hs_free(p->recodes[i].codes);
    hs_free(p->recodes);
    hs_expr_lex_release(&p->lx);
}

void
hs_expr_free(struct hs_expr *e)
{
    size_t i;

    if (!e)
        return;
    hs_free(e->code);
    hs_free(e->consts);
    hs_free(e->cols);
    if (e->col_names)
        for (i = 0; i < e->ncols; i++)
            hs_free(e->col_names[i]);
    hs_free(e->col_names);
    hs_free(e->col_kinds);
    hs_free(e->warning);
    for (i = 0; i < e->nrecodes; i++)
        hs_free(e->recodes[i].codes);
    hs_free(e->recodes);
    hs_free(e);
}

int
hs_expr_compile(const char *src, const struct hs_expr_columns *cols, struct hs_expr **out,
                struct hs_err *err)
{
    static const struct hs_expr_columns none = {0, NULL, NULL, NULL, NULL};
    struct parser p;
    struct hs_expr *e = NULL;
    uint32_t root;
    size_t len, i;
    int rc;

    if (!cols)
        cols = &none;
    len = strlen(src);
    if (len > HS_EXPR_MAX_LEN)
        return hs_err_set_at(err, HS_ERANGE, 0, 1, "expression too long (%zu bytes, at most %d)",
                             len, HS_EXPR_MAX_LEN);
    memset(&p, 0, sizeof p);
    p.cols = cols;
    p.index = cols->index;
    p.err = err;
    hs_expr_lex_init(&p.lx, src, len);
    if ((rc = next(&p)) != HS_OK)
        goto fail;
    if (p.tok.kind == HS_TOK_END) {
        rc = hs_err_set_at(err, HS_EUSAGE, 0, 1, "empty expression");
        goto fail;
    }
    if ((rc = parse_or(&p, &root)) != HS_OK)
        goto fail;
    if (p.tok.kind != HS_TOK_END) {
        rc = p.tok.kind == HS_TOK_RPAREN ? unexpected(&p, "an operator (no '(' to close)")
                                         : unexpected(&p, "an operator");
        goto fail;
    }
    if ((rc = need_number(&p, root)) != HS_OK)
        goto fail;
    /* The root was made last: the array is a post-order. */
    if (root != p.nnodes - 1) {
        rc = hs_err_set(err, HS_EUSAGE, "internal error: expression tree out of order");
        goto fail;
    }
    rc = HS_ENOMEM;
    if (!(e = hs_calloc(1, sizeof *e)))
        goto nomem;
    e->boolean = p.nodes[root].type == T_BOOL;
    if ((rc = fold(&p, err)) != HS_OK || (rc = codegen(&p, e, err)) != HS_OK)
        goto fail;
    rc = HS_ENOMEM;
    e->ncols = p.nused;
    if (!(e->cols = hs_calloc(p.nused, sizeof *e->cols)) ||
        !(e->col_names = hs_calloc(p.nused, sizeof *e->col_names)) ||
        !(e->col_kinds = hs_calloc(p.nused, sizeof *e->col_kinds)))
        goto nomem;
    for (i = 0; i < p.nused; i++) {
        e->cols[i] = p.used[i];
        e->col_kinds[i] = cols->kinds ? cols->kinds[p.used[i]] : HS_COL_NUMBER;
        if (!(e->col_names[i] = hs_strdup(cols->names[p.used[i]])))
            goto nomem;
    }
    e->warning = p.warning;
    p.warning = NULL;
    e->recodes = p.recodes;
    e->nrecodes = p.nrecodes;
    p.recodes = NULL;
    p.nrecodes = 0;
    parser_release(&p);
    *out = e;
    return HS_OK;
nomem:
    rc = hs_err_set(err, HS_ENOMEM, "out of memory");
fail:
    hs_expr_free(e);
    parser_release(&p);
    return rc;
}

int
hs_expr_compile_table(const char *src, const struct hs_table *t, struct hs_expr **out,
                      struct hs_err *err)
{
    struct hs_expr_columns cols;
    const char **names = NULL;
    enum hs_col_kind *kinds = NULL;
    const struct hs_column **cp = NULL;
    size_t i;
    int rc;

    if (!(names = hs_calloc(t->ncols, sizeof *names)) ||
        !(kinds = hs_calloc(t->ncols, sizeof *kinds)) || !(cp = hs_calloc(t->ncols, sizeof *cp))) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < t->ncols; i++) {
        names[i] = t->cols[i].name;
        kinds[i] = t->cols[i].kind;
        cp[i] = &t->cols[i];
    }
    cols.n = t->ncols;
    cols.names = names;
    cols.kinds = kinds;
    cols.cols = cp;
    cols.index = NULL;
    rc = hs_expr_compile(src, &cols, out, err);
done:
    hs_free(names);
    hs_free(kinds);
    hs_free(cp);
    return rc;
}
