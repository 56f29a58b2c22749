// SPDX-License-Identifier: GPL-2.0
/*
 * Memory init: size the zone from memblock, allocate mem_map, and hand every
 * free page to the buddy allocator.
 *
 * Cost: one write of each struct page (16 bytes) and one list insertion per
 * free block of up to MAX_ORDER_NR_PAGES pages: linear in RAM, about 4 MiB of
 * stores per GiB (see docs/PERFORMANCE.md).
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/slab.h>
#include <ferret/page_owner.h>
#include <ferret/page_ext.h>
#include <ferret/memblock.h>
#include <ferret/persist.h>
#include <ferret/printk.h>
#include <ferret/string.h>

#include "page_alloc.h"

struct page *mem_map;
unsigned long mem_map_pfn_base;
unsigned long max_mapnr;
unsigned long min_low_pfn;
unsigned long max_pfn;
unsigned long totalram_pages;
unsigned long mm_virt_offset;

BUILD_BUG_ON(sizeof(struct page) != 16);
BUILD_BUG_ON(MAX_PAGE_ORDER >= (1 << PAGE_ORDER_BITS));
BUILD_BUG_ON(pageblock_order > MAX_PAGE_ORDER);
BUILD_BUG_ON(NR_PAGEFLAGS > PAGE_ORDER_SHIFT);
BUILD_BUG_ON(NR_MIGRATE_LISTS > 8);
BUILD_BUG_ON(__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__);	/* _flags_ref */

void mm_set_virt_offset(unsigned long offset)
{
	mm_virt_offset = offset;
}

int free_area_init(void)
{
	struct zone *z = &normal_zone;
	phys_addr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	unsigned long base, top, nr_entries;

	if (!memblock.memory.cnt || PFN_UP(start) >= PFN_DOWN(end)) {
		pr_err("mm: no memory\n");
		return -1;
	}
	min_low_pfn = PFN_UP(start);
	max_pfn = PFN_DOWN(end);
	base = ALIGN_DOWN(min_low_pfn, MAX_ORDER_NR_PAGES);
	top = ALIGN(max_pfn, MAX_ORDER_NR_PAGES);
	if (top - base + NR_LIST_SENTINELS > 0xffffffffUL) {
		pr_err("mm: RAM span of %lu pages too large for mem_map\n", top - base);
		return -1;
	}
	nr_entries = top - base + NR_LIST_SENTINELS;
	mem_map = memblock_alloc_raw(nr_entries * sizeof(struct page), 64, "mem_map");
	/* Two bytes per pageblock: its type, and the type to restore after isolation. */
	z->pageblock_mt = memblock_alloc(2 * ((top - base) >> pageblock_order), 8, "pageblock_flags");
	if (!mem_map || !z->pageblock_mt) {
		pr_err("mm: cannot allocate mem_map for %lu pages\n", top - base);
		mem_map = NULL;
		return -1;
	}
	mem_map_pfn_base = base;
	max_mapnr = top - base;

	spin_lock_init(&z->lock);
	z->name = "Normal";
	z->zone_start_pfn = base;
	z->spanned_pages = max_mapnr;
	z->present_pages = memblock_phys_mem_size() >> PAGE_SHIFT;
	z->managed_pages = 0;
	z->nr_free_pages = 0;
	z->list_base = (u32)max_mapnr;
	z->nr_pageblocks = max_mapnr >> pageblock_order;
	z->pcp.high = 0;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pageset *pcp = &z->per_cpu_pageset[cpu];

		pcp->room = 0;
		memset(pcp->head, 0xff, sizeof(pcp->head));	/* PCP_NIL */
		pcp->rr = 0;
		memset(&pcp->events, 0, sizeof(pcp->events));
	}
	memset(z->free_mask, 0, sizeof(z->free_mask));
	memset(z->free_area, 0, sizeof(z->free_area));
	memset(z->pageblock_mt, MIGRATE_MOVABLE, z->nr_pageblocks);
	/* Written when a pageblock is isolated, read only while it is. */
	z->pageblock_isolated_mt = z->pageblock_mt + z->nr_pageblocks;
	for (u32 i = 0; i < NR_LIST_SENTINELS; i++) {
		mem_map[z->list_base + i].flags = PAGE_FLAGS_RESERVED;
		mem_map[z->list_base + i]._refcount = 1;
		plist_init(z->list_base + i);
	}
	return 0;
}

