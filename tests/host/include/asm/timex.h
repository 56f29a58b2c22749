/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build: no counter of its own. The weak arch_counter_read() and
 * arch_timer_freq() in mm/owner_track.c (frequency 0) make the owner clock
 * use ktime_get_ns(); a test may provide a counter instead.
 */
#ifndef ASM_TIMEX_H
#define ASM_TIMEX_H

#include <ferret/types.h>

#define ARCH_HAS_FAST_COUNTER	0

u64 arch_counter_read(void);
u64 arch_timer_freq(void);

static inline u64 arch_counter_read_fast(void)
{
	return arch_counter_read();
}

#endif
