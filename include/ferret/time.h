/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FERRET_TIME_H
#define FERRET_TIME_H

#include <ferret/types.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL

/* Nanoseconds since boot (generic timer on the target, CLOCK_MONOTONIC on the host). */
u64 ktime_get_ns(void);

#endif
