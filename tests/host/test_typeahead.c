// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/typeahead.c: input that overflows the console's
 * type-ahead buffer loses whole lines, never splices the end of one line
 * onto another, and counts what it dropped.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/typeahead.h>

#include <string.h>

#include "htest.h"

static struct typeahead ta;

static void put(const char *s)
{
	for (; *s; s++)
		typeahead_put(&ta, (u8)*s);
}

static void put_n(char c, unsigned int n)
{
	while (n--)
		typeahead_put(&ta, c);
}

/* Everything held, as a string. */
static const char *drain(void)
{
	static char out[TYPEAHEAD_SIZE + 1];
	unsigned int n = 0;
	int c;

	while ((c = typeahead_get(&ta)) >= 0)
		out[n++] = (char)c;
	out[n] = '\0';
	return out;
}

static void test_fits(void)
{
	memset(&ta, 0, sizeof(ta));
	CHECK_EQ(typeahead_get(&ta), -1);
	put("echo a\r\necho b\n");
	CHECK(!strcmp(drain(), "echo a\r\necho b\n"));
	CHECK_EQ(typeahead_take_dropped(&ta), 0);
	/* Exactly full: nothing lost. */
	put_n('x', TYPEAHEAD_SIZE - 1);
	put("\r");
	CHECK_EQ(typeahead_len(&ta), TYPEAHEAD_SIZE);
	CHECK_EQ(strlen(drain()), TYPEAHEAD_SIZE);
	CHECK_EQ(typeahead_take_dropped(&ta), 0);
}

/* The line that does not fit goes whole; the lines before and after stay. */
static void test_overflow_drops_whole_line(void)
{
	char want[TYPEAHEAD_SIZE + 1];

	memset(&ta, 0, sizeof(ta));
	put_n('a', 200);
	put("\r");
	put("echo spliced");		/* 12 bytes: 213 held */
	put_n('b', 50);			/* 263: does not fit */
	put(" tail\r\n");
	put("echo after\r");
	memset(want, 'a', 200);
	strcpy(want + 200, "\recho after\r");
	CHECK(!strcmp(drain(), want));
	CHECK_EQ(typeahead_take_dropped(&ta), 1);
	CHECK_EQ(typeahead_take_dropped(&ta), 0);
}

/* A dropped line ending in CR LF: its LF does not turn into an empty line. */
static void test_crlf_of_dropped_line(void)
{
	memset(&ta, 0, sizeof(ta));
	put_n('y', TYPEAHEAD_SIZE + 10);
	put("\r\nls\r\n");
	CHECK(!strcmp(drain(), "ls\r\n"));
	CHECK_EQ(typeahead_take_dropped(&ta), 1);
	/* Full right after a CR: the LF of that CR LF is dropped, no line lost. */
	memset(&ta, 0, sizeof(ta));
	put_n('z', TYPEAHEAD_SIZE - 1);
	put("\r\n");
	CHECK_EQ(typeahead_len(&ta), TYPEAHEAD_SIZE);
	CHECK_EQ(typeahead_take_dropped(&ta), 0);
}

/* Many lines while full: each one counted, none partly kept. */
static void test_many_dropped(void)
{
	const char *s;

	memset(&ta, 0, sizeof(ta));
	for (int i = 0; i < 100; i++)
		put("echo 0123456789\r");	/* 16 bytes each: 16 fit */
	CHECK_EQ(typeahead_take_dropped(&ta), 84);
	s = drain();
	CHECK_EQ(strlen(s), 16 * 16);
	for (int i = 0; i < 16; i++)
		CHECK(!strncmp(s + 16 * i, "echo 0123456789\r", 16));
	/* Reading makes room: the next line is kept again. */
	put("echo ok\n");
	CHECK(!strcmp(drain(), "echo ok\n"));
	/* The ring wraps around without losing its place. */
	for (int i = 0; i < 1000; i++) {
		put("ab\r");
		CHECK(!strcmp(drain(), "ab\r"));
	}
}

int main(void)
{
	RUN(test_fits);
	RUN(test_overflow_drops_whole_line);
	RUN(test_crlf_of_dropped_line);
	RUN(test_many_dropped);
	return HTEST_DONE();
}
