/* axislabel.c: a feature's axis labels (ui/axislabel.h). */
#include "config.h"

#include "ui/axislabel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *
hs_featlabel_text(const char *name, const struct hs_feature_unit *u)
{
    return u && u->axis_label ? u->axis_label : name;
}

void
hs_featlabel_make(const char *name, const struct hs_feature_unit *u, struct hs_featlabel *out)
{
    const char *label = hs_featlabel_text(name, u);
    const char *unit = u && u->unit ? u->unit : "";

    snprintf(out->unit, sizeof out->unit, "%s", unit);
    if (unit[0])
        snprintf(out->axis, sizeof out->axis, "%s [%s]", label, unit);
    else
        snprintf(out->axis, sizeof out->axis, "%s", label);
}

int
hs_featlabel_get(struct hs_sess *s, const char *dataset, const char *name,
                 struct hs_featlabel *out, struct hs_err *err)
{
    struct hs_feature_unit u = {0};
    int rc = HS_OK;

    if (s && dataset) {
        rc = hs_sess_unit_get(s, dataset, name, &u, err);
        /* A figure of a dataset not (yet) stored still has its names. */
        if (rc == HS_ENOTFOUND) {
            hs_err_clear(err);
            rc = HS_OK;
        }
    }
    if (rc == HS_OK)
        hs_featlabel_make(name, &u, out);
    hs_feature_unit_release(&u);
    return rc;
}

void
hs_axislabel_width(double width, char *buf, size_t size)
{
    double a = fabs(width);
    char *dot, *end;
    int decimals;

    if (!isfinite(width) || a == 0 || a >= 1e6 || a < 1e-4) {
        snprintf(buf, size, "%.3g", width);
        return;
    }
    decimals = 2 - (int)floor(log10(a));
    if (decimals < 0)
        decimals = 0;
    snprintf(buf, size, "%.*f", decimals, width);
    /* 0.0500 reads 0.05 */
    if ((dot = strchr(buf, '.'))) {
        end = buf + strlen(buf);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
}

void
hs_axislabel_events(double width, const char *unit, enum hs_ylabel_kind kind, char *buf,
                    size_t size)
{
    const char *what = kind == HS_YLABEL_FRACTION ? "Fraction of events" : "Events";
    char w[64];

    if (kind == HS_YLABEL_DENSITY) {
        if (unit && unit[0])
            snprintf(buf, size, "Probability density [1/%s]", unit);
        else
            snprintf(buf, size, "Probability density");
        return;
    }
    if (!isfinite(width)) {
        snprintf(buf, size, "%s / bin", what);
        return;
    }
    hs_axislabel_width(width, w, sizeof w);
    if (unit && unit[0])
        snprintf(buf, size, "%s / %s %s", what, w, unit);
    else
        snprintf(buf, size, "%s / %s", what, w);
}
