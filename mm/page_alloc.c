// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy page allocator: free lists per order and migratetype, per-cpu
 * lists for orders 0..PAGE_ALLOC_COSTLY_ORDER, fallback between migratetypes,
 * and checked frees that refuse bad input with a "Bad page state" report.
 *
 * All state is behind normal_zone.lock (taken with interrupts masked), so
 * allocating and freeing from interrupt handlers is safe. Every operation is
 * O(1) per order: a free-list bitmap (free_mask) finds the smallest non-empty
 * order in one instruction, lists are unlinked in O(1) through mem_map
 * indices, and a split or merge step is a few stores.
 *
 * This file is the allocator's entry points; linker.ld gathers it with the
 * page_owner and trace code so saved stacks start at the allocator's caller.
 * It also holds what page isolation needs from the free lists (the
 * contiguous allocator's policy is mm/page_isolation.c) and the trace hooks
 * of the slow paths (docs/TRACE.md): the fast paths have none, tracing
 * disables the per-cpu lists instead.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/memblock.h>
#include <ferret/vmstat.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/sched.h>
#include <ferret/page_owner.h>
#include <ferret/page_ref.h>
#include <ferret/errno.h>
#include <ferret/trace.h>

#include "page_alloc.h"

struct zone normal_zone = {
	.lock = SPIN_LOCK_UNLOCKED,
	.name = "Normal",
};

const char * const migratetype_names[NR_MIGRATE_LISTS] = {
	"Unmovable",
	"Movable",
	"Reclaimable",
	"HighAtomic",
	"Isolate",
};

/* Where an allocation of each type looks when its own lists are empty. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE   },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE,   MIGRATE_MOVABLE   },
};

/* The running core's per-cpu lists and counters. */
static __always_inline struct per_cpu_pageset *this_pageset(void)
{
	struct per_cpu_pageset *pcp = &this_cpu(normal_zone.per_cpu_pageset);

	/* One register for the set; its fields are offsets from it (fewer instructions). */
	__asm__("" : "+r"(pcp));
	return pcp;
}

/* The running core's event counters. Context: interrupts masked. */
#define cpu_events()	(&this_pageset()->events)

/*
 * page_claim - change an allocated block's head from @old to @new (its
 * flags and refcount, one 64-bit word) if it is still @old: the one step
 * that makes a free the block's only free, whichever cores race for it.
 * Return: true if it was @old (and is @new now).
 */
static __always_inline bool page_claim(struct page *page, u64 old, u64 new)
{
	return __atomic_compare_exchange_n(&page->_flags_ref, &old, new, false, __ATOMIC_RELAXED,
					   __ATOMIC_RELAXED);
}

/*
 * Set an allocated head's flags and refcount where other cores may look at
 * them without the zone lock (a merge testing its buddy, a racing free's
 * claim): one relaxed atomic store, which is a plain store wherever the
 * word is the machine's own size.
 */
static __always_inline void page_set_ref(struct page *page, u64 v)
{
	if (sizeof(long) == sizeof(u64))
		__atomic_store_n(&page->_flags_ref, v, __ATOMIC_RELAXED);
	else
		page->_flags_ref = v;	/* no 64-bit single-copy store; nothing relies on it */
}

/* Allocation modes derived from gfp (Linux's ALLOC_* subset). */
#define ALLOC_NON_BLOCK		0x1	/* may use the HighAtomic reserve */
#define ALLOC_HIGHATOMIC	0x2	/* order > 0: try HighAtomic first */

/* ---- free lists ---- */

static __always_inline void add_to_free_list(struct zone *z, u32 idx, unsigned int order,
					     int mt, bool to_tail)
{
	u32 head = buddy_list_head(z, order, mt);

	mem_map[idx].flags = PAGE_FLAGS_BUDDY(order);
	if (to_tail)
		plist_add_tail(head, idx);
	else
		plist_add(head, idx);
	z->free_area[order].nr_free[mt]++;
	z->free_mask[mt] |= 1U << order;
}

/* Unlink a free block; the caller rewrites its head's flags. */
static __always_inline void del_from_free_list(struct zone *z, u32 idx, unsigned int order,
					       int mt)
{
	plist_del(idx);
	if (--z->free_area[order].nr_free[mt] == 0)
		z->free_mask[mt] &= ~(1U << order);
}

static inline void set_pageblock_range(struct zone *z, u32 idx, unsigned int order, int mt)
{
	unsigned long first = idx >> pageblock_order;
	unsigned long n = order > pageblock_order ? 1UL << (order - pageblock_order) : 1;

	for (unsigned long i = 0; i < n; i++)
		z->pageblock_mt[first + i] = (u8)mt;
}

/*
 * expand - split the free block of order @high at @idx down to order @low.
 * The upper halves go back on the (order, @mt) lists; @idx keeps the lowest
 * 2^@low pages. Each step: the buddy at idx + 2^k becomes a free block.
 */
static __always_inline void expand(struct zone *z, u32 idx, unsigned int low,
				   unsigned int high, int mt)
{
	while (high > low) {
		high--;
		add_to_free_list(z, idx + (1U << high), high, mt, false);
	}
}

/*
 * __rmqueue_smallest - take the smallest free block of @order or more from
 * @mt's lists and split it down to @order.
 * Return: mem_map index of the block, or -1.
 */
static __always_inline long __rmqueue_smallest(struct zone *z, unsigned int order, int mt)
{
	u32 mask = z->free_mask[mt] >> order;
	unsigned int cur;
	u32 idx;

	if (unlikely(!mask))
		return -1;
	cur = order + (unsigned int)__builtin_ctz(mask);
	idx = mem_map[buddy_list_head(z, cur, mt)].buddy_list.next;
	del_from_free_list(z, idx, cur, mt);
	expand(z, idx, order, cur, mt);
	return idx;
}

/*
 * __free_one_page - put the free block @idx of @order on the buddy lists of
 * @mt, merging it with its buddy while the buddy is free with the same order:
 * buddy = idx ^ (1 << order), merged block = idx & ~(1 << order).
 *
 * Below pageblock_order the buddy is in the same pageblock and therefore on
 * the @mt lists. At pageblock_order and above it may have another type:
 * mergeable types merge and the buddy's pageblocks take @mt, as Linux does.
 * The caller's head page may have any flags; pages that stop being heads
 * get flags 0. Does not change nr_free_pages.
 * Context: zone lock.
 */
void __free_one_page(struct zone *z, u32 idx, unsigned int order, int mt, bool to_tail)
{
	mem_map[idx].flags = 0;
	while (order < MAX_PAGE_ORDER) {
		u32 buddy = idx ^ (1U << order);

		/*
		 * Other cores change allocated and per-cpu heads without the
		 * lock, never into or out of PG_buddy: either value says "no".
		 */
		if (__atomic_load_n(&mem_map[buddy].flags, __ATOMIC_RELAXED) != PAGE_FLAGS_BUDDY(order))
			break;
		if (unlikely(order >= pageblock_order)) {
			int bmt = pageblock_mt_idx(z, buddy);

			if (bmt != mt) {
				if (!migratetype_is_mergeable(mt) || !migratetype_is_mergeable(bmt))
					break;
				del_from_free_list(z, buddy, order, bmt);
				set_pageblock_range(z, buddy, order, mt);
				goto merged;
			}
		}
		del_from_free_list(z, buddy, order, mt);
merged:
		mem_map[buddy].flags = 0;
		idx &= buddy;
		order++;
	}
	add_to_free_list(z, idx, order, mt, to_tail);
}

/*
 * free_one_page - free a block to the buddy lists, each pageblock with its
 * own type: a block larger than a pageblock may span pageblocks whose types
 * changed while it was allocated (Linux's split_large_buddy()).
 * Context: zone lock.
 */
static void free_one_page(struct zone *z, u32 idx, unsigned int order)
{
	z->nr_free_pages += 1UL << order;
	if (likely(order <= pageblock_order)) {
		__free_one_page(z, idx, order, pageblock_mt_idx(z, idx), false);
		return;
	}
	for (u32 i = 0; i < (1U << order); i += pageblock_nr_pages) {
		mem_map[idx + i].flags = 0;
		__free_one_page(z, idx + i, pageblock_order, pageblock_mt_idx(z, idx + i), false);
	}
}

/*
 * move_freepages_block - give the pageblock at @start (a pageblock-aligned
 * index) type @new_mt and move its free blocks to @new_mt's lists. Each is
 * unlinked and freed again, so a whole free pageblock merges with its
 * neighbour when the new type allows. Blocks on per-cpu lists stay there
 * and go to the new type when drained.
 * Return: free pages moved. Context: zone lock.
 */
static unsigned long move_freepages_block(struct zone *z, u32 start, int new_mt)
{
	int old_mt = pageblock_mt_idx(z, start);
	unsigned long moved = 0;
	u32 idx = start, end = start + pageblock_nr_pages;

	z->pageblock_mt[start >> pageblock_order] = (u8)new_mt;
	while (idx < end) {
		u32 f = mem_map[idx].flags;

		if (f & (1U << PG_buddy)) {
			unsigned int order = (f & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT;

			del_from_free_list(z, idx, order, old_mt);
			__free_one_page(z, idx, order, new_mt, false);
			moved += 1UL << order;
			idx += 1U << order;
		} else if (f & PAGE_FLAGS_BLOCK) {
			idx += 1U << ((f & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT);
		} else {
			idx++;
		}
	}
	return moved;
}

/* Free pages in the pageblock at @start (buddy lists only). */
static unsigned long pageblock_free_pages(u32 start)
{
	unsigned long nr = 0;
	u32 idx = start, end = start + pageblock_nr_pages;

	while (idx < end) {
		u32 f = mem_map[idx].flags;

		if (f & PAGE_FLAGS_BLOCK) {
			unsigned int order = (f & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT;

			if (f & (1U << PG_buddy))
				nr += 1UL << order;
			idx += 1U << order;
		} else {
			idx++;
		}
	}
	return nr;
}

/*
 * Fallback (Linux 6.12 as Debian ships it, __rmqueue_claim/__rmqueue_steal):
 *
 * 1. claim: look at the other types' lists from MAX_PAGE_ORDER down to the
 *    request's order (largest first: a big free block suggests a mostly
 *    free pageblock). A block of order o is claimable when
 *    o >= pageblock_order / 2, or the request is Unmovable or Reclaimable
 *    (their pollution of Movable blocks is the costlier mistake); the first
 *    non-claimable order ends the search. For a claimable block:
 *    - o >= pageblock_order: all its pageblocks change to the request's
 *      type, and it is split as usual;
 *    - otherwise the pageblock changes type, with all its free blocks, if
 *      at least half of it is free or "alike". ferret does not know the
 *      type of allocated pages, so as in Linux with no LRU pages an
 *      Unmovable/Reclaimable request finds every allocated page of a
 *      Movable block alike (claims always), and other combinations count
 *      free pages only.
 * 2. steal: if nothing was claimed, take the smallest block of the request's
 *    order or more from the other types and split it; the pieces left over
 *    stay on the lists of their own pageblock's type.
 */
static bool can_steal_fallback(const struct zone *z, unsigned int order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	return order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE || z->group_by_mobility_disabled;
}

static long try_to_steal_block(struct zone *z, u32 idx, unsigned int cur, unsigned int order,
			       int start_mt, int block_mt)
{
	unsigned long free_pages, alike_pages;
	u32 start;

	if (cur >= pageblock_order) {
		del_from_free_list(z, idx, cur, block_mt);
		set_pageblock_range(z, idx, cur, start_mt);
		expand(z, idx, order, cur, start_mt);
		return idx;
	}
	start = idx & ~(u32)(pageblock_nr_pages - 1);
	free_pages = pageblock_free_pages(start);
	if (start_mt != MIGRATE_MOVABLE && block_mt == MIGRATE_MOVABLE)
		alike_pages = pageblock_nr_pages - free_pages;
	else
		alike_pages = 0;
	if (free_pages + alike_pages >= pageblock_nr_pages / 2 || z->group_by_mobility_disabled) {
		move_freepages_block(z, start, start_mt);
		return __rmqueue_smallest(z, order, start_mt);
	}
	return -1;
}

static long __rmqueue_claim(struct zone *z, unsigned int order, int start_mt)
{
	const int *fb = fallbacks[start_mt];
	u32 avail = (z->free_mask[fb[0]] | z->free_mask[fb[1]]) & ~((1U << order) - 1);

	while (avail) {
		unsigned int cur = 31 - (unsigned int)__builtin_clz(avail);
		int fmt = (z->free_mask[fb[0]] & (1U << cur)) ? fb[0] : fb[1];
		u32 idx;
		long got;

		if (!can_steal_fallback(z, cur, start_mt))
			break;
		idx = mem_map[buddy_list_head(z, cur, fmt)].buddy_list.next;
		got = try_to_steal_block(z, idx, cur, order, start_mt, fmt);
		if (got >= 0) {
			cpu_events()->pgalloc_claim++;
			return got;
		}
		avail &= ~(1U << cur);
	}
	return -1;
}

static long __rmqueue_steal(struct zone *z, unsigned int order, int start_mt)
{
	const int *fb = fallbacks[start_mt];
	u32 avail = (z->free_mask[fb[0]] | z->free_mask[fb[1]]) >> order;
	unsigned int cur;
	int fmt;
	u32 idx;

	if (!avail)
		return -1;
	cur = order + (unsigned int)__builtin_ctz(avail);
	fmt = (z->free_mask[fb[0]] & (1U << cur)) ? fb[0] : fb[1];
	idx = mem_map[buddy_list_head(z, cur, fmt)].buddy_list.next;
	del_from_free_list(z, idx, cur, fmt);
	expand(z, idx, order, cur, fmt);
	return idx;
}

/* Take a block of @order for type @mt from the buddy lists. Context: zone lock. */
static long __rmqueue(struct zone *z, unsigned int order, int mt, unsigned int alloc_flags)
{
	long idx = -1;

	if (unlikely(order > 0 && (alloc_flags & ALLOC_HIGHATOMIC)))
		idx = __rmqueue_smallest(z, order, MIGRATE_HIGHATOMIC);
	if (idx < 0)
		idx = __rmqueue_smallest(z, order, mt);
	if (unlikely(idx < 0)) {
		idx = __rmqueue_claim(z, order, mt);
		if (idx < 0)
			idx = __rmqueue_steal(z, order, mt);
		if (idx >= 0)
			cpu_events()->pgalloc_fallback++;
		else if (alloc_flags & ALLOC_NON_BLOCK)
			idx = __rmqueue_smallest(z, order, MIGRATE_HIGHATOMIC);
	}
	if (idx >= 0)
		z->nr_free_pages -= 1UL << order;
	return idx;
}

/* ---- per-cpu lists ---- */

/*
 * pcp_set_batch - size the per-cpu lists from the managed pages: batch as
 * Linux's zone_batchsize() (a quarter of 1/1024 of memory, at most 256 KiB,
 * rounded to 2^n - 1), high = 6 * batch (Linux's classic pcp high), per core.
 * Also fills the per-order values the fast paths load.
 */
void pcp_set_batch(struct zone *z)
{
	unsigned long batch = min(z->managed_pages >> 10, (1UL << 20) >> PAGE_SHIFT) / 4;

	batch += batch / 2;
	if (batch) {
		unsigned long p = 1;

		while (p * 2 <= batch)
			p *= 2;
		batch = p - 1;
	}
	if (batch < 1)
		batch = 1;
	z->pcp.batch = batch;
	/* high changes only at boot, before other cores run: their rooms are not in use. */
	if (z->pcp.high != 6 * batch) {
		long delta = (long)(6 * batch) - (long)z->pcp.high;
		unsigned int cpu;

		for_each_possible_cpu(cpu)
			z->per_cpu_pageset[cpu].room += delta;
		z->pcp.high = 6 * batch;
	}
	for (unsigned int o = 0; o < NR_PCP_ORDERS; o++) {
		z->pcp.head_ref[o] = PAGE_FLAGS_REF(PAGE_FLAGS_HEAD(o), 1);
		z->pcp.pcp_ref[o] = PAGE_FLAGS_REF(PAGE_FLAGS_PCP(o), 0);
		z->pcp.nr[o] = 1UL << o;
		z->pcp.free_ref[o] = (z->pcp.disabled || z->pcp.free_hooked) ? PCP_FREE_REF_DISABLED
									 : z->pcp.head_ref[o];
		z->pcp.refill[o] = z->pcp.disabled ? 0 : (u32)max(batch >> o, 1UL);
	}
}

/*
 * Push block @idx of @order on @pcp's stack @head. Context: @pcp's core,
 * interrupts masked.
 */
static __always_inline void pcp_push(struct per_cpu_pageset *pcp, u32 *head, u32 idx,
				     unsigned int order)
{
	struct page *page = mem_map + idx;

	page->_flags_ref = normal_zone.pcp.pcp_ref[order];
	page->pcp_next = *head;
	*head = idx;
	pcp->room -= (long)normal_zone.pcp.nr[order];
}

/*
 * Move up to @count blocks of @order from the buddy lists to one of @pcp's
 * stacks. Context: zone lock, @pcp's core.
 */
static unsigned int rmqueue_bulk(struct zone *z, struct per_cpu_pageset *pcp, unsigned int order,
				 unsigned int count, int mt, unsigned int alloc_flags)
{
	u32 *head = &pcp->head[order][mt];
	unsigned int i;

	for (i = 0; i < count; i++) {
		long idx = __rmqueue(z, order, mt, alloc_flags & ~ALLOC_NON_BLOCK);

		if (idx < 0)
			break;
		pcp_push(pcp, head, (u32)idx, order);
	}
	if (i)
		pcp->events.pcp_refill++;
	return i;
}

/*
 * free_pcppages_bulk - give at least @count pages (or all) from the per-cpu
 * stacks back to the buddy lists, visiting the stacks round-robin. Each
 * block goes to its pageblock's current type. (Linux frees the coldest
 * pages first; a stack only offers its most recently freed ones, which
 * costs some cache warmth and saves a back link per page.)
 * Context: zone lock, @pcp's core.
 */
static void free_pcppages_bulk(struct zone *z, struct per_cpu_pageset *pcp, unsigned long count)
{
	unsigned int empty = 0;

	while (count && pcp->room < (long)z->pcp.high && empty < NR_PCP_LISTS) {
		unsigned int l = pcp->rr;
		u32 *head = &pcp->head[l / MIGRATE_PCPTYPES][l % MIGRATE_PCPTYPES];
		unsigned int order = l / MIGRATE_PCPTYPES;

		pcp->rr = (l + 1) % NR_PCP_LISTS;
		if (*head == PCP_NIL) {
			empty++;
			continue;
		}
		empty = 0;
		do {
			u32 idx = *head;

			*head = mem_map[idx].pcp_next;
			pcp->room += 1L << order;
			free_one_page(z, idx, order);
			count = count > (1UL << order) ? count - (1UL << order) : 0;
		} while (count && *head != PCP_NIL);
	}
}

static __noinline void free_pcppages_bulk_spill(struct zone *z, struct per_cpu_pageset *pcp)
{
	free_pcppages_bulk(z, pcp, z->pcp.batch);
	pcp->events.pcp_spill++;
}

/* Spill a batch if this core's stacks are (still) over high. Takes the lock. */
static __noinline void pcp_spill(void)
{
	struct zone *z = &normal_zone;
	struct per_cpu_pageset *pcp = this_pageset();
	unsigned long flags;

	spin_lock_irqsave(&z->lock, flags);
	if (pcp->room < 0)
		free_pcppages_bulk_spill(z, pcp);
	spin_unlock_irqrestore(&z->lock, flags);
}

/* Empty @pcp's stacks into the buddy lists. Context: zone lock, @pcp's core. */
static void drain_pages_cpu(struct zone *z, struct per_cpu_pageset *pcp)
{
	if (pcp->room >= (long)z->pcp.high)
		return;
	free_pcppages_bulk(z, pcp, z->pcp.high - pcp->room);
	pcp->events.pcp_drain++;
}

void __drain_local_pages(struct zone *z)
{
	drain_pages_cpu(z, this_pageset());
}

void drain_local_pages(void *unused)
{
	struct zone *z = &normal_zone;
	unsigned long flags;

	spin_lock_irqsave(&z->lock, flags);
	drain_pages_cpu(z, this_pageset());
	spin_unlock_irqrestore(&z->lock, flags);
}

void drain_all_pages(void)
{
	on_each_cpu(drain_local_pages, NULL, true);
}

/*
 * Turning the per-cpu lists off and on (Linux's zone_pcp_disable() and
 * zone_pcp_enable()). Off, the stacks are empty, a refill moves 0 blocks
 * and __free_pages() compares heads against a value no page has: the fast
 * paths fall through to their slow paths by the tests they make anyway,
 * which is how the allocator's trace hooks cost nothing while tracing is
 * off; the slow free path sends blocks to the buddy lists. Context:
 * process, interrupts enabled (zone_pcp_disable() calls every core).
 */
void zone_pcp_disable(void)
{
	struct zone *z = &normal_zone;
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&z->lock, flags);
	first = z->pcp.disabled++ == 0;
	if (first)
		pcp_set_batch(z);
	spin_unlock_irqrestore(&z->lock, flags);
	/*
	 * Each core drains its own lists, in an interrupt-masked call: a fast
	 * path that read the old settings has finished by then, and none
	 * refills afterwards (refill 0).
	 */
	if (first)
		drain_all_pages();
}

/*
 * zone_pcp_set_free_hooked - send every free through free_pages_checked(),
 * which runs the free hooks (page_owner), while the per-cpu lists stay in
 * use. The shortcut in __free_pages() then fails its head compare, a test it
 * makes anyway: page_owner compiled in but off adds nothing to it.
 * Context: any (zone lock).
 */
void zone_pcp_set_free_hooked(bool on)
{
	struct zone *z = &normal_zone;
	unsigned long flags;

	spin_lock_irqsave(&z->lock, flags);
	z->pcp.free_hooked = on;
	for (unsigned int o = 0; o < NR_PCP_ORDERS; o++)
		z->pcp.free_ref[o] = (z->pcp.disabled || on) ? PCP_FREE_REF_DISABLED
							     : z->pcp.head_ref[o];
	spin_unlock_irqrestore(&z->lock, flags);
}

void zone_pcp_enable(void)
{
	struct zone *z = &normal_zone;
	unsigned long flags;

	spin_lock_irqsave(&z->lock, flags);
	if (z->pcp.disabled && --z->pcp.disabled == 0)
		pcp_set_batch(z);
	spin_unlock_irqrestore(&z->lock, flags);
}

/* ---- allocation ---- */

static unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order)
{
	unsigned int af = 0;

	if (!(gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NOMEMALLOC)) {
		af |= ALLOC_NON_BLOCK;
		if (order > 0)
			af |= ALLOC_HIGHATOMIC;
	}
	return af;
}

static void warn_alloc(gfp_t gfp, unsigned int order)
{
	char buf[160];

	gfp_format(buf, sizeof(buf), gfp);
	pr_warn("%s: page allocation failure: order:%u, mode:0x%x(%s), nodemask=(null)\n",
		current_task()->comm, order, gfp, buf);
	show_free_areas();
}

/* Make a taken block the caller's: head flags, one reference. Context: zone lock. */
static __always_inline struct page *prep_new_page(u32 idx, unsigned int order)
{
	struct page *page = mem_map + idx;

	page->_flags_ref = PAGE_FLAGS_REF(PAGE_FLAGS_HEAD(order), 1);
	page->private = 0;
	cpu_events()->pgalloc[order]++;
	return page;
}

/* Zero, mark tails, record the owner, trace: the parts done outside the lock. */
static __noinline void post_alloc_hook(struct page *page, unsigned int order, gfp_t gfp)
{
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	if ((gfp & __GFP_COMP) && order) {
		u32 head = (u32)(page - mem_map);

		/* Whole stores: a merge on another core may test them (for PG_buddy). */
		__atomic_store_n(&page->flags, page->flags | 1U << PG_compound, __ATOMIC_RELAXED);
		for (u32 i = 1; i < (1U << order); i++) {
			__atomic_store_n(&page[i].flags, 1U << PG_tail, __ATOMIC_RELAXED);
			page[i].compound_head = head;
		}
	}
	set_page_owner(page, order, gfp);
	if (unlikely(trace_page_alloc_enabled()))
		trace_page_alloc(page, order, gfp, gfp_migratetype(gfp));
}

/*
 * rmqueue_buddy - take a block from the buddy lists directly (orders above
 * the per-cpu lists, empty stacks that could not be refilled, per-cpu lists
 * disabled); drain this core's per-cpu lists and retry, then, if the caller
 * runs with interrupts on, every core's, before giving up. Runs no
 * post-allocation hook: the caller does.
 */
static __noinline struct page *rmqueue_buddy(gfp_t gfp, unsigned int order, int mt)
{
	struct zone *z = &normal_zone;
	unsigned int af = gfp_to_alloc_flags(gfp, order);
	bool may_wait = !arch_irqs_disabled();
	unsigned long flags;
	struct page *page;
	long idx;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			warn_alloc(gfp, order);
		return NULL;
	}
	spin_lock_irqsave(&z->lock, flags);
	idx = __rmqueue(z, order, mt, af);
	if (idx < 0 && pcp_count_cpu(z, smp_processor_id())) {
		drain_pages_cpu(z, this_pageset());
		idx = __rmqueue(z, order, mt, af);
	}
	/* Other cores' lists: only a caller that may wait for them (interrupts on). */
	if (idx < 0 && may_wait && pcp_count(z)) {
		spin_unlock_irqrestore(&z->lock, flags);
		drain_all_pages();
		spin_lock_irqsave(&z->lock, flags);
		idx = __rmqueue(z, order, mt, af);
	}
	if (unlikely(idx < 0)) {
		cpu_events()->pgalloc_fail[order]++;
		spin_unlock_irqrestore(&z->lock, flags);
		if (unlikely(trace_page_alloc_enabled()))
			trace_page_alloc(NULL, order, gfp, mt);
		if (!(gfp & __GFP_NOWARN))
			warn_alloc(gfp, order);
		return NULL;
	}
	page = prep_new_page((u32)idx, order);
	spin_unlock_irqrestore(&z->lock, flags);
	return page;
}

/*
 * This core's per-cpu stack @head is empty: refill it with a batch (under
 * the zone lock), then take one. Order and migratetype are recovered from
 * @head's place in the core's heads.
 * @hooked: the caller runs post_alloc_hook(). The fast path does not; its
 * allocations need no hook, except while the per-cpu lists are disabled
 * (tracing): then the refill moves nothing and this runs the hook.
 */
static __noinline struct page *alloc_pages_refill(u32 *head, gfp_t gfp, bool hooked)
{
	struct zone *z = &normal_zone;
	struct per_cpu_pageset *pcp = this_pageset();
	unsigned int l = (unsigned int)(head - &pcp->head[0][0]);
	unsigned int order = l / MIGRATE_PCPTYPES;
	int mt = (int)(l % MIGRATE_PCPTYPES);
	unsigned long flags;
	struct page *page;
	u32 idx;

	spin_lock_irqsave(&z->lock, flags);
	if (*head == PCP_NIL && !rmqueue_bulk(z, pcp, order, z->pcp.refill[order], mt, 0)) {
		spin_unlock_irqrestore(&z->lock, flags);
		page = rmqueue_buddy(gfp, order, mt);
		if (page && !hooked && unlikely(READ_ONCE(z->pcp.disabled)))
			post_alloc_hook(page, order, gfp);
		return page;
	}
	idx = *head;
	*head = mem_map[idx].pcp_next;
	pcp->room += 1L << order;
	page = prep_new_page(idx, order);
	spin_unlock_irqrestore(&z->lock, flags);
	return page;
}

/*
 * Pop a block from this core's per-cpu stack (order, migratetype of @gfp),
 * no lock taken; no hooks.
 * @hooked is a constant: whether the caller runs post_alloc_hook().
 */
static __always_inline struct page *alloc_pages_pcp(gfp_t gfp, unsigned int order, bool hooked)
{
	struct per_cpu_pageset *pcp = this_pageset();
	u32 *head = &pcp->head[order][gfp_migratetype(gfp)];
	unsigned long flags;
	struct page *page;
	u32 idx;

	/* This core's stack: masking its interrupts is all the exclusion needed. */
	flags = arch_local_irq_save();
	idx = *head;
	if (unlikely(idx == PCP_NIL)) {
		arch_local_irq_restore(flags);
		return alloc_pages_refill(head, gfp, hooked);
	}
	page = mem_map + idx;
	*head = page->pcp_next;
	pcp->room += (long)normal_zone.pcp.nr[order];
	/* A block on this core's stack: no other core writes its head. */
	page_set_ref(page, normal_zone.pcp.head_ref[order]);
	page->private = 0;
	pcp->events.pgalloc[order]++;
	arch_local_irq_restore(flags);
	return page;
}

/*
 * Everything but the per-cpu fast path: higher orders, zeroing, __GFP_COMP,
 * page_owner, and (per-cpu lists disabled) tracing. Hooks run once, here.
 */
static __noinline struct page *alloc_pages_hooked(gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		page = rmqueue_buddy(gfp, order, gfp_migratetype(gfp));
	} else {
		page = alloc_pages_pcp(gfp, order, true);
		/*
		 * page_owner's common case: nothing to zero or mark, tracing
		 * off. alloc_pages() sends such an allocation here only when
		 * page_owner is on, so its hook is called without a second
		 * test, and from here: one frame (and one record for its walk
		 * memo to compare) fewer than through post_alloc_hook().
		 */
		if (likely(page && !(gfp & (__GFP_ZERO | __GFP_COMP)) &&
			   !trace_page_alloc_enabled())) {
			if (IS_ENABLED(CONFIG_PAGE_OWNER))
				__set_page_owner(page, order, gfp);
			return page;
		}
	}
	if (page)
		post_alloc_hook(page, order, gfp);
	return page;
}

