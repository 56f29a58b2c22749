// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized long run of the buddy allocator: millions of allocations and
 * frees over every order and gfp type, with reference counting, compound
 * pages, pageblock type changes, phases that run memory out, per-cpu drains and refused bad frees mixed
 * in. Every live block carries a pattern at both ends that is checked at
 * free (two live blocks overlapping would break it; ASan sees writes outside
 * RAM). mm_check_invariants() runs after each batch.
 *
 * The seed is fixed and printed; BUDDY_SEED=<n> and BUDDY_OPS=<n> in the
 * environment reproduce or lengthen a run.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/vmstat.h>

#include "htest.h"
#include "test_buddy_harness.h"

#define RAM_BASE	0x40000000UL
#define MAX_LIVE	12000
#define BATCH		20000

struct live {
	struct page *page;
	unsigned int order;
	u64 tag;
};

static struct live live[MAX_LIVE];
static unsigned int nlive;
static u64 rng_state;

static u64 rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)((rnd() >> 32) % n);
}

/* Order o with weight 2^(MAX_PAGE_ORDER - o): mostly small, every order seen. */
static unsigned int rnd_order(void)
{
	u64 r = rnd() >> 40;	/* 24 bits */
	unsigned int o = 0;

	while (o < MAX_PAGE_ORDER && (r & 1)) {
		o++;
		r >>= 1;
	}
	return o;
}

static const gfp_t gfps[] = {
	GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC,
	GFP_NOWAIT, GFP_HIGHUSER_MOVABLE | __GFP_COMP, GFP_KERNEL | __GFP_ZERO,
	GFP_KERNEL | __GFP_COMP | __GFP_RECLAIMABLE,
};

static u64 *block_words(const struct live *l, u64 **last)
{
	u64 *first = page_address(l->page);

	*last = (u64 *)((char *)first + (PAGE_SIZE << l->order)) - 1;
	return first;
}

static int failures;

static void fail(const char *what, unsigned long pfn)
{
	if (failures++ < 10)
		printf("# %s (pfn 0x%lx)\n", what, pfn);
}

static void do_alloc(void)
{
	gfp_t gfp = gfps[rnd_below(ARRAY_SIZE(gfps))] | __GFP_NOWARN;
	unsigned int order = rnd_order();
	struct page *p = alloc_pages(gfp, order);
	struct live *l;
	u64 *first, *last;

	if (!p)
		return;
	if (!PageHead(p) || page_order(p) != order || page_ref_count(p) != 1 ||
	    (page_to_pfn(p) & ((1UL << order) - 1)))
		fail("bad block from alloc_pages", page_to_pfn(p));
	l = &live[nlive++];
	l->page = p;
	l->order = order;
	l->tag = rnd() | 1;
	first = block_words(l, &last);
	if ((gfp & __GFP_ZERO) && (*first || *last))
		fail("__GFP_ZERO block not zero", page_to_pfn(p));
	*first = l->tag;
	*last = ~l->tag;
}

static void do_free(unsigned int i)
{
	struct live *l = &live[i];
	u64 *first, *last;

	first = block_words(l, &last);
	if (*first != l->tag || *last != ~l->tag)
		fail("pattern overwritten: blocks overlap", page_to_pfn(l->page));
	switch (rnd_below(4)) {
	case 0:
		put_page(l->page);
		break;
	case 1:
		if (free_pages_pfn(page_to_pfn(l->page), l->order))
			fail("free_pages_pfn refused a good free", page_to_pfn(l->page));
		break;
	default:
		__free_pages(l->page, l->order);
		break;
	}
	*l = live[--nlive];
}

/* A bad free that must be refused without any change. */
static void do_bad_free(void)
{
	unsigned long before = h_free_pages(), bad = vm_events.bad_page;
	struct live *l;

	if (!nlive)
		return;
	l = &live[rnd_below(nlive)];
	switch (rnd_below(2)) {
	case 0:	/* wrong order */
		__free_pages(l->page, l->order == MAX_PAGE_ORDER ? 0 : l->order + 1);
		break;
	default:	/* tail page */
		if (!l->order)
			return;
		__free_pages(l->page + 1 + rnd_below((1U << l->order) - 1), 0);
		break;
	}
	if (vm_events.bad_page != bad + 1 || h_free_pages() != before)
		fail("bad free not refused cleanly", page_to_pfn(l->page));
}

/*
 * A free while someone else holds a reference only drops the caller's:
 * the block stays allocated, with the other reference (put_page semantics).
 */
