// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/vsprintf.c. The host C library's snprintf is the oracle:
 * every combination of flags, width, precision, length modifier and
 * conversion below is formatted by both and must match byte for byte, with
 * the same return value. Then truncation at every buffer size, the kernel
 * extensions (%pS, %ps) and hostile formats.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */

#include <limits.h>
#include <stdint.h>
#include <stddef.h>

#include <ferret/types.h>
#include <ferret/printk.h>
#include <ferret/string.h>

#include "htest.h"
#include "host_kernel.h"

/* host_rename.h turned snprintf into ferret_snprintf; get libc's back. */
#undef snprintf
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...);

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"

static int mismatches;

static void report(const char *fmt, const char *got, int gn, const char *want, int wn)
{
	if (mismatches++ < 20)
		printf("# \"%s\": got \"%s\" (%d), want \"%s\" (%d)\n", fmt, got, gn, want, wn);
	htest_case_failed = 1;
}

#define COMPARE(...)                                                                   \
	do {                                                                           \
		char __g[512], __w[512];                                               \
		int __gn = ferret_snprintf(__g, sizeof(__g), __VA_ARGS__);              \
		int __wn = snprintf(__w, sizeof(__w), __VA_ARGS__);                    \
		if (__gn != __wn || strcmp(__g, __w))                                  \
			report(#__VA_ARGS__, __g, __gn, __w, __wn);                   \
	} while (0)

static const char *const flag_sets[] = {
	"", "-", "0", "+", " ", "#", "-+", "0+", "0 ", "-#", "0#", "-0", "+ ", "#0+", "-+ #0",
};
static const char *const widths[] = { "", "1", "2", "5", "12", "25" };
static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".12", ".25" };

static const long long values[] = {
	0, 1, -1, 7, 8, 9, 10, 15, 16, 42, -42, 127, 128, -128, 255, 256, 32767, -32768,
	65535, 65536, 0x7fffffff, -0x7fffffffLL - 1, 0xffffffffLL, 0x100000000LL,
	1234567890123LL, -987654321987LL, LLONG_MAX, LLONG_MIN, 0x0123456789abcdefLL,
};

/* Formats "%<flags><width><prec><len><conv>" and checks it on every value. */
static void compare_ints(const char *len, char conv)
{
	char fmt[32];

	for (size_t f = 0; f < ARRAY_SIZE(flag_sets); f++)
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
			for (size_t p = 0; p < ARRAY_SIZE(precs); p++) {
				/* glibc and C disagree with nothing here, except '#'
				 * with d/i/u which C leaves undefined. */
				if ((conv == 'd' || conv == 'i' || conv == 'u') &&
				    strchr(flag_sets[f], '#'))
					continue;
				snprintf(fmt, sizeof(fmt), "%%%s%s%s%s%c", flag_sets[f],
					 widths[w], precs[p], len, conv);
				for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
					long long x = values[v];

					if (!strcmp(len, "hh"))
						COMPARE(fmt, (int)x);
					else if (!strcmp(len, "h"))
						COMPARE(fmt, (int)x);
					else if (!strcmp(len, ""))
						COMPARE(fmt, (int)x);
					else if (!strcmp(len, "l"))
						COMPARE(fmt, (long)x);
					else if (!strcmp(len, "ll"))
						COMPARE(fmt, x);
					else if (!strcmp(len, "z"))
						COMPARE(fmt, (size_t)x);
					else if (!strcmp(len, "t"))
						COMPARE(fmt, (ptrdiff_t)x);
					else if (!strcmp(len, "j"))
						COMPARE(fmt, (intmax_t)x);
				}
			}
}

static void test_integers_vs_libc(void)
{
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z", "t", "j" };
	static const char convs[] = "diuxXo";

	mismatches = 0;
	for (size_t l = 0; l < ARRAY_SIZE(lens); l++)
		for (size_t c = 0; c < sizeof(convs) - 1; c++)
			compare_ints(lens[l], convs[c]);
}

