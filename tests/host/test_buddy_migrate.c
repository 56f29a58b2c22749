// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of grouping by mobility: which free lists each gfp uses, the
 * fallback rules (claim a whole pageblock range, claim a pageblock when half
 * of it is free or alike, steal a block without claiming), the HighAtomic
 * reserve, and frees of blocks whose pageblocks changed type.
 *
 * RAM is 16 MiB: 8 pageblocks (pb0..pb7) of 512 pages; mem_map and the
 * pageblock flags take the last 18 pages of pb7.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/vmstat.h>

#include "htest.h"
#include "test_buddy_harness.h"

#define RAM_BASE	0x40000000UL
#define BASE_PFN	(RAM_BASE >> PAGE_SHIFT)
#define PB(n)		(BASE_PFN + (n) * pageblock_nr_pages)
#define MOVABLE		(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN)
#define UNMOVABLE	(GFP_KERNEL | __GFP_NOWARN)
#define RECLAIMABLE	(GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_NOWARN)

static struct page *held[8192];
static unsigned int held_order[8192];
static int nheld;

static void init16(void)
{
	struct hrange r = { RAM_BASE, 16 * MiB };

	CHECK_EQ(h_mm_init(&r, 1, NULL, 0), 0);
	CHECK(!normal_zone.group_by_mobility_disabled);
	CHECK_EQ(normal_zone.managed_pages, 4096 - 18);
	nheld = 0;
}

static int pb_type(unsigned int n)
{
	return get_pageblock_migratetype(pfn_to_page(PB(n)));
}

static unsigned long nr_free_type(int mt)
{
	unsigned long n = 0;

	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		n += normal_zone.free_area[o].nr_free[mt] << o;
	return n;
}

static unsigned long pfn_pb(struct page *p)
{
	return (page_to_pfn(p) - BASE_PFN) >> pageblock_order;
}

static struct page *hold(gfp_t gfp, unsigned int order)
{
	struct page *p = alloc_pages(gfp, order);

	if (p) {
		held[nheld] = p;
		held_order[nheld++] = order;
	}
	return p;
}

static void release_all(void)
{
	while (nheld) {
		nheld--;
		__free_pages(held[nheld], held_order[nheld]);
	}
}

/* Free the held order-9 block at pageblock @n. Return: its slot, or -1. */
static int release_pb(unsigned int n)
{
	for (int i = 0; i < nheld; i++) {
		if (held_order[i] == pageblock_order && page_to_pfn(held[i]) == PB(n)) {
			__free_pages(held[i], pageblock_order);
			held[i] = held[--nheld];
			held_order[i] = held_order[nheld];
			return i;
		}
	}
	return -1;
}

/* All memory allocated as Movable: pb0..pb6 as order-9 blocks, pb7 in pages. */
static void fill_movable(void)
{
	while (hold(MOVABLE, pageblock_order))
		;
	CHECK_EQ(nheld, 7);
	while (hold(MOVABLE, 0))
		;
	CHECK_EQ(h_free_pages(), 0);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(pb_type(i), MIGRATE_MOVABLE);
}

static void test_gfp_selects_lists(void)
{
	struct page *m, *u, *r;

	init16();
	m = hold(MOVABLE, 0);
	CHECK_EQ(get_pageblock_migratetype(m), MIGRATE_MOVABLE);
	CHECK_EQ(vm_events.pgalloc_fallback, 0);
	u = hold(UNMOVABLE, 0);
	CHECK_EQ(get_pageblock_migratetype(u), MIGRATE_UNMOVABLE);
	r = hold(RECLAIMABLE, 0);
	CHECK_EQ(get_pageblock_migratetype(r), MIGRATE_RECLAIMABLE);
	CHECK(pfn_pb(m) != pfn_pb(u) && pfn_pb(u) != pfn_pb(r));
	CHECK_EQ(vm_events.pgalloc_fallback, 2);
	/* The next allocations of each type find their own lists. */
	CHECK_EQ(get_pageblock_migratetype(hold(UNMOVABLE, 2)), MIGRATE_UNMOVABLE);
	CHECK_EQ(get_pageblock_migratetype(hold(RECLAIMABLE, 5)), MIGRATE_RECLAIMABLE);
	CHECK_EQ(vm_events.pgalloc_fallback, 2);
	/* Both mobility bits: treated as Unmovable. */
	CHECK_EQ(get_pageblock_migratetype(hold(__GFP_MOVABLE | RECLAIMABLE, 0)),
		 MIGRATE_UNMOVABLE);
	CHECK_EQ(h_check(), 0);
	release_all();
	CHECK_EQ(h_check(), 0);
}

