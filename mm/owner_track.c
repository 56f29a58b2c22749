// SPDX-License-Identifier: GPL-2.0
/*
 * The clock and the stack save shared by page_owner and the object owners
 * (mm/owner_track.h).
 */
#include <ferret/compiler.h>
#include <ferret/math64.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>
#include <ferret/time.h>

#include "owner_track.h"

struct owner_clock owner_clock;
bool owner_memo_on = true;
bool owner_lockless;
unsigned long owner_walk_misses;

__weak u64 arch_counter_read(void)
{
	return 0;
}

__weak u64 arch_timer_freq(void)
{
	return 0;
}

void owner_clock_init(void)
{
	u64 freq = arch_timer_freq(), c, ns;

	if (!freq)
		return;		/* no counter: ktime_get_ns() */
	c = arch_counter_read();
	ns = ktime_get_ns();
	owner_clock.origin = c - mul_u64_u64_div_u64(ns, freq, NSEC_PER_SEC);
	if (freq <= 1000000)
		owner_clock.mult = ~0ULL;	/* 2^64 (at 1 MHz) less a hair */
	else	/* (2^64 * 10^6 - 1) / freq + 1 */
		owner_clock.mult = div_u128_u64(1000000 - 1, ~0ULL, freq) + 1;
}

depot_stack_handle_t owner_save_stack(struct unwind_memo_set *memo, unsigned long fp,
				      depot_stack_handle_t failure)
{
	unsigned long entries[OWNER_STACK_DEPTH];
	struct unwind_chain chain;
	unsigned int nr = unwind_memo_walk(fp, entries, ARRAY_SIZE(entries), &chain);
	depot_stack_handle_t h;

	/* No frame could be read (e.g. an unregistered stack). */
	if (unlikely(!nr))
		return failure;
	h = stack_depot_save(entries, nr);
	if (h != STACK_DEPOT_HANDLE_FULL && owner_memo_on)
		unwind_memo_publish(memo, &chain, h);
	__atomic_fetch_add(&owner_walk_misses, 1, __ATOMIC_RELAXED);	/* every core's */
	return h;
}

__noinline depot_stack_handle_t owner_failure_stack(void)
{
	unsigned long entries[OWNER_STACK_DEPTH];
	unsigned int nr = stack_trace_save_all(entries, ARRAY_SIZE(entries));

	if (!nr) {
		entries[0] = (unsigned long)owner_failure_stack;
		nr = 1;
	}
	return stack_depot_save(entries, nr);
}
