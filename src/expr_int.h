/* expr_int.h: what the lexer, the compiler and the evaluator of expr share.
 *
 * Not a public interface: only src/expr_*.c, the unit test and src/cuts_export.c
 * (which translates expressions for other tools with the same lexer, so
 * that both read a cut the same way) include it.
 *
 * The pipeline: expr_lex.c cuts the source into tokens; expr_parse.c
 * builds a tree whose nodes sit in one array in post-order (every node
 * after its operands, since a node is made once its operands are parsed),
 * checks names and types, folds constants and turns the array into a
 * program; expr_eval.c runs the program over blocks of HS_EXPR_BLOCK rows.
 * Because of the post-order, the passes after parsing are loops over the
 * array, never recursions, so a long expression cannot exhaust the stack.
 */
#ifndef HS_EXPR_INT_H
#define HS_EXPR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr.h"

/* Rows per block: eight registers of a block fit in a core's L1 cache. */
#define HS_EXPR_BLOCK 1024
/* Constants get a block of their own, filled once per evaluation; past
 * this many distinct ones (only hostile input has so many), each use
 * fills a register instead, so memory stays bounded. */
#define HS_EXPR_CONST_BLOCKS 64
/* Most operands of an operation (mass has eight). */
#define HS_EXPR_MAXARGS 8

/* ---- tokens ---- */

enum hs_tok {
    HS_TOK_END,
    HS_TOK_NUM,     /* value */
    HS_TOK_IDENT,   /* start, len */
    HS_TOK_QNAME,   /* backquoted name: text (decoded) */
    HS_TOK_STRING,  /* text (decoded) */
    HS_TOK_LPAREN, HS_TOK_RPAREN, HS_TOK_COMMA,
    HS_TOK_PLUS, HS_TOK_MINUS, HS_TOK_STAR, HS_TOK_SLASH, HS_TOK_CARET,
    HS_TOK_LT, HS_TOK_LE, HS_TOK_GT, HS_TOK_GE, HS_TOK_EQ, HS_TOK_NE,
    HS_TOK_AND, HS_TOK_OR, HS_TOK_NOT,
};

struct hs_token {
    enum hs_tok kind;
    size_t start, len;  /* bytes of the source */
    int pos;            /* 1-based character offset of the first byte */
    double value;       /* HS_TOK_NUM */
    char *text;         /* HS_TOK_QNAME, HS_TOK_STRING: decoded, owned by the lexer */
    size_t text_len;
};

struct hs_lexer {
    const char *src;
    size_t len;
    size_t at;          /* next byte */
    int pos;            /* its 1-based character offset */
    char *buf;          /* decoded text of the last quoted token */
    size_t buf_cap;
};

void hs_expr_lex_init(struct hs_lexer *lx, const char *src, size_t len);
void hs_expr_lex_release(struct hs_lexer *lx);
/* The next token into *tok (its text is valid until the next call).
 * HS_EUSAGE with a located message for a bad character, number or
 * unterminated string; HS_ENOMEM. */
int hs_expr_lex_next(struct hs_lexer *lx, struct hs_token *tok, struct hs_err *err);
/* A short description of a token for messages: "')'", "'abc'", "end of expression". */
void hs_expr_tok_describe(const struct hs_lexer *lx, const struct hs_token *tok, char *buf,
                          size_t size);

/* ---- operations ---- */

enum hs_expr_op {
    HS_OP_COPY, HS_OP_NEG, HS_OP_NOT,
    HS_OP_ADD, HS_OP_SUB, HS_OP_MUL, HS_OP_DIV, HS_OP_POW, HS_OP_SQUARE,
    HS_OP_LT, HS_OP_LE, HS_OP_GT, HS_OP_GE, HS_OP_EQ, HS_OP_NE, HS_OP_AND, HS_OP_OR,
    HS_OP_SQRT, HS_OP_ABS, HS_OP_LOG, HS_OP_LOG10, HS_OP_EXP,
    HS_OP_SIN, HS_OP_COS, HS_OP_TAN, HS_OP_ASIN, HS_OP_ACOS, HS_OP_ATAN, HS_OP_ATAN2,
    HS_OP_SINH, HS_OP_COSH, HS_OP_TANH, HS_OP_MIN, HS_OP_MAX,
    HS_OP_MASS, HS_OP_PT, HS_OP_P, HS_OP_ETA, HS_OP_RAPIDITY, HS_OP_PHI, HS_OP_DPHI,
    HS_OP_DELTAR, HS_OP_ANGLE,
    HS_OP_RECODE,       /* text codes of one column to another's (table aux) */
    HS_OP_COUNT
};

struct hs_expr_opinfo {
    const char *name;   /* the function's name, or the operator's spelling */
    int nargs;
    bool boolean;       /* result is 0 or 1, never NaN */
    bool can_nan;       /* may make NaN from operands that are not (counted) */
};

extern const struct hs_expr_opinfo hs_expr_ops[HS_OP_COUNT];

struct hs_expr_func {
    const char *name;
    enum hs_expr_op op;
    int nargs;          /* exact count, or -2 for "two or more" (min, max) */
};

extern const struct hs_expr_func hs_expr_funcs[];
extern const size_t hs_expr_nfuncs;

/* Run op over one block: out[i] = op(args[0][i], ...) for every i below
 * HS_EXPR_BLOCK.  out must not overlap any argument. */
void hs_expr_kernel(enum hs_expr_op op, double *out, const double *const *args);

/* ---- the program ---- */

/* An operand is a slot: a block register, a column, a constant or the output. */
enum hs_slot_kind { HS_SLOT_REG = 0, HS_SLOT_COL = 1, HS_SLOT_CONST = 2, HS_SLOT_OUT = 3 };

static inline uint32_t
hs_slot(enum hs_slot_kind kind, uint32_t idx)
{
    return ((uint32_t)kind << 30) | idx;
}

static inline enum hs_slot_kind
hs_slot_kind(uint32_t slot)
{
    return (enum hs_slot_kind)(slot >> 30);
}

static inline uint32_t
hs_slot_index(uint32_t slot)
{
    return slot & 0x3fffffffu;
}

struct hs_expr_ins {
    uint16_t op;        /* enum hs_expr_op */
    uint16_t nargs;
    uint32_t dst;
    uint32_t args[HS_EXPR_MAXARGS];
    uint32_t aux;       /* HS_OP_RECODE: its table */
};

/* Codes of a text column translated to another's: code k becomes
 * codes[k], -1 when the other column lacks that string. */
struct hs_expr_recode {
    double *codes;
    size_t n;
};

struct hs_expr {
    struct hs_expr_ins *code;
    size_t ncode;
    double *consts;
    size_t nconsts;
    size_t nregs;
    size_t *cols;        /* resolver index of each column read */
    char **col_names;
    enum hs_col_kind *col_kinds;
    size_t ncols;
    struct hs_expr_recode *recodes;
    size_t nrecodes;
    bool boolean;
    char *warning;
};

#endif
