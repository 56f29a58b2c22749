/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP for host unit tests: each CHECK prints nothing unless it fails;
 * each test case prints "ok N name" or "not ok N name". The runner counts them.
 */
#ifndef HTEST_H
#define HTEST_H

#include <stdio.h>
#include <stdlib.h>

static int htest_case_failed, htest_nr, htest_failures;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			printf("# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			htest_case_failed = 1;                                       \
		}                                                                    \
	} while (0)

#define CHECK_EQ(a, b)                                                               \
	do {                                                                         \
		/* pointers too: a 32-bit one widens to long long */              \
		_Pragma("GCC diagnostic push")                                       \
		_Pragma("GCC diagnostic ignored \"-Wpointer-to-int-cast\"")         \
		long long __a = (long long)(a), __b = (long long)(b);                \
		_Pragma("GCC diagnostic pop")                                        \
		if (__a != __b) {                                                    \
			printf("# %s:%d: %s == %s failed: %lld != %lld\n", __FILE__,   \
			       __LINE__, #a, #b, __a, __b);                          \
			htest_case_failed = 1;                                       \
		}                                                                    \
	} while (0)

#define RUN(fn)                                                                      \
	do {                                                                         \
		htest_case_failed = 0;                                               \
		fn();                                                                \
		printf("%sok %d %s\n", htest_case_failed ? "not " : "", ++htest_nr, #fn); \
		htest_failures += htest_case_failed;                                 \
		fflush(stdout);                                                      \
	} while (0)

#define HTEST_DONE() (printf("1..%d\n", htest_nr), htest_failures ? 1 : 0)

#endif
