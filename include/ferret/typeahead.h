/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Type-ahead: the console's input buffer for bytes that arrive while a
 * command runs (kernel/console.c polls the UART for Ctrl-C and keeps the
 * rest here for the next prompt).
 *
 * It never splices lines. When a byte does not fit, the line it belongs to
 * is dropped whole: the part already held is taken back out, the rest is
 * discarded as it arrives, up to and including its CR, LF or CR LF. Lines
 * before it stay, lines after it are kept again as room allows. The number
 * of lines dropped is counted until the console reports it.
 *
 * Portable: no UART, no locking (one reader and one writer, the console).
 */
#ifndef FERRET_TYPEAHEAD_H
#define FERRET_TYPEAHEAD_H

#include <ferret/types.h>

#define TYPEAHEAD_SIZE	256	/* bytes held */

struct typeahead {
	char buf[TYPEAHEAD_SIZE];
	unsigned int head, tail;	/* free-running: head - tail bytes held */
	bool dropping;			/* discarding the rest of a line that did not fit */
	bool skip_lf;			/* a dropped line ended with CR: its LF goes too */
	unsigned long dropped;		/* lines dropped, not yet reported */
};

/* Take one received byte. */
void typeahead_put(struct typeahead *ta, int c);

/* The oldest byte held, or -1 when there is none. */
int typeahead_get(struct typeahead *ta);

/* Bytes held. */
unsigned int typeahead_len(const struct typeahead *ta);

/* Lines dropped since the last call (and reset the count). */
unsigned long typeahead_take_dropped(struct typeahead *ta);

#endif