static void do_shared_free(void)
{
	unsigned long before = h_free_pages(), bad = vm_events.bad_page;
	struct live *l;

	if (!nlive)
		return;
	l = &live[rnd_below(nlive)];
	get_page(l->page);
	__free_pages(l->page, l->order);
	if (vm_events.bad_page != bad || h_free_pages() != before ||
	    page_ref_count(l->page) != 1 || !PageHead(l->page))
		fail("free with an extra reference freed the block", page_to_pfn(l->page));
}

static void do_misc(void)
{
	switch (rnd_below(4)) {
	case 0:
		drain_all_pages();
		break;
	case 1: {
		/* Retype a random pageblock (rarely HighAtomic). */
		unsigned long pfn = min_low_pfn + rnd_below((unsigned int)(max_pfn - min_low_pfn));
		int mt = rnd_below(16) ? (int)rnd_below(MIGRATE_PCPTYPES) : MIGRATE_HIGHATOMIC;

		if (pageblock_set_migratetype(pfn, mt) < 0)
			fail("pageblock_set_migratetype failed", pfn);
		break;
	}
	case 2:
		if (rnd_below(3))
			do_bad_free();
		else
			do_shared_free();
		break;
	default:
		if (nlive) {
			struct live *l = &live[rnd_below(nlive)];

			get_page(l->page);
			put_page(l->page);
		}
		break;
	}
}

static void run(u64 seed, unsigned long ops)
{
	unsigned long i, checks = 0;

	rng_state = seed;
	for (i = 0; i < ops; i++) {
		unsigned int r = rnd_below(100);
		/* Alternate growing and shrinking phases to reach exhaustion often. */
		unsigned int grow = (i / 50000) % 2 ? 35 : 70;

		if (r < 2)
			do_misc();
		else if (nlive < MAX_LIVE && (r < grow || !nlive))
			do_alloc();
		else if (nlive)
			do_free(rnd_below(nlive));
		if ((i + 1) % BATCH == 0) {
			checks++;
			if (h_check())
				fail("invariants broken", 0);
			if (failures)
				break;
		}
	}
	{
		unsigned long a = 0, f = 0;

		for (int o = 0; o < NR_PAGE_ORDERS; o++) {
			a += vm_events.pgalloc[o];
			f += vm_events.pgalloc_fail[o];
		}
		printf("# %lu ops, %lu invariant checks, %u blocks live at the end\n", i, checks,
		       nlive);
		printf("# %lu allocations, %lu failed, %lu fallbacks, %lu claims, %lu bad frees refused, %lu drains\n",
		       a, f, vm_events.pgalloc_fallback, vm_events.pgalloc_claim,
		       vm_events.bad_page, vm_events.pcp_drain);
	}
	while (nlive)
		do_free(nlive - 1);
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(h_buddyinfo_pages(), h_meminfo_field("MemFree:"));
	CHECK_EQ(h_free_pages(), normal_zone.managed_pages);
	CHECK_EQ(host_irq_disable_depth, 0);
	CHECK_EQ(failures, 0);
}

static u64 seed = 0xfe77e7u;
static unsigned long nops = 6000000;

/* 48 MiB in two ranges with a hole: exhaustion and fallbacks happen often. */
static void test_random_small(void)
{
	struct hrange r[] = {
		{ RAM_BASE, 32 * MiB },
		{ RAM_BASE + 36 * MiB + 0x3000, 16 * MiB },
	};
	struct hreserve rsv[] = { { RAM_BASE + 0x80000, 1 * MiB + 0x1000, "image" } };

	CHECK_EQ(h_mm_init(r, 2, rsv, 1), 0);
	printf("# seed 0x%llx, RAM 48 MiB\n", (unsigned long long)seed);
	run(seed, nops);
}

/* 1 GiB: the pressure is lower, the free lists longer. */
static void test_random_1g(void)
{
	struct hrange r = { RAM_BASE, 1 * GiB };

	CHECK_EQ(h_mm_init(&r, 1, NULL, 0), 0);
	printf("# seed 0x%llx, RAM 1 GiB\n", (unsigned long long)(seed + 1));
	run(seed + 1, nops / 3);
}

int main(void)
{
	const char *s = getenv("BUDDY_SEED"), *n = getenv("BUDDY_OPS");

	if (s)
		seed = strtoull(s, NULL, 0);
	if (n)
		nops = strtoul(n, NULL, 0);
	host_quiet = true;
	RUN(test_random_small);
	RUN(test_random_1g);
	return HTEST_DONE();
}
