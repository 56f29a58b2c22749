/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zone: ferret has one node (0) and one zone ("Normal") that spans all
 * RAM. Its lock guards every piece of allocator state (free lists, per-cpu
 * lists, counters, pageblock migratetypes, page flags of free blocks).
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
 * Migratetypes, in Linux's order and with Linux's names. CMA and Isolate
 * come after HighAtomic when added (page isolation issue); MIGRATE_TYPES and
 * migratetype_names[] grow with them.
 */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the number of types on the per-cpu lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_TYPES
};

extern const char * const migratetype_names[MIGRATE_TYPES];

static inline bool is_migrate_highatomic(int mt)
{
	return mt == MIGRATE_HIGHATOMIC;
}

/*
 * Free lists. Each list is circular and doubly linked through
 * page->buddy_list (or pcp_list) with mem_map indices; its head is a
 * sentinel struct page stored in mem_map after the last real page, so adding
 * and removing never test for an empty list or the list ends.
 */
struct free_area {
	unsigned long nr_free[MIGRATE_TYPES];	/* blocks on each list */
};

struct per_cpu_pages {
	unsigned long count;	/* pages on all per-cpu lists */
	unsigned long high;	/* above this, give batch pages back */
	unsigned long batch;	/* pages moved to/from the buddy lists at once */
};

struct zone {
	spinlock_t lock;
	const char *name;
	unsigned long zone_start_pfn;	/* = mem_map_pfn_base, MAX_ORDER aligned */
	unsigned long spanned_pages;	/* mem_map entries (real pages) */
	unsigned long present_pages;	/* RAM pages (memblock.memory) */
	unsigned long managed_pages;	/* pages given to the buddy allocator */
	unsigned long nr_free_pages;	/* pages on the buddy free lists */
	u32 free_mask[MIGRATE_TYPES];	/* bit o: free list (o, mt) not empty */
	u32 list_base;			/* mem_map index of the first list sentinel */
	struct free_area free_area[NR_PAGE_ORDERS];
	struct per_cpu_pages pcp;	/* one CPU: the per-cpu lists */
	unsigned int pcp_rr;		/* next per-cpu list to spill from */
	u8 *pageblock_mt;		/* one migratetype per pageblock */
	unsigned long nr_pageblocks;
	bool group_by_mobility_disabled; /* RAM too small for grouping to pay */
};

/* The only zone. */
extern struct zone normal_zone;

/* Sum of a free area's lists: what buddyinfo prints. Context: zone lock. */
static inline unsigned long free_area_nr_free(const struct free_area *area)
{
	unsigned long n = 0;

	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		n += area->nr_free[mt];
	return n;
}

#endif
