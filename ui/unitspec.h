/* unitspec.h: the units an import is given (`import --units`).
 *
 * An --units value is either a file of lines "NAME,UNIT[,AXIS LABEL]"
 * (a '#' starts a comment line, blank lines are skipped, a first line
 * "name,unit[,...]" is a header, the label is the rest of the line and
 * may hold commas, spaces around fields are dropped, an empty or '-' unit
 * is none), or, when no file has that name and it holds '=', a list
 * "NAME=UNIT,NAME=UNIT,...".  A malformed line is HS_EDATA located as
 * "FILE:LINE:COLUMN: ...", and each entry remembers where it stands so
 * that a later error about it ("no column 'x'") can say so too.
 */
#ifndef HS_UI_UNITSPEC_H
#define HS_UI_UNITSPEC_H

#include <stddef.h>

#include "err.h"

struct hs_unitspec {
    char *name;
    char *unit;  /* NULL: none */
    char *label; /* NULL: none */
    char *where; /* "units.csv:3:1" or "--units" */
};

struct hs_unitspecs {
    struct hs_unitspec *v;
    size_t n, cap;
};

/* Append the entries of one --units value to *u (zeroed to start). */
int hs_unitspecs_parse(const char *arg, struct hs_unitspecs *u, struct hs_err *err);
void hs_unitspecs_release(struct hs_unitspecs *u);

#endif
