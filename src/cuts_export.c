/* cuts_export.c: a cut set written as SQL, C or a ROOT TCut.
 *
 * Expression cuts are re-read with the expression language's own lexer
 * (expr_int.h, so the tokens are exactly those the compiler sees) and a
 * small recursive-descent parser of the same grammar that writes the
 * target language as it goes.  Every operation is parenthesised, since
 * the targets' precedences differ (SQL's NOT binds looser than a
 * comparison).  The translation keeps the meaning of missing values:
 *   - C and ROOT: NaN is true in C's eyes, so a number used as a truth
 *     value becomes (x < 0 || x > 0), and x != y (true for NaN in C)
 *     becomes (x < y || x > y);
 *   - SQL: a missing value is NULL, and NULL in AND, OR and a WHERE acts
 *     as false, as NaN does here, but NOT NULL is NULL where !NaN is 1:
 *     so NOT, and a truth value used as a number, go through COALESCE.
 * Integer literals get ".0" in SQL and C, where 3/2 would be 1.
 * NEEDSWORK: ROOT's min and max are TMath::Min/Max, which do not spread
 * NaN as ours do; ROOT trees rarely hold NaN.
 */
#include "config.h"

#include "cuts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "expr_int.h"
#include "mem.h"
#include "names.h"
#include "numparse.h"
#include "strbuf.h"

/* A new string from a format; NULL when out of memory. */
static char *
fmt(const char *f, ...) __attribute__((format(__printf__, 1, 2)));

static char *
fmt(const char *f, ...)
{
    va_list ap;
    int n;
    char *s;

    va_start(ap, f);
    n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    s = hs_malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

static const char *const lang_names[] = {"SQL", "C", "ROOT"};

static bool
is_c_keyword(const char *s)
{
    static const char *const kw[] = {
        "auto",     "break",    "case",     "char",     "const",    "continue", "default",
        "do",       "double",   "else",     "enum",     "extern",   "float",    "for",
        "goto",     "if",       "inline",   "int",      "long",     "register", "restrict",
        "return",   "short",    "signed",   "sizeof",   "static",   "struct",   "switch",
        "typedef",  "union",    "unsigned", "void",     "volatile", "while",    "_Bool",
        "_Complex", "_Alignas", "_Alignof", "_Atomic",  "_Generic", "_Noreturn", "_Static_assert",
        "_Thread_local",
    };
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if (strcmp(s, kw[i]) == 0)
            return true;
    return false;
}

/* A column name in the target language (new string), or an error. */
static int
emit_name(enum hs_cuts_lang lang, const char *name, char **out, struct hs_err *err)
{
    if (lang == HS_CUTS_SQL) {
        size_t n = 2, k = 0;
        char *s;
        for (const char *p = name; *p; p++)
            n += *p == '"' ? 2 : 1;
        s = hs_malloc(n + 1);
        if (!s)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        s[k++] = '"';
        for (const char *p = name; *p; p++) {
            if (*p == '"')
                s[k++] = '"';
            s[k++] = *p;
        }
        s[k++] = '"';
        s[k] = '\0';
        *out = s;
        return HS_OK;
    }
    if (lang == HS_CUTS_C && (!hs_name_is_identifier(name) || is_c_keyword(name)))
        return hs_err_set(err, HS_EUSAGE,
                          "column '%s' is not a C identifier: rename it or derive a feature "
                          "with a plain name",
                          name);
    *out = hs_strdup(name);
    return *out ? HS_OK : hs_err_set(err, HS_ENOMEM, "out of memory");
}

/* A number; in expressions (as_real) an integer gets ".0" in SQL and C. */
static char *
emit_number(enum hs_cuts_lang lang, double v, bool as_real)
{
    char buf[HS_NUM_BUF];

    if (isinf(v)) {
        const char *inf = lang == HS_CUTS_SQL ? "9e999" : lang == HS_CUTS_C ? "HUGE_VAL"
                                                                            : "TMath::Infinity()";
        return fmt("%s%s", v < 0 ? "-" : "", inf);
    }
    hs_num_format(v, buf);
    if (as_real && lang != HS_CUTS_ROOT && !strpbrk(buf, ".eEn"))
        return fmt("%s.0", buf);
    return hs_strdup(buf);
}

/* ---- expression translation ---- */

enum kind { K_NUM, K_BOOL, K_STR };

struct node {
    char *s;
    enum kind kind;
};

struct parser {
    struct hs_lexer lx;
    struct hs_token tok;
    enum hs_cuts_lang lang;
    int depth;
    struct hs_err *err;
};

static int
nomem(struct parser *p)
{
    return hs_err_set(p->err, HS_ENOMEM, "out of memory");
}

static int
next(struct parser *p)
{
    return hs_expr_lex_next(&p->lx, &p->tok, p->err);
}

static int
unexpected(struct parser *p)
{
    char what[256];
    hs_expr_tok_describe(&p->lx, &p->tok, what, sizeof what);
    return hs_err_set_at(p->err, HS_EUSAGE, 0, p->tok.pos, "unexpected %s at %d", what,
                         p->tok.pos);
}

/* Translations repeat operands (x != y, min, pt, truth values), so
 * nesting could grow them exponentially: cap each piece. */
#define EXPORT_MAX_LEN (16 * HS_EXPR_MAX_LEN)

static int
too_long(struct parser *p, char *s)
{
    if (s && strlen(s) <= EXPORT_MAX_LEN)
        return HS_OK;
    hs_free(s);
    return hs_err_set(p->err, HS_ERANGE, "the %s translation would be over %d bytes",
                      lang_names[p->lang], EXPORT_MAX_LEN);
}

/* Take ownership of s into node n (of kind k); out of memory when NULL. */
static int
set(struct parser *p, struct node *n, char *s, enum kind k)
{
    int rc;
    n->s = NULL;
    if (!s)
        return nomem(p);
    rc = too_long(p, s);
    if (rc)
        return rc;
    n->s = s;
    n->kind = k;
    return HS_OK;
}

/* n as a number: in SQL a truth value may be NULL, which here is 0. */
static int
as_num(struct parser *p, struct node *n, int pos)
{
    char *s;
    if (n->kind == K_STR)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, pos,
                             "a string at %d can only be compared with a text column", pos);
    if (p->lang != HS_CUTS_SQL || n->kind != K_BOOL)
        return HS_OK;
    s = fmt("COALESCE(%s, 0)", n->s);
    hs_free(n->s);
    return set(p, n, s, K_NUM);
}

