/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object owner record (its layout below) and the two
 * hooks that write it, inline so that the allocator's slow paths record
 * without a call of their own: the stack is walked from the slow path's
 * frame, one frame record fewer for the walk memo to compare.
 */
#ifndef MM_SLAB_OWNER_H
#define MM_SLAB_OWNER_H

#include <ferret/sched.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>

#include "owner_track.h"
#include "slab.h"

/* The layout is in mm/slab_owner.c; 17-bit handles address a depot pool of up to 512 KiB. */
#define SO_HANDLE_BITS		17
#define SO_HANDLE_MASK		((1ULL << SO_HANDLE_BITS) - 1)
#define SO_FREE_HANDLE_SHIFT	17
#define SO_FREE_HANDLE_MASK	(SO_HANDLE_MASK << SO_FREE_HANDLE_SHIFT)
#define SO_PID_SHIFT		34
#define SO_PID_MASK		(0x3fULL << SO_PID_SHIFT)
#define SO_FREE_PID_SHIFT	40
#define SO_FREE_PID_MASK	(0x3fULL << SO_FREE_PID_SHIFT)
#define SO_LIVE			(1ULL << 46)
#define SO_CPU_SHIFT		47
#define SO_CPU_MASK		(7ULL << SO_CPU_SHIFT)
#define SO_FREE_CPU_SHIFT	50
#define SO_FREE_CPU_MASK	(7ULL << SO_FREE_CPU_SHIFT)
#define SO_WASTE_SHIFT		53
#define SO_WASTE_MAX		1023ULL
#define SO_TS_MASK		((1ULL << 44) - 1)
#define SO_FREE_DT_SHIFT	44

BUILD_BUG_ON(STACK_DEPOT_POOL_SIZE / 4 > (1 << SO_HANDLE_BITS));
BUILD_BUG_ON(MAX_TASK_CTX > 64);
BUILD_BUG_ON(NR_CPUS > 8);

extern struct unwind_memo_set so_alloc_memo[NR_CPUS], so_free_memo[NR_CPUS];
/* The running core's sets, by pointer (one load; slab_owner_init() fills them in). */
extern struct unwind_memo_set *so_alloc_memo_of[NR_CPUS], *so_free_memo_of[NR_CPUS];
extern depot_stack_handle_t so_failure_handle;

/* A memo miss: walk, store, remember (mm/slab_owner.c). */
depot_stack_handle_t so_save_slow(struct unwind_memo_set *memo, unsigned long fp);

static __always_inline u64 *owner_rec(const struct kmem_cache *s, unsigned long base,
				      const void *x)
{
	return (u64 *)(base + s->owner_offset + (unsigned long)obj_index(s, base, x) * 16);
}

static __always_inline void slab_owner_record_alloc(struct kmem_cache *s, unsigned long base,
						    void *x, size_t orig_size)
{
	u64 pid = (u64)current_pid() & 0x3f;
	unsigned long fp = (unsigned long)__builtin_frame_address(0);
	u64 now = now_us(), *rec, w0, w1, waste;
	depot_stack_handle_t handle = unwind_memo_match(so_alloc_memo_of[smp_processor_id()], fp);
	struct owner_write_slot *slot;
	u32 free_dt = 0;

	if (unlikely(!handle))
		handle = so_save_slow(so_alloc_memo_of[smp_processor_id()], fp);
	rec = owner_rec(s, base, x);
	w0 = rec[0];
	w1 = rec[1];
	if (w0 & SO_FREE_HANDLE_MASK) {
		u64 prev_free = (w1 & SO_TS_MASK) + dt_decode((u32)(w1 >> SO_FREE_DT_SHIFT));

		free_dt = prev_free <= now ? dt_encode(now - prev_free) : 0;
	}
	waste = orig_size < s->object_size ? s->object_size - orig_size : 0;
	waste = waste > SO_WASTE_MAX ? SO_WASTE_MAX : waste;
	slot = owner_write_begin(rec);
	rec[0] = (w0 & (SO_FREE_HANDLE_MASK | SO_FREE_PID_MASK | SO_FREE_CPU_MASK)) | handle |
		 pid << SO_PID_SHIFT | SO_LIVE | (u64)smp_processor_id() << SO_CPU_SHIFT |
		 waste << SO_WASTE_SHIFT;
	rec[1] = now | (u64)free_dt << SO_FREE_DT_SHIFT;
	owner_write_end(slot);
}

static __always_inline bool slab_owner_record_free(struct kmem_cache *s, unsigned long base,
						   const void *x)
{
	u64 *rec = owner_rec(s, base, x), w0 = rec[0], pid, now, ts;
	struct owner_write_slot *slot;
	unsigned long fp;
	depot_stack_handle_t handle;

	if (unlikely(!(w0 & SO_LIVE)))
		return false;
	pid = (u64)current_pid() & 0x3f;
	fp = (unsigned long)__builtin_frame_address(0);
	now = now_us();
	handle = unwind_memo_match(so_free_memo_of[smp_processor_id()], fp);
	if (unlikely(!handle))
		handle = so_save_slow(so_free_memo_of[smp_processor_id()], fp);
	ts = rec[1] & SO_TS_MASK;
	slot = owner_write_begin(rec);
	rec[0] = (w0 & (SO_HANDLE_MASK | SO_PID_MASK | SO_CPU_MASK)) |
		 (u64)handle << SO_FREE_HANDLE_SHIFT | pid << SO_FREE_PID_SHIFT |
		 (u64)smp_processor_id() << SO_FREE_CPU_SHIFT;
	rec[1] = ts | (u64)(now >= ts ? dt_encode(now - ts) : 0) << SO_FREE_DT_SHIFT;
	owner_write_end(slot);
	return true;
}

#endif
