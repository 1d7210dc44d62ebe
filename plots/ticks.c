/* ticks.c: "nice" axis ticks (1, 2, 5 x 10^k) and their labels. */
#include "config.h"

#include "plots/ticks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Remove trailing zeros (and a bare point) from the fixed-point part of s. */
static void
strip_zeros(char *s)
{
    char *e = strchr(s, 'e');
    char tail[16] = "";
    if (e) {
        snprintf(tail, sizeof tail, "%s", e);
        *e = '\0';
    }
    if (strchr(s, '.')) {
        size_t n = strlen(s);
        while (n > 0 && s[n - 1] == '0')
            s[--n] = '\0';
        if (n > 0 && s[n - 1] == '.')
            s[--n] = '\0';
    }
    strcat(s, tail);
}

/* "-0", "-0.00": a value that rounds to zero is printed as "0". */
static void
no_negative_zero(char *s)
{
    if (s[0] != '-')
        return;
    for (const char *p = s + 1; *p && *p != 'e'; p++)
        if (*p != '0' && *p != '.')
            return;
    memmove(s, s + 1, strlen(s));
}

/* Exponent notation is used where fixed-point labels would be long. */
static bool
wants_exponent(double maxabs, double step)
{
    return maxabs >= 1e6 || (maxabs > 0 && maxabs < 1e-3) || step < 1e-5;
}

static void
format_tick(double v, double step, bool expo, char *buf, size_t size, char *mant, int *ex)
{
    int k = (int)floor(log10(step) + 1e-9);
    *ex = 0;
    if (v == 0) {
        snprintf(buf, size, "0");
        if (mant)
            snprintf(mant, HS_TICK_LABEL_MAX, "0");
        return;
    }
    if (expo) {
        int e = (int)floor(log10(fabs(v)) + 1e-9);
        int d = e - k;
        if (d < 0)
            d = 0;
        if (d > 15)
            d = 15;
        snprintf(buf, size, "%.*e", d, v);
        strip_zeros(buf);
        /* snprintf may round 9.99e2 to 1.0e3: take the exponent it printed. */
        char *ep = strchr(buf, 'e');
        *ex = ep ? (int)strtol(ep + 1, NULL, 10) : e;
        if (mant) {
            size_t len = ep ? (size_t)(ep - buf) : strlen(buf);
            if (len >= HS_TICK_LABEL_MAX)
                len = HS_TICK_LABEL_MAX - 1;
            memcpy(mant, buf, len);
            mant[len] = '\0';
        }
        return;
    }
    int d = k < 0 ? -k : 0;
    if (d > 15)
        d = 15;
    snprintf(buf, size, "%.*f", d, v);
    strip_zeros(buf);
    no_negative_zero(buf);
    if (mant)
        snprintf(mant, HS_TICK_LABEL_MAX, "%s", buf);
}

void
hs_ticks_format(double v, double step, char *buf, size_t size)
{
    int ex;
    if (!(step > 0) || !isfinite(step))
        step = fabs(v) > 0 ? fabs(v) : 1;
    if (fabs(v) < step * 1e-6)
        v = 0;
    format_tick(v, step, wants_exponent(fabs(v), step), buf, size, NULL, &ex);
}

/* The nice step m x 10^k (m in 1, 2, 5) at index i of the sequence. */
static double
nice_step(int i, int *mant)
{
    static const int m[3] = {1, 2, 5};
    int k = (int)floor((double)i / 3.0);
    int j = i - 3 * k;
    *mant = m[j];
    return m[j] * pow(10.0, k);
}

static long long
count_ticks(double lo, double hi, double s, double *first)
{
    double a = ceil(lo / s - 1e-9), b = floor(hi / s + 1e-9);
    *first = a;
    return (long long)(b - a) + 1;
}

/* The smallest nice step giving at most max_major ticks in [lo, hi]. */
static double
pick_step(double lo, double hi, int max_major, int *mant)
{
    double raw = (hi - lo) / (max_major > 1 ? max_major - 1 : 1);
    int i = 3 * (int)floor(log10(raw)) - 3;
    for (;; i++) {
        double first, s = nice_step(i, mant);
        if (count_ticks(lo, hi, s, &first) <= max_major)
            return s;
    }
}

static int
widen_zero(double *lo, double *hi)
{
    if (!isfinite(*lo) || !isfinite(*hi))
        return -1;
    if (*lo > *hi) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
    if (*lo == *hi || (*hi - *lo) < fabs(*lo) * 1e-12) {
        double v = *lo;
        if (v == 0) {
            *lo = 0;
            *hi = 1;
        } else {
            *lo = v - fabs(v) * 0.1;
            *hi = v + fabs(v) * 0.1;
        }
    }
    return 0;
}

static int
clamp_major(int max_major)
{
    return max_major < 2 ? 2 : max_major > HS_TICKS_MAX ? HS_TICKS_MAX : max_major;
}

