/* Terminal conventions: colour only on a tty (and never with NO_COLOR),
 * progress only on stderr. */
#ifndef TD_REPORT_TERM_H
#define TD_REPORT_TERM_H

#include <stdbool.h>
#include <stdio.h>

struct td_style {
    const char *bold, *dim, *red, *green, *yellow, *cyan, *reset;
};

/* Colours for f: escape codes if f is a tty and NO_COLOR is unset (or
 * TLSDIAG_COLOR=always), empty strings otherwise. */
struct td_style td_style_for(FILE *f);
bool td_is_tty(FILE *f);

#endif
