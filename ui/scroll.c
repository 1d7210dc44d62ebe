/* scroll.c: the cursor of a list (see scroll.h). */
#include "config.h"

#include "ui/scroll.h"

#include <stdint.h>

void
hs_scroll_move(struct hs_scroll *sc, enum hs_move m, size_t count)
{
    size_t page = sc->page > 0 ? (size_t)sc->page : 1;
    size_t last = sc->n ? sc->n - 1 : 0;
    size_t maxtop = sc->n > page ? sc->n - page : 0;

    switch (m) {
    case HS_MOVE_UP:
        sc->cur = sc->cur > count ? sc->cur - count : 0;
        break;
    case HS_MOVE_DOWN:
        sc->cur = count < last - sc->cur ? sc->cur + count : last;
        break;
    case HS_MOVE_PAGE_UP:
        /* Page moves scroll the content with the cursor, as less does. */
        count = count > SIZE_MAX / page ? SIZE_MAX / page : count;
        sc->cur = sc->cur > page * count ? sc->cur - page * count : 0;
        sc->top = sc->top > page * count ? sc->top - page * count : 0;
        break;
    case HS_MOVE_PAGE_DOWN:
        count = count > SIZE_MAX / page ? SIZE_MAX / page : count;
        sc->cur = page * count < last - sc->cur ? sc->cur + page * count : last;
        sc->top = page * count < maxtop - (sc->top < maxtop ? sc->top : maxtop)
                      ? sc->top + page * count
                      : maxtop;
        break;
    case HS_MOVE_TOP:
        sc->cur = sc->top = 0;
        break;
    case HS_MOVE_BOTTOM:
        sc->cur = last;
        break;
    default:
        break;
    }
}

void
hs_scroll_fit(struct hs_scroll *sc, int page)
{
    size_t p = page > 0 ? (size_t)page : 1;

    sc->page = (int)p;
    if (sc->n == 0) {
        sc->cur = sc->top = 0;
        return;
    }
    if (sc->cur >= sc->n)
        sc->cur = sc->n - 1;
    if (sc->top > sc->cur)
        sc->top = sc->cur;
    if (sc->cur >= sc->top + p)
        sc->top = sc->cur - p + 1;
    /* After a resize to a taller screen, do not leave blank rows below. */
    if (sc->n > p && sc->top > sc->n - p)
        sc->top = sc->n - p;
    if (sc->n <= p)
        sc->top = 0;
}
