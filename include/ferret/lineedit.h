/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A line editor for a serial console: fed one received byte at a time, it
 * keeps the line and the cursor, echoes through a write callback using
 * nothing but printable characters, space and backspace (so it draws right
 * on any terminal, a dumb one included), and keeps a history.
 *
 * Keys: Left/Right (Ctrl-B/Ctrl-F), Home/End (Ctrl-A/Ctrl-E), Up/Down for
 * history (Ctrl-P/Ctrl-N), Delete (Ctrl-D), Backspace, Ctrl-W (word before
 * the cursor), Ctrl-K (to the end), Ctrl-U (the whole line), Ctrl-C (cancel),
 * Tab (completion through a callback). Cursor keys arrive as `ESC [ x`,
 * `ESC O x` or `ESC [ n ~`; both forms work. Other sequences are swallowed
 * whole, NUL and other control bytes are dropped, and CR, LF and CR LF each
 * end a line exactly once.
 *
 * Portable: no UART, no command table. The console (kernel/console.c) owns
 * one editor; the host tests drive another.
 */
#ifndef FERRET_LINEEDIT_H
#define FERRET_LINEEDIT_H

#include <ferret/types.h>

#define LINEEDIT_MAX	256	/* bytes in a line, with its NUL */
#define LINEEDIT_HIST	16	/* lines of history */

enum lineedit_result {
	LINEEDIT_MORE,		/* keep feeding */
	LINEEDIT_DONE,		/* Enter: the line is in buf */
	LINEEDIT_CANCEL,	/* Ctrl-C */
	LINEEDIT_TOO_LONG,	/* Enter on a line that did not fit: refused */
};

struct lineedit;

/*
 * Completion: lineedit_feed() calls complete() on Tab with the line up to
 * the cursor; it calls lineedit_candidate() once per word that may stand
 * where the last (possibly empty) word of @line stands (the editor keeps
 * those that start with it); one equal to the candidate just before it is
 * ignored.
 */
typedef void (*lineedit_complete_fn)(struct lineedit *le, const char *line, unsigned int len);

struct lineedit {
	/* set up by the owner */
	void (*write)(const char *s, size_t len);
	lineedit_complete_fn complete;
	const char *prompt;

	/* the line */
	char buf[LINEEDIT_MAX];
	unsigned int len, pos;
	bool overflow;

	/* escape sequence state */
	u8 esc;
	u8 esc_param;
	bool last_was_cr;

	/* history: hist[(hist_next - 1 - i) % LINEEDIT_HIST] is the i-th last line */
	char hist[LINEEDIT_HIST][LINEEDIT_MAX];
	unsigned int hist_count, hist_next;
	int hist_at;			/* -1: editing a new line */
	char saved[LINEEDIT_MAX];	/* the new line while browsing history */

	/* completion in progress */
	const char *cword;
	unsigned int cword_len, cprev_len, ccount, ccommon, ccol;
	char cfirst[LINEEDIT_MAX], cprev[LINEEDIT_MAX];
	bool clisting;
};

/* Initialise @le (zeroed history) with its output and completion callbacks. */
void lineedit_init(struct lineedit *le, void (*write)(const char *s, size_t len),
		   lineedit_complete_fn complete);

/* Start a new line after the prompt has been printed. */
void lineedit_start(struct lineedit *le, const char *prompt);

/* Feed one received byte. On LINEEDIT_DONE, le->buf holds the line (NUL-terminated). */
enum lineedit_result lineedit_feed(struct lineedit *le, int c);

/* From a completion callback: offer @word (@len bytes) as a completion. */
void lineedit_candidate(struct lineedit *le, const char *word, size_t len);

#endif
