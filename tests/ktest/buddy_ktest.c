// SPDX-License-Identifier: GPL-2.0
/* KTAP suite for the buddy allocator, run on the live kernel's zone. */
#include <ferret/ktest.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/mmzone.h>
#include <ferret/page_ref.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>
#include <asm/irqflags.h>

static unsigned long free_now(void)
{
	drain_all_pages();
	return normal_zone.nr_free_pages;
}

static int violations(void)
{
	static char buf[512];
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	return mm_check_invariants(&m);
}

static void every_order_alloc_free(struct ktest *t)
{
	unsigned long before = free_now();

	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, page_to_pfn(p) & ((1UL << order) - 1), 0);
		KTEST_EXPECT_EQ(t, page_ref_count(p), 1);
		KTEST_EXPECT_EQ(t, free_now(), before - (1UL << order));
		__free_pages(p, order);
		KTEST_EXPECT_EQ(t, free_now(), before);
	}
	KTEST_EXPECT_EQ(t, violations(), 0);
}

static void split_and_merge(struct ktest *t)
{
	struct page *p[64];
	unsigned long before = free_now();

	for (int i = 0; i < 64; i++) {
		p[i] = alloc_pages(GFP_KERNEL, i % 4);
		KTEST_ASSERT_TRUE(t, p[i] != NULL);
	}
	KTEST_EXPECT_EQ(t, violations(), 0);
	for (int i = 63; i >= 0; i -= 2)
		__free_pages(p[i], i % 4);
	for (int i = 62; i >= 0; i -= 2)
		__free_pages(p[i], i % 4);
	KTEST_EXPECT_EQ(t, free_now(), before);
	KTEST_EXPECT_EQ(t, violations(), 0);
}

static void zeroed_pages(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	unsigned char *v;
	bool zero = true;

	KTEST_ASSERT_TRUE(t, p != NULL);
	memset(page_address(p), 0xa5, 2 * PAGE_SIZE);
	__free_pages(p, 1);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	KTEST_ASSERT_TRUE(t, p != NULL);
	v = page_address(p);
	for (unsigned long i = 0; i < 2 * PAGE_SIZE; i++)
		zero &= v[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	__free_pages(p, 1);
}

static void mobility_types(struct ktest *t)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_KERNEL | __GFP_MOVABLE,
				      GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC };
	static const int want[] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE,
				    MIGRATE_UNMOVABLE };

	for (unsigned int i = 0; i < ARRAY_SIZE(gfps); i++) {
		struct page *p = alloc_pages(gfps[i], 0);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, gfp_migratetype(gfps[i]), want[i]);
		/* A fresh boot has room: the block's type matches the request. */
		KTEST_EXPECT_EQ(t, get_pageblock_migratetype(p), want[i]);
		__free_pages(p, 0);
	}
	KTEST_EXPECT_EQ(t, violations(), 0);
}

static void bad_frees_refused(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	unsigned long pfn, before;
	int saved = console_loglevel;

	KTEST_ASSERT_TRUE(t, p != NULL);
	pfn = page_to_pfn(p);
	before = free_now();
	console_loglevel = 0;	/* the reports are expected: keep them off the console */
	KTEST_EXPECT_NE(t, free_pages_pfn(pfn + 1, 0), 0);	/* tail */
	KTEST_EXPECT_NE(t, free_pages_pfn(pfn, 3), 0);		/* wrong order */
	KTEST_EXPECT_NE(t, free_pages_pfn(max_pfn + 10, 0), 0);	/* outside RAM */
	KTEST_EXPECT_EQ(t, free_now(), before);
	KTEST_EXPECT_EQ(t, free_pages_pfn(pfn, 2), 0);
	KTEST_EXPECT_NE(t, free_pages_pfn(pfn, 2), 0);		/* double free */
	console_loglevel = saved;
	KTEST_EXPECT_EQ(t, free_now(), before + 4);
	KTEST_EXPECT_EQ(t, violations(), 0);
}

static void failure_returns_null(struct ktest *t)
{
	unsigned long before = free_now();
	struct page *big[64];
	int n = 0;

	/* Orders above MAX_PAGE_ORDER and exhaustion both fail cleanly. */
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
	while (n < 64 && (big[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER)))
		n++;
	KTEST_EXPECT_TRUE(t, n > 0);
	while (n--)
		__free_pages(big[n], MAX_PAGE_ORDER);
	KTEST_EXPECT_EQ(t, free_now(), before);
}

static void irqs_masked_alloc(struct ktest *t)
{
	unsigned long flags = arch_local_irq_save();
	struct page *p = alloc_pages(GFP_ATOMIC, 0);

	KTEST_EXPECT_TRUE(t, p != NULL);
	if (p)
		__free_pages(p, 0);
	KTEST_EXPECT_TRUE(t, arch_irqs_disabled());
	arch_local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, violations(), 0);
}

static const struct ktest_case buddy_cases[] = {
	KTEST_CASE(every_order_alloc_free),
	KTEST_CASE(split_and_merge),
	KTEST_CASE(zeroed_pages),
	KTEST_CASE(mobility_types),
	KTEST_CASE(bad_frees_refused),
	KTEST_CASE(failure_returns_null),
	KTEST_CASE(irqs_masked_alloc),
};
KTEST_SUITE(buddy, buddy_cases);
