/* cmd-words.c: command lines as words and back, like a POSIX shell.
 *
 * The TUI's ':' line and the journal hold command lines; hs_cmd_split
 * turns one into words (quotes and backslashes as sh(1) reads them, no
 * expansions) and hs_cmd_join writes words so that they split back the
 * same, quoting only what needs it.
 */
#include "config.h"

#include "ui/cmd.h"

#include <stdlib.h>
#include <string.h>

struct wordbuf {
    char *s;
    size_t n, cap;
};

static int
wb_put(struct wordbuf *b, char c)
{
    if (b->n + 1 >= b->cap) {
        size_t ncap = b->cap ? 2 * b->cap : 32;
        char *ns = realloc(b->s, ncap);
        if (!ns)
            return HS_ENOMEM;
        b->s = ns;
        b->cap = ncap;
    }
    b->s[b->n++] = c;
    b->s[b->n] = '\0';
    return HS_OK;
}

int
hs_cmd_split(const char *line, int *argc, char ***argv, struct hs_err *err)
{
    char **words = NULL;
    size_t nwords = 0, cap = 0;
    const char *p = line;
    int rc = HS_OK;

    *argc = 0;
    *argv = NULL;
    for (;;) {
        struct wordbuf b = {0};
        bool inword = false;
        char q = 0;

        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        for (; *p; p++) {
            char c = *p;
            if (q == '\'') {
                if (c == '\'')
                    q = 0;
                else if ((rc = wb_put(&b, c)))
                    break;
                continue;
            }
            if (q == '"') {
                if (c == '"') {
                    q = 0;
                    continue;
                }
                /* In double quotes a backslash escapes only what the shell
                 * says it does; otherwise it is kept. */
                if (c == '\\' && p[1] && strchr("\"\\$`", p[1]))
                    c = *++p;
                if ((rc = wb_put(&b, c)))
                    break;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                break;
            if (c == '\'' || c == '"') {
                q = c;
                inword = true;
                continue;
            }
            if (c == '\\' && p[1])
                c = *++p;
            if ((rc = wb_put(&b, c)))
                break;
        }
        if (rc == HS_OK && q)
            rc = hs_err_set(err, HS_EUSAGE, "unterminated %s quote",
                            q == '"' ? "double" : "single");
        if (rc == HS_OK && !b.s && inword && (rc = wb_put(&b, '\0')) == HS_OK)
            b.n = 0; /* "" is an empty word */
        if (rc == HS_OK && nwords + 2 > cap) {
            size_t ncap = cap ? 2 * cap : 8;
            char **nw = realloc(words, ncap * sizeof *nw);
            if (!nw)
                rc = HS_ENOMEM;
            else {
                words = nw;
                cap = ncap;
            }
        }
        if (rc) {
            free(b.s);
            break;
        }
        words[nwords++] = b.s;
        words[nwords] = NULL;
    }
    if (rc) {
        if (rc == HS_ENOMEM)
            hs_err_set(err, rc, "out of memory");
        hs_cmd_words_free((int)nwords, words);
        return rc;
    }
    if (!words) {
        words = calloc(1, sizeof *words);
        if (!words)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    *argc = (int)nwords;
    *argv = words;
    return HS_OK;
}

void
hs_cmd_words_free(int argc, char **argv)
{
    if (!argv)
        return;
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

static bool
is_safe_word(const char *w)
{
    if (!*w)
        return false;
    for (; *w; w++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-",
                    *w))
            return false;
    return true;
}

char *
hs_cmd_join(int argc, char *const *argv)
{
    size_t len = 1;
    char *s, *p;

    for (int i = 0; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3;
    s = malloc(len);
    if (!s)
        return NULL;
    p = s;
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        if (i)
            *p++ = ' ';
        if (is_safe_word(w)) {
            p = stpcpy(p, w);
            continue;
        }
        /* Single quotes keep everything; a quote inside becomes '\''. */
        *p++ = '\'';
        for (; *w; w++) {
            if (*w == '\'')
                p = stpcpy(p, "'\\''");
            else
                *p++ = *w;
        }
        *p++ = '\'';
    }
    *p = '\0';
    return s;
}
