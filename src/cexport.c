/* cexport.c: pieces of exported C files (cexport.h). */
#include "config.h"

#include "cexport.h"

#include <stdbool.h>
#include <string.h>

#include "names.h"

/* Text inside a block comment: control characters become '?', and the
 * sequences that would end the comment, open a nested one (a -Wcomment
 * warning) or form a trigraph get a space inside. */
void
hs_cexport_comment(struct hs_strbuf *b, const char *s)
{
    for (const char *c = s; *c; c++) {
        unsigned char u = (unsigned char)*c;
        char ch = u < 0x20 || u == 0x7f ? '?' : *c;
        hs_strbuf_printf(b, "%c", ch);
        if ((ch == '*' && c[1] == '/') || (ch == '/' && c[1] == '*') || (ch == '?' && c[1] == '?'))
            hs_strbuf_printf(b, " ");
    }
}

void
hs_cexport_array(struct hs_strbuf *b, const char *func, const char *name, const double *v, size_t n)
{
    hs_strbuf_printf(b, "static const double %s_%s[%zu] = {", func, name, n);
    for (size_t i = 0; i < n; i++) {
        hs_strbuf_printf(b, i % 3 == 0 ? "\n    " : " ");
        hs_strbuf_c_double(b, v[i]);
        hs_strbuf_printf(b, ",");
    }
    hs_strbuf_printf(b, "\n};\n");
}

/* Names a definition of FUNC would clash with: C's keywords, main, and
 * what <math.h> declares (with the float and long double variants, sinf
 * and sinl), and what C reserves for the implementation. */
static bool
is_reserved(const char *s)
{
    static const char *const keywords[] = {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
        "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
        "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
        "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "main",
    };
    static const char *const math[] = {
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil", "copysign",
        "cos", "cosh", "erf", "erfc", "exp", "exp2", "expm1", "fabs", "fdim", "floor", "fma",
        "fmax", "fmin", "fmod", "frexp", "hypot", "ilogb", "ldexp", "lgamma", "llrint",
        "llround", "log", "log10", "log1p", "log2", "logb", "lrint", "lround", "modf", "nan",
        "nearbyint", "nextafter", "nexttoward", "pow", "remainder", "remquo", "rint", "round",
        "scalbln", "scalbn", "sin", "sinh", "sqrt", "tan", "tanh", "tgamma", "trunc",
        "isnan", "isinf", "isfinite", "isnormal", "signbit", "fpclassify", "isgreater",
        "isgreaterequal", "isless", "islessequal", "islessgreater", "isunordered",
    };
    size_t n = strlen(s);

    if (s[0] == '_' && (s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z')))
        return true;
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (strcmp(s, keywords[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof math / sizeof *math; i++) {
        size_t k = strlen(math[i]);
        if (strncmp(s, math[i], k) == 0 &&
            (n == k || (n == k + 1 && (s[k] == 'f' || s[k] == 'l'))))
            return true;
    }
    return false;
}

/* The sigmoid as mlp.c computes it: no overflow of exp for either sign. */
void
hs_cexport_sigmoid(struct hs_strbuf *b, const char *func)
{
    hs_strbuf_printf(b,
              "\nstatic double\n%s_sigmoid(double z)\n{\n"
              "    double e;\n\n"
              "    if (z >= 0)\n"
              "        return 1.0 / (1.0 + exp(-z));\n"
              "    e = exp(z);\n"
              "    return e / (1.0 + e);\n}\n",
              func);
}

int
hs_cexport_check_name(const char *func, struct hs_err *err)
{
    if (!func || !hs_name_is_identifier(func) || is_reserved(func))
        return hs_err_set(err, HS_EUSAGE,
                          "'%s' cannot name a C function: use letters, digits and '_', not a "
                          "keyword or a <math.h> name",
                          func ? func : "");
    return HS_OK;
}

int
hs_cexport_finish(struct hs_strbuf *b, char **out, struct hs_err *err)
{
    if (!(*out = hs_strbuf_detach(b)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    return HS_OK;
}
