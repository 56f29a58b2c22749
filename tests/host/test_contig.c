// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of page isolation and the contiguous allocator
 * (mm/page_isolation.c and its primitives in mm/page_alloc.c) on the real
 * allocator: isolated free pages are neither handed out nor counted as free,
 * every failure undoes the isolation exactly, a success takes exactly the
 * range, the search finds aligned ranges, and the failure report names the
 * pages in the way. The last case is seed 003's scenario with page_owner and
 * tracing on: a reference someone kept is named by its stack.
 */
#include "trace_test_util.h"

#include <sys/mman.h>

#include <ferret/errno.h>
#include <ferret/gfp.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page-isolation.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/seq_file.h>
#include <ferret/trace.h>
#include <ferret/vmstat.h>

#include "htest.h"
#include "test_buddy_harness.h"

#define RAM_BASE	0x40000000UL
#define PFN0		(RAM_BASE >> PAGE_SHIFT)
#define PB		pageblock_nr_pages

static char rep[1 << 20];
static struct seq_buf_ctx rep_ctx;
static struct seq_file rep_m;

static struct seq_file *report(void)
{
	memset(&rep_m, 0, sizeof(rep_m));
	seq_init_buf(&rep_m, &rep_ctx, rep, sizeof(rep));
	return &rep_m;
}

static void expect_in(const char *text, const char *what)
{
	if (!strstr(text, what)) {
		printf("# missing: %s\n# in:\n%s", what, text);
		htest_case_failed = 1;
	}
}

/* Everything /proc shows about free memory, to compare before and after. */
struct snap {
	unsigned long memfree, buddy;
	char buddyinfo[256], pagetypeinfo[4096];
	u8 types[256];
};

static void snap(struct snap *s)
{
	memset(s, 0, sizeof(*s));
	s->memfree = h_meminfo_field("MemFree:");
	s->buddy = h_buddyinfo_pages();
	buddyinfo_show(h_seq_begin());
	snprintf(s->buddyinfo, sizeof(s->buddyinfo), "%s", h_seq_buf);
	pagetypeinfo_show(h_seq_begin());
	snprintf(s->pagetypeinfo, sizeof(s->pagetypeinfo), "%s", h_seq_buf);
	memcpy(s->types, normal_zone.pageblock_mt,
	       min(sizeof(s->types), normal_zone.nr_pageblocks));
}

static void expect_same(const struct snap *a, const struct snap *b)
{
	CHECK_EQ(a->memfree, b->memfree);
	CHECK_EQ(a->buddy, b->buddy);
	CHECK(!strcmp(a->buddyinfo, b->buddyinfo));
	CHECK(!strcmp(a->pagetypeinfo, b->pagetypeinfo));
	CHECK(!memcmp(a->types, b->types, sizeof(a->types)));
	if (strcmp(a->buddyinfo, b->buddyinfo))
		printf("# buddyinfo before:\n%s# after:\n%s", a->buddyinfo, b->buddyinfo);
}

static void setup(void)
{
	trace_set_events(0);
	trace_set_stack(false);
	trace_filter_clear();
	trace_clear();
	CHECK_EQ(h_mm_init_simple(RAM_BASE, 64 * MiB), 0);
	host_quiet = true;
}

static bool no_isolated_pageblock(void)
{
	for (unsigned long b = 0; b < normal_zone.nr_pageblocks; b++)
		if (is_migrate_isolate(normal_zone.pageblock_mt[b]))
			return false;
	return true;
}

static void test_range_alloc_and_free(void)
{
	unsigned long s = PFN0 + 8 * PB + 100, e = s + PB + 300, n = e - s;
	struct snap before, mid, after;

	setup();
	snap(&before);
	CHECK_EQ(__alloc_contig_range(s, e, GFP_KERNEL, report()), 0);
	CHECK_EQ(rep_ctx.len, 0);
	for (unsigned long pfn = s; pfn < e; pfn++) {
		struct page *p = pfn_to_page(pfn);

		/* As alloc_pages() hands them out: private is the new owner's, zeroed. */
		if (!PageHead(p) || page_order(p) || page_ref_count(p) != 1 || p->private) {
			CHECK(!"page not an order-0 block with refcount 1 and private 0");
			break;
		}
	}
	/* The neighbours stay free. */
	CHECK_EQ(page_block(s - 1, &(unsigned long){ 0 }, &(unsigned int){ 0 }), PAGE_BLOCK_FREE);
	CHECK_EQ(page_block(e, &(unsigned long){ 0 }, &(unsigned int){ 0 }), PAGE_BLOCK_FREE);
	snap(&mid);
	CHECK_EQ(mid.memfree, before.memfree - n);
	CHECK_EQ(mid.buddy, mid.memfree);
	CHECK(!memcmp(mid.types, before.types, sizeof(mid.types)));
	CHECK(no_isolated_pageblock());
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(vm_events.pgalloc[0], n);

	CHECK_EQ(free_contig_range(s, n), 0);
	snap(&after);
	expect_same(&before, &after);
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(host_irq_disable_depth, 0);
}

