// SPDX-License-Identifier: GPL-2.0
/*
 * The console's line editor (include/ferret/lineedit.h).
 *
 * Drawing uses only printable bytes, space and backspace: the cursor moves
 * left with '\b' and right by printing the character under it again; a
 * change in the middle of the line prints the rest of the line, blanks what
 * the line no longer covers and backs up to the cursor. Every terminal and
 * every serial logger renders that the same way.
 */
#include <ferret/lineedit.h>
#include <ferret/string.h>

#define CTRL(c)	((c) & 0x1f)
#define ESC	0x1b

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

static void out(struct lineedit *le, const char *s, size_t n)
{
	if (n)
		le->write(s, n);
}

static void out_repeat(struct lineedit *le, char c, unsigned int n)
{
	char chunk[16];

	memset(chunk, c, sizeof(chunk));
	while (n) {
		unsigned int k = n < sizeof(chunk) ? n : sizeof(chunk);

		out(le, chunk, k);
		n -= k;
	}
}

/* Print the line from the cursor on, blank @erase cells after it, back up to the cursor. */
static void redraw_tail(struct lineedit *le, unsigned int erase)
{
	out(le, le->buf + le->pos, le->len - le->pos);
	out_repeat(le, ' ', erase);
	out_repeat(le, '\b', le->len - le->pos + erase);
}

static void move_to(struct lineedit *le, unsigned int pos)
{
	if (pos < le->pos)
		out_repeat(le, '\b', le->pos - pos);
	else
		out(le, le->buf + le->pos, pos - le->pos);
	le->pos = pos;
}

/* Replace the whole line with @s, cursor at its end. */
static void set_line(struct lineedit *le, const char *s)
{
	unsigned int old = le->len;
	size_t n = strlen(s);

	move_to(le, 0);
	if (n > LINEEDIT_MAX - 1)
		n = LINEEDIT_MAX - 1;
	memcpy(le->buf, s, n);
	le->len = (unsigned int)n;
	le->overflow = false;
	redraw_tail(le, old > le->len ? old - le->len : 0);
	move_to(le, le->len);
}

static bool insert(struct lineedit *le, const char *s, size_t n)
{
	if (le->len + n > LINEEDIT_MAX - 1) {
		le->overflow = true;
		return false;
	}
	memmove(le->buf + le->pos + n, le->buf + le->pos, le->len - le->pos);
	memcpy(le->buf + le->pos, s, n);
	le->len += (unsigned int)n;
	out(le, le->buf + le->pos, le->len - le->pos);
	le->pos += (unsigned int)n;
	out_repeat(le, '\b', le->len - le->pos);
	return true;
}

/* Delete @n bytes after the cursor. */
static void delete_forward(struct lineedit *le, unsigned int n)
{
	if (n > le->len - le->pos)
		n = le->len - le->pos;
	if (!n)
		return;
	memmove(le->buf + le->pos, le->buf + le->pos + n, le->len - le->pos - n);
	le->len -= n;
	redraw_tail(le, n);
}

static void delete_back(struct lineedit *le, unsigned int n)
{
	if (n > le->pos)
		n = le->pos;
	move_to(le, le->pos - n);
	delete_forward(le, n);
}

static void word_back(struct lineedit *le)
{
	unsigned int p = le->pos;

	while (p && le->buf[p - 1] == ' ')
		p--;
	while (p && le->buf[p - 1] != ' ')
		p--;
	delete_back(le, le->pos - p);
}

static const char *hist_line(struct lineedit *le, unsigned int i)
{
	return le->hist[(le->hist_next + LINEEDIT_HIST - 1 - i) % LINEEDIT_HIST];
}

static void hist_add(struct lineedit *le)
{
	unsigned int n = le->len;

	while (n && le->buf[n - 1] == ' ')
		n--;
	if (!n)
		return;
	le->buf[le->len] = '\0';
	if (le->hist_count && !strcmp(hist_line(le, 0), le->buf))
		return;
	strlcpy(le->hist[le->hist_next], le->buf, LINEEDIT_MAX);
	le->hist_next = (le->hist_next + 1) % LINEEDIT_HIST;
	if (le->hist_count < LINEEDIT_HIST)
		le->hist_count++;
}

