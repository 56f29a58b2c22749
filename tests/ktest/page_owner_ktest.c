// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP suite "page_owner": blocks allocated from known functions must show
 * up with those functions as their first frame, in the dump, in
 * `page_owner pfn` (also for a tail page, and after the free) and in
 * page_owner_stacks with exact page counts. With page_owner off the cases
 * only check that nothing is recorded.
 */
#include <ferret/gfp.h>
#include <ferret/ktest.h>
#include <ferret/mm.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

#include "../../mm/owner_track.h"

static __noinline struct page *ktest_po_alloc_site(unsigned int order)
{
	return alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
}

static __noinline void ktest_po_free_site(struct page *page, unsigned int order)
{
	__free_pages(page, order);
}

/*
 * A seq_file sink that looks at one record (text up to a blank line) at a
 * time, so whole dumps can be searched without a dump-sized buffer.
 */
struct scan {
	char rec[3072];
	size_t len;
	const char *must1, *must2;	/* both in a record: it matches */
	unsigned int matches;
	long nr_base_pages;		/* from the last matching record */
};

static void scan_record(struct scan *s)
{
	const char *n;

	s->rec[min(s->len, sizeof(s->rec) - 1)] = '\0';
	if (strstr(s->rec, s->must1) && (!s->must2 || strstr(s->rec, s->must2))) {
		s->matches++;
		n = strstr(s->rec, "nr_base_pages: ");
		if (n) {
			long v = 0;

			for (n += 15; *n >= '0' && *n <= '9'; n++)
				v = v * 10 + (*n - '0');
			s->nr_base_pages = v;
		}
	}
	s->len = 0;
}

static void scan_write(struct seq_file *m, const char *p, size_t len)
{
	struct scan *s = m->private;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n' && s->len && s->rec[min(s->len, sizeof(s->rec) - 1) - 1] == '\n') {
			scan_record(s);
			continue;
		}
		if (s->len < sizeof(s->rec) - 1)
			s->rec[s->len] = p[i];
		s->len++;
	}
}

static void scan_init(struct seq_file *m, struct scan *s, const char *must1, const char *must2)
{
	memset(m, 0, sizeof(*m));
	memset(s, 0, sizeof(*s));
	m->write = scan_write;
	m->private = s;
	s->must1 = must1;
	s->must2 = must2;
	s->nr_base_pages = -1;
}

static void page_owner_records_alloc_and_free(struct ktest *t)
{
	static struct scan s;
	struct seq_file m;
	struct page *p = ktest_po_alloc_site(2);
	unsigned long pfn;

	KTEST_ASSERT_TRUE(t, p != NULL);
	pfn = page_to_pfn(p);
	scan_init(&m, &s, "page_owner tracks the page as allocated", "\n ktest_po_alloc_site+0x");
	KTEST_EXPECT_EQ(t, page_owner_dump_pfn(&m, pfn + 3), page_owner_inited ? 0 : -1);
	scan_record(&s);
	KTEST_EXPECT_EQ(t, s.matches, page_owner_inited ? 1 : 0);

	ktest_po_free_site(p, 2);
	scan_init(&m, &s, "page_owner tracks the page as freed", "stack trace:\n ktest_po_free_site+0x");
	page_owner_dump_pfn(&m, pfn);
	scan_record(&s);
	KTEST_EXPECT_EQ(t, s.matches, page_owner_inited ? 1 : 0);
}

static void page_owner_dump_has_block(struct ktest *t)
{
	static struct scan s;
	struct seq_file m;
	struct page *p = ktest_po_alloc_site(0);
	char pfn_line[48];

	KTEST_ASSERT_TRUE(t, p != NULL);
	snprintf(pfn_line, sizeof(pfn_line), "\nPFN 0x%lx type Unmovable ", page_to_pfn(p));
	scan_init(&m, &s, pfn_line, ")\n ktest_po_alloc_site+0x");
	if (page_owner_inited)
		KTEST_EXPECT_TRUE(t, page_owner_dump(&m) >= 1);
	else
		KTEST_EXPECT_EQ(t, page_owner_dump(&m), 0);
	KTEST_EXPECT_EQ(t, s.matches, page_owner_inited ? 1 : 0);
	ktest_po_free_site(p, 0);
}

static void page_owner_stacks_count(struct ktest *t)
{
	static struct scan s;
	struct seq_file m;
	struct page *p[5];

	for (int i = 0; i < 5; i++)
		p[i] = ktest_po_alloc_site(1);
	scan_init(&m, &s, " ktest_po_alloc_site+0x", NULL);
	page_owner_show_stacks(&m, 0);
	KTEST_EXPECT_EQ(t, s.matches, page_owner_inited ? 1 : 0);
	KTEST_EXPECT_EQ(t, s.nr_base_pages, page_owner_inited ? 10 : -1);
	for (int i = 0; i < 5; i++)
		if (p[i])
			ktest_po_free_site(p[i], 1);
	/* All freed: the stack has no outstanding pages and is not shown. */
	scan_init(&m, &s, " ktest_po_alloc_site+0x", NULL);
	page_owner_show_stacks(&m, 0);
	KTEST_EXPECT_EQ(t, s.matches, 0);
}

/*
 * The records' clock scales the counter with the architecture's 64x64
 * multiply (asm/timex.h: AArch32 has its own): the same high word as the
 * portable one, at the edges of both halves and at the scale factors of
 * common counter frequencies.
 */
static void page_owner_clock_multiply(struct ktest *t)
{
	static const u64 edge[] = { 0, 1, 2, 0xffffffffULL, 0x100000000ULL, 0x100000001ULL,
				    0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL };
	static const u64 freq[] = { 1000001, 19200000, 24000000, 54000000, 62500000,
				    1000000000 };
	struct owner_clock c;
	unsigned int bad = 0;
	u64 x = 0x243f6a8885a308d3ULL;

	for (unsigned int i = 0; i < ARRAY_SIZE(edge); i++)
		for (unsigned int j = 0; j < ARRAY_SIZE(edge); j++)
			bad += arch_mul_u64_u64_hi(edge[i], edge[j]) != mul_u64_u64_hi(edge[i], edge[j]);
	for (unsigned int i = 0; i < ARRAY_SIZE(freq); i++) {
		owner_clock_setup(&c, freq[i], 0);
		for (unsigned int j = 0; j < 2000; j++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			/* counter deltas of every size, up to about 2^56 */
			u64 ticks = x >> (8 + j % 56);

			bad += owner_clock_us(&c, ticks) != mul_u64_u64_hi(ticks, c.mult);
			bad += arch_mul_u64_u64_hi(x, ~x) != mul_u64_u64_hi(x, ~x);
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0);
}

static const struct ktest_case page_owner_cases[] = {
	KTEST_CASE(page_owner_clock_multiply),
	KTEST_CASE(page_owner_records_alloc_and_free),
	KTEST_CASE(page_owner_dump_has_block),
	KTEST_CASE(page_owner_stacks_count),
};
KTEST_SUITE(page_owner, page_owner_cases);