static void test_isolation_is_not_free_memory(void)
{
	unsigned long s = PFN0 + 10 * PB, e = s + 2 * PB;
	static struct page *got[32768];
	static u8 got_order[32768];
	struct snap before, after;
	unsigned long memfree;
	int n = 0;

	setup();
	/* One page of the range allocated before, freed while isolated. */
	CHECK_EQ(__alloc_contig_range(s + 7, s + 8, GFP_KERNEL, NULL), 0);
	snap(&before);
	CHECK_EQ(start_isolate_page_range(s, e), 0);
	CHECK(is_migrate_isolate_page(pfn_to_page(s)));
	CHECK(is_migrate_isolate_page(pfn_to_page(e - 1)));
	CHECK_EQ(zone_isolated_free_pages(&normal_zone), 2 * PB - 1);
	memfree = h_meminfo_field("MemFree:");
	CHECK_EQ(memfree, before.memfree - (2 * PB - 1));
	CHECK_EQ(h_buddyinfo_pages(), memfree);
	vmstat_show(h_seq_begin());
	{
		char want[64];

		snprintf(want, sizeof(want), "nr_free_pages %lu\n", memfree);
		expect_in(h_seq_buf, want);
	}
	{
		/* pagetypeinfo's pageblock counts leave the two isolated ones out. */
		unsigned long b[4], a[4];
		const char *l;

		l = strrchr(before.pagetypeinfo, 'N');
		CHECK(l && sscanf(l, "Normal %lu %lu %lu %lu", &b[0], &b[1], &b[2], &b[3]) == 4);
		pagetypeinfo_show(h_seq_begin());
		l = strrchr(h_seq_buf, 'N');
		CHECK(l && sscanf(l, "Normal %lu %lu %lu %lu", &a[0], &a[1], &a[2], &a[3]) == 4);
		CHECK_EQ(a[0] + a[1] + a[2] + a[3], b[0] + b[1] + b[2] + b[3] - 2);
	}
	CHECK_EQ(h_check(), 0);
	/* Isolating again, or retyping, is refused. */
	CHECK_EQ(start_isolate_page_range(s, s + 1), -EBUSY);
	CHECK_EQ(pageblock_set_migratetype(s, MIGRATE_MOVABLE), -1);
	CHECK_EQ(pageblock_set_migratetype(s - PB, MIGRATE_ISOLATE), -1);
	/* A free into an isolated pageblock goes to the Isolate lists. */
	__free_pages(pfn_to_page(s + 7), 0);
	CHECK_EQ(zone_isolated_free_pages(&normal_zone), 2 * PB);
	CHECK_EQ(h_meminfo_field("MemFree:"), memfree);
	CHECK_EQ(h_check(), 0);
	/* Nothing isolated is handed out, whatever the order, until memory runs out. */
	while (n < 32768) {
		unsigned int o = n % 3;
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);

		if (!p && o)
			p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o = 0);
		if (!p)
			break;
		CHECK(page_to_pfn(p) + (1UL << o) <= s || page_to_pfn(p) >= e);
		got_order[n] = (u8)o;
		got[n++] = p;
	}
	CHECK_EQ(h_meminfo_field("MemFree:"), 0);
	CHECK_EQ(zone_isolated_free_pages(&normal_zone), 2 * PB);
	CHECK_EQ(h_check(), 0);
	while (n--)
		__free_pages(got[n], got_order[n]);
	undo_isolate_page_range(s, e);
	CHECK(no_isolated_pageblock());
	CHECK_EQ(zone_isolated_free_pages(&normal_zone), 0);
	snap(&after);
	CHECK_EQ(after.memfree, before.memfree + 1);
	/* The allocations above claimed pageblocks; the isolated two are as before. */
	CHECK_EQ(after.types[10], before.types[10]);
	CHECK_EQ(after.types[11], before.types[11]);
	CHECK_EQ(h_check(), 0);
}

