/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zone: ferret has one node (0) and one zone ("Normal") that spans all
 * RAM. Its lock guards the buddy allocator's state (free lists, their
 * counters, pageblock migratetypes, page flags of free buddy blocks, the
 * per-cpu lists' settings); each core's per-cpu lists are its own
 * (docs/LOCKING.md).
 *
 * Orders follow Linux 6.12: MAX_PAGE_ORDER is the largest order and is
 * INCLUSIVE (10: 4 MiB blocks), so there are NR_PAGE_ORDERS = 11 free areas,
 * orders 0..10. MAX_ORDER is kept as an alias of MAX_PAGE_ORDER (the
 * inclusive meaning Linux gave it from 6.4 until the rename).
 */
#ifndef FERRET_MMZONE_H
#define FERRET_MMZONE_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/spinlock.h>

#ifndef CONFIG_MAX_PAGE_ORDER
#define CONFIG_MAX_PAGE_ORDER	10
#endif
#define MAX_PAGE_ORDER		CONFIG_MAX_PAGE_ORDER
#define MAX_ORDER		MAX_PAGE_ORDER
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)

/* Pageblock: the unit that carries a migratetype (order 9: 2 MiB). */
#ifndef CONFIG_PAGEBLOCK_ORDER
#define CONFIG_PAGEBLOCK_ORDER	9
#endif
#define pageblock_order		CONFIG_PAGEBLOCK_ORDER
#define pageblock_nr_pages	(1UL << pageblock_order)

/* Orders the per-cpu lists cache (Linux: orders <= PAGE_ALLOC_COSTLY_ORDER). */
#define PAGE_ALLOC_COSTLY_ORDER	3

/*
 * Migratetypes, in Linux's order and with Linux's names (no CMA).
 *
 * MIGRATE_ISOLATE (Linux's CONFIG_MEMORY_ISOLATION) has free lists like the
 * others but is left out of MIGRATE_TYPES, the types the statistics
 * (/proc/pagetypeinfo, buddyinfo, page_owner's mixed blocks) have a column
 * for: a pageblock is isolated only inside one alloc_contig_range() call
 * (mm/page_isolation.c), never between console commands, and free pages in
 * an isolated pageblock are not free memory (not in MemFree, buddyinfo or
 * nr_free_pages of vmstat). So the tables keep the four columns of the
 * Linux 6.12 samples. Code that walks every free list loops to
 * NR_MIGRATE_LISTS.
 */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the number of types on the per-cpu lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_TYPES,		/* the types statistics show */
	MIGRATE_ISOLATE = MIGRATE_TYPES,
	NR_MIGRATE_LISTS	/* the types with free lists */
};

/* "Unmovable", ..., "HighAtomic", "Isolate" (Linux's names). */
extern const char * const migratetype_names[NR_MIGRATE_LISTS];

static inline bool is_migrate_highatomic(int mt)
{
	return mt == MIGRATE_HIGHATOMIC;
}

static inline bool is_migrate_isolate(int mt)
{
	return mt == MIGRATE_ISOLATE;
}

/*
 * Free lists. Each list is circular and doubly linked through
 * page->buddy_list with mem_map indices; its head is a
 * sentinel struct page stored in mem_map after the last real page, so adding
 * and removing never test for an empty list or the list ends.
 */
struct free_area {
	unsigned long nr_free[NR_MIGRATE_LISTS];	/* blocks on each list */
};

/*
 * Per-cpu lists: on each core, for orders 0..PAGE_ALLOC_COSTLY_ORDER and
 * the first MIGRATE_PCPTYPES types, a LIFO stack of free blocks linked
 * through page->pcp_next (mem_map indices, PCP_NIL ends it). A core's frees
 * push and its allocations pop with only its own interrupts masked, without
 * the zone lock and without touching the buddy lists; a batch moves between
 * the two under the zone lock when a stack is empty or the core's stacks
 * pass high. A free claims the block with one compare-and-swap of its
 * flags and refcount (head_ref to pcp_ref), so two cores freeing one block
 * at once cannot both push it: the loser is refused as a double free.
 */
#define PCP_NIL		0xffffffffU
#define NR_PCP_ORDERS	(PAGE_ALLOC_COSTLY_ORDER + 1)