/* Fallback rule 1a: a block of pageblock order or more changes type whole. */
static void test_claim_range(void)
{
	struct page *u;

	init16();
	u = hold(UNMOVABLE, 0);
	/* The first free order-10 block (pb0+pb1) became Unmovable. */
	CHECK_EQ(page_to_pfn(u), BASE_PFN);
	CHECK_EQ(pb_type(0), MIGRATE_UNMOVABLE);
	CHECK_EQ(pb_type(1), MIGRATE_UNMOVABLE);
	CHECK_EQ(pb_type(2), MIGRATE_MOVABLE);
	CHECK_EQ(vm_events.pgalloc_fallback, 1);
	CHECK_EQ(vm_events.pgalloc_claim, 1);
	drain_all_pages();
	CHECK_EQ(nr_free_type(MIGRATE_UNMOVABLE), 1023);
	pagetypeinfo_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "Node 0, zone   Normal            2            6            0            0 \n") != NULL);
	CHECK_EQ(h_check(), 0);
	release_all();
	drain_all_pages();
	/* Freed back into an Unmovable block: it merges whole, stays Unmovable. */
	CHECK_EQ(normal_zone.free_area[MAX_PAGE_ORDER].nr_free[MIGRATE_UNMOVABLE], 1);
	CHECK_EQ(h_check(), 0);
}

/* Fallback rule 1b: claim a pageblock when at least half of it is free. */
static void test_claim_half_free(void)
{
	struct page *p;
	int b1;

	init16();
	fill_movable();
	/* Give back pb1 and make it Unmovable (its buddy pb0 stays allocated). */
	b1 = release_pb(1);
	CHECK(b1 >= 0);
	CHECK_EQ(pageblock_set_migratetype(PB(1), MIGRATE_UNMOVABLE), 512);
	CHECK_EQ(pb_type(1), MIGRATE_UNMOVABLE);
	CHECK_EQ(normal_zone.free_area[pageblock_order].nr_free[MIGRATE_UNMOVABLE], 1);
	CHECK_EQ(h_check(), 0);

	p = hold(UNMOVABLE, 0);
	CHECK_EQ(pfn_pb(p), 1);
	CHECK_EQ(vm_events.pgalloc_fallback, 0);
	/* Reclaimable falls back to Unmovable's small blocks; 511 of 512 free: claim. */
	p = hold(RECLAIMABLE, 0);
	CHECK_EQ(pfn_pb(p), 1);
	CHECK_EQ(pb_type(1), MIGRATE_RECLAIMABLE);
	CHECK_EQ(vm_events.pgalloc_fallback, 1);
	CHECK_EQ(vm_events.pgalloc_claim, 1);
	CHECK_EQ(nr_free_type(MIGRATE_UNMOVABLE), 0);
	CHECK_EQ(h_check(), 0);
	release_all();
	CHECK_EQ(h_check(), 0);
}

/* Unmovable into a Movable block: allocated pages count as alike, so it claims. */
static void test_claim_alike(void)
{
	struct page *p;

	init16();
	fill_movable();
	/* Free 3 single pages of pb7 (the last three held). */
	for (int i = 0; i < 3; i++) {
		nheld--;
		__free_pages(held[nheld], 0);
	}
	drain_all_pages();
	CHECK_EQ(nr_free_type(MIGRATE_MOVABLE), 3);
	p = hold(UNMOVABLE, 0);
	CHECK_EQ(pfn_pb(p), 7);
	CHECK_EQ(pb_type(7), MIGRATE_UNMOVABLE);
	CHECK_EQ(vm_events.pgalloc_claim, 1);
	CHECK_EQ(nr_free_type(MIGRATE_MOVABLE), 0);
	CHECK_EQ(h_check(), 0);
	release_all();
	CHECK_EQ(h_check(), 0);
}