/*
 * alloc_pages - the fast path takes the first block of the per-cpu stack
 * (order, migratetype) under the lock: a handful of loads and stores. Empty
 * stacks, higher orders, zeroing, compound pages and page_owner each leave
 * it for a noinline function, so the fast path keeps few registers live.
 * Tracing costs it nothing: it disables the per-cpu lists, so every
 * allocation finds its stack empty and leaves by that test. page_owner costs
 * it nothing either: turning page_owner on rewrites alloc_pages()'s first
 * instruction into a branch to alloc_pages_hooked() (DEFINE_STATIC_DIVERT).
 */
DEFINE_STATIC_DIVERT(page_owner_inited_key, alloc_pages, alloc_pages_hooked);

__noipa struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	if (IS_ENABLED(CONFIG_PAGE_OWNER))
		static_divert(page_owner_inited_key, alloc_pages_hooked(gfp, order));
	if (unlikely(order > PAGE_ALLOC_COSTLY_ORDER || (gfp & (__GFP_ZERO | __GFP_COMP))))
		return alloc_pages_hooked(gfp, order);
	return alloc_pages_pcp(gfp, order, false);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* ---- freeing, and refusing bad frees ---- */

/*
 * The block containing mem_map[@idx], found from the heads at each aligned
 * index above it (a page that is not a head lies inside exactly one block).
 * Return: the head's index, or -1 when no block covers @idx.
 */