/* n as a truth value: in C and ROOT, NaN must be false. */
static int
as_cond(struct parser *p, struct node *n, int pos)
{
    char *s;
    if (n->kind == K_STR)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, pos,
                             "a string at %d can only be compared with a text column", pos);
    if (p->lang == HS_CUTS_SQL || n->kind == K_BOOL)
        return HS_OK;
    s = fmt("(%s < 0 || %s > 0)", n->s, n->s);
    hs_free(n->s);
    return set(p, n, s, K_BOOL);
}

/* Add "OP R" to a run of one level's operators, opening it with "(FIRST"
 * at its first term. */
static void
run_append(struct hs_strbuf *run, const struct node *first, const char *op, const struct node *r)
{
    if (run->len == 0)
        hs_strbuf_printf(run, "(%s", first->s);
    hs_strbuf_printf(run, " %s %s", op, r->s);
}

static int parse_or(struct parser *p, struct node *out);
static int parse_unary(struct parser *p, struct node *out);

enum fn_form {
    F_PLAIN,   /* name(args) with the target's name */
    F_MINMAX,  /* min/max, two or more arguments, folded pairwise */
    F_PT,      /* sqrt(x*x + y*y) */
    F_P,       /* sqrt(x*x + y*y + z*z) */
    F_PHI,     /* atan2(y, x) */
    F_NONE,    /* no equivalent */
};

struct fn {
    const char *name;
    int nargs;              /* -2: two or more */
    enum fn_form form;
    const char *as[3];      /* SQL, C, ROOT names (F_PLAIN, F_MINMAX) */
};

