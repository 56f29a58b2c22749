// SPDX-License-Identifier: GPL-2.0
/*
 * mm_check_invariants(): the `memtest` console command and the host tests'
 * oracle. Checks every invariant listed in mm/page_alloc.h and
 * include/ferret/mm_types.h against the real state, holding the zone lock.
 *
 * 0. Per-cpu lists: each core (on_each_cpu()) walks its own under the zone
 *    lock, checks them quietly and, if sound, drains them into the buddy
 *    lists, so that what follows sees every free page where it rests.
 * 1. Lists: every buddy and per-cpu list (every core's) is walked (bounded,
 *    so a cycle cannot hang it); each entry must be a block head of the
 *    list's order, aligned, in RAM, of the list's pageblock type (buddy
 *    lists), not seen before. Each is marked PG_memtest. Lengths must equal
 *    nr_free and free_mask bits; each core's pcp pages must sum to its
 *    pcp_count_cpu().
 * 2. mem_map: every page is visited once, block by block. A free block head
 *    must carry the mark (on a list), its other pages flags 0 and refcount 0;
 *    its buddy must not be a free block of the same order (unmerged), unless
 *    the types may not merge. Allocated heads: refcount >= 1, tails clean or
 *    PG_tail pointing at the head. Reserved pages: flags exactly PG_reserved.
 *    Pages outside RAM must be reserved.
 * 3. Totals: nr_free_pages, pcp_count() and managed = free + pcp + allocated.
 *
 * Steps 1-3 read other cores' per-cpu lists: exact while no other core
 * allocates or frees (the console's memtest, the host tests' oracle).
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/memblock.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/string.h>

#include "page_alloc.h"

#define MEMTEST_MAX_REPORTS 20

struct memtest {
	struct seq_file *m;
	int violations;
};

static __printf(2, 3) void violation(struct memtest *t, const char *fmt, ...)
{
	va_list ap;

	t->violations++;
	if (!t->m)	/* counting only */
		return;
	if (t->violations > MEMTEST_MAX_REPORTS) {
		if (t->violations == MEMTEST_MAX_REPORTS + 1)
			seq_puts(t->m, "memtest: more violations, not shown\n");
		return;
	}
	seq_puts(t->m, "memtest: VIOLATION: ");
	va_start(ap, fmt);
	seq_vprintf(t->m, fmt, ap);
	va_end(ap);
	seq_putc(t->m, '\n');
}

#define MARK (1U << PG_memtest)

static unsigned long idx_pfn(u32 idx)
{
	return idx + mem_map_pfn_base;
}

/*
 * Walk list @head (at most @limit entries); check and mark each entry.
 * Return: entries found.
 */
static unsigned long check_list(struct memtest *t, const struct zone *z, u32 head, u32 want,
				unsigned int order, int mt, bool buddy, unsigned long limit)
{
	unsigned long n = 0;
	u32 prev = head, idx = mem_map[head].buddy_list.next;

	while (idx != head) {
		struct page *p;

		if (idx >= max_mapnr) {
			violation(t, "%s list order %u type %s: link %u outside mem_map",
				  buddy ? "free" : "pcp", order, migratetype_names[mt], idx);
			return n;
		}
		p = mem_map + idx;
		if (p->buddy_list.prev != prev)
			violation(t, "pfn 0x%lx: list back link %u, expected %u", idx_pfn(idx),
				  p->buddy_list.prev, prev);
		if (p->flags & MARK) {
			violation(t, "pfn 0x%lx: on a free list twice", idx_pfn(idx));
			return n;
		}
		if ((p->flags & ~MARK) != want)
			violation(t, "pfn 0x%lx on %s list order %u: flags 0x%x, expected 0x%x",
				  idx_pfn(idx), buddy ? "free" : "pcp", order, p->flags, want);
		if (idx & ((1U << order) - 1))
			violation(t, "pfn 0x%lx: order-%u block not aligned", idx_pfn(idx), order);
		if (p->_refcount)
			violation(t, "pfn 0x%lx: free block with refcount %d", idx_pfn(idx),
				  p->_refcount);
		if (buddy && pageblock_mt_idx(z, idx) != mt)
			violation(t, "pfn 0x%lx: on %s list, pageblock is %s", idx_pfn(idx),
				  migratetype_names[mt],
				  pageblock_mt_idx(z, idx) < NR_MIGRATE_LISTS ?
				  migratetype_names[pageblock_mt_idx(z, idx)] : "?");
		p->flags |= MARK;
		n++;
		if (n > limit) {
			violation(t, "%s list order %u type %s: longer than possible (cycle?)",
				  buddy ? "free" : "pcp", order, migratetype_names[mt]);
			return n;
		}
		prev = idx;
		idx = p->buddy_list.next;
	}
	if (mem_map[head].buddy_list.prev != prev)
		violation(t, "%s list order %u type %s: head back link broken",
			  buddy ? "free" : "pcp", order, migratetype_names[mt]);
	return n;
}

