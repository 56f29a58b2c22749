/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What page_owner (mm/page_owner.c) and the object owners
 * (mm/slab_owner.c) share to stamp a record: the clock (microseconds since
 * boot without a division), the compact time-difference encoding, and the
 * stack save behind a walk-memo miss. Not for other code.
 */
#ifndef MM_OWNER_TRACK_H
#define MM_OWNER_TRACK_H

#include <ferret/compiler.h>
#include <ferret/math64.h>
#include <ferret/owner_time.h>
#include <ferret/types.h>
#include <ferret/smp.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>
#include <ferret/time.h>
#include <asm/timex.h>

/*
 * Microseconds since boot without a division: us = ((ticks - origin) * mult)
 * >> 64 (one umulh), mult = 2^64 * 10^6 / freq rounded up: a relative error
 * below 2^-64 * freq / 1 MHz. origin is the counter at ktime_get_ns() == 0,
 * found once by owner_clock_init(), so the records' times and the kernel's
 * agree to a counter tick. Counters below 1 MHz are taken as 1 MHz.
 */
struct owner_clock {
	u64 mult;	/* 0: no counter, use ktime_get_ns() */
	u64 origin;
};
extern struct owner_clock owner_clock;

/* Set the clock up (idempotent); before the first now_us(). */
void owner_clock_init(void);

/* Set @c up for a counter of @freq Hz (above 0), from @origin on. */
void owner_clock_setup(struct owner_clock *c, u64 freq, u64 origin);

/* An architecture may multiply faster than the generic code (asm/timex.h). */
#ifndef arch_mul_u64_u64_hi
#define arch_mul_u64_u64_hi mul_u64_u64_hi
#endif

/* Counter ticks since @c's origin in microseconds (see struct owner_clock). */
static __always_inline u64 owner_clock_us(const struct owner_clock *c, u64 ticks)
{
	return arch_mul_u64_u64_hi(ticks - c->origin, c->mult);
}

/* Microseconds since boot; a later time than @max (a constant) reads as @max. */
static __always_inline u64 now_us_max(u64 max)
{
	u64 us;

	if (IS_ENABLED(ARCH_HAS_FAST_COUNTER) || likely(owner_clock.mult))
		us = owner_clock_us(&owner_clock, arch_counter_read_fast());
	else
		us = ktime_get_ns() / NSEC_PER_USEC;
	/* The high words first: one compare on 32-bit CPUs, then only near @max. */
	if (unlikely((u32)(us >> 32) >= (u32)(max >> 32)) && us > max)
		us = max;
	return us;
}

/* Microseconds since boot, at most OWNER_TS_MAX_US (what records keep). */
static __always_inline u64 now_us(void)
{
	return now_us_max(OWNER_TS_MAX_US);
}

/*
 * Consistent records while other cores write them. A writer marks the
 * record it rewrites in its core's slot (owner_write_begin(), then its
 * stores, then owner_write_end()), with interrupts masked so that nothing
 * on its core nests a second write. owner_read() copies a record, checks
 * that no slot names it, and copies it again: a copy that two writes could
 * have torn is taken again (the reader never waits on a lock the writers
 * take, and the writers never wait at all). Records are whole 32-bit words.
 */
struct owner_write_slot {
	const void *rec;	/* being written, or NULL */
} __aligned(64);		/* one cache line each: no core's stores bounce another's */
extern struct owner_write_slot owner_writing[NR_CPUS];
/* Copies owner_read() took again because a write was in progress (every core's). */
extern unsigned long owner_read_retries;

/* Context: interrupts masked until owner_write_end(). */
static __always_inline struct owner_write_slot *owner_write_begin(const void *rec)
{
	struct owner_write_slot *slot = &owner_writing[smp_processor_id()];

	__atomic_store_n(&slot->rec, rec, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* the mark before the record's stores */
	return slot;
}

static __always_inline void owner_write_end(struct owner_write_slot *slot)
{
	__atomic_store_n(&slot->rec, NULL, __ATOMIC_RELEASE);	/* after them */
}

/*
 * owner_read() - copy the @size-byte record @rec (a multiple of 4) into
 * @dst as one write left it. Return: true; false when writes kept tearing it
 * for OWNER_READ_TRIES copies (a core stopped in the middle of one, as after
 * a crash), @dst then holds the last copy. The bound is long (tens of ms):
 * under emulation a core's thread can be descheduled in the middle of its
 * write for a host time slice, with its interrupts masked. Context: any.
 */
#define OWNER_READ_TRIES	(1U << 20)
bool owner_read(void *dst, const void *rec, size_t size);

/*
 * Read the records without taking locks (page_owner_set_lockless(): the
 * panic console, where the crashed code may hold one). Reads are racy but
 * bounded.
 */
extern bool owner_lockless;

/* page_owner_memo=off: never remember a walk (measures the full path). */
extern bool owner_memo_on;
/* Full walks made by owner_save_stack() (walk memo misses), both trackers. */
extern unsigned long owner_walk_misses;

/*
 * Walk memo tables of the two hooks of each tracker (page_owner, the object
 * owners): table sets (UNWIND_MEMO_WAYS memos each) per core, and the bytes
 * for every core's pair.
 */
#define OWNER_ALLOC_MEMO_SETS	16
#define OWNER_FREE_MEMO_SETS	8
#define OWNER_MEMO_BYTES	(NR_CPUS * (OWNER_ALLOC_MEMO_SETS + OWNER_FREE_MEMO_SETS) * \
				 UNWIND_MEMO_WAYS * sizeof(struct unwind_memo))

/*
 * owner_memo_init() - set up every core's @alloc and @free memo sets with
 * their tables carved from @table (OWNER_MEMO_BYTES), or with none (NULL:
 * every match misses). Chains remembered before are forgotten.
 * Context: init.
 */
void owner_memo_init(struct unwind_memo_set *alloc, struct unwind_memo_set *free,
		     struct unwind_memo *table);

/* Frames kept per stack, as Linux's PAGE_OWNER_STACK_DEPTH (slab: TRACK_ADDRS_COUNT). */
#define OWNER_STACK_DEPTH	16

/*
 * owner_save_stack() - a memo miss: walk from @fp (OWNER_STACK_DEPTH frames
 * kept), store the stack in the depot and remember the walk in @memo.
 * Return: the depot handle, or @failure when no frame could be read.
 * Context: any; never allocates.
 */
depot_stack_handle_t owner_save_stack(struct unwind_memo_set *memo, unsigned long fp,
				      depot_stack_handle_t failure);

/*
 * owner_failure_stack() - store the placeholder stack that records get when
 * their own stack could not be walked (its frames name this function's
 * callers). Context: init. Return: its handle.
 */
depot_stack_handle_t owner_failure_stack(void);

#endif