static long find_block_head(u32 idx)
{
	for (unsigned int k = 1; k <= MAX_PAGE_ORDER; k++) {
		u32 base = idx & ~((1U << k) - 1);
		u32 f = mem_map[base].flags;

		if (f & (PAGE_FLAGS_BLOCK | PAGE_FLAGS_RESERVED))
			return ((f & PAGE_FLAGS_BLOCK) &&
				((f & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT) >= k) ? (long)base : -1;
	}
	return -1;
}

/*
 * free_bad_reason - why freeing @page as @order is wrong.
 * Return: the reason (in @buf or a constant), or NULL if the free is fine.
 * Context: zone lock.
 */
static const char *free_bad_reason(struct page *page, unsigned int order, char *buf, size_t size)
{
	u32 idx = (u32)(page - mem_map);
	u32 f = page->flags;
	unsigned int porder = page_order(page);
	unsigned long pfn = page_to_pfn(page);
	long head;

	if (order > MAX_PAGE_ORDER) {
		snprintf(buf, size, "order %u above MAX_PAGE_ORDER %u", order, MAX_PAGE_ORDER);
		return buf;
	}
	if (f & PAGE_FLAGS_RESERVED) {
		if (pfn < min_low_pfn || pfn >= max_pfn || !memblock_is_memory(PFN_PHYS(pfn)))
			return "freeing a page outside RAM";
		return "freeing a reserved page";
	}
	if (f & ((1U << PG_buddy) | (1U << PG_pcp))) {
		snprintf(buf, size, "double free: page heads a free order-%u block%s", porder,
			 (f & (1U << PG_pcp)) ? " on a per-cpu list" : "");
		return buf;
	}
	if (f & (1U << PG_tail)) {
		snprintf(buf, size, "freeing a tail page (compound head pfn:0x%lx)",
			 page_to_pfn(compound_head(page)));
		return buf;
	}
	if (f & (1U << PG_head)) {
		if (porder != order) {
			snprintf(buf, size, "wrong order: freed as order %u, allocated as order %u",
				 order, porder);
			return buf;
		}
		if (page->_refcount < 1) {
			snprintf(buf, size, "_refcount %d at free, expected 1", page->_refcount);
			return buf;
		}
		if (f & ~((1U << PG_head) | (1U << PG_compound) | PAGE_ORDER_MASK))
			return "unexpected page flags at free";
		return NULL;
	}
	if (f)
		return "unexpected page flags at free";
	head = find_block_head(idx);
	if (head < 0)
		return "page belongs to no block (mem_map corrupt)";
	if (mem_map[head].flags & (1U << PG_head)) {
		snprintf(buf, size, "freeing a tail page (block head pfn:0x%lx order:%u)",
			 (unsigned long)head + mem_map_pfn_base, page_order(mem_map + head));
		return buf;
	}
	snprintf(buf, size, "freeing a free page (inside free order-%u block at pfn:0x%lx): "
		 "never allocated or double free", page_order(mem_map + head),
		 (unsigned long)head + mem_map_pfn_base);
	return buf;
}

/* Linux's bad_page(): the report, then the page is left alone. */
static __noinline void bad_page(const struct page *page, unsigned long pfn, const char *reason)
{
	printk(KERN_ALERT "BUG: Bad page state in process %s  pfn:%05lx\n", current_task()->comm, pfn);
	if (page)
		dump_page(page, reason);
	else
		pr_warn("page dumped because: %s\n", reason);
}

static __noinline int free_pages_refused(struct page *page, unsigned int order)
{
	struct zone *z = &normal_zone;
	unsigned long flags;
	const char *reason;
	char buf[128];

	spin_lock_irqsave(&z->lock, flags);
	cpu_events()->bad_page++;
	reason = free_bad_reason(page, order, buf, sizeof(buf));
	spin_unlock_irqrestore(&z->lock, flags);
	if (!reason)	/* an interrupt handler changed it meanwhile */
		reason = "page state changed during free";
	bad_page(page, page_to_pfn(page), reason);
	return -1;
}

/* A free of something that has no struct page: report only. */
static __noinline int free_pages_outside(unsigned long pfn, const char *reason)
{
	unsigned long flags = arch_local_irq_save();

	cpu_events()->bad_page++;
	arch_local_irq_restore(flags);
	bad_page(NULL, pfn, reason);
	return -1;
}

/* Unmark the tails of a __GFP_COMP block. Context: zone lock. */
static __noinline void free_tail_pages(struct page *page, unsigned int order)
{
	page->flags &= ~(1U << PG_compound);
	for (u32 i = 1; i < (1U << order); i++)
		page[i].flags = 0;
}

/*
 * Put a freed block on this core's per-cpu list, spilling a batch when over
 * high. Context: zone lock.
 */
static __always_inline void free_to_pcp(struct zone *z, u32 idx, unsigned int order, int mt)
{
	struct per_cpu_pageset *pcp = this_pageset();

	pcp_push(pcp, &pcp->head[order][mt], idx, order);
	if (unlikely(pcp->room < 0))
		free_pcppages_bulk_spill(z, pcp);
}

/*
 * Drop one of several references to an allocated block (refcount > 1, so
 * nothing is freed) and unlock; emit put_page_testzero()'s event.
 * Context: zone lock held, released here. Return: 1.
 */
static __noinline int put_page_ref(struct zone *z, struct page *page, unsigned long flags)
{
	__atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&z->lock, flags);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_MOD_AND_TEST))
		__page_ref_mod_and_test(page, -1, 0);
	return 1;
}

