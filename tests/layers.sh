#!/bin/sh
# The dependency rule of DESIGN.md, checked by grepping includes:
#   ui -> sessions, plots, src;  sessions -> src;  plots -> cairo, libpng, fontconfig;
#   src -> GSL, BLAS, OpenMP, pthreads, zlib, libc.  Only ui/ knows the terminal.
. "$HS_SRCDIR/tests/lib.sh"
cd "$HS_SRCDIR" || exit 1

# includes_in DIR REGEX: the files of DIR whose #include lines match REGEX.
includes_in() {
    grep -lE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" "$1"/*.[ch] 2>/dev/null
}

is "$(includes_in src 'n?curses|sqlite3|cairo|png|fontconfig|sessions/|plots/|ui/')" "" \
    "src/ includes no terminal, database, drawing or upper-layer header"
is "$(includes_in sessions 'n?curses|cairo|png|plots/|ui/')" "" \
    "sessions/ includes no terminal, drawing or ui header"
is "$(includes_in plots 'n?curses|sqlite3|sessions/|ui/')" "" \
    "plots/ includes no terminal, database or upper-layer header"
is "$(grep -nE '\b(printf|puts|putchar|fprintf|fputs|perror)[[:space:]]*\(' src/*.c sessions/*.c 2>/dev/null |
    grep -vE 'snprintf|vsnprintf|fprintf[[:space:]]*\([[:space:]]*(f|fp|out|file)\b' )" "" \
    "the engine and the session store never print to the terminal"
is "$(grep -nE '\b(exit|abort)[[:space:]]*\(' src/*.c sessions/*.c plots/*.c 2>/dev/null)" "" \
    "no exit or abort below ui/"
done_testing