static const struct fn fns[] = {
    {"sqrt", 1, F_PLAIN, {"sqrt", "sqrt", "sqrt"}},
    {"abs", 1, F_PLAIN, {"abs", "fabs", "TMath::Abs"}},
    {"log", 1, F_PLAIN, {"ln", "log", "log"}},
    {"log10", 1, F_PLAIN, {"log10", "log10", "log10"}},
    {"exp", 1, F_PLAIN, {"exp", "exp", "exp"}},
    {"sin", 1, F_PLAIN, {"sin", "sin", "sin"}},
    {"cos", 1, F_PLAIN, {"cos", "cos", "cos"}},
    {"tan", 1, F_PLAIN, {"tan", "tan", "tan"}},
    {"asin", 1, F_PLAIN, {"asin", "asin", "asin"}},
    {"acos", 1, F_PLAIN, {"acos", "acos", "acos"}},
    {"atan", 1, F_PLAIN, {"atan", "atan", "atan"}},
    {"atan2", 2, F_PLAIN, {"atan2", "atan2", "atan2"}},
    {"sinh", 1, F_PLAIN, {"sinh", "sinh", "sinh"}},
    {"cosh", 1, F_PLAIN, {"cosh", "cosh", "cosh"}},
    {"tanh", 1, F_PLAIN, {"tanh", "tanh", "tanh"}},
    {"pow", 2, F_PLAIN, {"pow", "pow", "pow"}},
    {"min", -2, F_MINMAX, {"min", "<", "TMath::Min"}},
    {"max", -2, F_MINMAX, {"max", ">", "TMath::Max"}},
    {"pt", 2, F_PT, {NULL, NULL, NULL}},
    {"p", 3, F_P, {NULL, NULL, NULL}},
    {"phi", 2, F_PHI, {NULL, NULL, NULL}},
    {"mass", 8, F_NONE, {NULL, NULL, NULL}},
    {"eta", 3, F_NONE, {NULL, NULL, NULL}},
    {"rapidity", 2, F_NONE, {NULL, NULL, NULL}},
    {"dphi", 2, F_NONE, {NULL, NULL, NULL}},
    {"deltaR", 4, F_NONE, {NULL, NULL, NULL}},
    {"angle", 6, F_NONE, {NULL, NULL, NULL}},
};

static void
free_args(struct node *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hs_free(a[i].s);
}

/* Join args with ", " into a new string. */
static char *
join_args(const struct node *a, size_t n)
{
    size_t len = 1;
    char *s;
    for (size_t i = 0; i < n; i++)
        len += strlen(a[i].s) + 2;
    s = hs_malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, a[i].s);
    }
    return s;
}

static int
call(struct parser *p, const struct fn *f, struct node *a, size_t n, int pos, struct node *out)
{
    const char *nm = f->as[p->lang];
    char *s = NULL;

    switch (f->form) {
    case F_PLAIN: {
        char *args = join_args(a, n);
        if (!args)
            return nomem(p);
        s = fmt("%s(%s)", nm, args);
        hs_free(args);
        break;
    }
    case F_MINMAX:
        if (p->lang == HS_CUTS_SQL) {
            /* SQLite's scalar min() and max() give NULL if any argument is. */
            char *args = join_args(a, n);
            if (!args)
                return nomem(p);
            s = fmt("%s(%s)", nm, args);
            hs_free(args);
            break;
        }
        s = hs_strdup(a[0].s);
        for (size_t i = 1; i < n && s; i++) {
            char *t;
            if (p->lang == HS_CUTS_C) /* as the evaluator does: a NaN on the left wins */
                t = fmt("(%s %s %s || %s != %s ? %s : %s)", s, nm, a[i].s, s, s, s, a[i].s);
            else
                t = fmt("%s(%s, %s)", nm, s, a[i].s);
            hs_free(s);
            s = t;
            if (s && too_long(p, s))
                return HS_ERANGE;
        }
        break;
    case F_PT:
    case F_P:
        if (p->lang == HS_CUTS_SQL)
            goto none;
        if (f->form == F_PT)
            s = fmt("sqrt(%s * %s + %s * %s)", a[0].s, a[0].s, a[1].s, a[1].s);
        else
            s = fmt("sqrt(%s * %s + %s * %s + %s * %s)", a[0].s, a[0].s, a[1].s, a[1].s,
                    a[2].s, a[2].s);
        break;
    case F_PHI:
        s = fmt("atan2(%s, %s)", a[1].s, a[0].s);
        break;
    case F_NONE:
    none:
        return hs_err_set_at(p->err, HS_EUSAGE, 0, pos,
                             "function '%s' has no %s equivalent: derive it as a feature first",
                             f->name, lang_names[p->lang]);
    }
    return set(p, out, s, K_NUM);
}