/* Fallback rule 2: Movable may not claim from small blocks; it steals one. */
static void test_steal_no_claim(void)
{
	struct page *p;
	unsigned long claims;

	init16();
	fill_movable();
	CHECK(release_pb(1) >= 0);
	CHECK_EQ(pageblock_set_migratetype(PB(1), MIGRATE_UNMOVABLE), 512);
	/* Leave only orders 0..3 free in pb1. */
	hold(UNMOVABLE, 0);
	for (unsigned int o = 8; o >= 4; o--)
		CHECK(hold(UNMOVABLE, o) != NULL);
	drain_all_pages();
	CHECK_EQ(nr_free_type(MIGRATE_UNMOVABLE), 15);
	claims = vm_events.pgalloc_claim;

	p = hold(MOVABLE, 0);
	CHECK(p != NULL);
	CHECK_EQ(pfn_pb(p), 1);
	CHECK_EQ(pb_type(1), MIGRATE_UNMOVABLE);	/* not claimed */
	CHECK_EQ(vm_events.pgalloc_claim, claims);
	CHECK(vm_events.pgalloc_fallback >= 1);
	p = hold(MOVABLE, 2);
	CHECK(p != NULL);
	CHECK_EQ(pb_type(1), MIGRATE_UNMOVABLE);
	CHECK_EQ(h_check(), 0);
	/* Freed stolen pages go back to the pageblock's (Unmovable) lists. */
	release_all();
	CHECK_EQ(h_check(), 0);
}

/*
 * pb1 Unmovable, then held whole as Unmovable blocks of @order, then every
 * other one freed: half of pb1 free, in free blocks of @order at most (each
 * one's buddy is held). The rest of memory is held Movable.
 */
static void half_free_pb1(unsigned int order)
{
	unsigned int n = 0;

	init16();
	fill_movable();
	CHECK(release_pb(1) >= 0);
	CHECK_EQ(pageblock_set_migratetype(PB(1), MIGRATE_UNMOVABLE), 512);
	while (hold(UNMOVABLE, order))
		n++;
	CHECK_EQ(n, pageblock_nr_pages >> order);
	for (int i = nheld - 1; i >= 0; i--) {
		unsigned long off = page_to_pfn(held[i]) - PB(1);

		if (held_order[i] == order && off < pageblock_nr_pages && ((off >> order) & 1)) {
			__free_pages(held[i], order);
			held[i] = held[--nheld];
			held_order[i] = held_order[nheld];
		}
	}
	drain_all_pages();
	CHECK_EQ(nr_free_type(MIGRATE_UNMOVABLE), pageblock_nr_pages / 2);
	CHECK_EQ(h_check(), 0);
}

/* A Movable page from pb1, which it claims (turns Movable) or only steals from. */
static void movable_from_pb1(bool claims_pb1)
{
	unsigned long claims = vm_events.pgalloc_claim, fallbacks = vm_events.pgalloc_fallback;
	struct page *p = hold(MOVABLE, 0);

	CHECK(p != NULL && pfn_pb(p) == 1);
	CHECK_EQ(pb_type(1), claims_pb1 ? MIGRATE_MOVABLE : MIGRATE_UNMOVABLE);
	CHECK_EQ(vm_events.pgalloc_claim, claims + claims_pb1);
	CHECK_EQ(vm_events.pgalloc_fallback, fallbacks + 1);
	CHECK_EQ(h_check(), 0);
}

/*
 * Rule 1 at its exact thresholds, for a Movable request into an Unmovable
 * pageblock: free blocks of pageblock_order / 2 may be claimed, one order
 * less may not; a pageblock exactly half free is claimed, one page less is
 * not (a block is stolen instead).
 */