static void test_strings_vs_libc(void)
{
	static const char *const strs[] = { "", "a", "hello", "a longer string, 30 chars....." };
	static const char *const sflags[] = { "", "-" };
	char fmt[32];

	mismatches = 0;
	for (size_t f = 0; f < ARRAY_SIZE(sflags); f++)
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
			for (size_t p = 0; p < ARRAY_SIZE(precs); p++) {
				snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", sflags[f], widths[w],
					 precs[p]);
				for (size_t s = 0; s < ARRAY_SIZE(strs); s++)
					COMPARE(fmt, strs[s]);
				snprintf(fmt, sizeof(fmt), "[%%%s%sc]", sflags[f], widths[w]);
				COMPARE(fmt, 'x');
				COMPARE(fmt, 0xe9);
			}
	COMPARE("%c%c%c", 'a', 'b', 'c');
	COMPARE("%%");
	COMPARE("100%% %s%%", "sure");
	COMPARE("no conversions");
	COMPARE("%s", "");
	COMPARE("%5s|%-5s|%.1s", "ab", "ab", "ab");
}

static void test_star(void)
{
	mismatches = 0;
	for (int w = -12; w <= 12; w += 3)
		for (int p = -2; p <= 6; p++) {
			COMPARE("[%*d]", w, 42);
			COMPARE("[%*.*d]", w, p, -42);
			COMPARE("[%-*.*x]", w, p, 0xbeef);
			COMPARE("[%0*d]", w, -42);
			COMPARE("[%.*s]", p, "abcdef");
			COMPARE("[%*.*s]", w, p, "abcdef");
			COMPARE("[%*c]", w, 'q');
		}
	/* A precision bounds the read: the string need not be terminated. */
	{
		char raw[3] = { 'x', 'y', 'z' };
		char out[8];

		CHECK_EQ(ferret_snprintf(out, sizeof(out), "%.3s", raw), 3);
		CHECK_EQ(strcmp(out, "xyz"), 0);
		CHECK_EQ(ferret_snprintf(out, sizeof(out), "%.*s", 2, raw), 2);
		CHECK_EQ(strcmp(out, "xy"), 0);
	}
}

static void test_pointers(void)
{
	static int obj;
	char buf[64];

	mismatches = 0;
	COMPARE("%p", (void *)&obj);
	COMPARE("%p", (void *)0x1);
	COMPARE("%p", (void *)0xffff000012345678UL);
	COMPARE("[%20p]", (void *)0x1234);
	COMPARE("[%-20p]", (void *)0x1234);
	/* NULL: libc prints "(nil)", ferret the number. */
	CHECK_EQ(ferret_snprintf(buf, sizeof(buf), "%p", NULL), 3);
	CHECK_EQ(strcmp(buf, "0x0"), 0);
	/* %p followed by other letters: the letter is plain text. */
	ferret_snprintf(buf, sizeof(buf), "%pX", (void *)0xab);
	CHECK_EQ(strcmp(buf, "0xabX"), 0);
}

static const struct host_sym syms[] = {
	{ 0x1000, 0x80, "start_kernel" },
	{ 0x2000, 0x40, "do_something_with_a_rather_long_function_name" },
};

static void test_symbols(void)
{
	char buf[128];
	int n;

	host_syms = syms;
	host_nr_syms = ARRAY_SIZE(syms);

	n = ferret_snprintf(buf, sizeof(buf), "%pS", (void *)0x101c);
	CHECK_EQ(strcmp(buf, "start_kernel+0x1c/0x80"), 0);
	CHECK_EQ(n, (int)strlen("start_kernel+0x1c/0x80"));
	ferret_snprintf(buf, sizeof(buf), "at %pS!", (void *)0x1000);
	CHECK_EQ(strcmp(buf, "at start_kernel+0x0/0x80!"), 0);
	ferret_snprintf(buf, sizeof(buf), "%pS", (void *)0x1080);	/* just past the end */
	CHECK_EQ(strcmp(buf, "0x1080"), 0);
	ferret_snprintf(buf, sizeof(buf), "%ps", (void *)0x2004);
	CHECK_EQ(strcmp(buf, "do_something_with_a_rather_long_function_name"), 0);
	ferret_snprintf(buf, sizeof(buf), "%ps", (void *)0x5);
	CHECK_EQ(strcmp(buf, "0x5"), 0);
	ferret_snprintf(buf, sizeof(buf), "[%-30pS]", (void *)0x1001);
	CHECK_EQ(strcmp(buf, "[start_kernel+0x1/0x80         ]"), 0);
	ferret_snprintf(buf, sizeof(buf), "[%.5pS]", (void *)0x1001);
	CHECK_EQ(strcmp(buf, "[start]"), 0);

	/* Truncated in the middle of a symbol: still terminated, full length returned. */
	n = ferret_snprintf(buf, 10, "%pS", (void *)0x2010);
	CHECK_EQ(n, (int)strlen("do_something_with_a_rather_long_function_name+0x10/0x40"));
	CHECK_EQ(strlen(buf), 9);

	host_syms = NULL;
	host_nr_syms = 0;
	ferret_snprintf(buf, sizeof(buf), "%pS", (void *)0x101c);
	CHECK_EQ(strcmp(buf, "0x101c"), 0);
}