/* Pages [from, to) (mem_map indices) are not RAM or reserved. */
static void init_reserved_pages(u32 from, u32 to)
{
	for (struct page *p = mem_map + from, *e = mem_map + to; p < e; p++) {
		p->flags = PAGE_FLAGS_RESERVED;
		p->_refcount = 1;
		p->private = 0;
	}
}

/*
 * Pages [from, to) are free: cut them into the largest naturally aligned
 * blocks (order = min(alignment of from, size left, MAX_PAGE_ORDER)). Such
 * blocks are already fully merged: a buddy of one either lies in the range
 * (then both would have formed a larger block) or contains a reserved page.
 * The lists get blocks in ascending address order (added at the tail),
 * so early allocations come from low memory, as in Linux.
 */
static unsigned long free_range_pages(struct zone *z, u32 from, u32 to)
{
	u32 idx = from;

	while (idx < to) {
		unsigned int order = idx ? (unsigned int)__builtin_ctz(idx) : MAX_PAGE_ORDER;
		unsigned int fit = 31 - (unsigned int)__builtin_clz(to - idx);
		u32 n;

		order = min(order, min(fit, (unsigned int)MAX_PAGE_ORDER));
		n = 1U << order;
		for (struct page *p = mem_map + idx + 1, *e = mem_map + idx + n; p < e; p++)
			*p = (struct page){ 0 };
		mem_map[idx]._refcount = 0;
		mem_map[idx].private = 0;
		mem_map[idx].flags = PAGE_FLAGS_BUDDY(order);
		plist_add_tail(buddy_list_head(z, order, MIGRATE_MOVABLE), idx);
		z->free_area[order].nr_free[MIGRATE_MOVABLE]++;
		z->free_mask[MIGRATE_MOVABLE] |= 1U << order;
		idx += n;
	}
	return to - from;
}

unsigned long memblock_free_all(void)
{
	struct zone *z = &normal_zone;
	phys_addr_t start, end;
	unsigned long released = 0;
	u32 cursor = 0;
	u64 it = 0;

	if (!mem_map || memblock.frozen)
		return 0;
	while (memblock_next_free_range(&it, &start, &end)) {
		u32 from = (u32)(PHYS_PFN(start) - mem_map_pfn_base);
		u32 to = (u32)(PHYS_PFN(end) - mem_map_pfn_base);

		/* Never hand out the page at address NULL (raspi3b RAM starts at 0). */
		if (!__va(start) && from < to)
			from++;
		if (from >= to)
			continue;
		init_reserved_pages(cursor, from);
		released += free_range_pages(z, from, to);
		cursor = to;
	}
	init_reserved_pages(cursor, (u32)max_mapnr);
	memblock.frozen = true;

	z->managed_pages = released;
	z->nr_free_pages = released;
	totalram_pages = released;
	z->group_by_mobility_disabled = released < pageblock_nr_pages * MIGRATE_TYPES;
	pcp_set_batch(z);
	return released;
}

int mm_init(const char *cmdline)
{
	const struct zone *z = &normal_zone;

	slab_param(cmdline);			/* slab_debug=, slab_owner= */
	page_owner_param(cmdline);		/* page_owner=on? (page_ext's need() asks) */
	if (free_area_init())			/* mem_map and the zone */
		return -1;
	if (page_ext_init_flatmem())		/* per-page extension memory, if a client needs it */
		return -1;
	persist_setup();			/* areas kept for the next boot, if keeping is on */
	memblock_free_all();			/* every free page to the buddy lists */
	pr_info("Memory: %luK/%luK available (%luK reserved)\n", z->managed_pages << (PAGE_SHIFT - 10),
		z->present_pages << (PAGE_SHIFT - 10),
		(z->present_pages - z->managed_pages) << (PAGE_SHIFT - 10));
	page_ext_init_flatmem_late();		/* mark early blocks, turn page tracking on */
	if (kmem_cache_init())			/* kmalloc caches (object owners if asked) */
		return -2;
	return 0;
}

int mm_core_init(void)
{
	return mm_init(NULL);
}