static int
parse_call(struct parser *p, const char *name, size_t len, int pos, struct node *out)
{
    const struct fn *f = NULL;
    struct node a[HS_EXPR_MAXARGS + 1] = {{0}};
    size_t n = 0;
    int rc;

    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
        if (strlen(fns[i].name) == len && memcmp(fns[i].name, name, len) == 0)
            f = &fns[i];
    if (!f)
        return hs_err_set_at(p->err, HS_EUSAGE, 0, pos, "unknown function '%.*s' at %d",
                             (int)len, name, pos);
    rc = next(p); /* the '(' */
    if (!rc && p->tok.kind == HS_TOK_RPAREN)
        goto count;
    while (!rc) {
        int apos = p->tok.pos;
        if (n == HS_EXPR_MAXARGS) {
            rc = hs_err_set_at(p->err, HS_EUSAGE, 0, apos, "too many arguments to '%s' at %d",
                               f->name, apos);
            break;
        }
        rc = parse_or(p, &a[n]);
        if (rc)
            break;
        n++;
        rc = as_num(p, &a[n - 1], apos);
        if (rc || p->tok.kind != HS_TOK_COMMA)
            break;
        rc = next(p);
    }
    if (!rc && p->tok.kind != HS_TOK_RPAREN)
        rc = unexpected(p);
count:
    if (!rc && (f->nargs == -2 ? n < 2 : n != (size_t)f->nargs))
        rc = hs_err_set_at(p->err, HS_EUSAGE, 0, pos, "function '%s' at %d takes %s%d argument%s",
                           f->name, pos, f->nargs == -2 ? "at least " : "",
                           f->nargs == -2 ? 2 : f->nargs, f->nargs == 1 ? "" : "s");
    if (!rc)
        rc = next(p);
    if (!rc)
        rc = call(p, f, a, n, pos, out);
    free_args(a, n);
    return rc;
}

/* After a primary: the next token.  On failure the primary is freed, as
 * every parse function leaves nothing behind when it fails. */
static int
then_next(struct parser *p, struct node *out, int rc)
{
    if (rc == HS_OK)
        rc = next(p);
    if (rc) {
        hs_free(out->s);
        out->s = NULL;
    }
    return rc;
}

static int
parse_primary(struct parser *p, struct node *out)
{
    struct hs_token t = p->tok;
    int rc;

    switch (t.kind) {
    case HS_TOK_NUM:
        rc = set(p, out, emit_number(p->lang, t.value, true), K_NUM);
        return then_next(p, out, rc);
    case HS_TOK_IDENT: {
        char *name = hs_strndup(p->lx.src + t.start, t.len);
        if (!name)
            return nomem(p);
        rc = next(p);
        if (!rc && p->tok.kind == HS_TOK_LPAREN)
            rc = parse_call(p, name, t.len, t.pos, out);
        else if (!rc) {
            rc = emit_name(p->lang, name, &out->s, p->err);
            out->kind = K_NUM;
            if (rc && rc != HS_ENOMEM)
                p->err->col = t.pos;
        }
        hs_free(name);
        return rc;
    }
    case HS_TOK_QNAME: {
        char *name = hs_strndup(t.text, t.text_len);
        if (!name)
            return nomem(p);
        rc = emit_name(p->lang, name, &out->s, p->err);
        out->kind = K_NUM;
        if (rc && rc != HS_ENOMEM)
            p->err->col = t.pos;
        hs_free(name);
        return then_next(p, out, rc);
    }
    case HS_TOK_STRING: {
        size_t n = 3, k = 0;
        char *s;
        if (p->lang == HS_CUTS_C)
            return hs_err_set_at(p->err, HS_EUSAGE, 0, t.pos,
                                 "the string at %d has no C equivalent: text columns are codes "
                                 "there",
                                 t.pos);
        for (size_t i = 0; i < t.text_len; i++)
            n += (t.text[i] == '\'' || t.text[i] == '"' || t.text[i] == '\\') ? 2 : 1;
        s = hs_malloc(n);
        if (!s)
            return nomem(p);
        s[k++] = p->lang == HS_CUTS_SQL ? '\'' : '"';
        for (size_t i = 0; i < t.text_len; i++) {
            char c = t.text[i];
            if (p->lang == HS_CUTS_SQL && c == '\'')
                s[k++] = '\'';
            else if (p->lang == HS_CUTS_ROOT && (c == '"' || c == '\\'))
                s[k++] = '\\';
            s[k++] = c;
        }
        s[k++] = p->lang == HS_CUTS_SQL ? '\'' : '"';
        s[k] = '\0';
        rc = set(p, out, s, K_STR);
        return then_next(p, out, rc);
    }
    case HS_TOK_LPAREN:
        rc = next(p);
        if (!rc)
            rc = parse_or(p, out);
        if (!rc && p->tok.kind != HS_TOK_RPAREN) {
            hs_free(out->s);
            out->s = NULL;
            if (p->tok.kind == HS_TOK_END)
                return hs_err_set_at(p->err, HS_EUSAGE, 0, t.pos, "unclosed '(' at %d", t.pos);
            return unexpected(p);
        }
        return then_next(p, out, rc);
    default:
        return unexpected(p);
    }
}