/* Up (@dir 1) or down (@dir -1) through the history. */
static void hist_move(struct lineedit *le, int dir)
{
	int to = le->hist_at + dir;

	if (to >= (int)le->hist_count || to < -1)
		return;
	if (le->hist_at < 0) {
		le->buf[le->len] = '\0';
		strlcpy(le->saved, le->buf, sizeof(le->saved));
	}
	le->hist_at = to;
	set_line(le, to < 0 ? le->saved : hist_line(le, (unsigned int)to));
}

void lineedit_candidate(struct lineedit *le, const char *word, size_t len)
{
	if (len < le->cword_len || strncmp(word, le->cword, le->cword_len))
		return;
	/* The same word twice in a row ("filter pfn", "filter off") counts once. */
	if (len == le->cprev_len && !strncmp(word, le->cprev, len))
		return;
	if (len > LINEEDIT_MAX - 1)
		len = LINEEDIT_MAX - 1;
	memcpy(le->cprev, word, len);
	le->cprev_len = (unsigned int)len;
	if (le->clisting) {
		if (le->ccol + len + 2 > 78) {
			out(le, "\n", 1);
			le->ccol = 0;
		}
		out(le, word, len);
		out(le, "  ", 2);
		le->ccol += (unsigned int)len + 2;
		return;
	}
	if (!le->ccount++) {
		memcpy(le->cfirst, word, len);
		le->cfirst[len] = '\0';
		le->ccommon = (unsigned int)len;
		return;
	}
	for (unsigned int i = 0; i < le->ccommon; i++)
		if (i >= len || word[i] != le->cfirst[i]) {
			le->ccommon = i;
			break;
		}
}

static void complete(struct lineedit *le)
{
	unsigned int start = le->pos;

	if (!le->complete)
		return;
	while (start && le->buf[start - 1] != ' ')
		start--;
	le->buf[le->len] = '\0';
	le->cword = le->buf + start;
	le->cword_len = le->pos - start;
	le->ccount = 0;
	le->cprev_len = 0;
	le->clisting = false;
	le->complete(le, le->buf, le->pos);
	if (!le->ccount)
		return;
	if (le->ccommon > le->cword_len) {
		/* Copy first: insert() moves the text cword points into. */
		char add[LINEEDIT_MAX];
		unsigned int n = le->ccommon - le->cword_len;

		memcpy(add, le->cfirst + le->cword_len, n);
		if (!insert(le, add, n))
			return;
	}
	if (le->ccount == 1) {
		if (le->cfirst[le->ccommon - 1] != '=' &&
		    (le->pos == le->len || le->buf[le->pos] != ' '))
			insert(le, " ", 1);
		return;
	}
	if (le->ccommon > le->cword_len)
		return;
	/* Nothing to add: list the candidates, then draw the line again. */
	out(le, "\n", 1);
	le->ccol = 0;
	le->cprev_len = 0;
	le->clisting = true;
	le->cword = le->buf + start;
	le->complete(le, le->buf, le->pos);
	le->clisting = false;
	out(le, "\n", 1);
	if (le->prompt)
		out(le, le->prompt, strlen(le->prompt));
	out(le, le->buf, le->len);
	out_repeat(le, '\b', le->len - le->pos);
}

void lineedit_init(struct lineedit *le, void (*write)(const char *s, size_t len),
		   lineedit_complete_fn complete_fn)
{
	memset(le, 0, sizeof(*le));
	le->write = write;
	le->complete = complete_fn;
	le->hist_at = -1;
}

void lineedit_start(struct lineedit *le, const char *prompt)
{
	le->prompt = prompt;
	le->len = le->pos = 0;
	le->overflow = false;
	le->esc = ESC_NONE;
	le->hist_at = -1;
}

