/* scroll.h: a cursor over a list of which a page is visible, and the
 * moves that keys name (`move down`, `move page-up`...).  Every view
 * that lists something scrolls with it; nothing here knows the views. */
#ifndef HS_SCROLL_H
#define HS_SCROLL_H

#include <stddef.h>

enum hs_move {
    HS_MOVE_UP,
    HS_MOVE_DOWN,
    HS_MOVE_PAGE_UP,
    HS_MOVE_PAGE_DOWN,
    HS_MOVE_TOP,
    HS_MOVE_BOTTOM,
    HS_MOVE_LEFT,
    HS_MOVE_RIGHT,
    HS_MOVE_FIRST_COLUMN,
    HS_MOVE_LAST_COLUMN,
};

/* A cursor over n items of which `page` are visible from `top`. */
struct hs_scroll {
    size_t n, top, cur;
    int page;           /* items visible at the last draw (>= 1) */
};

/* Move the cursor; count repeats up/down/page moves.  Left and right do
 * nothing here. */
void hs_scroll_move(struct hs_scroll *sc, enum hs_move m, size_t count);
/* Set the visible page and bring the cursor into view. */
void hs_scroll_fit(struct hs_scroll *sc, int page);

#endif
