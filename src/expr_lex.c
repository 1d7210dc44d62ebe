/* expr_lex.c: cutting an expression into tokens.
 *
 * Positions are counted in characters, not bytes (a UTF-8 continuation
 * byte does not advance the count), because they are for a caret drawn
 * under the expression as the user typed it.
 */
#include "config.h"

#include "expr_int.h"

#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "numparse.h"

void
hs_expr_lex_init(struct hs_lexer *lx, const char *src, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->pos = 1;
}

void
hs_expr_lex_release(struct hs_lexer *lx)
{
    hs_free(lx->buf);
    lx->buf = NULL;
    lx->buf_cap = 0;
}

static int
peek(const struct hs_lexer *lx, size_t ahead)
{
    return lx->at + ahead < lx->len ? (unsigned char)lx->src[lx->at + ahead] : -1;
}

static void
advance(struct hs_lexer *lx, size_t n)
{
    for (; n > 0 && lx->at < lx->len; n--, lx->at++)
        if (((unsigned char)lx->src[lx->at] & 0xc0) != 0x80)
            lx->pos++;
}

static bool
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Bytes of UTF-8 sequences count as letters, so names like pT_µ need no
 * backquotes. */
static bool
is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool
is_ident(int c)
{
    return is_ident_start(c) || is_digit(c);
}

static int
buf_put(struct hs_lexer *lx, size_t *n, char c)
{
    if (hs_grow((void **)&lx->buf, &lx->buf_cap, *n + 2, 1) != HS_OK)
        return HS_ENOMEM;
    lx->buf[(*n)++] = c;
    lx->buf[*n] = '\0';
    return HS_OK;
}

/* A printable form of the source bytes [start, start+len) for a message. */
static void
quote_src(const struct hs_lexer *lx, size_t start, size_t len, char *buf, size_t size)
{
    size_t i, o = 0;
    bool cut = len > 40;

    if (cut)
        len = 40;
    for (i = 0; i < len && o + 6 < size; i++) {
        unsigned char c = (unsigned char)lx->src[start + i];
        if (c < 0x20 || c == 0x7f)
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        else
            buf[o++] = (char)c;
    }
    if (cut && o + 4 < size) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o < size ? o : size - 1] = '\0';
}

void
hs_expr_tok_describe(const struct hs_lexer *lx, const struct hs_token *tok, char *buf,
                     size_t size)
{
    char q[200];

    if (tok->kind == HS_TOK_END) {
        snprintf(buf, size, "end of expression");
        return;
    }
    quote_src(lx, tok->start, tok->len, q, sizeof q);
    if (tok->kind == HS_TOK_STRING || tok->kind == HS_TOK_QNAME)
        snprintf(buf, size, "%s", q);
    else
        snprintf(buf, size, "'%s'", q);
}

static int
lex_number(struct hs_lexer *lx, struct hs_token *tok, struct hs_err *err)
{
    size_t n = 0;
    char q[200];

    while (is_digit(peek(lx, n)))
        n++;
    if (peek(lx, n) == '.') {
        n++;
        while (is_digit(peek(lx, n)))
            n++;
    }
    if (peek(lx, n) == 'e' || peek(lx, n) == 'E') {
        size_t e = n + 1;
        if (peek(lx, e) == '+' || peek(lx, e) == '-')
            e++;
        if (is_digit(peek(lx, e))) {
            while (is_digit(peek(lx, e)))
                e++;
            n = e;
        }
    }
    /* "3abc", "1e", "1.2.3": one malformed token, not a number and a name. */
    if (is_ident(peek(lx, n)) || peek(lx, n) == '.') {
        while (is_ident(peek(lx, n)) || peek(lx, n) == '.')
            n++;
        quote_src(lx, lx->at, n, q, sizeof q);
        return hs_err_set_at(err, HS_EUSAGE, 0, lx->pos, "malformed number '%s' at %d", q,
                             lx->pos);
    }
    tok->kind = HS_TOK_NUM;
    tok->len = n;
    if (hs_num_parse(lx->src + lx->at, n, &tok->value) != HS_OK) {
        quote_src(lx, lx->at, n, q, sizeof q);
        return hs_err_set_at(err, HS_EUSAGE, 0, lx->pos, "malformed number '%s' at %d", q,
                             lx->pos);
    }
    advance(lx, n);
    return HS_OK;
}

/* A string "..." (escapes \" and \\) or a backquoted name `...` (a doubled
 * backquote stands for one). */
