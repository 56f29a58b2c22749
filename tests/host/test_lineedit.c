// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/lineedit.c: every key in each of its forms, checked
 * twice: the line the editor hands over, and what a terminal shows after
 * replaying the editor's output (a small screen model: printable bytes
 * overwrite the cell under the cursor, '\b' moves left, '\n' starts a row).
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/lineedit.h>

#include <string.h>

#include "htest.h"

#define ROWS 16
#define COLS 400
#define PROMPT "ferret> "

static char screen[ROWS][COLS + 1];
static int row, col, bad_bytes;

static void screen_reset(void)
{
	memset(screen, 0, sizeof(screen));
	row = col = bad_bytes = 0;
}

static void term_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n') {
			row = (row + 1) % ROWS;
			memset(screen[row], 0, sizeof(screen[row]));
			col = 0;
		} else if (c == '\b') {
			if (col > 0)
				col--;
			else
				bad_bytes++;	/* backspace at column 0: drawing is off */
		} else if (c >= 0x20 && c < 0x7f && col < COLS) {
			screen[row][col++] = c;
		} else {
			bad_bytes++;	/* the editor draws with nothing else */
		}
	}
}

/* The visible text of the cursor's row, trailing blanks dropped. */
static const char *cur_row(void)
{
	static char r[COLS + 1];
	int n = 0;

	for (int i = 0; i < COLS && screen[row][i]; i++)
		r[n++] = screen[row][i];
	while (n && r[n - 1] == ' ')
		n--;
	r[n] = '\0';
	return r;
}

static const char *const words[] = {
	"page_owner", "page_owner_stacks", "pagetypeinfo", "poweroff",
	"--format=pprof", "--format=folded", "filter", "filter",
};

static void complete_words(struct lineedit *le, const char *line, unsigned int len)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(words); i++)
		lineedit_candidate(le, words[i], strlen(words[i]));
}

static struct lineedit le;

static void start(void)
{
	term_write(PROMPT, strlen(PROMPT));
	lineedit_start(&le, PROMPT);
}

static void fresh(void)
{
	screen_reset();
	lineedit_init(&le, term_write, complete_words);
	start();
}

/* Feed @s; return the result of its last byte. */
static enum lineedit_result feed(const char *s)
{
	enum lineedit_result r = LINEEDIT_MORE;

	for (; *s; s++)
		r = lineedit_feed(&le, (u8)*s);
	return r;
}

/* The line so far, and the screen agreeing with it, cursor included. */
static int shows(const char *line, unsigned int pos)
{
	char want[COLS];
	size_t n;
	int ok = 1;

	/* The screen has no trailing blanks: the line's are checked by the cursor column. */
	strcpy(want, PROMPT);
	strcat(want, line);
	n = strlen(want);
	while (n && want[n - 1] == ' ')
		want[--n] = '\0';
	if (le.len != strlen(line) || memcmp(le.buf, line, le.len) || le.pos != pos) {
		printf("# editor: '%.*s' pos %u, want '%s' pos %u\n", (int)le.len, le.buf, le.pos,
		       line, pos);
		ok = 0;
	}
	if (strcmp(cur_row(), want) || col != (int)(strlen(PROMPT) + pos) || bad_bytes) {
		printf("# screen: '%s' col %d (%d bad bytes), want '%s' col %zu\n", cur_row(), col,
		       bad_bytes, want, strlen(PROMPT) + pos);
		ok = 0;
	}
	return ok;
}

static void test_type_and_enter(void)
{
	fresh();
	CHECK_EQ(feed("echo hi"), LINEEDIT_MORE);
	CHECK(shows("echo hi", 7));
	CHECK_EQ(feed("\r"), LINEEDIT_DONE);
	CHECK(!strcmp(le.buf, "echo hi"));
	/* CR LF is one Enter: the LF that follows is not a second (empty) line. */
	start();
	CHECK_EQ(feed("\n"), LINEEDIT_MORE);
	CHECK_EQ(feed("x\n"), LINEEDIT_DONE);
	CHECK(!strcmp(le.buf, "x"));
}

static void test_left_right_insert(void)
{
	/* Left in its three forms, then typing in the middle. */
	static const char *const left[] = { "\x1b[D", "\x1bOD", "\x02" };
	static const char *const right[] = { "\x1b[C", "\x1bOC", "\x06" };

	for (unsigned int i = 0; i < 3; i++) {
		fresh();
		feed("echo wrld");
		feed(left[i]);
		feed(left[i]);
		feed(left[i]);
		CHECK(shows("echo wrld", 6));
		feed("o");
		CHECK(shows("echo world", 7));
		feed(right[i]);
		CHECK(shows("echo world", 8));
		feed(right[i]);
		feed(right[i]);
		feed(right[i]);	/* past the end: stays */
		CHECK(shows("echo world", 10));
		CHECK_EQ(feed("\r"), LINEEDIT_DONE);
		CHECK(!strcmp(le.buf, "echo world"));
	}
}