/* A cursor key, by its final byte (CSI and SS3 share them), or Home/End/Delete by number. */
static void key(struct lineedit *le, int final, unsigned int param)
{
	switch (final) {
	case 'A': hist_move(le, 1); break;
	case 'B': hist_move(le, -1); break;
	case 'C': if (le->pos < le->len) move_to(le, le->pos + 1); break;
	case 'D': if (le->pos) move_to(le, le->pos - 1); break;
	case 'H': move_to(le, 0); break;
	case 'F': move_to(le, le->len); break;
	case '~':
		if (param == 1 || param == 7)
			move_to(le, 0);
		else if (param == 4 || param == 8)
			move_to(le, le->len);
		else if (param == 3)
			delete_forward(le, 1);
		break;
	}
}

/* Inside an escape sequence: Return true while it goes on. */
static bool escape(struct lineedit *le, int c)
{
	/*
	 * A control byte (Enter, Ctrl-C, another ESC...) ends any sequence and
	 * counts itself: an ESC typed just before Enter must not eat the Enter.
	 */
	if (c < 0x20 || c == 0x7f) {
		le->esc = ESC_NONE;
		return false;
	}
	switch (le->esc) {
	case ESC_START:
		le->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		le->esc_param = 0;
		return true;
	case ESC_SS3:
		le->esc = ESC_NONE;
		key(le, c, 0);
		return true;
	case ESC_CSI:
		if (c >= '0' && c <= '9') {
			/* Saturates: a long number must not wrap onto a key's (259 is not 3). */
			unsigned int v = le->esc_param * 10u + (unsigned int)(c - '0');

			le->esc_param = (u8)(v > 255 ? 255 : v);
			return true;
		}
		if (c >= 0x20 && c < 0x40)	/* other parameters, intermediates */
			return true;
		le->esc = ESC_NONE;
		if (c >= 0x40 && c < 0x7f)
			key(le, c, le->esc_param);
		return true;	/* a final byte, or a non-ASCII one: the sequence is over */
	}
	return false;
}

enum lineedit_result lineedit_feed(struct lineedit *le, int c)
{
	if (le->esc != ESC_NONE && escape(le, c))
		return LINEEDIT_MORE;
	if (c == '\n' && le->last_was_cr) {
		le->last_was_cr = false;
		return LINEEDIT_MORE;	/* the LF of a CR LF pair */
	}
	le->last_was_cr = (c == '\r');
	switch (c) {
	case '\r':
	case '\n':
		move_to(le, le->len);
		out(le, "\n", 1);
		if (le->overflow)
			return LINEEDIT_TOO_LONG;
		le->buf[le->len] = '\0';
		hist_add(le);
		return LINEEDIT_DONE;
	case CTRL('C'):
		move_to(le, le->len);
		out(le, "^C\n", 3);
		return LINEEDIT_CANCEL;
	case CTRL('A'): move_to(le, 0); break;
	case CTRL('E'): move_to(le, le->len); break;
	case CTRL('B'): key(le, 'D', 0); break;
	case CTRL('F'): key(le, 'C', 0); break;
	case CTRL('P'): hist_move(le, 1); break;
	case CTRL('N'): hist_move(le, -1); break;
	case CTRL('D'): delete_forward(le, 1); break;
	case CTRL('K'): delete_forward(le, le->len - le->pos); break;
	case CTRL('W'): word_back(le); break;
	case CTRL('U'):
		move_to(le, 0);
		delete_forward(le, le->len);
		le->overflow = false;
		break;
	case '\b':
	case 0x7f:
		delete_back(le, 1);
		break;
	case '\t':
		complete(le);
		break;
	case ESC:
		le->esc = ESC_START;
		break;
	default:
		if (c >= 0x20 && c <= 0x7e) {
			char ch = (char)c;

			insert(le, &ch, 1);
		}
		/* NUL, other controls, non-ASCII: dropped */
	}
	return LINEEDIT_MORE;
}
