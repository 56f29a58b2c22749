/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A concurrent allocator workload (lib/mm_stress.c): each core (and each
 * core's timer interrupt) runs its own struct mm_stress, allocating and
 * freeing pages and objects at random, and handing some blocks to other
 * cores through a shared exchange so they are freed remotely. Every block
 * carries a header and a trailer naming its address, kind and size, checked
 * when it is freed: a block handed to two owners at once, or written by the
 * allocator while held, is counted as corrupt and reported.
 *
 * The kernel's `stress` command runs it on every core (kernel/cmd_stress.c);
 * the host tests run it on threads.
 */
#ifndef FERRET_MM_STRESS_H
#define FERRET_MM_STRESS_H

#include <ferret/types.h>
#include <ferret/gfp.h>

#define MM_STRESS_SLOTS		128	/* blocks one workload holds at most */
#define MM_STRESS_EXCHANGE	64	/* slots shared by all workloads of a run */

/* The blocks in flight between workloads: handed in by one, freed by another. */
struct mm_stress_exchange {
	void *slot[MM_STRESS_EXCHANGE];
};

struct mm_stress {
	/* Set by the caller before the first step. */
	struct mm_stress_exchange *xchg;
	unsigned int id;		/* written into the blocks (the core, or 0x100 + core for a tick) */
	unsigned int max_held;		/* <= MM_STRESS_SLOTS */
	gfp_t gfp;			/* GFP_KERNEL, or GFP_ATOMIC from an interrupt */
	u64 rng;			/* seed; any value */
	/* Owned by the workload. */
	unsigned int nr_held;
	void *held[MM_STRESS_SLOTS];
	/* Counters: every step is one allocation or one free. */
	unsigned long page_allocs, page_frees;
	unsigned long obj_allocs, obj_frees;
	unsigned long remote_frees;	/* blocks another workload allocated */
	unsigned long failures;		/* allocations that returned NULL */
	unsigned long corrupt;		/* blocks whose header or trailer changed */
};

/* mm_stress_step() - @n operations. Return: operations done (== @n). */
unsigned long mm_stress_step(struct mm_stress *s, unsigned long n);

/* mm_stress_release() - free every block @s holds. */
void mm_stress_release(struct mm_stress *s);

/*
 * mm_stress_drain_exchange() - free what is left in the exchange, counted
 * in @s; call once every workload of the run has stopped.
 */
void mm_stress_drain_exchange(struct mm_stress *s);

/*
 * mm_stress_settle() - give every cache's free slabs and the per-cpu page
 * lists back to the buddy allocator, so free pages and objects in use can be
 * compared with a settled start. Context: process.
 */
void mm_stress_settle(void);

/* Objects allocated in every cache (the sum of kmem_cache_stats()). Context: process. */
unsigned long mm_stress_active_objects(void);

/*
 * mm_stress_owned_pages() - pages in allocated blocks with a page_owner
 * record (0 with page_owner off). Settled, it equals the pages in use:
 * managed pages minus free ones. Context: process.
 */
unsigned long mm_stress_owned_pages(void);

/* Operations done so far: allocations plus frees. */
static inline unsigned long mm_stress_ops(const struct mm_stress *s)
{
	return s->page_allocs + s->page_frees + s->obj_allocs + s->obj_frees;
}

#endif