/* primary ('^' unary)?: right-associative, tighter than a unary minus on
 * its left, and the exponent may have its own sign. */
static int
parse_pow(struct parser *p, struct node *out)
{
    struct node r = {0};
    int pos = p->tok.pos, rpos, rc;
    char *s;

    rc = parse_primary(p, out);
    if (rc || p->tok.kind != HS_TOK_CARET)
        return rc;
    rc = as_num(p, out, pos);
    if (!rc)
        rc = next(p);
    rpos = p->tok.pos;
    if (!rc)
        rc = parse_unary(p, &r);
    if (!rc)
        rc = as_num(p, &r, rpos);
    if (rc) {
        hs_free(out->s);
        hs_free(r.s);
        out->s = NULL;
        return rc;
    }
    s = fmt("pow(%s, %s)", out->s, r.s);
    hs_free(out->s);
    hs_free(r.s);
    return set(p, out, s, K_NUM);
}

static int
parse_unary(struct parser *p, struct node *out)
{
    enum hs_tok op = p->tok.kind;
    int pos, rc;
    char *s;

    if (op != HS_TOK_MINUS && op != HS_TOK_PLUS && op != HS_TOK_NOT)
        return parse_pow(p, out);
    if (++p->depth > HS_EXPR_MAX_DEPTH)
        return hs_err_set_at(p->err, HS_ERANGE, 0, p->tok.pos,
                             "expression nested too deeply at %d", p->tok.pos);
    rc = next(p);
    pos = p->tok.pos;
    if (!rc)
        rc = parse_unary(p, out);
    p->depth--;
    if (rc)
        return rc;
    if (op == HS_TOK_NOT) {
        if (p->lang == HS_CUTS_SQL)
            rc = out->kind == K_STR ? as_num(p, out, pos) : HS_OK;
        else
            rc = as_cond(p, out, pos);
        if (rc)
            goto fail;
        s = p->lang == HS_CUTS_SQL ? fmt("(NOT COALESCE(%s, 0))", out->s) : fmt("(!%s)", out->s);
        hs_free(out->s);
        return set(p, out, s, K_BOOL);
    }
    rc = as_num(p, out, pos);
    if (rc)
        goto fail;
    if (op == HS_TOK_PLUS)
        return HS_OK;
    s = fmt("(-%s)", out->s);
    hs_free(out->s);
    return set(p, out, s, K_NUM);
fail:
    hs_free(out->s);
    out->s = NULL;
    return rc;
}

/* One left-associative level of binary operators.  A run of operators
 * of one level (a && b && c, a - b + c) is written as one parenthesised
 * run, which every target reads left to right as we do, built in one
 * buffer: nesting each step, "((a && b) && c)", would copy the text so
 * far at every term (quadratic in the terms) and nest the parentheses as
 * deep as the run is long, past what compilers accept. */
