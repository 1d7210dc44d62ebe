/* numparse.h: locale-independent number parsing and printing.
 *
 * Parsing is exact: the result is the double nearest to the decimal (round
 * half to even), whatever the process locale.  Short decimals take a fast
 * path; the rest go to the C library's strtod in the "C" locale.
 * Printing gives the shortest decimal that reads back to the same double.
 */
#ifndef HS_NUMPARSE_H
#define HS_NUMPARSE_H

#include <stddef.h>

#define HS_NUM_BUF 32

/* Parse the whole of s[0..len) as a number: optional sign, digits with an
 * optional '.', optional exponent; also inf, infinity, nan (any case).
 * Leading or trailing blanks are not allowed.  HS_OK or HS_EDATA. */
int hs_num_parse(const char *s, size_t len, double *out);

/* Like hs_num_parse, but a nonzero decimal whose nearest double is infinite
 * (an overflow: 1e400) or zero (an underflow: 1e-400) is HS_ERANGE, with
 * *out set as hs_num_parse sets it (+-inf or +-0), so the caller can tell
 * which.  Subnormals (4.9e-324) are in range; so are the words inf and nan
 * and any spelling of zero.  HS_OK, HS_EDATA or HS_ERANGE. */
int hs_num_parse_checked(const char *s, size_t len, double *out);

/* Write the shortest round-trip form of x into buf (HS_NUM_BUF bytes):
 * "0.1", "1e+100", "-3", "nan", "inf", "-inf".  Returns the length. */
int hs_num_format(double x, char buf[HS_NUM_BUF]);

#endif