static void
linear_ticks(double lo, double hi, int max_major, struct hs_ticks *t)
{
    int mant;
    double s = pick_step(lo, hi, max_major, &mant), first;
    long long n = count_ticks(lo, hi, s, &first);
    double maxabs = 0;
    for (long long i = 0; i < n && t->n < HS_TICKS_MAX; i++) {
        double v = (first + (double)i) * s;
        if (fabs(v) < s * 1e-6)
            v = 0;
        t->v[t->n++] = v;
        if (fabs(v) > maxabs)
            maxabs = fabs(v);
    }
    bool expo = wants_exponent(maxabs, s);
    for (size_t i = 0; i < t->n; i++) {
        format_tick(t->v[i], s, expo, t->label[i], HS_TICK_LABEL_MAX, t->mant[i], &t->exp[i]);
        t->exp_used[i] = expo && t->v[i] != 0;
    }
    /* Minor ticks: 5 per step of 1 or 5, 4 per step of 2. */
    double ms = s / (mant == 2 ? 4 : 5);
    double a = ceil(lo / ms - 1e-9), b = floor(hi / ms + 1e-9);
    for (double j = a; j <= b && t->nminor < HS_TICKS_MINOR_MAX; j++) {
        double v = j * ms;
        double r = v / s;
        if (fabs(r - nearbyint(r)) < 1e-6)
            continue;
        t->minor[t->nminor++] = v;
    }
}

static void
set_decade_label(struct hs_ticks *t, size_t i, int k)
{
    snprintf(t->label[i], HS_TICK_LABEL_MAX, "10^%d", k);
    t->mant[i][0] = '\0';
    t->exp[i] = k;
    t->exp_used[i] = 1;
}

static void
log_ticks(double lo, double hi, int max_major, struct hs_ticks *t)
{
    double llo = log10(lo), lhi = log10(hi);
    int k0 = (int)ceil(llo - 1e-9), k1 = (int)floor(lhi + 1e-9);
    if (k1 - k0 + 1 >= 2) {
        int every = 1;
        while ((k1 - k0) / every + 1 > max_major)
            every++;
        int start = (int)(ceil((double)k0 / every) * every);
        for (int k = start; k <= k1 && t->n < HS_TICKS_MAX; k += every) {
            t->v[t->n] = pow(10.0, k);
            set_decade_label(t, t->n, k);
            t->n++;
        }
        for (int k = k0 - 1; k <= k1 && t->nminor < HS_TICKS_MINOR_MAX; k++) {
            if (every > 1) {
                double v = pow(10.0, k);
                if (k % every != 0 && v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                    t->minor[t->nminor++] = v;
                continue;
            }
            for (int m = 2; m <= 9 && t->nminor < HS_TICKS_MINOR_MAX; m++) {
                double v = m * pow(10.0, k);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                    t->minor[t->nminor++] = v;
            }
        }
        return;
    }
    /* Less than two decades in view: label 1, 2, 5 x 10^k (or every mantissa). */
    static const int sets[2][9] = {{1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
    static const int setn[2] = {3, 9};
    for (int pass = 0; pass < 2; pass++) {
        struct hs_ticks tmp;
        tmp.n = 0;
        for (int k = (int)floor(llo) ; k <= (int)ceil(lhi); k++)
            for (int j = 0; j < setn[pass]; j++) {
                double v = sets[pass][j] * pow(10.0, k);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) && tmp.n < HS_TICKS_MAX)
                    tmp.v[tmp.n++] = v;
            }
        if ((tmp.n >= 2 && (int)tmp.n <= max_major) || pass == 1) {
            if (tmp.n < 2 || (int)tmp.n > max_major) {
                linear_ticks(lo, hi, max_major, t);
                return;
            }
            for (size_t i = 0; i < tmp.n; i++) {
                t->v[i] = tmp.v[i];
                double e = floor(log10(tmp.v[i]) + 1e-9);
                format_tick(tmp.v[i], pow(10.0, e), wants_exponent(tmp.v[i], pow(10.0, e)),
                            t->label[i], HS_TICK_LABEL_MAX, t->mant[i], &t->exp[i]);
                t->exp_used[i] = strchr(t->label[i], 'e') != NULL;
            }
            t->n = tmp.n;
            return;
        }
    }
}

int
hs_ticks_make(double lo, double hi, enum hs_axis_scale scale, int max_major, struct hs_ticks *out)
{
    memset(out, 0, sizeof *out);
    max_major = clamp_major(max_major);
    if (widen_zero(&lo, &hi) < 0)
        return -1;
    if (scale == HS_AXIS_LOG) {
        if (!(lo > 0))
            return -1;
        log_ticks(lo, hi, max_major, out);
    } else {
        linear_ticks(lo, hi, max_major, out);
    }
    return 0;
}

int
hs_ticks_nice_range(double *lo, double *hi, enum hs_axis_scale scale, int max_major)
{
    max_major = clamp_major(max_major);
    if (widen_zero(lo, hi) < 0)
        return -1;
    if (scale == HS_AXIS_LOG) {
        if (!(*lo > 0))
            return -1;
        double a = floor(log10(*lo) + 1e-9), b = ceil(log10(*hi) - 1e-9);
        if (b <= a)
            b = a + 1;
        *lo = pow(10.0, a);
        *hi = pow(10.0, b);
        return 0;
    }
    /* Widening may add a tick at each end: grow the step until it fits. */
    for (int m = max_major; m >= 2; m--) {
        int mant;
        double s = pick_step(*lo, *hi, m, &mant);
        double a = floor(*lo / s + 1e-9) * s, b = ceil(*hi / s - 1e-9) * s;
        double first;
        if (count_ticks(a, b, s, &first) <= max_major || m == 2) {
            *lo = fabs(a) < s * 1e-6 ? 0 : a;
            *hi = fabs(b) < s * 1e-6 ? 0 : b;
            return 0;
        }
    }
    return 0;
}