/*
 * free_pages_checked - the complete free path: every check and every case.
 * __free_pages() takes a shortcut for the common case and comes here for
 * anything else; free_pages_pfn() and put_page() come here directly.
 *
 * The check: the head's flags are exactly PG_head | order (| PG_compound)
 * and refcount is at least 1. Anything else goes to free_pages_refused(),
 * which works out and reports the reason; nothing is changed.
 *
 * The caller's reference is dropped. If it was not the last (someone took
 * another with get_page()), the block stays allocated and the last
 * put_page() frees all of it, as Linux does for compound pages: in ferret
 * every block's head knows its order, so every block behaves that way.
 *
 * page_owner's hook runs under the zone lock (it never takes it). With the
 * allocator's trace events on, the lock is dropped around the hooks (the
 * trace ring has its own lock); refcount 0 marks the block as being freed
 * meanwhile, so a racing second free is refused.
 *
 * Return: 0 freed, 1 a reference dropped but the block is still held,
 * -1 refused.
 */
static __noinline int free_pages_checked(struct page *page, unsigned int order)
{
	struct zone *z = &normal_zone;
	unsigned long idx = (unsigned long)(page - mem_map);
	unsigned long flags;
	struct page old;
	int mt;

	if (unlikely(idx >= max_mapnr))
		return free_pages_outside(idx + mem_map_pfn_base, "struct page outside mem_map");
	spin_lock_irqsave(&z->lock, flags);
again:
	old._flags_ref = __atomic_load_n(&page->_flags_ref, __ATOMIC_RELAXED);
	if (unlikely(order > MAX_PAGE_ORDER ||
		     (old.flags & ~(1U << PG_compound)) != PAGE_FLAGS_HEAD(order) ||
		     old._refcount != 1)) {
		if (order <= MAX_PAGE_ORDER && old._refcount > 1 &&
		    (old.flags & ~(1U << PG_compound)) == PAGE_FLAGS_HEAD(order))
			return put_page_ref(z, page, flags);
		spin_unlock_irqrestore(&z->lock, flags);
		return free_pages_refused(page, order);
	}
	/* Refcount 0: ours. A free racing on another core fails its claim. */
	if (unlikely(!page_claim(page, old._flags_ref, PAGE_FLAGS_REF(old.flags, 0))))
		goto again;
	if (unlikely(page->flags & (1U << PG_compound)))
		free_tail_pages(page, order);
	if (unlikely(trace_page_alloc_enabled())) {
		spin_unlock_irqrestore(&z->lock, flags);
		trace_page_free(page, order);
		reset_page_owner(page, order);
		spin_lock_irqsave(&z->lock, flags);
	} else {
		/* page_owner's hook never takes the zone lock: it runs under it. */
		reset_page_owner(page, order);
	}
	cpu_events()->pgfree[order]++;
	mt = pageblock_mt_idx(z, idx);
	if (likely(order <= PAGE_ALLOC_COSTLY_ORDER && mt < MIGRATE_PCPTYPES && !z->pcp.disabled))
		free_to_pcp(z, (u32)idx, order, mt);
	else
		free_one_page(z, (u32)idx, order);
	spin_unlock_irqrestore(&z->lock, flags);
	return 0;
}