static void test_busy_range_reports_and_undoes(void)
{
	unsigned long s = PFN0 + 12 * PB + 3, e = s + 3 * PB, x = s + PB + 40;
	struct snap before, after;
	char want[160];

	setup();
	CHECK_EQ(__alloc_contig_range(x, x + 1, GFP_KERNEL, NULL), 0);
	/* A second, bigger block in the way, and a type to restore that is not Movable. */
	CHECK(pageblock_set_migratetype(s + 2 * PB, MIGRATE_UNMOVABLE) > 0);
	CHECK_EQ(__alloc_contig_range(s + 2 * PB + 8, s + 2 * PB + 16, GFP_KERNEL, NULL), 0);
	trace_set_events(TEV_BIT(TEV_TEST_PAGES_ISOLATED));
	snap(&before);
	CHECK_EQ(__alloc_contig_range(s, e, GFP_KERNEL, report()), -EBUSY);
	snap(&after);
	expect_same(&before, &after);
	CHECK(no_isolated_pageblock());
	CHECK_EQ(h_check(), 0);
	snprintf(want, sizeof(want), "alloc_contig_range: [%lx, %lx) PFNs busy\n", s, e);
	expect_in(rep, want);
	snprintf(want, sizeof(want), "alloc_contig_range: 9 blocks in the way, 9 of %lu pages in "
		 "use; first busy pfn 0x%lx\n", e - s, x);
	expect_in(rep, want);
	snprintf(want, sizeof(want), "pfn 0x%lx: allocated, order 0, refcount 1\n"
		 "page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x%lx\n", x, x);
	expect_in(rep, want);
	expect_in(rep, "flags: 0x8(block|order=0)\n");
	expect_in(rep, "page dumped because: unmovable page\n");
	expect_in(rep, "page_owner is off: boot with page_owner=on to see who allocated it\n");
	expect_in(rep, "(no event for these pages in the ring: page_ref tracing is off; "
		  "'trace on' and 'trace stack on' record it)\n");
	expect_in(rep, "... and 5 more blocks in the way\n");
	/* The test_pages_isolated event, as Linux prints it. */
	{
		struct seq_buf_ctx ctx;
		struct seq_file m;
		static char t[8192];

		seq_init_buf(&m, &ctx, t, sizeof(t));
		trace_show(&m);
		snprintf(want, sizeof(want), "test_pages_isolated: start_pfn=0x%lx end_pfn=0x%lx "
			 "fin_pfn=0x%lx ret=fail\n", s, e, x);
		expect_in(t, want);
	}
	trace_set_events(0);
	/* alloc_contig_range() prints the same report as warnings. */
	host_quiet = true;
	host_log_clear();
	CHECK_EQ(alloc_contig_range(s, e), -EBUSY);
	host_quiet = false;
	snprintf(want, sizeof(want), "alloc_contig_range: [%lx, %lx) PFNs busy\n", s, e);
	CHECK(strstr(host_log, want) != NULL);
	CHECK(strstr(host_log, "... and 5 more blocks in the way\n") != NULL);
	CHECK(no_isolated_pageblock());
	/* The range below the first block is free: that works. */
	CHECK_EQ(__alloc_contig_range(s, x, GFP_KERNEL, report()), 0);
	CHECK_EQ(free_contig_range(s, x - s), 0);
	/* Bad ranges. */
	CHECK_EQ(__alloc_contig_range(e, s, GFP_KERNEL, NULL), -EINVAL);
	CHECK_EQ(__alloc_contig_range(PFN0 - 5, PFN0 + 5, GFP_KERNEL, NULL), -EINVAL);
	CHECK_EQ(__alloc_contig_range(1, 2, GFP_KERNEL, report()), -EINVAL);
	expect_in(rep, "is not a range of pages\n");
	/* The image is reserved: named as such. */
	CHECK_EQ(__alloc_contig_range(PFN0 + 0x80, PFN0 + 0x90, GFP_KERNEL, report()), -EBUSY);
	expect_in(rep, ": reserved, order 0, refcount 1\n");
	CHECK(no_isolated_pageblock());
	CHECK_EQ(h_check(), 0);
	/* A page still held when freed is counted, and stays allocated. */
	get_page(pfn_to_page(x));
	CHECK_EQ(free_contig_range(x, 1), 1);
	CHECK(PageHead(pfn_to_page(x)));
	put_page(pfn_to_page(x));
	CHECK(!PageHead(pfn_to_page(x)));
	CHECK_EQ(h_check(), 0);
}

