// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/bootopt.c: every unknown or malformed boot option is
 * reported and nothing else is; a command line longer than the buffer is
 * cut between words, with the cut reported; values are found whole.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/bootopt.h>
#include <ferret/seq_file.h>

#include <string.h>

#include "htest.h"

static const struct bootopt opts[] = {
	{ .name = "page_owner", .kind = BOOTOPT_BOOL },
	{ .name = "semihosting", .kind = BOOTOPT_FLAG },
	{ .name = "slab_debug", .kind = BOOTOPT_VALUE },
};

static char out[4096];
static struct seq_buf_ctx ctx;
static struct seq_file m;

static void reset(void)
{
	memset(out, 0, sizeof(out));
	seq_init_buf(&m, &ctx, out, sizeof(out));
}

static unsigned int check(const char *cmdline)
{
	reset();
	return bootopt_check(cmdline, opts, ARRAY_SIZE(opts), &m);
}

static void test_good_options(void)
{
	CHECK_EQ(check(""), 0);
	CHECK_EQ(check("   "), 0);
	CHECK_EQ(check("page_owner=on semihosting slab_debug=FZ page_owner=0"), 0);
	CHECK_EQ(check("\tpage_owner=y\n"), 0);
	CHECK(!strcmp(out, ""));
}

static void test_bad_options(void)
{
	CHECK_EQ(check("page_owner=maybe"), 1);
	CHECK(!strcmp(out, "cmdline: 'page_owner=maybe': value is not on or off, ignored\n"));
	CHECK_EQ(check("page_owner"), 1);
	CHECK(strstr(out, "'page_owner': needs a value: on or off, ignored\n"));
	CHECK_EQ(check("page_owner="), 1);
	CHECK_EQ(check("page_owner=onn"), 1);
	CHECK_EQ(check("semihosting=1"), 1);
	CHECK(strstr(out, "'semihosting=1': takes no value, ignored\n"));
	CHECK_EQ(check("slab_debug"), 1);
	CHECK(strstr(out, "'slab_debug': needs a value (name=...), ignored\n"));
	/* Unknown: a prefix or an extension of a known name is not that option. */
	CHECK_EQ(check("page_own=on page_owners=on semi foo =x"), 5);
	CHECK(strstr(out, "'page_own=on': unknown option, ignored\n"));
	CHECK(strstr(out, "'=x': unknown option, ignored\n"));
	/* Good words between bad ones are not reported. */
	CHECK_EQ(check("x page_owner=on y"), 2);
	CHECK(!strstr(out, "page_owner"));
}

static void test_copy_whole_words(void)
{
	char dst[16];

	reset();
	CHECK_EQ(bootopt_copy(dst, sizeof(dst), "a\tb\nc\r", &m), 0);
	CHECK(!strcmp(dst, "a b c "));
	CHECK(!strcmp(out, ""));
	/* 15 bytes fit exactly. */
	CHECK_EQ(bootopt_copy(dst, sizeof(dst), "page_owner=on x", &m), 0);
	CHECK(!strcmp(dst, "page_owner=on x"));
	/* One more: the word that does not fit whole goes, with a report. */
	CHECK_EQ(bootopt_copy(dst, sizeof(dst), "page_owner=on xy", &m), 3);
	CHECK(!strcmp(dst, "page_owner=on"));
	CHECK(strstr(out, "cmdline: 16 bytes, longer than the 15 kept: the last 1 word (3 bytes) "
			  "ignored\n"));
	/* A cut inside a value never leaves half of it ("page_owner=o"). */
	reset();
	CHECK_EQ(bootopt_copy(dst, sizeof(dst), "abc page_owner=on z", &m), 16);
	CHECK(!strcmp(dst, "abc"));
	CHECK(strstr(out, "the last 2 words (16 bytes)"));
	/* A first word longer than the buffer: nothing kept. */
	CHECK_EQ(bootopt_copy(dst, sizeof(dst), "0123456789abcdefgh", NULL), 18);
	CHECK(!strcmp(dst, ""));
	CHECK_EQ(bootopt_copy(dst, 0, "x", NULL), 1);
}

static void test_find(void)
{
	const char *v;
	size_t n;

	CHECK(bootopt_find("a=1 page_owner=on  bare x=", "page_owner", &v, &n));
	CHECK(n == 2 && !strncmp(v, "on", 2));
	CHECK(bootopt_find("a=1 bare x=", "bare", &v, &n) && n == 0);
	CHECK(bootopt_find("a=1 bare x=", "x", &v, &n) && n == 0 && v[-1] == '=');
	CHECK(!bootopt_find("a=1 page_owner=on", "page", &v, &n));
	CHECK(!bootopt_find("a=1 page_owner=on", "page_owner_memo", &v, &n));
	/* The last one wins. */
	CHECK(bootopt_find("k=1 k=22", "k", &v, &n) && n == 2 && !strncmp(v, "22", 2));
	/* Booleans: exactly these words. */
	bool b = false;

	CHECK(bootopt_parse_bool("on", 2, &b) && b);
	CHECK(bootopt_parse_bool("n", 1, &b) && !b);
	CHECK(!bootopt_parse_bool("onn", 3, &b));
	CHECK(!bootopt_parse_bool("o", 1, &b));
}

int main(void)
{
	RUN(test_good_options);
	RUN(test_bad_options);
	RUN(test_copy_whole_words);
	RUN(test_find);
	return HTEST_DONE();
}
