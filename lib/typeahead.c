// SPDX-License-Identifier: GPL-2.0
/* The console's type-ahead buffer: whole lines or nothing (include/ferret/typeahead.h). */
#include <ferret/typeahead.h>

static bool is_eol(int c)
{
	return c == '\r' || c == '\n';
}

unsigned int typeahead_len(const struct typeahead *ta)
{
	return ta->head - ta->tail;
}

/* Take the unfinished line back out of the buffer and discard the rest of it. */
static void drop_partial_line(struct typeahead *ta)
{
	while (ta->head != ta->tail && !is_eol((u8)ta->buf[(ta->head - 1) % TYPEAHEAD_SIZE]))
		ta->head--;
	ta->dropping = true;
}

static void end_dropped_line(struct typeahead *ta, int c)
{
	ta->dropping = false;
	ta->skip_lf = c == '\r';
	ta->dropped++;
}

void typeahead_put(struct typeahead *ta, int c)
{
	bool skip_lf = ta->skip_lf;

	ta->skip_lf = false;
	if (ta->dropping) {
		if (is_eol(c))
			end_dropped_line(ta, c);
		return;
	}
	if (c == '\n' && skip_lf)
		return;
	if (typeahead_len(ta) == TYPEAHEAD_SIZE) {
		/* The LF of a CR LF whose CR is held: that line is whole already. */
		if (c == '\n' && ta->buf[(ta->head - 1) % TYPEAHEAD_SIZE] == '\r')
			return;
		drop_partial_line(ta);
		if (is_eol(c))
			end_dropped_line(ta, c);
		return;
	}
	ta->buf[ta->head++ % TYPEAHEAD_SIZE] = (char)c;
}

int typeahead_get(struct typeahead *ta)
{
	if (ta->head == ta->tail)
		return -1;
	return (u8)ta->buf[ta->tail++ % TYPEAHEAD_SIZE];
}

unsigned long typeahead_take_dropped(struct typeahead *ta)
{
	unsigned long n = ta->dropped;

	ta->dropped = 0;
	return n;
}