static void test_home_end(void)
{
	static const char *const home[] = { "\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~", "\x01" };
	static const char *const end[] = { "\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~", "\x05" };

	for (unsigned int i = 0; i < ARRAY_SIZE(home); i++) {
		fresh();
		feed("world");
		feed(home[i]);
		CHECK(shows("world", 0));
		feed("echo hello ");
		CHECK(shows("echo hello world", 11));
		feed(end[i]);
		CHECK(shows("echo hello world", 16));
		feed("!");
		CHECK(shows("echo hello world!", 17));
	}
}

static void test_delete_backspace(void)
{
	fresh();
	feed("echo abXcd\x1b[D\x1b[D\x1b[D");
	CHECK(shows("echo abXcd", 7));
	feed("\x1b[3~");		/* Delete: the X under the cursor */
	CHECK(shows("echo abcd", 7));
	feed("\x04");			/* Ctrl-D: the c */
	CHECK(shows("echo abd", 7));
	feed("\x7f");			/* Backspace: the b before the cursor */
	CHECK(shows("echo ad", 6));
	feed("\b");
	CHECK(shows("echo d", 5));
	feed("\x05\x04\x04");		/* Delete at the end: nothing */
	CHECK(shows("echo d", 6));
	feed("\x01\x7f");		/* Backspace at the start: nothing */
	CHECK(shows("echo d", 0));
}

static void test_kill_word_line(void)
{
	fresh();
	feed("echo foo bar  ");
	feed("\x17");			/* Ctrl-W: "bar  " */
	CHECK(shows("echo foo ", 9));
	feed("\x17\x17");
	CHECK(shows("", 0));
	feed("echo one two\x1b[D\x1b[D\x1b[D\x17");	/* the word before the cursor only */
	CHECK(shows("echo two", 5));
	feed("\x0b");			/* Ctrl-K: to the end */
	CHECK(shows("echo ", 5));
	feed("zzz\x15");		/* Ctrl-U: the whole line */
	CHECK(shows("", 0));
	feed("ok");
	CHECK_EQ(feed("\r"), LINEEDIT_DONE);
	CHECK(!strcmp(le.buf, "ok"));
}

static void enter(const char *line)
{
	start();
	feed(line);
	CHECK_EQ(feed("\r"), LINEEDIT_DONE);
}

static void test_history(void)
{
	fresh();
	enter("one");
	enter("two");
	enter("two");		/* a repeat is kept once */
	enter("   ");		/* a blank line is not kept */
	enter("three");
	start();
	feed("draft");
	feed("\x1b[A");
	CHECK(shows("three", 5));
	feed("\x1bOA");
	CHECK(shows("two", 3));
	feed("\x10");		/* Ctrl-P */
	CHECK(shows("one", 3));
	feed("\x1b[A");		/* past the oldest: stays */
	CHECK(shows("one", 3));
	feed("\x1b[B");
	CHECK(shows("two", 3));
	feed("\x1bOB\x0e");	/* Down, Ctrl-N: back to the draft */
	CHECK(shows("draft", 5));
	feed("\x1b[B");
	CHECK(shows("draft", 5));
	/* A recalled line is edited, then run; history keeps the original. */
	feed("\x15\x1b[A\x1b[A\x01X");
	CHECK(shows("Xtwo", 1));
	CHECK_EQ(feed("\r"), LINEEDIT_DONE);
	CHECK(!strcmp(le.buf, "Xtwo"));
	start();
	feed("\x1b[A\x1b[A");
	CHECK(shows("three", 5));
	/* Only the last LINEEDIT_HIST lines are kept. */
	for (int i = 0; i < LINEEDIT_HIST + 4; i++) {
		char l[8] = { 'c', 'm', 'd', (char)('0' + i / 10), (char)('0' + i % 10) };

		enter(l);
	}
	start();
	for (int i = 0; i < LINEEDIT_HIST + 4; i++)
		feed("\x1b[A");
	CHECK(shows("cmd04", 5));
}