static int
lex_quoted(struct hs_lexer *lx, struct hs_token *tok, struct hs_err *err)
{
    int quote = peek(lx, 0);
    size_t n = 1, out = 0;
    int c;

    if (buf_put(lx, &out, '\0') != HS_OK)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    out = 0;
    for (;;) {
        c = peek(lx, n);
        if (c < 0)
            return hs_err_set_at(err, HS_EUSAGE, 0, lx->pos, "unterminated %s at %d",
                                 quote == '"' ? "string" : "name", lx->pos);
        if (c == quote) {
            if (quote == '`' && peek(lx, n + 1) == '`') {
                n += 2;
                c = '`';
            } else {
                n++;
                break;
            }
        } else if (quote == '"' && c == '\\') {
            int e = peek(lx, n + 1);
            if (e != '"' && e != '\\') {
                struct hs_lexer at = *lx;
                advance(&at, n);
                return hs_err_set_at(err, HS_EUSAGE, 0, at.pos,
                                     "unknown escape in string at %d (only \\\" and \\\\)",
                                     at.pos);
            }
            c = e;
            n += 2;
        } else {
            n++;
        }
        if (buf_put(lx, &out, (char)c) != HS_OK)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    if (quote == '`' && out == 0)
        return hs_err_set_at(err, HS_EUSAGE, 0, lx->pos, "empty column name at %d", lx->pos);
    tok->kind = quote == '"' ? HS_TOK_STRING : HS_TOK_QNAME;
    tok->len = n;
    tok->text = lx->buf;
    tok->text_len = out;
    advance(lx, n);
    return HS_OK;
}

struct punct {
    const char *s;
    enum hs_tok kind;
};

/* Longest first, so that "<=" is not read as "<". */
static const struct punct puncts[] = {
    {"<=", HS_TOK_LE}, {">=", HS_TOK_GE}, {"==", HS_TOK_EQ}, {"!=", HS_TOK_NE},
    {"&&", HS_TOK_AND}, {"||", HS_TOK_OR},
    {"(", HS_TOK_LPAREN}, {")", HS_TOK_RPAREN}, {",", HS_TOK_COMMA},
    {"+", HS_TOK_PLUS}, {"-", HS_TOK_MINUS}, {"*", HS_TOK_STAR}, {"/", HS_TOK_SLASH},
    {"^", HS_TOK_CARET}, {"<", HS_TOK_LT}, {">", HS_TOK_GT}, {"!", HS_TOK_NOT},
};

int
hs_expr_lex_next(struct hs_lexer *lx, struct hs_token *tok, struct hs_err *err)
{
    int c;
    size_t i;
    char q[200];

    while ((c = peek(lx, 0)) == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v')
        advance(lx, 1);
    memset(tok, 0, sizeof *tok);
    tok->start = lx->at;
    tok->pos = lx->pos;
    if (c < 0) {
        tok->kind = HS_TOK_END;
        return HS_OK;
    }
    if (is_digit(c) || (c == '.' && is_digit(peek(lx, 1))))
        return lex_number(lx, tok, err);
    if (is_ident_start(c)) {
        size_t n = 1;
        while (is_ident(peek(lx, n)))
            n++;
        tok->kind = HS_TOK_IDENT;
        tok->len = n;
        advance(lx, n);
        return HS_OK;
    }
    if (c == '"' || c == '`')
        return lex_quoted(lx, tok, err);
    if (c == '*' && peek(lx, 1) == '*')
        return hs_err_set_at(err, HS_EUSAGE, 0, lx->pos, "unexpected '**' at %d (use '^' for powers)",
                             lx->pos);
    for (i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
        size_t n = strlen(puncts[i].s);
        if (lx->at + n <= lx->len && memcmp(lx->src + lx->at, puncts[i].s, n) == 0) {
            tok->kind = puncts[i].kind;
            tok->len = n;
            advance(lx, n);
            return HS_OK;
        }
    }
    if (c == '=' || c == '&' || c == '|')
        return hs_err_set_at(err, HS_EUSAGE, 0, lx->pos, "unexpected '%c' at %d (did you mean '%c%c'?)",
                             c, lx->pos, c, c);
    quote_src(lx, lx->at, 1, q, sizeof q);
    return hs_err_set_at(err, HS_EUSAGE, 0, lx->pos, "unexpected character '%s' at %d", q,
                         lx->pos);
}
