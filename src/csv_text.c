/* csv_text.c: text helpers of the CSV reader: UTF-8 checks, the words for
 * a missing value, and the hash that maps a text cell to its category code.
 */
#include "config.h"

#include "csv_impl.h"

#include <string.h>

#include "mem.h"

bool
hs_csv_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;

    while (p < end) {
        unsigned c = *p, cp, min;
        size_t k;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            k = 1, min = 0x80;
        else if (c >= 0xe0 && c <= 0xef)
            k = 2, min = 0x800;
        else if (c >= 0xf0 && c <= 0xf4)
            k = 3, min = 0x10000;
        else
            return false; /* a continuation byte, an overlong lead, or beyond U+10FFFF */
        if ((size_t)(end - p) <= k)
            return false;
        cp = c & (0x3fu >> k);
        for (size_t i = 1; i <= k; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += k + 1;
    }
    return true;
}

bool
hs_csv_is_na_word(const char *s, size_t n)
{
    static const char *const words[] = {"na", "nan", "n/a", "null", "none"};

    if (n < 2 || n > 4)
        return false;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t k;
        for (k = 0; k < n && words[i][k]; k++) {
            char c = s[k];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + ('a' - 'A'));
            if (c != words[i][k])
                break;
        }
        if (k == n && words[i][k] == '\0')
            return true;
    }
    return false;
}

uint32_t
hs_csv_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a: short strings, no need for more */

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

bool
hs_csv_cathash_find(const struct hs_csv_cathash *h, const struct hs_column *c, const char *s,
                    size_t n, uint32_t hv, double *code)
{
    if (!h->mask)
        return false;
    for (size_t j = hv & h->mask; h->slot[j]; j = (j + 1) & h->mask) {
        uint64_t e = h->slot[j];
        size_t k = (size_t)(e & 0xffffffffu) - 1;
        /* strncmp stops at the category's NUL; s has none (the reader
         * rejects NUL bytes) */
        if ((uint32_t)(e >> 32) == hv && strncmp(c->cats[k], s, n) == 0 && c->cats[k][n] == '\0') {
            *code = (double)k;
            return true;
        }
    }
    return false;
}

static void
insert(uint64_t *slot, size_t mask, uint64_t e)
{
    size_t j;

    for (j = (size_t)(e >> 32) & mask; slot[j]; j = (j + 1) & mask)
        ;
    slot[j] = e;
}

static int
grow(struct hs_csv_cathash *h)
{
    size_t ncap = h->mask ? (h->mask + 1) * 2 : 64;
    uint64_t *ns = hs_calloc(ncap, sizeof *ns);

    if (!ns)
        return HS_ENOMEM;
    for (size_t i = 0; h->mask && i <= h->mask; i++)
        if (h->slot[i])
            insert(ns, ncap - 1, h->slot[i]);
    hs_free(h->slot);
    h->slot = ns;
    h->mask = ncap - 1;
    return HS_OK;
}

int
hs_csv_cathash_add(struct hs_csv_cathash *h, struct hs_column *c, const char *s, size_t n,
                   uint32_t hv, double *code)
{
    char *copy;

    /* at most half full */
    if ((h->used + 1) * 2 > (h->mask ? h->mask + 1 : 0) && grow(h))
        return HS_ENOMEM;
    if (hs_grow((void **)&c->cats, &c->cats_cap, c->ncats + 1, sizeof *c->cats))
        return HS_ENOMEM;
    copy = hs_strndup(s, n);
    if (!copy)
        return HS_ENOMEM;
    c->cats[c->ncats] = copy;
    insert(h->slot, h->mask, ((uint64_t)hv << 32) | (uint64_t)(c->ncats + 1));
    h->used++;
    *code = (double)c->ncats++;
    return HS_OK;
}

void
hs_csv_cathash_release(struct hs_csv_cathash *h)
{
    hs_free(h->slot);
    h->slot = NULL;
    h->mask = h->used = 0;
}