static void test_contig_pages_search(void)
{
	static const unsigned long sizes[] = { 1, 3, 64, 512, 1000, 1024, 2065, 4096 };
	static struct page *held[1024];
	struct snap before, after;
	unsigned long nfree;
	struct page *p;

	setup();
	snap(&before);
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long n = sizes[i], align = 1;

		while (align < n && align < MAX_ORDER_NR_PAGES)
			align <<= 1;
		p = __alloc_contig_pages(n, GFP_KERNEL, report());
		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ(page_to_pfn(p) % align, 0);
		CHECK_EQ(h_meminfo_field("MemFree:"), before.memfree - n);
		CHECK_EQ(h_check(), 0);
		CHECK_EQ(free_contig_range(page_to_pfn(p), n), 0);
	}
	snap(&after);
	expect_same(&before, &after);

	/*
	 * Pepper RAM with a page at the end of every 256: runs of 255 free
	 * pages are left, and every 512-page window holds two used pages.
	 */
	nfree = 0;
	for (unsigned long pfn = PFN0 + 0x3ff; pfn < PFN0 + (64 * MiB >> PAGE_SHIFT) &&
	     nfree < ARRAY_SIZE(held); pfn += 256) {
		if (!__alloc_contig_range(pfn, pfn + 1, GFP_KERNEL, NULL))
			held[nfree++] = pfn_to_page(pfn);
	}
	CHECK(nfree >= 55);	/* mem_map takes the top of RAM */
	p = __alloc_contig_pages(200, GFP_KERNEL, report());
	CHECK(p != NULL);
	if (p)
		free_contig_range(page_to_pfn(p), 200);
	CHECK(__alloc_contig_pages(512, GFP_KERNEL, report()) == NULL);
	expect_in(rep, "alloc_contig_pages: no free range of 512 pages; the one with the fewest "
		  "pages in use:\n");
	expect_in(rep, "PFNs busy\n");
	expect_in(rep, "alloc_contig_range: 2 blocks in the way, 2 of 512 pages in use;");
	CHECK(__alloc_contig_pages(1UL << 20, GFP_KERNEL, report()) == NULL);
	expect_in(rep, "no such range in RAM");
	CHECK(no_isolated_pageblock());
	CHECK_EQ(h_check(), 0);
	while (nfree--)
		__free_pages(held[nfree], 0);
	snap(&after);
	expect_same(&before, &after);
}

/*
 * Where __alloc_contig_pages() puts a range: the first window, aligned to the
 * size rounded up to a power of two (MAX_ORDER_NR_PAGES at most), that is all
 * free. Here PFN0 is held and the image holds [PFN0 + 128, PFN0 + 640).
 */
static void test_contig_pages_placement(void)
{
	static const struct { unsigned long n, at; } cases[] = {
		{ 1, 1 }, { 3, 4 }, { 4, 4 }, { 5, 8 }, { 64, 64 }, { 65, 640 }, { 512, 1024 },
		{ 1000, 1024 }, { 2048, 1024 },
	};
	unsigned long span;
	struct page *p;
	char want[128];

	setup();
	CHECK_EQ(__alloc_contig_range(PFN0, PFN0 + 1, GFP_KERNEL, NULL), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		p = __alloc_contig_pages(cases[i].n, GFP_KERNEL, report());
		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ(page_to_pfn(p) - PFN0, cases[i].at);
		CHECK_EQ(rep_ctx.len, 0);
		CHECK_EQ(free_contig_range(page_to_pfn(p), cases[i].n), 0);
	}
	/* No report to write: the same search. */
	p = __alloc_contig_pages(65, GFP_KERNEL, NULL);
	CHECK(p && page_to_pfn(p) == PFN0 + 640);
	if (p)
		free_contig_range(page_to_pfn(p), 65);
	/* All of RAM is a range, though never a free one; one page more is none. */
	span = max_pfn - min_low_pfn;
	CHECK(__alloc_contig_pages(span, GFP_KERNEL, report()) == NULL);
	snprintf(want, sizeof(want), "alloc_contig_pages: no range of %lu pages without reserved "
		 "pages\n", span);
	expect_in(rep, want);
	CHECK(__alloc_contig_pages(span + 1, GFP_KERNEL, report()) == NULL);
	snprintf(want, sizeof(want), "alloc_contig_pages: %lu pages: no such range in RAM\n",
		 span + 1);
	expect_in(rep, want);
	CHECK(__alloc_contig_pages(0, GFP_KERNEL, report()) == NULL);
	expect_in(rep, "alloc_contig_pages: 0 pages: no such range in RAM\n");
	/* A pfn without RAM is reported and counted as not freed. */
	host_log_clear();
	CHECK_EQ(free_contig_range(PFN0 - 1, 2), 1);
	CHECK(strstr(host_log, "pfn outside RAM") != NULL);
	CHECK(no_isolated_pageblock());
	CHECK_EQ(h_check(), 0);
}

