/* numround.h: numbers for people: a value rounded to the decimal its
 * precision deserves, and the one rule by which the TUI shows computed
 * numbers.  Pure functions; no locale (the decimal point is '.'). */
#ifndef HS_NUMROUND_H
#define HS_NUMROUND_H

#include "numparse.h"

/* Significant digits of a computed number on screen (efficiencies,
 * ratios, cut values, bin edges): hs_num_show's rule. */
#define HS_NUM_SHOW_SIG 4

/* x rounded to the coarsest power of ten 10^k whose rounding stays within
 * tol of x (|result - x| <= tol), returned as the double nearest that
 * decimal (so hs_num_format prints it short: 11.42, not 11.4199999).
 * x itself when it is not finite or tol is not positive and finite. */
double hs_num_round_within(double x, double tol);

/* x as the TUI shows a computed number: a whole number below 10^7 in
 * full ("220000"), else the shortest round-trip form when it has at most
 * HS_NUM_SHOW_SIG significant digits, else HS_NUM_SHOW_SIG significant
 * digits ("0.9476", "11.42", "1.235e+08"); "NA" for NaN, "inf", "-inf".
 * Returns the length. */
int hs_num_show(double x, char buf[HS_NUM_BUF]);

#endif