/* Push a claimed block on this core's stack; true when the stacks passed high. */
static __always_inline bool pcp_free_push(struct per_cpu_pageset *pcp, struct page *page,
					  u32 idx, unsigned int order, int mt)
{
	u32 *head = &pcp->head[order][mt];

	pcp->events.pgfree[order]++;
	page->pcp_next = *head;
	*head = idx;
	pcp->room -= (long)normal_zone.pcp.nr[order];
	return pcp->room < 0;
}

/*
 * Free an order-0..PAGE_ALLOC_COSTLY_ORDER head to this core's per-cpu stack
 * without the zone lock: claim it (@ref to pcp_ref, one compare-and-swap,
 * so a bad free never passes and two cores freeing one block cannot both
 * win), push it with only this core's interrupts masked, then spill after
 * interrupts are back on if the stacks passed high. @hooked is a constant:
 * false for __free_pages()'s own path (claim against free_ref, no hook),
 * true for page_owner's (claim against head_ref, then the hook): called so
 * only with free_hooked set (page_owner sets it before it diverts
 * __free_pages(), and never clears it).
 */
static __always_inline void free_pages_pcp(struct page *page, unsigned int order, bool hooked);

/*
 * free_pages_hooked - __free_pages()'s shortcut failed its claim; this
 * core's interrupts are still masked (@flags). Reached with page_owner on
 * only where __free_pages() is not diverted (the host build, or between
 * zone_pcp_set_free_hooked() and the diversion): the claim against
 * head_ref, page_owner's hook and the push, as free_pages_owner() does.
 * Anything else goes to free_pages_checked().
 */
