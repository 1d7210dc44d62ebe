/* names.h: helpers for the names users type (columns, features, datasets). */
#ifndef HS_NAMES_H
#define HS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* The name among names[0..n) closest to name (optimal string alignment
 * distance, case-insensitive), when close enough to be a likely typo: at
 * most 1 edit for short names, 2 for names of 5 to 8 characters, 3 for
 * longer ones.  NULL otherwise.  Borrowed from names. */
const char *hs_closest_name(const char *name, const char *const *names, size_t n);

/* Is name an identifier of the expression language (letters, digits and
 * '_', not starting with a digit)? */
bool hs_name_is_identifier(const char *name);

#endif