static void test_claim_thresholds(void)
{
	/* Order-4 free blocks, 256 of 512 pages free: claimed. */
	half_free_pb1(pageblock_order / 2);
	movable_from_pb1(true);
	CHECK_EQ(nr_free_type(MIGRATE_UNMOVABLE), 0);
	release_all();

	/* The same with one page fewer free: 255 < 256, stolen, not claimed. */
	half_free_pb1(pageblock_order / 2);
	CHECK(hold(UNMOVABLE, 0) != NULL);
	drain_all_pages();
	CHECK_EQ(nr_free_type(MIGRATE_UNMOVABLE), pageblock_nr_pages / 2 - 1);
	movable_from_pb1(false);
	release_all();

	/* Half free again, but in order-3 blocks: too small to claim from. */
	half_free_pb1(pageblock_order / 2 - 1);
	movable_from_pb1(false);
	/* The stolen page's buddies stay on the Unmovable lists. */
	CHECK_EQ(nr_free_type(MIGRATE_UNMOVABLE), pageblock_nr_pages / 2 - 1);
	CHECK_EQ(nr_free_type(MIGRATE_MOVABLE), 0);
	release_all();
	CHECK_EQ(h_check(), 0);
}

static void test_highatomic(void)
{
	struct page *p, *a;
	unsigned long n = 0, pcp;

	init16();
	/* pb2 is half of the free order-10 block pb2+pb3: split, pb2 retyped. */
	CHECK_EQ(pageblock_set_migratetype(PB(2), MIGRATE_HIGHATOMIC), 512);
	CHECK_EQ(pb_type(2), MIGRATE_HIGHATOMIC);
	CHECK_EQ(pb_type(3), MIGRATE_MOVABLE);
	CHECK_EQ(normal_zone.free_area[pageblock_order].nr_free[MIGRATE_HIGHATOMIC], 1);
	/* pb3, and pb6 (pb7 holds mem_map). */
	CHECK_EQ(normal_zone.free_area[pageblock_order].nr_free[MIGRATE_MOVABLE], 2);
	CHECK_EQ(h_check(), 0);	/* unmerged across a HighAtomic boundary is fine */
	pagetypeinfo_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "Node 0, zone   Normal            0            7            0            1 \n") != NULL);

	/* High-order atomic allocations use the reserve first. */
	a = hold(GFP_ATOMIC, 4);
	CHECK_EQ(pfn_pb(a), 2);
	/* Blocking allocations never touch it: fill memory. */
	while (hold(UNMOVABLE, 0))
		n++;
	CHECK_EQ(nr_free_type(MIGRATE_HIGHATOMIC), 512 - 16);
	CHECK_EQ(h_free_pages(), 512 - 16);
	CHECK(hold(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	CHECK(hold(GFP_ATOMIC | __GFP_NOMEMALLOC | __GFP_NOWARN, 0) == NULL);
	/* Non-blocking ones may, as a last resort. */
	p = hold(GFP_ATOMIC, 0);
	CHECK(p != NULL);
	CHECK_EQ(pfn_pb(p), 2);
	p = hold(GFP_NOWAIT, 1);
	CHECK(p != NULL && pfn_pb(p) == 2);
	CHECK_EQ(h_check(), 0);
	/* Frees into a HighAtomic block skip the per-cpu lists. */
	pcp = pcp_count(&normal_zone);
	nheld--;
	__free_pages(held[nheld], held_order[nheld]);
	CHECK_EQ(pcp_count(&normal_zone), pcp);
	release_all();
	CHECK_EQ(h_check(), 0);
	drain_all_pages();
	CHECK_EQ(nr_free_type(MIGRATE_HIGHATOMIC), 512);
	/* Back to Movable: it merges with pb3 again. */
	CHECK_EQ(pageblock_set_migratetype(PB(2), MIGRATE_MOVABLE), 512);
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(pb_type(2), pb_type(3));
	CHECK(pfn_to_page(PB(2))->flags == ((1U << PG_buddy) | (MAX_PAGE_ORDER << PAGE_ORDER_SHIFT)));
	CHECK_EQ(pageblock_set_migratetype(max_pfn + 1000, MIGRATE_MOVABLE), -1);
	CHECK_EQ(pageblock_set_migratetype(PB(0), MIGRATE_TYPES), -1);
}

/* A block spanning two pageblocks whose types differ by the time it is freed. */
static void test_free_across_types(void)
{
	struct page *p;

	init16();
	p = alloc_pages(MOVABLE, MAX_PAGE_ORDER);
	CHECK(p != NULL);
	CHECK_EQ(pageblock_set_migratetype(page_to_pfn(p) + pageblock_nr_pages,
					   MIGRATE_UNMOVABLE), 0);
	__free_pages(p, MAX_PAGE_ORDER);
	/* Each half is freed with its own type; the merge makes them one type. */
	CHECK_EQ(get_pageblock_migratetype(p), get_pageblock_migratetype(p + pageblock_nr_pages));
	CHECK_EQ(page_order(p), MAX_PAGE_ORDER);
	CHECK_EQ(h_check(), 0);

	/* The same with HighAtomic: the halves may not merge. */
	p = alloc_pages(MOVABLE, MAX_PAGE_ORDER);
	CHECK_EQ(pageblock_set_migratetype(page_to_pfn(p) + pageblock_nr_pages,
					   MIGRATE_HIGHATOMIC), 0);
	__free_pages(p, MAX_PAGE_ORDER);
	CHECK_EQ(page_order(p), pageblock_order);
	CHECK_EQ(get_pageblock_migratetype(p + pageblock_nr_pages), MIGRATE_HIGHATOMIC);
	CHECK_EQ(h_check(), 0);
}

/* Too little memory for grouping: every fallback claims (Linux's rule). */
static void test_grouping_disabled(void)
{
	struct hrange r = { RAM_BASE, 4 * MiB };
	struct page *p;

	CHECK_EQ(h_mm_init(&r, 1, NULL, 0), 0);
	CHECK(normal_zone.group_by_mobility_disabled);
	p = alloc_page(UNMOVABLE);
	CHECK(p != NULL);
	__free_page(p);
	CHECK_EQ(h_check(), 0);
}

/*
 * The checker's merge rule at pageblock order: free buddies whose types may
 * merge (the same type, or two of Unmovable/Movable/Reclaimable) must have
 * merged; a HighAtomic one keeps them apart. Isolating one half of a free
 * order-10 block leaves two order-9 buddies; its type byte is then set by
 * hand (its list no longer matches, which is reported too).
 */
static void test_memtest_merge_rule(void)
{
	static const struct {
		int mt;
		bool unmerged;
	} cases[] = {
		{ MIGRATE_UNMOVABLE, true }, { MIGRATE_RECLAIMABLE, true },
		{ MIGRATE_MOVABLE, true }, { MIGRATE_HIGHATOMIC, false },
	};
	char line[128];

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		init16();
		CHECK_EQ(pb_type(2), MIGRATE_MOVABLE);
		CHECK_EQ(pb_type(3), MIGRATE_MOVABLE);
		CHECK_EQ(set_migratetype_isolate(PB(2)), 0);
		CHECK_EQ(h_check(), 0);		/* isolated: apart, rightly */
		normal_zone.pageblock_mt[2] = (u8)cases[i].mt;
		CHECK(mm_check_invariants(h_seq_begin()) > 0);
		snprintf(line, sizeof(line), "VIOLATION: pfn 0x%lx: on Isolate list, pageblock is %s\n",
			 PB(2), migratetype_names[cases[i].mt]);
		CHECK(strstr(h_seq_buf, line) != NULL);
		snprintf(line, sizeof(line), "VIOLATION: pfn 0x%lx and 0x%lx: free order-%u buddies "
			 "not merged\n", PB(2), PB(3), pageblock_order);
		CHECK_EQ(strstr(h_seq_buf, line) != NULL, cases[i].unmerged);
		if (htest_case_failed) {
			printf("# type %d:\n%s", cases[i].mt, h_seq_buf);
			break;
		}
	}
	init16();		/* the corruption is not undone */
	CHECK_EQ(h_check(), 0);
}

int main(void)
{
	host_quiet = true;
	RUN(test_gfp_selects_lists);
	RUN(test_claim_range);
	RUN(test_claim_half_free);
	RUN(test_claim_alike);
	RUN(test_steal_no_claim);
	RUN(test_claim_thresholds);
	RUN(test_highatomic);
	RUN(test_memtest_merge_rule);
	RUN(test_free_across_types);
	RUN(test_grouping_disabled);
	return HTEST_DONE();
}