static __noinline void free_pages_hooked(struct page *page, unsigned int order,
					 unsigned long flags)
{
	arch_local_irq_restore(flags);
	if (READ_ONCE(normal_zone.pcp.free_hooked))
		free_pages_pcp(page, order, true);
	else
		free_pages_checked(page, order);
}

static __always_inline void free_pages_pcp(struct page *page, unsigned int order, bool hooked)
{
	struct zone *z = &normal_zone;
	struct per_cpu_pageset *pcp = this_pageset();
	unsigned long idx = (unsigned long)(page - mem_map);
	unsigned long flags;
	bool spill;
	int mt;

	if (unlikely(idx >= max_mapnr || order > PAGE_ALLOC_COSTLY_ORDER)) {
		free_pages_checked(page, order);
		return;
	}
	flags = arch_local_irq_save();
	/* The type may change meanwhile (zone lock): a drain frees to the new one. */
	mt = pageblock_mt_idx(z, idx);
	if (!hooked) {
		/* free_ref is head_ref with the lists on and no free hooks, else never matches. */
		if (unlikely(mt >= MIGRATE_PCPTYPES ||
			     !page_claim(page, z->pcp.free_ref[order], z->pcp.pcp_ref[order]))) {
			free_pages_hooked(page, order, flags);	/* restores @flags */
			return;
		}
	} else if (unlikely(z->pcp.disabled || mt >= MIGRATE_PCPTYPES ||
			    !page_claim(page, z->pcp.head_ref[order], z->pcp.pcp_ref[order]))) {
		/* The lists off (tracing) or a bad free: the checked path runs the hook. */
		arch_local_irq_restore(flags);
		free_pages_checked(page, order);
		return;
	}
	/*
	 * Pushed first, recorded then: only this core takes blocks off its
	 * stack, and not before its interrupts are back on. Fewer values live
	 * across the hook's call. Only page_owner sets free_hooked.
	 */
	spill = pcp_free_push(pcp, page, (u32)idx, order, mt);
	if (hooked && IS_ENABLED(CONFIG_PAGE_OWNER))
		__reset_page_owner(page, order);
	arch_local_irq_restore(flags);
	if (unlikely(spill))
		pcp_spill();
}

