/* view-datasets.h: the datasets view. */
#ifndef HS_VIEW_DATASETS_H
#define HS_VIEW_DATASETS_H

#include <stdbool.h>
#include <stddef.h>

#include "sessions/session.h"
#include "ui/screen.h"
#include "ui/scroll.h"

/* ---- datasets view (ui/view-datasets.c) ---- */
void hs_datasets_view_draw(const struct hs_dataset_info *ds, size_t n, const char *current,
                           struct hs_scroll *sc, struct hs_screen *s, int x, int y, int w, int h);

#endif
