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

struct owner_write_slot owner_writing[NR_CPUS];
unsigned long owner_read_retries;

static void copy_words(u32 *dst, const u32 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

static bool same_words(const u32 *a, const u32 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != __atomic_load_n(&src[i], __ATOMIC_RELAXED))
			return false;
	return true;
}

/*
 * A copy is whole when no slot named the record between the two copies and
 * both are equal. A write that had begun before the first copy and ended
 * before the slots were read is all in the second copy (the end's release,
 * the reader's acquire), so a first copy it tore differs from it; one still
 * going on when the slots are read is seen there; one that begins after is
 * not in the first copy, and the second copy differs if any of it is in it.
 */
bool owner_read(void *dst, const void *rec, size_t size)
{
	const u32 *src = rec;
	size_t n = size / 4;

	for (unsigned int tries = 0; tries < OWNER_READ_TRIES; tries++) {
		bool busy = false;

		copy_words(dst, src, n);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
			busy |= __atomic_load_n(&owner_writing[cpu].rec, __ATOMIC_RELAXED) == rec;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (!busy && same_words(dst, src, n))
			return true;
		__atomic_fetch_add(&owner_read_retries, 1, __ATOMIC_RELAXED);
	}
	return false;
}

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
	owner_clock_setup(&owner_clock, freq, c - mul_u64_u64_div_u64(ns, freq, NSEC_PER_SEC));
}

void owner_clock_setup(struct owner_clock *c, u64 freq, u64 origin)
{
	c->origin = origin;
	if (freq <= 1000000)
		c->mult = ~0ULL;	/* 2^64 (at 1 MHz) less a hair */
	else	/* (2^64 * 10^6 - 1) / freq + 1 */
		c->mult = div_u128_u64(1000000 - 1, ~0ULL, freq) + 1;
}

BUILD_BUG_ON(OWNER_ALLOC_MEMO_SETS & (OWNER_ALLOC_MEMO_SETS - 1) ||
	     OWNER_FREE_MEMO_SETS & (OWNER_FREE_MEMO_SETS - 1));

void owner_memo_init(struct unwind_memo_set *alloc, struct unwind_memo_set *free,
		     struct unwind_memo *table)
{
	struct unwind_memo *t = table;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unwind_memo_set_init(&alloc[cpu], t, OWNER_ALLOC_MEMO_SETS - 1);
		if (t)
			t += OWNER_ALLOC_MEMO_SETS * UNWIND_MEMO_WAYS;
		unwind_memo_set_init(&free[cpu], t, OWNER_FREE_MEMO_SETS - 1);
		if (t)
			t += OWNER_FREE_MEMO_SETS * UNWIND_MEMO_WAYS;
	}
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
