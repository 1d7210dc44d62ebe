/* unitspec.c: --units FILE or NAME=UNIT,... (ui/unitspec.h). */
#include "config.h"

#include "ui/unitspec.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mem.h"
#include "sessions/units.h"

void
hs_unitspecs_release(struct hs_unitspecs *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].name);
        free(u->v[i].unit);
        free(u->v[i].label);
        free(u->v[i].where);
    }
    hs_free(u->v);
    memset(u, 0, sizeof *u);
}

/* A field s[0..len) without the spaces around it; *off gets the offset
 * of its first character in s. */
static char *
field_dup(const char *s, size_t len, size_t *off)
{
    size_t a = 0;

    while (a < len && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (len > a && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (off)
        *off = a;
    return strndup(s + a, len - a);
}

static int
add(struct hs_unitspecs *u, char *name, char *unit, char *label, const char *where,
    struct hs_err *err)
{
    struct hs_unitspec *e;

    /* "" and "-" are no unit, and no label. */
    if (unit && (!unit[0] || strcmp(unit, "-") == 0)) {
        free(unit);
        unit = NULL;
    }
    if (label && (!label[0] || strcmp(label, "-") == 0)) {
        free(label);
        label = NULL;
    }
    if (hs_grow((void **)&u->v, &u->cap, u->n + 1, sizeof *u->v)) {
        free(name);
        free(unit);
        free(label);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    e = &u->v[u->n++];
    e->name = name;
    e->unit = unit;
    e->label = label;
    e->where = strdup(where);
    if (!e->where)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    return HS_OK;
}

/* One line of a units file: NAME,UNIT[,LABEL]. */
static int
parse_line(const char *path, int line, const char *s, struct hs_unitspecs *u, struct hs_err *err)
{
    const char *c1 = strchr(s, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    size_t off;
    char where[300], *name, *unit, *label = NULL;

    snprintf(where, sizeof where, "%.250s:%d:1", path, line);
    if (!c1)
        return hs_err_set_at(err, HS_EDATA, line, (int)strlen(s) + 1,
                             "%.250s:%d:%d: a line of units reads NAME,UNIT[,AXIS LABEL]", path,
                             line, (int)strlen(s) + 1);
    name = field_dup(s, (size_t)(c1 - s), &off);
    if (name && !name[0]) {
        free(name);
        return hs_err_set_at(err, HS_EDATA, line, 1, "%.250s:%d:1: no feature name before ','",
                             path, line);
    }
    unit = field_dup(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), NULL);
    if (c2)
        label = field_dup(c2 + 1, strlen(c2 + 1), NULL);
    if (!name || !unit || (c2 && !label)) {
        free(name);
        free(unit);
        free(label);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (const char *p = s; *p; p++)
        if (((unsigned char)*p < 0x20 && *p != '\t' && *p != '\r') || *p == 0x7f) {
            int col = (int)(p - s) + 1;
            free(name);
            free(unit);
            free(label);
            return hs_err_set_at(err, HS_EDATA, line, col,
                                 "%.250s:%d:%d: a control character in a line of units", path,
                                 line, col);
        }
    if ((unit && strlen(unit) > HS_UNIT_MAX) || (label && strlen(label) > HS_UNIT_MAX)) {
        int col = (int)(c1 - s) + 2;
        free(name);
        free(unit);
        free(label);
        return hs_err_set_at(err, HS_EDATA, line, col, "%.250s:%d:%d: over %d bytes", path,
                             line, col, HS_UNIT_MAX);
    }
    return add(u, name, unit, label, where, err);
}

static bool
is_header(const char *s)
{
    return strncmp(s, "name,unit", 9) == 0 && (s[9] == '\0' || s[9] == ',' || s[9] == '\r' ||
                                                s[9] == '\n');
}

static int
parse_file(const char *path, struct hs_unitspecs *u, struct hs_err *err)
{
    FILE *fp = fopen(path, "r");
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int line = 0, rc = HS_OK;
    bool first = true;

    if (!fp)
        return hs_err_set(err, HS_EIO, "--units: cannot open '%s': %s", path, strerror(errno));
    while (rc == HS_OK && (len = getline(&buf, &cap, fp)) >= 0) {
        const char *s = buf;
        line++;
        if (len > 0 && buf[len - 1] == '\n')
            buf[--len] = '\0';
        if ((size_t)len != strlen(buf)) {
            rc = hs_err_set_at(err, HS_EDATA, line, (int)strlen(buf) + 1,
                               "%.250s:%d:%d: a NUL byte in a line of units", path, line,
                               (int)strlen(buf) + 1);
            break;
        }
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#' || *s == '\r')
            continue;
        /* The first line of content may be a header. */
        if (first && (first = false, is_header(s)))
            continue;
        rc = parse_line(path, line, buf, u, err);
    }
    if (rc == HS_OK && ferror(fp))
        rc = hs_err_set(err, HS_EIO, "--units: cannot read '%s'", path);
    free(buf);
    fclose(fp);
    return rc;
}

/* NAME=UNIT,NAME=UNIT,... */
static int
parse_list(const char *arg, struct hs_unitspecs *u, struct hs_err *err)
{
    const char *s = arg;

    while (*s) {
        const char *end = strchr(s, ','), *eq;
        size_t len = end ? (size_t)(end - s) : strlen(s);
        char *name, *unit;
        int rc;

        eq = memchr(s, '=', len);
        if (!eq || eq == s)
            return hs_err_set_at(err, HS_EUSAGE, 0, (int)(s - arg) + 1,
                                 "--units '%s': '%.*s' is not NAME=UNIT (at character %d)", arg,
                                 (int)len, s, (int)(s - arg) + 1);
        name = field_dup(s, (size_t)(eq - s), NULL);
        unit = field_dup(eq + 1, len - (size_t)(eq - s) - 1, NULL);
        if (!name || !unit) {
            free(name);
            free(unit);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
        if ((rc = add(u, name, unit, NULL, "--units", err)))
            return rc;
        s += len;
        if (*s == ',')
            s++;
    }
    return HS_OK;
}

int
hs_unitspecs_parse(const char *arg, struct hs_unitspecs *u, struct hs_err *err)
{
    struct stat st;

    if (!arg[0])
        return hs_err_set(err, HS_EUSAGE, "--units wants a file or NAME=UNIT,...");
    if (strchr(arg, '=') && stat(arg, &st) != 0)
        return parse_list(arg, u, err);
    return parse_file(arg, u, err);
}