/*
 * Walk a per-cpu stack (at most @limit entries); check each block, and
 * with @mark mark it (and find it if it was marked already).
 */
static unsigned long check_pcp_stack(struct memtest *t, u32 idx, unsigned int order, int mt,
				     unsigned long limit, bool mark)
{
	unsigned long n = 0;

	while (idx != PCP_NIL) {
		struct page *p;

		if (idx >= max_mapnr) {
			violation(t, "pcp stack order %u type %s: link %u outside mem_map", order,
				  migratetype_names[mt], idx);
			return n;
		}
		p = mem_map + idx;
		if (mark && (p->flags & MARK)) {
			violation(t, "pfn 0x%lx: on a free list twice", idx_pfn(idx));
			return n;
		}
		if (p->flags != PAGE_FLAGS_PCP(order))
			violation(t, "pfn 0x%lx on pcp stack order %u: flags 0x%x, expected 0x%x",
				  idx_pfn(idx), order, p->flags, PAGE_FLAGS_PCP(order));
		if (idx & ((1U << order) - 1))
			violation(t, "pfn 0x%lx: order-%u block not aligned", idx_pfn(idx), order);
		if (p->_refcount)
			violation(t, "pfn 0x%lx: free block with refcount %d", idx_pfn(idx),
				  p->_refcount);
		if (mark)
			p->flags |= MARK;
		if (++n > limit) {
			violation(t, "pcp stack order %u type %s: longer than possible (cycle?)",
				  order, migratetype_names[mt]);
			return n;
		}
		idx = p->pcp_next;
	}
	return n;
}

static bool buddy_may_merge(const struct zone *z, u32 idx, u32 buddy, unsigned int order)
{
	int a, b;

	if (order < pageblock_order)
		return true;
	a = pageblock_mt_idx(z, idx);
	b = pageblock_mt_idx(z, buddy);
	return a == b || (migratetype_is_mergeable(a) && migratetype_is_mergeable(b));
}

/* Is mem_map index @idx a RAM page? (memblock lookups, done per range) */
struct ram_cursor {
	unsigned long i;
};

static bool idx_is_ram(struct ram_cursor *c, u32 idx)
{
	const struct memblock_type *t = &memblock.memory;
	phys_addr_t pa = PFN_PHYS(idx_pfn(idx));

	while (c->i < t->cnt && t->regions[c->i].base + t->regions[c->i].size <= pa)
		c->i++;
	return c->i < t->cnt && t->regions[c->i].base <= pa &&
	       PFN_PHYS(idx_pfn(idx) + 1) <= t->regions[c->i].base + t->regions[c->i].size;
}

/* What each core found on its own per-cpu lists (memtest_drain_cpu()). */
struct memtest_cpus {
	unsigned long pages[NR_CPUS], blocks[NR_CPUS];
	bool checked[NR_CPUS], kept[NR_CPUS];
};

/*
 * On each core, with its interrupts masked and the zone lock: walk its own
 * per-cpu stacks (no other core touches them meanwhile), check them
 * quietly, and if they are sound give their pages back to the buddy lists.
 * Unsound lists are kept for the main walk to report in detail.
 */