/* Every size from 0 to past the end: prefix, NUL, return value, no overrun. */
static void check_truncation(const char *fmt, ...)
{
	char full[512], out[600];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = ferret_vsnprintf(full, sizeof(full), fmt, ap);
	va_end(ap);
	CHECK(n >= 0 && n < (int)sizeof(full));

	for (size_t size = 0; size <= (size_t)n + 2; size++) {
		int m;

		memset(out, 0x5a, sizeof(out));
		va_start(ap, fmt);
		m = ferret_vsnprintf(size ? out : NULL, size, fmt, ap);
		va_end(ap);
		if (m != n)
			htest_case_failed = 1;
		for (size_t i = size; i < sizeof(out); i++)
			if (out[i] != 0x5a) {
				printf("# \"%s\" size %zu: wrote byte %zu\n", fmt, size, i);
				htest_case_failed = 1;
				break;
			}
		if (size) {
			size_t keep = size - 1 < (size_t)n ? size - 1 : (size_t)n;

			if (memcmp(out, full, keep) || out[keep] != '\0') {
				printf("# \"%s\" size %zu: bad prefix\n", fmt, size);
				htest_case_failed = 1;
			}
		}
	}
}

static void test_truncation(void)
{
	check_truncation("hello, world");
	check_truncation("%d|%5x|%-8s|%c|%%|%020llu", -12345, 0xabc, "str", 'z', 123456789ULL);
	check_truncation("%300d", 7);
	check_truncation("%-300s|", "left");
	check_truncation("%.300d", 7);
	check_truncation("%s%s%s", "abc", "", "defghijklmnopqrstuvwxyz");
	check_truncation("%#o %#x %p", 8, 255, (void *)0x1234);
}

static void test_hostile(void)
{
	char buf[32];
	int n;

	/* Unknown conversions and a lone trailing '%' come out as written. */
	n = ferret_snprintf(buf, sizeof(buf), "a%yb");
	CHECK_EQ(strcmp(buf, "a%yb"), 0);
	CHECK_EQ(n, 4);
	ferret_snprintf(buf, sizeof(buf), "x%");
	CHECK_EQ(strcmp(buf, "x%"), 0);
	ferret_snprintf(buf, sizeof(buf), "%-05.3l");
	CHECK_EQ(strcmp(buf, "%-05.3l"), 0);
	/* %n is never honoured. */
	{
		int target = 1234;

		ferret_snprintf(buf, sizeof(buf), "ab%n", &target);
		CHECK_EQ(target, 1234);
	}
	/* Absurd widths are clamped, never overflow, and stay fast when truncating. */
	n = ferret_snprintf(buf, sizeof(buf), "%*d", INT_MIN, 5);
	CHECK(n > 0);
	CHECK_EQ(buf[0], '5');
	n = ferret_snprintf(buf, sizeof(buf), "%*d", INT_MAX, 5);
	CHECK(n > 1000000);
	CHECK_EQ(strlen(buf), sizeof(buf) - 1);
	n = ferret_snprintf(buf, sizeof(buf), "%99999999999999999999d", 5);
	CHECK(n > 1000000);
	n = ferret_snprintf(buf, sizeof(buf), "%.*d", INT_MAX, 5);
	CHECK(n > 1000000);
	CHECK_EQ(buf[0], '0');
	/* NULL string. */
	ferret_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	CHECK_EQ(strcmp(buf, "(null)"), 0);
	/* Size 0 with a NULL buffer only measures. */
	CHECK_EQ(ferret_snprintf(NULL, 0, "%d-%s", 12345, "xyz"), 9);
}

int main(void)
{
	RUN(test_integers_vs_libc);
	RUN(test_strings_vs_libc);
	RUN(test_star);
	RUN(test_pointers);
	RUN(test_symbols);
	RUN(test_truncation);
	RUN(test_hostile);
	return HTEST_DONE();
}
