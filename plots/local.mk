# plots/: figure model and renderers (cairo, libpng, fontconfig only).