static void test_completion(void)
{
	fresh();
	feed("po\t");			/* one candidate: completed, then a space */
	CHECK(shows("poweroff ", 9));
	fresh();
	feed("pa\t");			/* three: their common prefix */
	CHECK(shows("page", 4));
	feed("\t");			/* nothing to add: list them, draw the line again */
	CHECK(shows("page", 4));
	CHECK(strstr(screen[(row + ROWS - 1) % ROWS], "page_owner  page_owner_stacks  pagetypeinfo"));
	feed("_\t");
	CHECK(shows("page_owner", 10));
	fresh();
	feed("leaks --f\t");		/* an option's value: no space after '=' */
	CHECK(shows("leaks --format=", 15));
	feed("pp\t");
	CHECK(shows("leaks --format=pprof ", 21));
	fresh();
	feed("fi\t");			/* the same word twice counts once */
	CHECK(shows("filter ", 7));
	fresh();
	feed("xyz\t");			/* no candidate: nothing happens */
	CHECK(shows("xyz", 3));
	/* In the middle of a line: the word before the cursor. */
	fresh();
	feed("pagetyp echo\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\t");
	CHECK(shows("pagetypeinfo echo", 12));
}

static void test_hostile_input(void)
{
	fresh();
	/* NUL, other controls, non-ASCII and escapes the editor has no use for. */
	lineedit_feed(&le, 'e');
	lineedit_feed(&le, 'c');
	lineedit_feed(&le, 0);
	feed("ho");
	feed("\x1b[5~\x1b[15;2~\x1bx\x80\xff\x07 hi");
	CHECK(shows("echo hi", 7));
	/* A control byte inside a sequence ends it and still counts. */
	feed("\x1b[1\x15");
	CHECK(shows("", 0));
	/* Too long: refused at Enter; Ctrl-U starts over. */
	fresh();
	for (int i = 0; i < LINEEDIT_MAX + 10; i++)
		feed("x");
	CHECK_EQ(le.len, LINEEDIT_MAX - 1);
	CHECK_EQ(feed("\r"), LINEEDIT_TOO_LONG);
	start();
	for (int i = 0; i < LINEEDIT_MAX + 10; i++)
		feed("x");
	feed("\x15ok");
	CHECK_EQ(feed("\r"), LINEEDIT_DONE);
	/* Ctrl-C cancels, with the cursor anywhere. */
	start();
	feed("reboot\x01");
	CHECK_EQ(feed("\x03"), LINEEDIT_CANCEL);
	CHECK(strstr(screen[(row + ROWS - 1) % ROWS], "reboot^C"));
}

/* An ESC (or an unfinished sequence) right before a key never eats or changes it. */
static void test_escape_edges(void)
{
	static const char *const enders[] = { "\x1b", "\x1bO", "\x1b[", "\x1b[12", "\x1b[1;" };

	for (unsigned int i = 0; i < ARRAY_SIZE(enders); i++) {
		fresh();
		feed("echo hi");
		feed(enders[i]);
		CHECK_EQ(feed("\r"), LINEEDIT_DONE);
		CHECK(!strcmp(le.buf, "echo hi"));
		/* Backspace and Ctrl-U after one count too. */
		start();
		feed("echo hix");
		feed(enders[i]);
		feed("\x7f");
		CHECK(shows("echo hi", 7));
		feed(enders[i]);
		feed("\x15");
		CHECK(shows("", 0));
	}
	/* ESC ESC [ D: the second ESC starts the sequence again. */
	fresh();
	feed("echo ab\x1b\x1b[Dx");
	CHECK(shows("echo axb", 7));
	/* A number too big for any key saturates: 259 is not 3 (Delete), 65539 not 3. */
	fresh();
	feed("echo abc\x1b[D\x1b[D");
	feed("\x1b[259~\x1b[65539~\x1b[1000003~");
	CHECK(shows("echo abc", 6));
	feed("\x1b[3~");
	CHECK(shows("echo ac", 6));
	/* SS3 keys in the middle of a line, then Enter. */
	fresh();
	feed("ech hi\x1bOH\x1bOC\x1bOC\x1bOCo\x1bOF!");
	CHECK(shows("echo hi!", 8));
	CHECK_EQ(feed("\r"), LINEEDIT_DONE);
	CHECK(!strcmp(le.buf, "echo hi!"));
}

int main(void)
{
	RUN(test_type_and_enter);
	RUN(test_left_right_insert);
	RUN(test_home_end);
	RUN(test_delete_backspace);
	RUN(test_kill_word_line);
	RUN(test_history);
	RUN(test_completion);
	RUN(test_hostile_input);
	RUN(test_escape_edges);
	return HTEST_DONE();
}
