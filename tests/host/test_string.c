// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/string.c: every alignment and length of the memory
 * functions against byte-by-byte references (with guard bytes on both sides),
 * the string functions, and kstrtoul()/kstrtol() edge cases.
 */
#include <limits.h>
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/string.h>

#include "htest.h"

#define AREA 160
#define GUARD 0xa5

static unsigned char a[AREA], b[AREA], ref[AREA];

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 3));
}

static int same(const unsigned char *x, const unsigned char *y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

static void test_memcpy(void)
{
	int bad = 0;

	for (size_t so = 0; so < 16; so++)
		for (size_t doff = 0; doff < 16; doff++)
			for (size_t n = 0; n <= 100; n++) {
				void *r;

				fill(a, AREA, (unsigned int)(so + n));
				for (size_t i = 0; i < AREA; i++)
					b[i] = ref[i] = GUARD;
				for (size_t i = 0; i < n; i++)
					ref[doff + 20 + i] = a[so + i];
				r = memcpy(b + doff + 20, a + so, n);
				if (r != b + doff + 20 || !same(b, ref, AREA))
					bad++;
			}
	CHECK_EQ(bad, 0);
}

static void test_memmove(void)
{
	int bad = 0;

	/* Every overlap in both directions, every alignment. */
	for (size_t so = 0; so < 24; so++)
		for (size_t doff = 0; doff < 24; doff++)
			for (size_t n = 0; n <= 90; n++) {
				unsigned char tmp[AREA];
				void *r;

				fill(a, AREA, (unsigned int)(so * 3 + doff + n));
				for (size_t i = 0; i < AREA; i++)
					ref[i] = a[i];
				for (size_t i = 0; i < n; i++)
					tmp[i] = a[so + 30 + i];
				for (size_t i = 0; i < n; i++)
					ref[doff + 30 + i] = tmp[i];
				r = memmove(a + doff + 30, a + so + 30, n);
				if (r != a + doff + 30 || !same(a, ref, AREA))
					bad++;
			}
	CHECK_EQ(bad, 0);
}

static void test_memset(void)
{
	int bad = 0;
	const int vals[] = { 0, 1, 0x7f, 0x80, 0xff, 0x1ab, -1 };

	for (size_t v = 0; v < ARRAY_SIZE(vals); v++)
		for (size_t off = 0; off < 16; off++)
			for (size_t n = 0; n <= 100; n++) {
				void *r;

				for (size_t i = 0; i < AREA; i++)
					b[i] = ref[i] = GUARD;
				for (size_t i = 0; i < n; i++)
					ref[off + 20 + i] = (unsigned char)vals[v];
				r = memset(b + off + 20, vals[v], n);
				if (r != b + off + 20 || !same(b, ref, AREA))
					bad++;
			}
	CHECK_EQ(bad, 0);
}

static void test_memcmp(void)
{
	unsigned char x[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	unsigned char y[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	CHECK_EQ(memcmp(x, y, 8), 0);
	CHECK_EQ(memcmp(x, y, 0), 0);
	y[5] = 0x90;	/* bytes compare as unsigned */
	CHECK(memcmp(x, y, 8) < 0);
	CHECK(memcmp(y, x, 8) > 0);
	CHECK_EQ(memcmp(x, y, 5), 0);
}

static void test_strlen(void)
{
	char s[] = "hello";
	char unterminated[4] = { 'a', 'b', 'c', 'd' };

	CHECK_EQ(strlen(""), 0);
	CHECK_EQ(strlen(s), 5);
	CHECK_EQ(strnlen(s, 3), 3);
	CHECK_EQ(strnlen(s, 5), 5);
	CHECK_EQ(strnlen(s, 100), 5);
	CHECK_EQ(strnlen(s, 0), 0);
	CHECK_EQ(strnlen(unterminated, 4), 4);	/* must not read past 4 (ASan) */
}

static void test_strcmp(void)
{
	CHECK_EQ(strcmp("", ""), 0);
	CHECK_EQ(strcmp("abc", "abc"), 0);
	CHECK(strcmp("abc", "abd") < 0);
	CHECK(strcmp("abd", "abc") > 0);
	CHECK(strcmp("ab", "abc") < 0);
	CHECK(strcmp("abc", "ab") > 0);
	CHECK(strcmp("a\x90", "a\x10") > 0);	/* unsigned */
	CHECK_EQ(strncmp("abcX", "abcY", 3), 0);
	CHECK(strncmp("abcX", "abcY", 4) < 0);
	CHECK_EQ(strncmp("abc", "abd", 0), 0);
	CHECK_EQ(strncmp("ab", "ab", 100), 0);
	CHECK(strncmp("ab", "abc", 100) < 0);
}

static void test_strchr(void)
{
	const char *s = "a/b/c";

	CHECK(strchr(s, '/') == s + 1);
	CHECK(strrchr(s, '/') == s + 3);
	CHECK(strchr(s, 'x') == NULL);
	CHECK(strrchr(s, 'x') == NULL);
	CHECK(strchr(s, '\0') == s + 5);
	CHECK(strrchr(s, '\0') == s + 5);
	CHECK(strchr(s, 'a') == s);
	CHECK(strrchr(s, 'a') == s);
	CHECK(strchr("\xe9x", 0xe9) != NULL);	/* int converted to char */
	CHECK(strstr(s, "") == s);
	CHECK(strstr(s, "b/c") == s + 2);
	CHECK(strstr(s, "b/d") == NULL);
	CHECK(strstr(s, "a/b/c/") == NULL);
	CHECK(strstr("aaab", "aab") != NULL);
	CHECK(strstr("", "a") == NULL);
}

static void test_strlcpy(void)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(strlcpy(buf, "hello", sizeof(buf)), 5);
	CHECK_EQ(strcmp(buf, "hello"), 0);
	CHECK_EQ(buf[6], 'x');
	CHECK_EQ(strlcpy(buf, "much too long", sizeof(buf)), 13);
	CHECK_EQ(strcmp(buf, "much to"), 0);
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(strlcpy(buf, "abc", 0), 3);
	CHECK_EQ(buf[0], 'x');
	CHECK_EQ(strlcpy(buf, "abc", 1), 3);
	CHECK_EQ(buf[0], '\0');

	memset(buf, 'x', sizeof(buf));
	CHECK(strncpy(buf, "ab", 5) == buf);
	CHECK(buf[0] == 'a' && buf[1] == 'b' && !buf[2] && !buf[3] && !buf[4] && buf[5] == 'x');
	strncpy(buf, "abcdefgh", 3);
	CHECK(buf[0] == 'a' && buf[2] == 'c' && buf[3] == '\0');
}

struct ul_case {
	const char *s;
	unsigned int base;
	int ret;
	unsigned long val;
};

static void test_kstrtoul(void)
{
	static const struct ul_case cases[] = {
		{ "0", 0, 0, 0 },
		{ "123", 0, 0, 123 },
		{ "+123", 0, 0, 123 },
		{ "0x1f", 0, 0, 0x1f },
		{ "0X1F", 0, 0, 0x1f },
		{ "0x", 0, -1, 0 },
		{ "0x", 16, -1, 0 },
		{ "017", 0, 0, 017 },
		{ "08", 0, -1, 0 },
		{ "08", 10, 0, 8 },
		{ "ff", 16, 0, 255 },
		{ "0xff", 16, 0, 255 },
		{ "0xff", 10, -1, 0 },
		{ "101", 2, 0, 5 },
		{ "102", 2, -1, 0 },
		{ "zz", 36, 0, 35 * 36 + 35 },
		{ "1", 1, -1, 0 },
		{ "1", 37, -1, 0 },
		{ "", 0, -1, 0 },
		{ "+", 0, -1, 0 },
		{ "-1", 0, -1, 0 },
		{ " 1", 0, -1, 0 },
		{ "1 ", 0, -1, 0 },
		{ "12a", 10, -1, 0 },
		{ "1\n", 10, -1, 0 },
		{ "++1", 0, -1, 0 },
		{ "99999999999999999999999", 0, -1, 0 },
		{ "0x0000000000000000000000001", 0, 0, 1 },
	};
	/* The limits of unsigned long, at either word size. */
	static const struct ul_case cases64[] = {
		{ "18446744073709551615", 0, 0, ~0UL },
		{ "18446744073709551616", 0, -1, 0 },
		{ "0xffffffffffffffff", 0, 0, ~0UL },
		{ "0x10000000000000000", 0, -1, 0 },
		{ "01777777777777777777777", 0, 0, ~0UL },
		{ "02000000000000000000000", 0, -1, 0 },
	}, cases32[] = {
		{ "4294967295", 0, 0, ~0UL },
		{ "4294967296", 0, -1, 0 },
		{ "0xffffffff", 0, 0, ~0UL },
		{ "0x100000000", 0, -1, 0 },
		{ "037777777777", 0, 0, ~0UL },
		{ "040000000000", 0, -1, 0 },
	};
	const struct ul_case *limits = sizeof(unsigned long) == 8 ? cases64 : cases32;

	for (size_t i = 0; i < ARRAY_SIZE(cases) + ARRAY_SIZE(cases64); i++) {
		const struct ul_case *c = i < ARRAY_SIZE(cases) ? &cases[i] :
					  &limits[i - ARRAY_SIZE(cases)];
		unsigned long v = 0xdead;
		int r = kstrtoul(c->s, c->base, &v);

		if (r != c->ret || v != (r ? 0xdead : c->val)) {
			printf("# kstrtoul(\"%s\", %u) = %d, %lu\n", c->s, c->base, r, v);
			htest_case_failed = 1;
		}
	}
}

static void test_kstrtol(void)
{
	long v = 0;

	CHECK_EQ(kstrtol("-5", 0, &v), 0);
	CHECK_EQ(v, -5);
	CHECK_EQ(kstrtol("+5", 0, &v), 0);
	CHECK_EQ(v, 5);
	CHECK_EQ(kstrtol("-0x10", 0, &v), 0);
	CHECK_EQ(v, -16);
	CHECK_EQ(kstrtol("-0", 0, &v), 0);
	CHECK_EQ(v, 0);
	if (sizeof(long) == 8) {
		CHECK_EQ(kstrtol("9223372036854775807", 0, &v), 0);
		CHECK(v == LONG_MAX);
		CHECK_EQ(kstrtol("-9223372036854775808", 0, &v), 0);
		CHECK(v == LONG_MIN);
		v = 7;
		CHECK_EQ(kstrtol("9223372036854775808", 0, &v), -1);
		CHECK_EQ(kstrtol("-9223372036854775809", 0, &v), -1);
	} else {
		CHECK_EQ(kstrtol("2147483647", 0, &v), 0);
		CHECK(v == LONG_MAX);
		CHECK_EQ(kstrtol("-2147483648", 0, &v), 0);
		CHECK(v == LONG_MIN);
		v = 7;
		CHECK_EQ(kstrtol("2147483648", 0, &v), -1);
		CHECK_EQ(kstrtol("-2147483649", 0, &v), -1);
	}
	CHECK_EQ(kstrtol("-", 0, &v), -1);
	CHECK_EQ(kstrtol("--1", 0, &v), -1);
	CHECK_EQ(kstrtol("-+1", 0, &v), -1);
	CHECK_EQ(kstrtol("+-1", 0, &v), -1);
	CHECK_EQ(kstrtol("", 0, &v), -1);
	CHECK_EQ(v, 7);
}

int main(void)
{
	RUN(test_memcpy);
	RUN(test_memmove);
	RUN(test_memset);
	RUN(test_memcmp);
	RUN(test_strlen);
	RUN(test_strcmp);
	RUN(test_strchr);
	RUN(test_strlcpy);
	RUN(test_kstrtoul);
	RUN(test_kstrtol);
	return HTEST_DONE();
}
