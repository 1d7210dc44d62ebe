# plots/: figure model and renderers (cairo, libpng, zlib, fontconfig, and the
# engine's executor, src/par.h, for encoding a PNG's bands in parallel).
noinst_LIBRARIES += libhsplots.a
libhsplots_a_CFLAGS = $(AM_CFLAGS) $(CAIRO_CFLAGS) $(PNG_CFLAGS) $(ZLIB_CFLAGS) $(FONTCONFIG_CFLAGS)
libhsplots_a_SOURCES = plots/figure.h plots/figure.c plots/palette.h plots/palette.c \
	plots/ticks.h plots/ticks.c plots/canvas.h plots/canvas.c plots/canvas_int.h \
	plots/canvas_draw.c \
	plots/cairo_render.h plots/cairo_render.c plots/cairo_int.h plots/cairo_axes.c \
	plots/cairo_series.c plots/cairo_legend.c \
	plots/png_write.h plots/png_write.c

PLOTS_LIBS = libhsplots.a $(CAIRO_LIBS) $(PNG_LIBS) $(FONTCONFIG_LIBS) -lm