static void memtest_drain_cpu(void *arg)
{
	struct memtest_cpus *r = arg;
	struct zone *z = &normal_zone;
	unsigned int cpu = smp_processor_id();
	struct per_cpu_pageset *pcp = &z->per_cpu_pageset[cpu];
	struct memtest quiet = { .m = NULL };
	unsigned long flags, pages = 0, blocks = 0;

	spin_lock_irqsave(&z->lock, flags);
	for (unsigned int o = 0; o < NR_PCP_ORDERS; o++) {
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			unsigned long n = check_pcp_stack(&quiet, pcp->head[o][mt], o, mt,
							  max_mapnr, false);

			blocks += n;
			pages += n << o;
		}
	}
	if (pages != pcp_count_cpu(z, cpu))
		quiet.violations++;
	r->checked[cpu] = true;
	r->kept[cpu] = quiet.violations != 0;
	if (!quiet.violations) {
		r->pages[cpu] = pages;
		r->blocks[cpu] = blocks;
		__drain_local_pages(z);
	}
	spin_unlock_irqrestore(&z->lock, flags);
}

/* Every core checks and drains its lists; one line says what they held. */
static void memtest_cpus(struct seq_file *m)
{
	struct memtest_cpus r = { 0 };
	unsigned long pages = 0, blocks = 0;
	unsigned int cpu, cores = 0, kept = 0;

	/* The panic console (interrupts masked) cannot call other cores: its own only. */
	if (arch_irqs_disabled())
		memtest_drain_cpu(&r);
	else
		on_each_cpu(memtest_drain_cpu, &r, true);
	for_each_possible_cpu(cpu) {
		cores += r.checked[cpu];
		kept += r.kept[cpu];
		pages += r.pages[cpu];
		blocks += r.blocks[cpu];
	}
	seq_printf(m, "memtest: per-cpu lists of %u cores: %lu pages in %lu blocks checked and drained",
		   cores, pages, blocks);
	if (kept)
		seq_printf(m, ", %u cores' lists unsound: kept", kept);
	seq_putc(m, '\n');
}

