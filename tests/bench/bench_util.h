/* SPDX-License-Identifier: GPL-2.0 */
/* What the host benchmarks share: the clock and the report line bench_host.sh parses. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdio.h>
#include <time.h>

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* "<workload> ops=<n> ns_per_op=<x>" */
static inline void report(const char *name, unsigned long n, double ns)
{
	printf("%s ops=%lu ns_per_op=%.2f\n", name, n, ns / (double)n);
}

#endif
