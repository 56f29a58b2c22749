/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the page allocator's files (page_alloc.c, mm_init.c,
 * vmstat.c, memtest.c): free-list layout and helpers. Not for other code.
 *
 * Free lists are circular, doubly linked lists of mem_map indices
 * (idx = pfn - mem_map_pfn_base) through page->buddy_list. Each list's head
 * is a sentinel struct page at mem_map[list_base + n], after the last real
 * page, so every operation is a fixed handful of loads and stores with no
 * test for the list's ends. Per-cpu lists are singly linked stacks
 * (page->pcp_next, heads in zone->per_cpu_pageset[cpu].head): push and pop
 * only, each core its own.
 *
 * Buddy invariants (mm_check_invariants() checks each):
 *
 *  - A free block of order o starts at an index that is a multiple of 2^o.
 *    Its buddy is the block of the same order at idx ^ (1 << o); the two
 *    merge into the block of order o + 1 at idx & ~(1 << o). mem_map_pfn_base
 *    is a multiple of MAX_ORDER_NR_PAGES, so index and pfn arithmetic agree
 *    and a buddy (o < MAX_PAGE_ORDER) always lies inside mem_map.
 *  - No two free buddies of the same order are both on buddy lists, except
 *    across a pageblock boundary when either pageblock's type may not merge
 *    (HighAtomic, Isolate).
 *  - A free block's head has flags == PG_buddy | order and refcount 0, and
 *    sits on free list (order, type of its pageblock); its other pages have
 *    flags 0. A free block larger than a pageblock has one type in all its
 *    pageblocks.
 *  - free_area[o].nr_free[mt] is the length of list (o, mt); bit o of
 *    free_mask[mt] is set iff that list is not empty; nr_free_pages is
 *    the sum of nr_free[mt] << o over every type, Isolate included
 *    (zone_isolated_free_pages() is the Isolate part). Per-cpu blocks (PG_pcp) are not counted
 *    there but in pcp_count().
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>

#define NR_BUDDY_LISTS		(NR_PAGE_ORDERS * NR_MIGRATE_LISTS)
#define NR_PCP_LISTS		(NR_PCP_ORDERS * MIGRATE_PCPTYPES)
/*
 * Sentinels per order: NR_MIGRATE_LISTS rounded up to a power of two, so a
 * list head is a shift and an add (the unused ones are initialised, never
 * linked).
 */
#define LISTS_PER_ORDER		8
#define NR_LIST_SENTINELS	(NR_PAGE_ORDERS * LISTS_PER_ORDER)

#define PAGE_FLAGS_ORDER(o)	((u32)(o) << PAGE_ORDER_SHIFT)
#define PAGE_FLAGS_BUDDY(o)	((1U << PG_buddy) | PAGE_FLAGS_ORDER(o))
#define PAGE_FLAGS_PCP(o)	((1U << PG_pcp) | PAGE_FLAGS_ORDER(o))
#define PAGE_FLAGS_HEAD(o)	((1U << PG_head) | PAGE_FLAGS_ORDER(o))
#define PAGE_FLAGS_RESERVED	(1U << PG_reserved)
/* Any of these marks the first page of a block. */
#define PAGE_FLAGS_BLOCK	((1U << PG_buddy) | (1U << PG_pcp) | (1U << PG_head))
/* pcp.free_ref while the per-cpu lists are disabled: no page looks like it. */
#define PCP_FREE_REF_DISABLED	(~0ULL)

static inline u32 buddy_list_head(const struct zone *z, unsigned int order, int mt)
{
	BUILD_BUG_ON(LISTS_PER_ORDER < NR_MIGRATE_LISTS);
	return z->list_base + order * LISTS_PER_ORDER + (u32)mt;
}

static inline void plist_init(u32 head)
{
	mem_map[head].buddy_list.next = head;
	mem_map[head].buddy_list.prev = head;
}

static inline bool plist_empty(u32 head)
{
	return mem_map[head].buddy_list.next == head;
}

/* Insert @idx after @head (front: taken first). */
static inline void plist_add(u32 head, u32 idx)
{
	struct page *h = mem_map + head, *p = mem_map + idx;
	u32 next = h->buddy_list.next;

	p->buddy_list.next = next;
	p->buddy_list.prev = head;
	mem_map[next].buddy_list.prev = idx;
	h->buddy_list.next = idx;
}

/* Insert @idx before @head (back: taken last). */
static inline void plist_add_tail(u32 head, u32 idx)
{
	struct page *h = mem_map + head, *p = mem_map + idx;
	u32 prev = h->buddy_list.prev;

	p->buddy_list.next = head;
	p->buddy_list.prev = prev;
	mem_map[prev].buddy_list.next = idx;
	h->buddy_list.prev = idx;
}

static inline void plist_del(u32 idx)
{
	struct page *p = mem_map + idx;
	u32 next = p->buddy_list.next, prev = p->buddy_list.prev;

	mem_map[prev].buddy_list.next = next;
	mem_map[next].buddy_list.prev = prev;
}

static inline int pageblock_mt_idx(const struct zone *z, unsigned long idx)
{
	return z->pageblock_mt[idx >> pageblock_order];
}

/* Types whose free blocks may merge across pageblocks (Linux: < PCPTYPES). */
static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/* page_alloc.c */
void __free_one_page(struct zone *z, u32 idx, unsigned int order, int mt, bool to_tail);
void pcp_set_batch(struct zone *z);
/* Empty the running core's per-cpu stacks. Context: zone lock (interrupts masked). */
void __drain_local_pages(struct zone *z);

/*
 * Page isolation primitives for mm/page_isolation.c (Linux keeps these in
 * page_alloc.c and page_isolation.c; here everything that touches the free
 * lists stays in page_alloc.c).
 *
 * set_migratetype_isolate - isolate the pageblock holding @pfn: remember its
 * type, make it MIGRATE_ISOLATE and move its free blocks to the Isolate
 * lists (a free block larger than a pageblock is split first). Blocks on
 * per-cpu lists follow when drained. Context: process (zone lock).
 * Return: 0, or -EBUSY if the pageblock is already isolated.
 */
int set_migratetype_isolate(unsigned long pfn);

/*
 * unset_migratetype_isolate - give the isolated pageblock holding @pfn its
 * old type back; its free blocks return to that type's lists and merge.
 * Context: process (zone lock).
 */
void unset_migratetype_isolate(unsigned long pfn);

/*
 * isolated_pageblock_first_busy - the first pfn in [@start, @end) (which
 * must lie inside one isolated pageblock) that is not in a free block on the
 * Isolate lists, or @end. Context: zone lock held by the caller.
 */
unsigned long isolated_pageblock_first_busy(unsigned long start, unsigned long end);

/*
 * take_isolated_range - [@start, @end), inside one isolated pageblock and
 * all free (checked first), becomes allocated order-0 pages with refcount 1
 * each; the rest of the free blocks it cut stays on the Isolate lists.
 * No hooks run. Context: process (zone lock).
 * Return: pages taken (end - start), or 0 if a page was not free.
 */
unsigned long take_isolated_range(unsigned long start, unsigned long end);

/* post_alloc_hook() for pages take_isolated_range() handed out. Context: process. */
void contig_post_alloc_hook(struct page *page, gfp_t gfp);

#endif
