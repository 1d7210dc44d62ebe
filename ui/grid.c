/* grid.c: aligned text tables and CSV cells for command output. */
#include "config.h"

#include "ui/grid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "numparse.h"

void
hs_grid_init(struct hs_grid *g, size_t ncols)
{
    memset(g, 0, sizeof *g);
    g->ncols = ncols;
}

void
hs_grid_release(struct hs_grid *g)
{
    for (size_t i = 0; i < g->nrows * g->ncols; i++)
        free(g->cells[i]);
    free(g->cells);
    free(g->num);
    memset(g, 0, sizeof *g);
}

/* A copy fit for the terminal: control bytes become '?'. */
static char *
clean_copy(const char *s)
{
    char *d = strdup(s ? s : "");
    for (char *p = d; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return d;
}

int
hs_grid_add(struct hs_grid *g, const char *const *cells, const bool *num)
{
    size_t base;

    if (g->nrows == g->cap) {
        size_t ncap = g->cap ? 2 * g->cap : 16;
        char **nc = realloc(g->cells, ncap * g->ncols * sizeof *nc);
        bool *nn;
        if (!nc)
            return HS_ENOMEM;
        g->cells = nc;
        nn = realloc(g->num, ncap * g->ncols * sizeof *nn);
        if (!nn)
            return HS_ENOMEM;
        g->num = nn;
        g->cap = ncap;
    }
    base = g->nrows * g->ncols;
    for (size_t j = 0; j < g->ncols; j++) {
        g->cells[base + j] = clean_copy(cells[j]);
        g->num[base + j] = num ? num[j] : false;
        if (!g->cells[base + j]) {
            for (size_t k = 0; k < j; k++)
                free(g->cells[base + k]);
            return HS_ENOMEM;
        }
    }
    g->nrows++;
    return HS_OK;
}

/* Display width: one per UTF-8 character (continuation bytes are free). */
static size_t
text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

void
hs_grid_print(const struct hs_grid *g, FILE *out)
{
    size_t *width = calloc(g->ncols ? g->ncols : 1, sizeof *width);

    if (!width)
        return;
    for (size_t i = 0; i < g->nrows; i++)
        for (size_t j = 0; j < g->ncols; j++) {
            size_t w = text_width(g->cells[i * g->ncols + j]);
            if (w > width[j])
                width[j] = w;
        }
    for (size_t i = 0; i < g->nrows; i++) {
        /* Blanks are owed, not written, until something follows them: no
         * line ends in blanks. */
        size_t owed = 0;
        for (size_t j = 0; j < g->ncols; j++) {
            const char *c = g->cells[i * g->ncols + j];
            size_t pad = width[j] - text_width(c);
            /* Header cells align like the column's cells below them. */
            bool right = g->num[i * g->ncols + j] ||
                         (i == 0 && g->nrows > 1 && g->num[g->ncols + j]);
            if (j)
                owed += 2;
            if (right)
                owed += pad;
            if (*c) {
                fprintf(out, "%*s%s", (int)owed, "", c);
                owed = 0;
            }
            if (!right)
                owed += pad;
        }
        fputc('\n', out);
    }
    free(width);
}

static bool
csv_needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || s[0] == '#' || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
        s[n - 1] == '\t')
        return true;
    return strpbrk(s, ",\"\r\n") != NULL;
}

void
hs_grid_csv_cell(FILE *out, const char *s, bool is_num)
{
    if (!s)
        return;
    if (is_num || !csv_needs_quotes(s)) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void
hs_grid_csv_row(FILE *out, size_t n, const char *const *cells, const bool *num)
{
    for (size_t j = 0; j < n; j++) {
        if (j)
            fputc(',', out);
        hs_grid_csv_cell(out, cells[j], num ? num[j] : false);
    }
    fputc('\n', out);
}

void
hs_grid_num4(double x, char buf[32])
{
    if (isnan(x))
        snprintf(buf, 32, "-");
    else
        snprintf(buf, 32, "%.4g", x);
}

void
hs_grid_num_exact(double x, char buf[32])
{
    if (isnan(x))
        buf[0] = '\0';
    else
        hs_num_format(x, buf);
}