int mm_check_invariants(struct seq_file *m)
{
	struct zone *z = &normal_zone;
	struct memtest t = { .m = m };
	struct ram_cursor rc = { 0 };
	unsigned long flags, limit, nfree_blocks = 0, nfree = 0, npcp = 0, npcp_blocks = 0;
	unsigned long nalloc = 0, nalloc_blocks = 0, nreserved = 0, nholes = 0;
	unsigned long list_free_pages = 0, list_pcp_pages = 0;
	u32 idx;

	if (!mem_map) {
		seq_puts(m, "memtest: no mem_map\n");
		return 0;
	}
	memtest_cpus(m);
	spin_lock_irqsave(&z->lock, flags);
	limit = max_mapnr;

	/* 1. lists */
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		for (int mt = 0; mt < NR_MIGRATE_LISTS; mt++) {
			unsigned long n = check_list(&t, z, buddy_list_head(z, o, mt),
						     PAGE_FLAGS_BUDDY(o), o, mt, true, limit);

			if (n != z->free_area[o].nr_free[mt])
				violation(&t, "free list order %u type %s: %lu blocks, nr_free says %lu",
					  o, migratetype_names[mt], n, z->free_area[o].nr_free[mt]);
			if (!!n != !!(z->free_mask[mt] & (1U << o)))
				violation(&t, "free_mask bit order %u type %s is %d with %lu blocks",
					  o, migratetype_names[mt], !!(z->free_mask[mt] & (1U << o)), n);
			list_free_pages += n << o;
		}
	}
	for (u32 mt = 0; mt < NR_MIGRATE_LISTS; mt++)
		if (z->free_mask[mt] >> NR_PAGE_ORDERS)
			violation(&t, "free_mask of %s has bits above MAX_PAGE_ORDER",
				  migratetype_names[mt]);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct per_cpu_pageset *pcp = &z->per_cpu_pageset[cpu];
		unsigned long cpu_pages = 0;

		for (unsigned int o = 0; o < NR_PCP_ORDERS; o++)
			for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
				cpu_pages += check_pcp_stack(&t, pcp->head[o][mt], o, mt, limit,
							     true) << o;
		if (cpu_pages != pcp_count_cpu(z, cpu))
			violation(&t, "cpu %u: per-cpu lists hold %lu pages, pcp count says %lu", cpu,
				  cpu_pages, pcp_count_cpu(z, cpu));
		list_pcp_pages += cpu_pages;
	}

	/* 2. mem_map */
	idx = 0;
	while (idx < max_mapnr) {
		struct page *p = mem_map + idx;
		u32 f = p->flags, fl = f & ~MARK;
		unsigned int order = (fl & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT;
		u32 n;

		if (fl & PAGE_FLAGS_RESERVED) {
			if (fl != PAGE_FLAGS_RESERVED)
				violation(&t, "pfn 0x%lx: reserved with flags 0x%x", idx_pfn(idx), f);
			if (p->_refcount < 1)
				violation(&t, "pfn 0x%lx: reserved with refcount %d", idx_pfn(idx),
					  p->_refcount);
			if (f & MARK) {
				violation(&t, "pfn 0x%lx: reserved page on a free list", idx_pfn(idx));
				p->flags = fl;
			}
			if (idx_is_ram(&rc, idx))
				nreserved++;
			else
				nholes++;
			idx++;
			continue;
		}
		if (!idx_is_ram(&rc, idx))
			violation(&t, "pfn 0x%lx: not RAM but not reserved (flags 0x%x)",
				  idx_pfn(idx), f);
		if (!(fl & PAGE_FLAGS_BLOCK)) {
			violation(&t, "pfn 0x%lx: belongs to no block (flags 0x%x)", idx_pfn(idx), f);
			idx++;
			continue;
		}
		if (order > MAX_PAGE_ORDER || (idx & ((1U << order) - 1))) {
			violation(&t, "pfn 0x%lx: bad block order %u", idx_pfn(idx), order);
			idx++;
			continue;
		}
		n = 1U << order;
		if (idx + n > max_mapnr) {
			violation(&t, "pfn 0x%lx: order-%u block runs past mem_map", idx_pfn(idx),
				  order);
			break;
		}
		if (fl & ((1U << PG_buddy) | (1U << PG_pcp))) {
			bool buddy = fl & (1U << PG_buddy);

			if (!(f & MARK))
				violation(&t, "pfn 0x%lx: free order-%u block on no %s list",
					  idx_pfn(idx), order, buddy ? "free" : "per-cpu");
			if (buddy) {
				nfree += n;
				nfree_blocks++;
				if (order < MAX_PAGE_ORDER) {
					u32 b = idx ^ n;

					if ((mem_map[b].flags & ~MARK) == PAGE_FLAGS_BUDDY(order) &&
					    buddy_may_merge(z, idx, b, order))
						violation(&t, "pfn 0x%lx and 0x%lx: free order-%u buddies not merged",
							  idx_pfn(idx), idx_pfn(b), order);
				}
				if (order > pageblock_order) {
					for (u32 i = pageblock_nr_pages; i < n; i += pageblock_nr_pages)
						if (pageblock_mt_idx(z, idx + i) != pageblock_mt_idx(z, idx))
							violation(&t, "pfn 0x%lx: free order-%u block spans pageblocks of different types",
								  idx_pfn(idx), order);
				}
			} else {
				npcp += n;
				npcp_blocks++;
			}
			for (u32 i = 1; i < n; i++) {
				if (p[i].flags || p[i]._refcount) {
					violation(&t, "pfn 0x%lx: inside free block at 0x%lx has flags 0x%x refcount %d",
						  idx_pfn(idx + i), idx_pfn(idx), p[i].flags, p[i]._refcount);
					break;
				}
			}
			p->flags = fl;
		} else {
			bool comp = fl & (1U << PG_compound);

			if (fl & ~((1U << PG_head) | (1U << PG_compound) | PAGE_ORDER_MASK |
				   PAGE_FLAGS_USER_MASK))
				violation(&t, "pfn 0x%lx: allocated head with flags 0x%x", idx_pfn(idx), f);
			if (f & MARK) {
				violation(&t, "pfn 0x%lx: allocated block on a free list", idx_pfn(idx));
				p->flags = fl;
			}
			if (p->_refcount < 1)
				violation(&t, "pfn 0x%lx: allocated head with refcount %d", idx_pfn(idx),
					  p->_refcount);
			for (u32 i = 1; i < n; i++) {
				u32 tf = p[i].flags & ~PAGE_FLAGS_USER_MASK;
				bool ok = comp ? (tf == (1U << PG_tail) && p[i].compound_head == idx)
					       : tf == 0;

				if (!ok || p[i]._refcount) {
					violation(&t, "pfn 0x%lx: tail of block at 0x%lx has flags 0x%x refcount %d",
						  idx_pfn(idx + i), idx_pfn(idx), p[i].flags,
						  p[i]._refcount);
					break;
				}
			}
			nalloc += n;
			nalloc_blocks++;
		}
		idx += n;
	}
	/* Clear any mark left on an entry the walk did not reach as a head. */
	for (u32 i = 0; i < max_mapnr; i++) {
		if (mem_map[i].flags & MARK) {
			violation(&t, "pfn 0x%lx: on a free list but inside another block",
				  idx_pfn(i));
			mem_map[i].flags &= ~MARK;
		}
	}

	/* 3. totals */
	if (nfree != list_free_pages)
		violation(&t, "free blocks in mem_map hold %lu pages, free lists %lu", nfree,
			  list_free_pages);
	if (nfree != z->nr_free_pages)
		violation(&t, "free pages %lu, nr_free_pages says %lu", nfree, z->nr_free_pages);
	if (npcp != pcp_count(z))
		violation(&t, "per-cpu pages in mem_map %lu, pcp count says %lu", npcp,
			  pcp_count(z));
	if (nfree + npcp + nalloc != z->managed_pages)
		violation(&t, "free %lu + per-cpu %lu + allocated %lu != managed %lu", nfree, npcp,
			  nalloc, z->managed_pages);
	for (unsigned long b = 0; b < z->nr_pageblocks; b++) {
		if (z->pageblock_mt[b] >= NR_MIGRATE_LISTS)
			violation(&t, "pageblock %lu: migratetype %u", b, z->pageblock_mt[b]);
		else if (is_migrate_isolate(z->pageblock_mt[b]) &&
			 z->pageblock_isolated_mt[b] >= MIGRATE_TYPES)
			violation(&t, "pageblock %lu: isolated, would go back to migratetype %u", b,
				  z->pageblock_isolated_mt[b]);
	}
	for (unsigned int o = 0; o < NR_PCP_ORDERS; o++) {
		u64 want = (z->pcp.disabled || z->pcp.free_hooked) ? PCP_FREE_REF_DISABLED
								 : z->pcp.head_ref[o];

		if (z->pcp.free_ref[o] != want)
			violation(&t, "pcp free_ref[%u] 0x%llx, expected 0x%llx (lists %s)", o,
				  (unsigned long long)z->pcp.free_ref[o], (unsigned long long)want,
				  z->pcp.disabled ? "disabled" : "enabled");
	}
	if (z->pcp.disabled && list_pcp_pages)
		violation(&t, "per-cpu lists disabled but holding %lu pages", list_pcp_pages);
	spin_unlock_irqrestore(&z->lock, flags);

	seq_printf(m, "memtest: %d free lists and %d per-cpu lists walked\n", NR_BUDDY_LISTS,
		   NR_PCP_LISTS * NR_CPUS);
	seq_printf(m, "memtest: mem_map: %lu pages: %lu free in %lu blocks, %lu per-cpu in %lu blocks, %lu allocated in %lu blocks, %lu reserved, %lu not RAM\n",
		   max_mapnr, nfree, nfree_blocks, npcp, npcp_blocks, nalloc, nalloc_blocks,
		   nreserved, nholes);
	seq_printf(m, "memtest: counters: nr_free_pages %lu, pcp %lu, managed %lu; %lu pageblocks\n",
		   z->nr_free_pages, pcp_count(z), z->managed_pages, z->nr_pageblocks);
	/* The object allocator's slabs and counters (after the zone lock). */
	t.violations += slab_check_invariants(m);
	seq_printf(m, "memtest: %s: %d violations\n", t.violations ? "FAIL" : "ok",
		   t.violations);
	return t.violations;
}
