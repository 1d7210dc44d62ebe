#include "config.h"

#include "names.h"

#include <ctype.h>
#include <string.h>

size_t
hs_name_distance(const char *a, size_t alen, const char *b, size_t blen)
{
    enum { MAXL = 64 };
    size_t rows[3][MAXL + 1], *prev2 = rows[0], *prev = rows[1], *cur = rows[2], i, j;

    if (alen > MAXL || blen > MAXL)
        return (size_t)-1;
    for (j = 0; j <= blen; j++)
        prev[j] = j;
    for (i = 1; i <= alen; i++) {
        int ca = tolower((unsigned char)a[i - 1]);
        cur[0] = i;
        for (j = 1; j <= blen; j++) {
            int cb = tolower((unsigned char)b[j - 1]);
            size_t best = prev[j - 1] + (ca != cb);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        {
            size_t *t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
    }
    return prev[blen];
}

static size_t
common_prefix(const char *a, size_t alen, const char *b)
{
    size_t i;
    for (i = 0; i < alen && b[i] && tolower((unsigned char)a[i]) == tolower((unsigned char)b[i]);
         i++)
        ;
    return i;
}

const char *
hs_closest_name_n(const char *name, size_t len, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, best_pre = 0;
    size_t limit = len / 3 > 1 ? len / 3 : 1;

    for (size_t i = 0; i < n; i++) {
        size_t d = hs_name_distance(name, len, cands[i], strlen(cands[i])), pre;
        if (d > best_d)
            continue;
        pre = common_prefix(name, len, cands[i]);
        if (d < best_d || pre > best_pre) {
            best = cands[i];
            best_d = d;
            best_pre = pre;
        }
    }
    return best && best_d <= limit && best_d < len ? best : NULL;
}

const char *
hs_closest_name(const char *name, const char *const *cands, size_t n)
{
    return hs_closest_name_n(name, strlen(name), cands, n);
}

bool
hs_name_is_identifier(const char *name)
{
    if (!name || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
        return false;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return false;
    return true;
}