/* ---- seed 003, with page_owner and tracing on ---- */

static __noinline struct page *alloc_site(void)
{
	return alloc_pages(GFP_KERNEL, 2);
}

static __noinline void holder_site(struct page *page)
{
	get_page(page);
}

static __noinline void free_site(struct page *page)
{
	__free_pages(page, 2);
}

static __noinline void release_site(struct page *page)
{
	put_page(page);
}

static void page_owner_setup(void)
{
	static char *ram;
	const unsigned long size = 64 * MiB;

	if (!ram)
		ram = aligned_alloc(4 * MiB, size);
	memblock_reset();
	page_ext_reset();
	mm_set_virt_offset((unsigned long)ram - RAM_BASE);
	memblock_add(RAM_BASE, size);
	memblock_reserve(RAM_BASE + 0x80000, 2 * MiB, "image");
	CHECK_EQ(mm_init("page_owner=on"), 0);
	CHECK(page_owner_inited);
}

static void test_seed_003_scenario(void)
{
	unsigned long pfn, s, e;
	struct snap before, after;
	struct page *p;
	char want[200];

	trace_set_events(0);
	trace_clear();
	page_owner_setup();
	host_quiet = true;
	snap(&before);
	trace_set_events(TRACE_EVENTS_ALL);
	trace_set_stack(true);

	p = alloc_site();
	pfn = page_to_pfn(p);
	s = pfn;
	e = pfn + 4;
	holder_site(p);
	free_site(p);			/* the extra reference keeps it */
	CHECK(PageHead(p) && page_ref_count(p) == 1);
	CHECK_EQ(__alloc_contig_range(s, e, GFP_KERNEL, report()), -EBUSY);
	snprintf(want, sizeof(want), "pfn 0x%lx: allocated, order 2, refcount 1\n", pfn);
	expect_in(rep, want);
	/* Who allocated it: page_owner. */
	expect_in(rep, "page_owner tracks the page as allocated\n");
	expect_in(rep, "page last allocated via order 2, migratetype Unmovable, "
		  "gfp_mask 0xcc0(GFP_KERNEL)");
	expect_in(rep, "\n alloc_site+0x");
	/* Who holds it: the page_ref history, with stacks. */
	snprintf(want, sizeof(want), "page_ref history of pfn 0x%lx-0x%lx (trace ring):\n", pfn,
		 pfn + 3);
	expect_in(rep, want);
	snprintf(want, sizeof(want), "page_ref_mod: pfn=0x%lx flags=block|order=2 count=2 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=1\n", pfn);
	expect_in(rep, want);
	expect_in(rep, "<stack trace>\n => holder_site+0x");
	snprintf(want, sizeof(want), "page_ref_mod_and_test: pfn=0x%lx flags=block|order=2 count=1 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=-1 ret=0\n", pfn);
	expect_in(rep, want);
	expect_in(rep, "<stack trace>\n => free_site+0x");
	expect_in(rep, "mm_page_alloc: page=");
	CHECK(no_isolated_pageblock());
	CHECK_EQ(h_check(), 0);

	release_site(p);		/* the last reference: freed */
	CHECK(!PageHead(p));
	CHECK_EQ(__alloc_contig_range(s, e, GFP_KERNEL, report()), 0);
	/* Each page of the range has its own page_owner record now. */
	CHECK_EQ(page_owner_dump_pfn(report(), pfn + 1), 0);
	expect_in(rep, "page_owner tracks the page as allocated\npage last allocated via order 0");
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(free_contig_range(s, e - s), 0);
	trace_set_events(0);
	snap(&after);
	CHECK_EQ(after.memfree, before.memfree);
	CHECK_EQ(after.buddy, after.memfree);
	CHECK(no_isolated_pageblock());
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(host_irq_disable_depth, 0);
}

int main(void)
{
	tu_host_stacks();
	RUN(test_range_alloc_and_free);
	RUN(test_isolation_is_not_free_memory);
	RUN(test_busy_range_reports_and_undoes);
	RUN(test_contig_pages_search);
	RUN(test_contig_pages_placement);
	RUN(test_seed_003_scenario);	/* last: page_owner stays on */
	return HTEST_DONE();
}