static int
parse_binary(struct parser *p, int level, struct node *out)
{
    struct hs_strbuf run = {0};
    enum kind run_kind = level <= 1 ? K_BOOL : K_NUM;
    int pos = p->tok.pos, rc;

    if (++p->depth > HS_EXPR_MAX_DEPTH)
        return hs_err_set_at(p->err, HS_ERANGE, 0, p->tok.pos,
                             "expression nested too deeply at %d", p->tok.pos);
    rc = level == 4 ? parse_unary(p, out) : parse_binary(p, level + 1, out);
    for (int ncmp = 0; !rc; ncmp++) {
        enum hs_tok op = p->tok.kind;
        int opos = p->tok.pos, rpos;
        struct node r = {0};
        bool cmp = op >= HS_TOK_LT && op <= HS_TOK_NE;
        char *s = NULL;
        enum kind k = K_NUM;

        if (!((level == 0 && op == HS_TOK_OR) || (level == 1 && op == HS_TOK_AND) ||
              (level == 2 && cmp) || (level == 3 && (op == HS_TOK_PLUS || op == HS_TOK_MINUS)) ||
              (level == 4 && (op == HS_TOK_STAR || op == HS_TOK_SLASH))))
            break;
        if (level == 2 && ncmp > 0) {
            rc = hs_err_set_at(p->err, HS_EUSAGE, 0, opos, "comparisons do not chain at %d",
                               opos);
            break;
        }
        rc = next(p);
        rpos = p->tok.pos;
        if (!rc)
            rc = level == 4 ? parse_unary(p, &r) : parse_binary(p, level + 1, &r);
        if (rc)
            break;
        if (level <= 1) {
            if (run.len == 0)
                rc = as_cond(p, out, pos);
            if (!rc)
                rc = as_cond(p, &r, rpos);
            if (!rc)
                run_append(&run, out, p->lang == HS_CUTS_SQL ? (level ? "AND" : "OR")
                                                             : (level ? "&&" : "||"),
                           &r);
        } else if (cmp && (out->kind == K_STR || r.kind == K_STR)) {
            if (op != HS_TOK_EQ && op != HS_TOK_NE)
                rc = hs_err_set_at(p->err, HS_EUSAGE, 0, opos,
                                   "a string can only be compared with '==' or '!=' at %d",
                                   opos);
            else if (out->kind == K_STR && r.kind == K_STR)
                rc = hs_err_set_at(p->err, HS_EUSAGE, 0, opos,
                                   "two strings compared at %d", opos);
            else
                s = fmt("(%s %s %s)", out->s,
                        op == HS_TOK_EQ ? (p->lang == HS_CUTS_SQL ? "=" : "==")
                                        : (p->lang == HS_CUTS_SQL ? "<>" : "!="),
                        r.s);
            k = K_BOOL;
        } else {
            static const char *const ops[] = {
                [HS_TOK_PLUS] = "+", [HS_TOK_MINUS] = "-", [HS_TOK_STAR] = "*",
                [HS_TOK_SLASH] = "/", [HS_TOK_LT] = "<",   [HS_TOK_LE] = "<=",
                [HS_TOK_GT] = ">",   [HS_TOK_GE] = ">=",   [HS_TOK_EQ] = "==",
                [HS_TOK_NE] = "!=",
            };
            const char *o = ops[op];
            rc = as_num(p, out, pos);
            if (!rc)
                rc = as_num(p, &r, rpos);
            if (!rc && p->lang == HS_CUTS_SQL && op == HS_TOK_EQ)
                o = "=";
            if (!rc && p->lang == HS_CUTS_SQL && op == HS_TOK_NE)
                o = "<>";
            if (!rc && op == HS_TOK_NE && p->lang != HS_CUTS_SQL)
                s = fmt("(%s < %s || %s > %s)", out->s, r.s, out->s, r.s);
            else if (!rc && cmp)
                s = fmt("(%s %s %s)", out->s, o, r.s);
            else if (!rc)
                run_append(&run, out, o, &r);
            k = cmp ? K_BOOL : K_NUM;
        }
        hs_free(r.s);
        if (rc)
            break;
        if (run.len) {
            if (run.failed) {
                rc = nomem(p);
                break;
            }
            if (run.len > EXPORT_MAX_LEN) {
                rc = too_long(p, NULL);
                break;
            }
            continue;
        }
        hs_free(out->s);
        out->s = NULL;
        rc = set(p, out, s, k);
    }
    if (!rc && run.len) {
        hs_strbuf_printf(&run, ")");
        hs_free(out->s);
        out->s = NULL;
        rc = set(p, out, hs_strbuf_detach(&run), run_kind);
    }
    hs_strbuf_release(&run);
    p->depth--;
    if (rc) {
        hs_free(out->s);
        out->s = NULL;
    }
    return rc;
}

static int
parse_or(struct parser *p, struct node *out)
{
    return parse_binary(p, 0, out);
}