/*
 * free_pages_owner - __free_pages() while page_owner is on: turning it on
 * rewrites __free_pages()'s first instruction into a branch here
 * (DEFINE_STATIC_DIVERT), so the shortcut's tests run once, against
 * head_ref, and page_owner's hook is called from here: one frame fewer
 * for its walk memo to compare than through free_pages_hooked().
 */
static __noinline void free_pages_owner(struct page *page, unsigned int order)
{
	free_pages_pcp(page, order, true);
}

/*
 * __free_pages - the shortcut: an order the per-cpu lists take, a plain
 * (non-compound) head with refcount 1, a pageblock type the per-cpu lists
 * hold, lists enabled and no free hooks (free_ref is head_ref): see
 * free_pages_pcp(). The same test as free_pages_checked(), so a bad free
 * never takes it. page_owner on diverts the whole function to
 * free_pages_owner(), and also poisons free_ref
 * (zone_pcp_set_free_hooked()), so that where nothing is diverted the
 * claim fails and free_pages_hooked() runs the hook: off, page_owner adds
 * no test here.
 */
DEFINE_STATIC_DIVERT(page_owner_inited_key, __free_pages, free_pages_owner);

__noipa void __free_pages(struct page *page, unsigned int order)
{
	if (IS_ENABLED(CONFIG_PAGE_OWNER))
		static_divert(page_owner_inited_key, free_pages_owner(page, order));
	free_pages_pcp(page, order, false);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

int free_pages_pfn(unsigned long pfn, unsigned int order)
{
	if (!pfn_valid(pfn))
		return free_pages_outside(pfn, "pfn outside RAM (no struct page)");
	return free_pages_checked(pfn_to_page(pfn), order);
}

void put_page(struct page *page)
{
	page = compound_head(page);
	free_pages_checked(page, page_order(page));
}

/*
 * The block holding mem_map[@idx] (see page_block()). Context: zone lock.
 * Return: its state; *@head and *@order describe it.
 */
static enum page_block_state __page_block(u32 idx, u32 *head, unsigned int *order)
{
	for (unsigned int k = 0; k <= MAX_PAGE_ORDER; k++) {
		u32 base = idx & ~((1U << k) - 1);
		u32 f = mem_map[base].flags;
		unsigned int o = (f & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT;

		if (f & PAGE_FLAGS_RESERVED) {
			if (base != idx)
				break;
			*head = idx;
			*order = 0;
			return PAGE_BLOCK_RESERVED;
		}
		if (!(f & PAGE_FLAGS_BLOCK))
			continue;
		if (o < k)
			break;
		*head = base;
		*order = o;
		if (f & (1U << PG_buddy))
			return PAGE_BLOCK_FREE;
		if (f & (1U << PG_pcp))
			return PAGE_BLOCK_PCP;
		return PAGE_BLOCK_ALLOCATED;
	}
	*head = idx;
	*order = 0;
	return PAGE_BLOCK_NONE;
}

enum page_block_state page_block(unsigned long pfn, unsigned long *head, unsigned int *order)
{
	struct zone *z = &normal_zone;
	enum page_block_state st;
	unsigned long flags;
	u32 h;

	*head = pfn;
	*order = 0;
	if (!mem_map || !pfn_valid(pfn))
		return PAGE_BLOCK_NONE;
	spin_lock_irqsave(&z->lock, flags);
	st = __page_block((u32)(pfn - mem_map_pfn_base), &h, order);
	spin_unlock_irqrestore(&z->lock, flags);
	*head = h + mem_map_pfn_base;
	return st;
}

/* ---- pageblock types ---- */

/*
 * A free block larger than a pageblock that covers the pageblock at @start
 * is cut down so that this pageblock is a free block of its own (of the big
 * block's type; the other pieces stay free). Context: zone lock.
 */
static void split_large_free_block(struct zone *z, u32 start)
{
	for (unsigned int k = pageblock_order + 1; k <= MAX_PAGE_ORDER; k++) {
		u32 base = start & ~((1U << k) - 1);
		u32 f = mem_map[base].flags;

		if ((f & (1U << PG_buddy)) && page_order(mem_map + base) >= k) {
			unsigned int order = page_order(mem_map + base);
			int mt = pageblock_mt_idx(z, base);

			/* Halve around @start: each half without it stays free. */
			del_from_free_list(z, base, order, mt);
			while (order > pageblock_order) {
				order--;
				if (start >= base + (1U << order)) {
					add_to_free_list(z, base, order, mt, false);
					base += 1U << order;
				} else {
					add_to_free_list(z, base + (1U << order), order, mt, false);
				}
			}
			add_to_free_list(z, base, order, mt, false);
			return;
		}
		if (f & PAGE_FLAGS_BLOCK)
			return;
	}
}

long pageblock_set_migratetype(unsigned long pfn, int migratetype)
{
	struct zone *z = &normal_zone;
	unsigned long flags;
	u32 start, idx;
	long moved;

	/* Isolation has its own calls, which remember the type to restore. */
	if (!pfn_valid(pfn) || migratetype < 0 || migratetype >= MIGRATE_TYPES)
		return -1;
	idx = (u32)(pfn - mem_map_pfn_base);
	start = idx & ~(u32)(pageblock_nr_pages - 1);
	spin_lock_irqsave(&z->lock, flags);
	if (is_migrate_isolate(pageblock_mt_idx(z, start))) {
		spin_unlock_irqrestore(&z->lock, flags);
		return -1;
	}
	split_large_free_block(z, start);
	moved = (long)move_freepages_block(z, start, migratetype);
	spin_unlock_irqrestore(&z->lock, flags);
	return moved;
}

/* ---- page isolation (mm/page_isolation.c drives these) ---- */

int set_migratetype_isolate(unsigned long pfn)
{
	struct zone *z = &normal_zone;
	u32 start = (u32)(pfn - mem_map_pfn_base) & ~(u32)(pageblock_nr_pages - 1);
	unsigned long flags;
	int mt;

	spin_lock_irqsave(&z->lock, flags);
	mt = pageblock_mt_idx(z, start);
	if (is_migrate_isolate(mt)) {
		spin_unlock_irqrestore(&z->lock, flags);
		return -EBUSY;
	}
	z->pageblock_isolated_mt[start >> pageblock_order] = (u8)mt;
	split_large_free_block(z, start);
	move_freepages_block(z, start, MIGRATE_ISOLATE);
	spin_unlock_irqrestore(&z->lock, flags);
	return 0;
}

void unset_migratetype_isolate(unsigned long pfn)
{
	struct zone *z = &normal_zone;
	u32 start = (u32)(pfn - mem_map_pfn_base) & ~(u32)(pageblock_nr_pages - 1);
	unsigned long flags;

	spin_lock_irqsave(&z->lock, flags);
	if (is_migrate_isolate(pageblock_mt_idx(z, start))) {
		/* Two isolated neighbours may have merged into one Isolate block. */
		split_large_free_block(z, start);
		move_freepages_block(z, start, z->pageblock_isolated_mt[start >> pageblock_order]);
	}
	spin_unlock_irqrestore(&z->lock, flags);
}

unsigned long isolated_pageblock_first_busy(unsigned long start, unsigned long end)
{
	struct zone *z = &normal_zone;
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned int order;
		u32 head;

		if (__page_block((u32)(pfn - mem_map_pfn_base), &head, &order) != PAGE_BLOCK_FREE ||
		    !is_migrate_isolate(pageblock_mt_idx(z, head)))
			return pfn;
		pfn = head + mem_map_pfn_base + (1UL << order);
	}
	return end;
}

/*
 * Hand out the part of the free block (@idx, @order), already off its list,
 * that lies in [@lo, @hi) as order-0 pages; the rest goes back on the
 * Isolate lists. Context: zone lock.
 */
static void take_free_block(struct zone *z, u32 idx, unsigned int order, u32 lo, u32 hi)
{
	u32 n = 1U << order;

	if (idx >= lo && idx + n <= hi) {
		for (u32 i = idx; i < idx + n; i++) {
			mem_map[i]._flags_ref = PAGE_FLAGS_REF(PAGE_FLAGS_HEAD(0), 1);
			mem_map[i].private = 0;
		}
		cpu_events()->pgalloc[0] += n;
		return;
	}
	if (idx + n <= lo || idx >= hi) {
		add_to_free_list(z, idx, order, MIGRATE_ISOLATE, false);
		z->nr_free_pages += n;
		return;
	}
	take_free_block(z, idx, order - 1, lo, hi);
	take_free_block(z, idx + n / 2, order - 1, lo, hi);
}

unsigned long take_isolated_range(unsigned long start, unsigned long end)
{
	struct zone *z = &normal_zone;
	u32 lo = (u32)(start - mem_map_pfn_base), hi = (u32)(end - mem_map_pfn_base);
	unsigned long flags;
	u32 idx = lo;

	spin_lock_irqsave(&z->lock, flags);
	if (isolated_pageblock_first_busy(start, end) != end) {
		spin_unlock_irqrestore(&z->lock, flags);
		return 0;
	}
	while (idx < hi) {
		unsigned int order;
		u32 head;

		__page_block(idx, &head, &order);
		del_from_free_list(z, head, order, MIGRATE_ISOLATE);
		z->nr_free_pages -= 1UL << order;
		take_free_block(z, head, order, lo, hi);
		idx = head + (1U << order);
	}
	spin_unlock_irqrestore(&z->lock, flags);
	return end - start;
}

void contig_post_alloc_hook(struct page *page, gfp_t gfp)
{
	post_alloc_hook(page, 0, gfp & ~(__GFP_COMP));
}

/*
 * Linux's free_reserved_area(): hand the reserved RAM pages of pfns
 * [@start, @end) to the buddy allocator, one page at a time (the buddy
 * merges them), counting them as managed from now on. Pages that are not
 * plain reserved RAM (holes, the page at address 0, anything in use) are
 * left alone. Return: the pages freed.
 * Context: process, after boot.
 */
unsigned long free_reserved_area_pfn(unsigned long start, unsigned long end)
{
	struct zone *z = &normal_zone;
	unsigned long freed = 0;

	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *page;
		unsigned long flags;
		bool take;

		if (!pfn_valid(pfn) || !memblock_is_memory(PFN_PHYS(pfn)) || !__va(PFN_PHYS(pfn)))
			continue;
		page = pfn_to_page(pfn);
		spin_lock_irqsave(&z->lock, flags);
		take = page->flags == PAGE_FLAGS_RESERVED;
		if (take) {
			/* An allocated order-0 block, so the free path takes it as any other. */
			page->flags = PAGE_FLAGS_HEAD(0);
			page->_refcount = 1;
			page->private = 0;
			z->managed_pages++;
			totalram_pages++;
		}
		spin_unlock_irqrestore(&z->lock, flags);
		if (take) {
			__free_pages(page, 0);
			freed++;
		}
	}
	return freed;
}