/* What every core's lists share. Changed under the zone lock, read by the fast paths. */
struct per_cpu_pages {
	unsigned long high;	/* above this many pages on a core, give batch pages back */
	unsigned long batch;	/* pages moved to/from the buddy lists at once */
	/* Per order, what the fast paths store and compare (one load each). */
	u64 head_ref[NR_PCP_ORDERS];	/* allocated head's flags+refcount */
	u64 pcp_ref[NR_PCP_ORDERS];	/* per-cpu block's flags+refcount */
	unsigned long nr[NR_PCP_ORDERS];	/* pages in a block */
	/*
	 * What __free_pages() compares a head against to take its shortcut:
	 * head_ref, or a value no page has while the lists are disabled or
	 * frees need their hooks (free_hooked: page_owner on).
	 */
	u64 free_ref[NR_PCP_ORDERS];
	/* Blocks a refill moves (batch >> order, at least 1; 0 while disabled). */
	u32 refill[NR_PCP_ORDERS];
	/*
	 * zone_pcp_disable() depth. While disabled the stacks stay empty, so
	 * every allocation and free leaves the fast paths for the buddy lists
	 * (and their hooks) without the fast paths testing anything.
	 */
	unsigned int disabled;
	bool free_hooked;	/* frees take the checked path (its hooks) */
};

/* Event counters (vmstat.h calls their sum vm_events): each core counts its own. */
struct vm_event_state {
	unsigned long pgalloc[NR_PAGE_ORDERS];		/* successful alloc_pages() */
	unsigned long pgfree[NR_PAGE_ORDERS];		/* successful frees */
	unsigned long pgalloc_fail[NR_PAGE_ORDERS];	/* alloc_pages() returned NULL */
	unsigned long pgalloc_fallback;	/* allocations served from another type */
	unsigned long pgalloc_claim;	/* ... that claimed the pageblock(s) */
	unsigned long pcp_refill;	/* batches moved buddy -> per-cpu lists */
	unsigned long pcp_spill;	/* batches moved per-cpu -> buddy lists */
	unsigned long pcp_drain;	/* per-cpu lists drained (a core's, non-empty) */
	unsigned long bad_page;		/* frees refused with a bad page report */
};

/*
 * One core's lists and counters. Only that core writes them, with its
 * interrupts masked (a drain of every core runs on each core: on_each_cpu()),
 * so they need no lock; others may read them for statistics.
 */
struct per_cpu_pageset {
	/* The fast paths' fields: one cache line. */
	long room;		/* high - pages on the stacks: spill when below 0 */
	u32 head[NR_PCP_ORDERS][MIGRATE_PCPTYPES];
	unsigned int rr;	/* next stack to spill from */
	struct vm_event_state events;	/* from the second cache line on */
} __attribute__((aligned(512)));	/* a power of two: a core's set is one shift away */

struct zone {
	spinlock_t lock;	/* its stats: zone_lock_stats() */
	const char *name;
	unsigned long zone_start_pfn;	/* = mem_map_pfn_base, MAX_ORDER aligned */
	unsigned long spanned_pages;	/* mem_map entries (real pages) */
	unsigned long present_pages;	/* RAM pages (memblock.memory) */
	unsigned long managed_pages;	/* pages given to the buddy allocator */
	unsigned long nr_free_pages;	/* pages on the buddy free lists (Isolate too) */
	u32 free_mask[NR_MIGRATE_LISTS];	/* bit o: free list (o, mt) not empty */
	u32 list_base;			/* mem_map index of the first list sentinel */
	struct free_area free_area[NR_PAGE_ORDERS];
	struct per_cpu_pages pcp;	/* the per-cpu lists' shared settings */
	u8 *pageblock_mt;		/* one migratetype per pageblock */
	u8 *pageblock_isolated_mt;	/* type an Isolate pageblock had before */
	unsigned long nr_pageblocks;
	bool group_by_mobility_disabled; /* RAM too small for grouping to pay */
	struct per_cpu_pageset per_cpu_pageset[NR_CPUS];
};

/* The only zone. */
extern struct zone normal_zone;

/* Pages on @cpu's per-cpu stacks (exact on that core, interrupts masked). */
static inline unsigned long pcp_count_cpu(const struct zone *z, unsigned int cpu)
{
	return (unsigned long)((long)z->pcp.high - READ_ONCE(z->per_cpu_pageset[cpu].room));
}

/* Pages on every core's per-cpu stacks (exact while no core allocates or frees). */
static inline unsigned long pcp_count(const struct zone *z)
{
	unsigned long n = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		n += pcp_count_cpu(z, cpu);
	return n;
}

/*
 * Sum of a free area's lists: what buddyinfo prints (not the Isolate lists:
 * isolated free pages are not free memory). Context: zone lock.
 */
static inline unsigned long free_area_nr_free(const struct free_area *area)
{
	unsigned long n = 0;

	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		n += area->nr_free[mt];
	return n;
}

/*
 * Free pages on the Isolate lists: part of nr_free_pages, not of MemFree.
 * Context: zone lock for an exact value.
 */
static inline unsigned long zone_isolated_free_pages(const struct zone *z)
{
	unsigned long n = 0;

	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		n += z->free_area[o].nr_free[MIGRATE_ISOLATE] << o;
	return n;
}

#endif