/* The translation of one expression cut, as a condition. */
static int
translate(const char *src, enum hs_cuts_lang lang, char **out, struct hs_err *err)
{
    struct parser p = {.lang = lang, .err = err};
    struct node n = {0};
    size_t len = strlen(src);
    int rc;

    if (len > HS_EXPR_MAX_LEN)
        return hs_err_set(err, HS_ERANGE, "expression longer than %d bytes", HS_EXPR_MAX_LEN);
    hs_expr_lex_init(&p.lx, src, len);
    rc = next(&p);
    if (!rc)
        rc = parse_or(&p, &n);
    if (!rc && p.tok.kind != HS_TOK_END)
        rc = unexpected(&p);
    if (!rc)
        rc = as_cond(&p, &n, 1);
    hs_expr_lex_release(&p.lx);
    if (rc) {
        hs_free(n.s);
        return rc;
    }
    *out = n.s;
    return HS_OK;
}

/* ---- whole sets ---- */

static int
range_cond(const struct hs_cut *c, enum hs_cuts_lang lang, char **out, struct hs_err *err)
{
    static const char *const and_[] = {" AND ", " && ", "&&"};
    static const char *const ge[] = {" >= ", " >= ", ">="};
    static const char *const lt[] = {" < ", " < ", "<"};
    char *name = NULL, *lo = NULL, *hi = NULL, *s = NULL;
    int rc = emit_name(lang, c->feature, &name, err);

    if (rc)
        return rc;
    lo = emit_number(lang, c->lo, false);
    hi = emit_number(lang, c->hi, false);
    if (lo && hi) {
        if (c->lo == -HUGE_VAL && c->hi == HUGE_VAL)
            s = lang == HS_CUTS_SQL ? fmt("%s IS NOT NULL", name)
                : lang == HS_CUTS_C ? fmt("%s == %s", name, name)
                                    : fmt("%s==%s", name, name);
        else if (c->lo == -HUGE_VAL)
            s = fmt("%s%s%s", name, lt[lang], hi);
        else if (c->hi == HUGE_VAL)
            s = fmt("%s%s%s", name, ge[lang], lo);
        else
            s = fmt("%s%s%s%s%s%s%s", name, ge[lang], lo, and_[lang], name, lt[lang], hi);
    }
    hs_free(name);
    hs_free(lo);
    hs_free(hi);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    *out = s;
    return HS_OK;
}

int
hs_cutset_export(const struct hs_cutset *cs, enum hs_cuts_lang lang, char **out,
                 struct hs_err *err)
{
    static const char *const and_[] = {" AND ", " && ", "&&"};
    struct hs_strbuf acc = {0};
    bool wrap;
    int rc = HS_OK;

    if (lang != HS_CUTS_SQL && lang != HS_CUTS_C && lang != HS_CUTS_ROOT)
        return hs_err_set(err, HS_EUSAGE, "unknown export language");
    /* C gets one pair of parentheses round the whole, unless it is one
     * expression cut (which has them). */
    wrap = lang == HS_CUTS_C && cs->n > 0;
    if (wrap)
        hs_strbuf_printf(&acc, "(");
    for (size_t k = 0; k < cs->n; k++) {
        const struct hs_cut *c = &cs->cuts[k];
        char *one = NULL;
        if (c->kind == HS_CUT_RANGE)
            rc = range_cond(c, lang, &one, err);
        else
            rc = translate(c->expr, lang, &one, err);
        if (rc) {
            if (rc != HS_ENOMEM)
                hs_err_prefix(err, "cut %zu", k + 1);
            hs_strbuf_release(&acc);
            return rc;
        }
        if (cs->n == 1 && lang == HS_CUTS_C && c->kind == HS_CUT_EXPR) {
            wrap = false;
            acc.len = 0;
        }
        /* A bare name or call already reads as one condition. */
        hs_strbuf_printf(&acc, c->kind == HS_CUT_EXPR && one[0] != '(' ? "%s(%s)" : "%s%s",
                         k ? and_[lang] : "", one);
        hs_free(one);
    }
    if (cs->n == 0)
        hs_strbuf_printf(&acc, "1"); /* no cut keeps everything */
    else if (wrap)
        hs_strbuf_printf(&acc, ")");
    if (!(*out = hs_strbuf_detach(&acc)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    return HS_OK;
}

int
hs_cuts_lang_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "sql") == 0)
        return HS_CUTS_SQL;
    if (strcmp(s, "c") == 0)
        return HS_CUTS_C;
    if (strcmp(s, "root") == 0)
        return HS_CUTS_ROOT;
    return -1;
}
