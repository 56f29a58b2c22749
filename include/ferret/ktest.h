/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel test suites, printed as KTAP (the format of Linux's KUnit).
 * A suite registers itself with KTEST_SUITE() into section .ktest_suites.<name>;
 * `ktest` runs them all, `ktest <suite>` one.
 */
#ifndef FERRET_KTEST_H
#define FERRET_KTEST_H

#include <ferret/types.h>
#include <ferret/compiler.h>
#include <ferret/printk.h>

struct ktest {
	const char *name;
	bool failed;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	unsigned int nr_cases;
} __aligned(8);	/* a multiple of the sections' alignment: the table is an array */
#define KTEST_CASE(fn) { #fn, fn }

#define KTEST_SUITE(sname, carray)                                                 \
	static const struct ktest_suite __ktest_suite_##carray __used              \
		__section(".ktest_suites." #sname) __aligned(8) = {                 \
			.name = #sname, .cases = carray,                            \
			.nr_cases = ARRAY_SIZE(carray),                             \
		}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);

#define KTEST_EXPECT_TRUE(t, cond)                                                  \
	do {                                                                        \
		if (!(cond))                                                        \
			ktest_fail(t, __FILE__, __LINE__, "Expected %s", #cond);      \
	} while (0)

#define KTEST_EXPECT_EQ(t, a, b)                                                    \
	do {                                                                        \
		long long __a = (long long)(a), __b = (long long)(b);               \
		if (__a != __b)                                                     \
			ktest_fail(t, __FILE__, __LINE__,                           \
				   "Expected %s == %s, but %lld != %lld", #a, #b,   \
				   __a, __b);                                       \
	} while (0)

#define KTEST_EXPECT_NE(t, a, b)                                                    \
	do {                                                                        \
		long long __a = (long long)(a), __b = (long long)(b);               \
		if (__a == __b)                                                     \
			ktest_fail(t, __FILE__, __LINE__,                           \
				   "Expected %s != %s, both %lld", #a, #b, __a);    \
	} while (0)

#define KTEST_ASSERT_TRUE(t, cond)                                                  \
	do {                                                                        \
		if (!(cond)) {                                                      \
			ktest_fail(t, __FILE__, __LINE__, "Asserted %s", #cond);      \
			return;                                                     \
		}                                                                   \
	} while (0)

#endif
