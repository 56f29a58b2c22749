// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the buddy allocator (mm/page_alloc.c and friends): init over
 * odd memory layouts, every order, exhaustion, every bad-free case (reported
 * and refused with the state bit-for-bit unchanged), gfp flags, reference
 * counts, and the statistics formats.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/memblock.h>
#include <ferret/vmstat.h>
#include <ferret/seq_file.h>

#include "htest.h"
#include "test_buddy_harness.h"

#define RAM_BASE 0x40000000UL

static void check_consistent(void)
{
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(h_buddyinfo_pages(), h_meminfo_field("MemFree:"));
	CHECK_EQ(h_meminfo_field("MemTotal:"), normal_zone.managed_pages);
	CHECK_EQ(host_irq_disable_depth, 0);
}

/* ---- init ---- */

static void test_init_basic(void)
{
	unsigned long reserved;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 128 * MiB), 0);
	CHECK_EQ(min_low_pfn, RAM_BASE >> PAGE_SHIFT);
	CHECK_EQ(max_pfn, (RAM_BASE + 128 * MiB) >> PAGE_SHIFT);
	CHECK_EQ(mem_map_pfn_base, RAM_BASE >> PAGE_SHIFT);
	CHECK_EQ(max_mapnr, 32768);
	CHECK_EQ(normal_zone.present_pages, 32768);
	/* image (512 pages), mem_map (32824 * 16 bytes -> 129 pages), pageblock flags (1). */
	reserved = 512 + DIV_ROUND_UP((32768 + NR_LIST_SENTINELS) * 16, PAGE_SIZE) + 1;
	CHECK_EQ(normal_zone.managed_pages, 32768 - reserved);
	CHECK_EQ(totalram_pages, normal_zone.managed_pages);
	CHECK_EQ(h_free_pages(), normal_zone.managed_pages);
	{
		char line[96];

		snprintf(line, sizeof(line), "Memory: %luK/131072K available (%luK reserved)\n",
			 (32768 - reserved) * 4, reserved * 4);
		CHECK(h_log_has(line));
	}
	/* mem_map comes from the top of RAM (memblock is top-down). */
	CHECK(memblock_is_reserved(RAM_BASE + 128 * MiB - PAGE_SIZE));
	CHECK(PageReserved(pfn_to_page(max_pfn - 1)));
	CHECK(PageReserved(pfn_to_page((RAM_BASE + 0x80000) >> PAGE_SHIFT)));
	CHECK(!PageReserved(pfn_to_page(RAM_BASE >> PAGE_SHIFT)));
	CHECK(PageBuddy(pfn_to_page(RAM_BASE >> PAGE_SHIFT)));
	/* [0x40000000, 0x40080000): 128 pages -> one order-7 block. */
	CHECK_EQ(buddy_order(pfn_to_page(RAM_BASE >> PAGE_SHIFT)), 7);
	check_consistent();
}

static void test_init_layouts(void)
{
	/* Unaligned base and size, two ranges with a hole. */
	struct hrange odd[] = {
		{ RAM_BASE + 0x3000, 37 * MiB + 123 * PAGE_SIZE + 100 },
		{ RAM_BASE + 64 * MiB + 0x5000, 20 * MiB },
	};
	struct hreserve rsv[] = {
		{ RAM_BASE + 0x100000, 0x1800, "dtb" },		/* partial pages */
		{ RAM_BASE + 70 * MiB, 4 * MiB, "stack" },
		{ 0x1000, 0x1000, "not-ram" },			/* outside RAM */
	};
	/* raspi3b: RAM at 0, firmware page reserved or not. */
	struct hrange rpi = { 0, 948 * MiB };
	/* The largest RAM a board has: 8 GiB, or 1 GiB of a 32-bit address space. */
	struct hrange virt8g = { RAM_BASE, sizeof(long) == 8 ? (phys_addr_t)8 << 30 : GiB };
	struct hrange tiny = { RAM_BASE, 4 * MiB };
	unsigned long dtb_pfn = (RAM_BASE + 0x100000) >> PAGE_SHIFT;

	CHECK_EQ(h_mm_init(odd, 2, rsv, 3), 0);
	CHECK_EQ(min_low_pfn, (RAM_BASE + 0x3000) >> PAGE_SHIFT);
	CHECK_EQ(max_pfn, (RAM_BASE + 84 * MiB + 0x5000) >> PAGE_SHIFT);
	CHECK(PageReserved(pfn_to_page(RAM_BASE >> PAGE_SHIFT)));	/* below RAM */
	CHECK(PageReserved(pfn_to_page(dtb_pfn)));
	CHECK(PageReserved(pfn_to_page(dtb_pfn + 1)));		/* 0x1800 spans 2 pages */
	CHECK(!PageReserved(pfn_to_page(dtb_pfn + 2)));
	CHECK(PageReserved(pfn_to_page((RAM_BASE + 40 * MiB) >> PAGE_SHIFT)));	/* hole */
	/* The partial last page of range 1 is not handed out. */
	CHECK(PageReserved(pfn_to_page((RAM_BASE + 0x3000 + 37 * MiB + 123 * PAGE_SIZE) >> PAGE_SHIFT)));
	check_consistent();

	CHECK_EQ(h_mm_init(&rpi, 1, NULL, 0), 0);
	CHECK_EQ(mem_map_pfn_base, 0);
	check_consistent();
	{
		/* With an identity map, the page at address 0 is never handed out. */
		unsigned long saved = mm_virt_offset;
		struct hreserve none;

		(void)none;
		CHECK(!PageReserved(pfn_to_page(0)));	/* host: __va(0) is not NULL */
		mm_virt_offset = saved;
	}

	CHECK_EQ(h_mm_init(&virt8g, 1, NULL, 0), 0);
	CHECK_EQ(max_mapnr, virt8g.size >> PAGE_SHIFT);
	CHECK_EQ(normal_zone.nr_pageblocks, virt8g.size >> (PAGE_SHIFT + pageblock_order));
	/* Per-cpu batch, Linux's zone_batchsize(): 256 KiB (64 pages) at most,
	 * plus half, down to 2^n - 1; high is 6 batches; order o refills batch >> o. */
	CHECK_EQ(normal_zone.pcp.batch, 63);
	CHECK_EQ(normal_zone.pcp.high, 6 * 63);
	CHECK_EQ(normal_zone.pcp.refill[0], 63);
	CHECK_EQ(normal_zone.pcp.refill[3], 7);
	check_consistent();

	CHECK_EQ(h_mm_init(&tiny, 1, NULL, 0), 0);
	CHECK(normal_zone.group_by_mobility_disabled);
	CHECK_EQ(normal_zone.pcp.batch, 1);
	CHECK_EQ(normal_zone.pcp.high, 6);
	CHECK_EQ(normal_zone.pcp.refill[3], 1);
	check_consistent();

	/* 13 1024ths of the odd layout's pages, a quarter 3, plus half 4: 2^2 - 1. */
	CHECK_EQ(h_mm_init(odd, 2, rsv, 3), 0);
	CHECK_EQ(normal_zone.managed_pages >> 10, 13);
	CHECK_EQ(normal_zone.pcp.batch, 3);
	CHECK_EQ(normal_zone.pcp.refill[1], 1);

	/* Nothing at all, or less than one whole page: refused, said, nothing set up. */
	memblock_reset();
	host_log_clear();
	CHECK_EQ(free_area_init(), -1);
	CHECK(h_log_has("mm: no memory\n"));
	memblock_add(RAM_BASE + 0x100, PAGE_SIZE);
	host_log_clear();
	CHECK_EQ(free_area_init(), -1);
	CHECK(h_log_has("mm: no memory\n"));
	/*
	 * 2^32 pages and the list sentinels do not fit mem_map's 32-bit
	 * indexes (a span a 32-bit address cannot even express).
	 */
	if (sizeof(unsigned long) == 8) {
		memblock_reset();
		memblock_add(0, (unsigned long)(1ULL << (32 + PAGE_SHIFT)));
		host_log_clear();
		CHECK_EQ(free_area_init(), -1);
		CHECK(h_log_has("mm: RAM span of 4294967296 pages too large for mem_map\n"));
	}
}

/* ---- allocation ---- */

static void test_alloc_each_order(void)
{
	unsigned long free0;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 128 * MiB), 0);
	free0 = h_free_pages();
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *p = alloc_pages(GFP_KERNEL, o);
		unsigned long pfn;
		char *va;

		CHECK(p != NULL);
		if (!p)
			continue;
		pfn = page_to_pfn(p);
		CHECK_EQ(pfn & ((1UL << o) - 1), 0);
		CHECK(PageHead(p));
		CHECK_EQ(page_order(p), o);
		CHECK_EQ(page_ref_count(p), 1);
		CHECK_EQ(pfn_to_page(pfn), p);
		va = page_address(p);
		CHECK_EQ(va, (char *)h_arena + (PFN_PHYS(pfn) - RAM_BASE));
		CHECK_EQ(virt_to_page(va + 5), p);
		memset(va, 0xa5, PAGE_SIZE << o);	/* ASan: inside RAM */
		CHECK_EQ(h_free_pages(), free0 - (1UL << o));
		CHECK_EQ(h_check(), 0);
		__free_pages(p, o);
		CHECK_EQ(h_free_pages(), free0);
		CHECK_EQ(vm_events.pgalloc[o], 1);
		CHECK_EQ(vm_events.pgfree[o], 1);
	}
	check_consistent();
	drain_all_pages();
	/* Everything merged back: same as after init. */
	/* 32 order-10 blocks, less the one with the image and the one with mem_map. */
	CHECK_EQ(free_area_nr_free(&normal_zone.free_area[MAX_PAGE_ORDER]), 30);
}

static void test_exhaust(void)
{
	static struct page *pages[40000];
	unsigned long n = 0, managed;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 128 * MiB), 0);
	managed = normal_zone.managed_pages;
	while (n < ARRAY_SIZE(pages) && (pages[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		n++;
	CHECK_EQ(n, managed);
	CHECK_EQ(h_free_pages(), 0);
	CHECK_EQ(h_check(), 0);
	host_log_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 3) == NULL);
	CHECK(!h_log_has("page allocation failure"));
	CHECK(alloc_pages(GFP_KERNEL, 2) == NULL);
	CHECK(h_log_has("page allocation failure: order:2, mode:0xcc0(GFP_KERNEL), nodemask=(null)"));
	CHECK(h_log_has("Node 0 Normal: 0*4kB 0*8kB"));
	CHECK(h_log_has("= 0kB"));
	CHECK(alloc_pages(GFP_ATOMIC | __GFP_ZERO, 0) == NULL);
	CHECK(h_log_has("mode:0x920(GFP_ATOMIC|__GFP_ZERO)"));
	host_log_clear();
	CHECK(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	CHECK(h_log_has("page allocation failure: order:11"));
	CHECK(vm_events.pgalloc_fail[2] == 1 && vm_events.pgalloc_fail[3] == 1);
	for (unsigned long i = 0; i < n; i++)
		__free_pages(pages[i], 0);
	check_consistent();
	CHECK_EQ(h_free_pages(), managed);
	CHECK_EQ(pcp_count(&normal_zone), 0);	/* meminfo drained */
	/* Fully merged again: 128 MiB minus the image and mem_map. */
	CHECK_EQ(free_area_nr_free(&normal_zone.free_area[MAX_PAGE_ORDER]), 30);
}

/* ---- bad frees: each reported, refused, and the state bit-for-bit unchanged ---- */

static void expect_refused(int (*op)(void *), void *arg, const char *reason)
{
	unsigned long long before = h_state_hash();
	unsigned long bad = vm_events.bad_page;
	int ret;

	host_log_clear();
	ret = op(arg);
	if (ret >= 0)
		CHECK_EQ(ret, -1);
	CHECK(h_log_has("BUG: Bad page state in process boot  pfn:"));
	CHECK(h_log_has(reason));
	if (!h_log_has(reason))
		printf("# expected \"%s\" in:\n%s", reason, host_log);
	CHECK(h_state_hash() == before);
	CHECK_EQ(vm_events.bad_page, bad + 1);
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(host_irq_disable_depth, 0);
}

struct free_args {
	struct page *page;
	unsigned long pfn;
	unsigned int order;
};

static int op_free_pages(void *a)
{
	struct free_args *f = a;

	__free_pages(f->page, f->order);
	return -1;
}

static int op_free_pfn(void *a)
{
	struct free_args *f = a;

	return free_pages_pfn(f->pfn, f->order);
}

static int op_put_page(void *a)
{
	struct free_args *f = a;

	put_page(f->page);
	return -1;
}

static void test_bad_frees(void)
{
	struct free_args fa;
	struct page *p, *q, *c;
	unsigned long pfn;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 128 * MiB), 0);
	host_quiet = true;

	/* Double free while on a per-cpu list. */
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	fa = (struct free_args){ p, page_to_pfn(p), 0 };
	expect_refused(op_free_pages, &fa, "double free: page heads a free order-0 block on a per-cpu list");
	/* ... in the buddy lists after a drain (merged into a larger block). */
	drain_all_pages();
	expect_refused(op_free_pfn, &fa, PageBuddy(p) ?
		       "page dumped because: double free: page heads a free order-" :
		       "page dumped because: freeing a free page (inside free order-");
	/* A page never allocated (inside a free block). */
	fa.pfn = page_to_pfn(p) + 5;
	expect_refused(op_free_pfn, &fa, "page dumped because: freeing a free page (inside free order-");
	CHECK(h_log_has("never allocated or double free"));
	CHECK(h_log_has("flags: 0x0()"));
	CHECK(h_log_has("page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x"));

	/* Tail page of an order-2 block; wrong orders. */
	q = alloc_pages(GFP_KERNEL, 2);
	fa = (struct free_args){ q + 1, page_to_pfn(q) + 1, 0 };
	expect_refused(op_free_pages, &fa, "freeing a tail page (block head pfn:0x");
	fa = (struct free_args){ q, page_to_pfn(q), 1 };
	expect_refused(op_free_pages, &fa, "wrong order: freed as order 1, allocated as order 2");
	CHECK(h_log_has("head: order:2 mapcount:0"));
	CHECK(h_log_has("flags: 0x20008(block|order=2)"));
	fa.order = 3;
	expect_refused(op_free_pfn, &fa, "wrong order: freed as order 3, allocated as order 2");
	fa.order = 0;
	expect_refused(op_free_pfn, &fa, "wrong order: freed as order 0, allocated as order 2");
	fa.order = 12;
	expect_refused(op_free_pfn, &fa, "order 12 above MAX_PAGE_ORDER 10");

	/* Tail of a compound block. */
	c = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	fa = (struct free_args){ c + 7, page_to_pfn(c) + 7, 0 };
	expect_refused(op_free_pages, &fa, "freeing a tail page (compound head pfn:0x");

	/*
	 * Refcount 2: the free drops the caller's reference only (put_page
	 * semantics); the block stays allocated for the other holder.
	 */
	get_page(q);
	{
		unsigned long long before = h_state_hash();
		unsigned long bad = vm_events.bad_page, free = h_free_pages();

		host_log_clear();
		__free_pages(q, 2);
		CHECK(!h_log_has("Bad page"));
		CHECK_EQ(vm_events.bad_page, bad);
		CHECK_EQ(h_free_pages(), free);
		CHECK(h_state_hash() != before);	/* the refcount changed, nothing else */
		set_page_count(q, 2);
		CHECK(h_state_hash() == before);
		set_page_count(q, 1);
	}
	CHECK(PageHead(q));
	CHECK_EQ(page_ref_count(q), 1);
	/* ... and the wrong order is still refused with refcount 2. */
	get_page(q);
	fa = (struct free_args){ q, page_to_pfn(q), 1 };
	expect_refused(op_free_pages, &fa, "wrong order: freed as order 1, allocated as order 2");
	CHECK(h_log_has("page: refcount:2 "));
	put_page(q);	/* back to 1: not freed */
	CHECK(PageHead(q));
	CHECK_EQ(page_ref_count(q), 1);
	/* refcount 0 is itself broken state, so check the refusal by hand. */
	for (int i = 0; i < 2; i++) {
		unsigned long long before;
		unsigned long bad = vm_events.bad_page;

		set_page_count(q, 0);
		before = h_state_hash();
		host_log_clear();
		if (i)
			put_page(q);
		else
			__free_pages(q, 2);
		CHECK(h_log_has("page dumped because: _refcount 0 at free, expected 1"));
		CHECK(h_state_hash() == before);
		CHECK_EQ(vm_events.bad_page, bad + 1);
	}
	set_page_count(q, 1);

	/* Reserved page (the image), a hole, outside RAM. */
	pfn = (RAM_BASE + 0x80000) >> PAGE_SHIFT;
	fa = (struct free_args){ pfn_to_page(pfn), pfn, 0 };
	expect_refused(op_free_pfn, &fa, "page dumped because: freeing a reserved page");
	CHECK(h_log_has("flags: 0x1(reserved)"));
	expect_refused(op_put_page, &fa, "page dumped because: freeing a reserved page");
	fa.pfn = (RAM_BASE >> PAGE_SHIFT) - 1;
	expect_refused(op_free_pfn, &fa, "pfn outside RAM (no struct page)");
	CHECK(h_log_has("pfn:3ffff\n"));
	fa.pfn = 0x10;
	expect_refused(op_free_pfn, &fa, "pfn outside RAM (no struct page)");
	CHECK(h_log_has("pfn:00010\n"));
	fa.pfn = max_pfn + 5000;
	expect_refused(op_free_pfn, &fa, "pfn outside RAM (no struct page)");
	fa.page = mem_map - 3;
	expect_refused(op_free_pages, &fa, "struct page outside mem_map");

	/* The good frees still work afterwards. */
	CHECK_EQ(free_pages_pfn(page_to_pfn(q), 2), 0);
	__free_pages(c, 3);
	check_consistent();
}

static void test_bad_free_holes(void)
{
	struct hrange r[] = {
		{ RAM_BASE, 16 * MiB },
		{ RAM_BASE + 17 * MiB, 15 * MiB },
	};
	struct free_args fa;

	CHECK_EQ(h_mm_init(r, 2, NULL, 0), 0);
	host_quiet = true;
	fa.pfn = (RAM_BASE + 16 * MiB + 0x3000) >> PAGE_SHIFT;
	fa.order = 0;
	expect_refused(op_free_pfn, &fa, "page dumped because: freeing a page outside RAM");
	/* Past the end of RAM, inside the mem_map rounding. */
	fa.pfn = max_pfn;
	fa.pfn = (RAM_BASE + 32 * MiB) >> PAGE_SHIFT;
	if (pfn_valid(fa.pfn))
		expect_refused(op_free_pfn, &fa, "freeing a page outside RAM");
	else
		expect_refused(op_free_pfn, &fa, "pfn outside RAM");
	check_consistent();
}

/* ---- gfp ---- */

static void test_gfp_values(void)
{
	CHECK_EQ(GFP_KERNEL, 0xcc0);
	CHECK_EQ(GFP_ATOMIC, 0x820);
	CHECK_EQ(GFP_NOWAIT, 0x2800);
	CHECK_EQ(GFP_NOIO, 0xc00);
	CHECK_EQ(GFP_NOFS, 0xc40);
	CHECK_EQ(GFP_USER, 0x100cc0);
	CHECK_EQ(GFP_HIGHUSER_MOVABLE, 0x100cca);
	CHECK_EQ(GFP_KERNEL_ACCOUNT, 0x400cc0);
	CHECK_EQ(__GFP_ZERO, 0x100);
	CHECK_EQ(__GFP_NOWARN, 0x2000);
	CHECK_EQ(__GFP_COMP, 0x40000);
	CHECK_EQ(GFP_TRANSHUGE_LIGHT, 0x1c20ca);
	CHECK_EQ(GFP_TRANSHUGE, 0x1c24ca);
	CHECK_EQ(gfp_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	CHECK_EQ(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	CHECK_EQ(gfp_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
	CHECK_EQ(gfp_migratetype(__GFP_MOVABLE | __GFP_RECLAIMABLE), MIGRATE_UNMOVABLE);
}

static void check_fmt(gfp_t gfp, const char *want)
{
	char buf[256];
	int n = gfp_format(buf, sizeof(buf), gfp);
	gfp_t back = 0xdeadbeef;

	CHECK(!strcmp(buf, want));
	if (strcmp(buf, want))
		printf("# gfp 0x%x: \"%s\", want \"%s\"\n", gfp, buf, want);
	CHECK_EQ(n, (long long)strlen(want));
	if (gfp) {
		CHECK_EQ(gfp_parse(buf, &back), 0);
		CHECK_EQ(back, gfp);
	}
}

static void test_gfp_format(void)
{
	char small[8];

	check_fmt(0, "");
	check_fmt(GFP_KERNEL, "GFP_KERNEL");
	check_fmt(GFP_KERNEL | __GFP_ZERO, "GFP_KERNEL|__GFP_ZERO");
	check_fmt(GFP_ATOMIC, "GFP_ATOMIC");
	check_fmt(GFP_NOWAIT, "GFP_NOWAIT");
	check_fmt(GFP_NOWAIT | __GFP_ZERO, "GFP_NOWAIT|__GFP_ZERO");
	check_fmt(GFP_KERNEL | __GFP_MOVABLE, "GFP_KERNEL|__GFP_MOVABLE");
	check_fmt(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE");
	check_fmt(GFP_HIGHUSER_MOVABLE | __GFP_COMP, "GFP_HIGHUSER_MOVABLE|__GFP_COMP");
	check_fmt(GFP_TRANSHUGE, "GFP_TRANSHUGE");
	check_fmt(GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT");
	check_fmt(GFP_KERNEL | __GFP_NOWARN | __GFP_RECLAIMABLE,
		  "GFP_KERNEL|__GFP_NOWARN|__GFP_RECLAIMABLE");
	check_fmt(__GFP_HIGH, "__GFP_HIGH");
	check_fmt(__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM");
	check_fmt(__GFP_RECLAIM, "GFP_NOIO");
	check_fmt(0x200, "0x200");
	check_fmt(GFP_KERNEL | 0x200, "GFP_KERNEL|0x200");
	check_fmt(0x1000000, "0x1000000");
	/* Truncation keeps the full length as return, like snprintf. */
	CHECK_EQ(gfp_format(small, sizeof(small), GFP_KERNEL | __GFP_ZERO), 21);
	CHECK(!strcmp(small, "GFP_KER"));
}

/*
 * Linux's name order for %pGg (__def_gfpflag_names): composite masks first,
 * each name printed when all its bits are left, its bits then taken away.
 * Every pair of names, and every name alone, must print as that rule says in
 * this order. The masks come from gfp_parse(), which looks names up by name.
 */
static const char *const gfp_order[] = {
	"GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER",
	"GFP_USER", "GFP_KERNEL_ACCOUNT", "GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO",
	"GFP_NOWAIT", "GFP_DMA", "__GFP_HIGHMEM", "GFP_DMA32", "__GFP_HIGH", "__GFP_IO",
	"__GFP_FS", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL", "__GFP_NORETRY",
	"__GFP_COMP", "__GFP_ZERO", "__GFP_NOMEMALLOC", "__GFP_MEMALLOC", "__GFP_HARDWALL",
	"__GFP_THISNODE", "__GFP_RECLAIMABLE", "__GFP_MOVABLE", "__GFP_ACCOUNT", "__GFP_WRITE",
	"__GFP_RECLAIM", "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_ZEROTAGS",
};

static void gfp_by_rule(char *buf, size_t size, gfp_t gfp, const gfp_t *masks)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; gfp && i < ARRAY_SIZE(gfp_order); i++) {
		if ((gfp & masks[i]) == masks[i]) {
			gfp &= ~masks[i];
			len += (size_t)snprintf(buf + len, size - len, "%s%s", gfp_order[i],
						gfp ? "|" : "");
		}
	}
	if (gfp)
		snprintf(buf + len, size - len, "0x%x", gfp);
}

static void test_gfp_name_order(void)
{
	gfp_t masks[ARRAY_SIZE(gfp_order)];
	char want[256];

	for (size_t i = 0; i < ARRAY_SIZE(gfp_order); i++)
		CHECK_EQ(gfp_parse(gfp_order[i], &masks[i]), 0);
	for (size_t i = 0; i < ARRAY_SIZE(gfp_order); i++) {
		for (size_t j = i; j < ARRAY_SIZE(gfp_order); j++) {
			gfp_by_rule(want, sizeof(want), masks[i] | masks[j], masks);
			check_fmt(masks[i] | masks[j], want);
		}
	}
	check_fmt(GFP_USER | __GFP_ACCOUNT, "GFP_USER|__GFP_ACCOUNT");
	check_fmt(__GFP_NOWARN | __GFP_RETRY_MAYFAIL, "__GFP_NOWARN|__GFP_RETRY_MAYFAIL");
}

static void test_gfp_parse(void)
{
	gfp_t g;

	CHECK_EQ(gfp_parse("GFP_KERNEL|__GFP_ZERO", &g), 0);
	CHECK_EQ(g, GFP_KERNEL | __GFP_ZERO);
	CHECK_EQ(gfp_parse("0xcc0", &g), 0);
	CHECK_EQ(g, 0xcc0);
	CHECK_EQ(gfp_parse("0", &g), 0);
	CHECK_EQ(g, 0);
	CHECK_EQ(gfp_parse("KERNEL|ZERO|NOWARN", &g), 0);
	CHECK_EQ(g, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	CHECK_EQ(gfp_parse(" GFP_ATOMIC | 0x100 ", &g), 0);
	CHECK_EQ(g, GFP_ATOMIC | __GFP_ZERO);
	CHECK_EQ(gfp_parse("__GFP_DMA32|__GFP_DMA", &g), 0);
	CHECK_EQ(g, __GFP_DMA32 | __GFP_DMA);
	CHECK_EQ(gfp_parse("MOVABLE", &g), 0);
	CHECK_EQ(g, __GFP_MOVABLE);
	CHECK_EQ(gfp_parse("GFP_KERNEL|", &g), -1);
	CHECK_EQ(gfp_parse("", &g), -1);
	CHECK_EQ(gfp_parse("GFP_BOGUS", &g), -1);
	CHECK_EQ(gfp_parse("gfp_kernel", &g), -1);
	CHECK_EQ(gfp_parse("0x1g", &g), -1);
	CHECK_EQ(gfp_parse("0x100000000", &g), -1);
	CHECK_EQ(gfp_parse("GFP_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &g), -1);
	/* Any leading digit starts a number, 0 and 9 too. */
	CHECK_EQ(gfp_parse("9", &g), 0);
	CHECK_EQ(g, 9);
	CHECK_EQ(gfp_parse("0|GFP_NOIO", &g), 0);
	CHECK_EQ(g, __GFP_RECLAIM);
	/* A token may have 32 characters, not 33. */
	CHECK_EQ(gfp_parse("0x000000000000000000000000000cc0", &g), 0);
	CHECK_EQ(g, GFP_KERNEL);
	CHECK_EQ(gfp_parse(" 0x0000000000000000000000000000cc0", &g), -1);
	CHECK_EQ(gfp_parse("GFP_KERNEL| 0x000000000000000000000000000cc0 ", &g), 0);
}

static void test_gfp_flags_effects(void)
{
	struct page *p, *c;
	unsigned long addr;
	unsigned char *va;
	int nonzero = 0;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 64 * MiB), 0);
	/* __GFP_ZERO: dirty a page, free it, get it back zeroed. */
	p = alloc_pages(GFP_KERNEL, 1);
	memset(page_address(p), 0x5a, 2 * PAGE_SIZE);
	__free_pages(p, 1);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	va = page_address(p);
	for (unsigned long i = 0; i < 2 * PAGE_SIZE; i++)
		nonzero |= va[i];
	CHECK_EQ(nonzero, 0);
	__free_pages(p, 1);

	/* __GFP_COMP: tails marked, compound_head, put_page of a tail frees the block. */
	c = alloc_pages(GFP_KERNEL | __GFP_COMP, 4);
	CHECK(PageHead(c) && PageCompound(c));
	CHECK_EQ(compound_order(c), 4);
	for (int i = 1; i < 16; i++) {
		CHECK(PageTail(c + i));
		CHECK_EQ(compound_head(c + i), c);
	}
	CHECK_EQ(h_check(), 0);
	get_page(c + 3);
	CHECK_EQ(page_ref_count(c), 2);
	put_page(c + 5);
	CHECK_EQ(page_ref_count(c), 1);
	CHECK(PageHead(c));
	put_page(c + 9);
	CHECK(!PageHead(c));
	for (int i = 1; i < 16; i++)
		CHECK(!PageTail(c + i));
	CHECK_EQ(h_check(), 0);

	/* Non-compound: order recorded, tails clean, compound_order 0. */
	p = alloc_pages(GFP_KERNEL, 3);
	CHECK_EQ(compound_order(p), 0);
	CHECK_EQ(page_order(p), 3);
	CHECK(!PageTail(p + 1));
	put_page(p);
	CHECK(!PageHead(p));

	/* Address-based API. */
	addr = __get_free_pages(GFP_KERNEL, 2);
	CHECK(addr != 0);
	CHECK_EQ(virt_to_page((void *)addr)->flags & (1U << PG_head), 1U << PG_head);
	free_pages(addr, 2);
	addr = get_zeroed_page(GFP_KERNEL);
	CHECK_EQ(*(unsigned long *)addr, 0);
	free_page(addr);
	free_pages(0, 3);	/* ignored, as Linux */
	addr = __get_free_page(GFP_ATOMIC);
	free_page(addr);
	check_consistent();
}

static void test_page_ref(void)
{
	struct page *p;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 32 * MiB), 0);
	p = alloc_page(GFP_KERNEL);
	CHECK_EQ(page_ref_count(p), 1);
	page_ref_add(p, 3);
	CHECK_EQ(page_ref_count(p), 4);
	page_ref_sub(p, 2);
	CHECK_EQ(page_ref_inc_return(p), 3);
	CHECK_EQ(page_ref_dec_return(p), 2);
	CHECK(!page_ref_dec_and_test(p));
	CHECK(!page_ref_freeze(p, 2));
	CHECK(page_ref_freeze(p, 1));
	CHECK_EQ(page_ref_count(p), 0);
	CHECK(!get_page_unless_zero(p));
	CHECK(!page_ref_add_unless(p, 1, 0));
	page_ref_unfreeze(p, 1);
	CHECK(get_page_unless_zero(p));
	page_ref_inc(p);
	page_ref_dec(p);
	CHECK(!page_ref_sub_and_test(p, 1));
	CHECK_EQ(host_irq_disable_depth, 0);
	put_page(p);
	CHECK(!PageHead(p));
	check_consistent();
}

/* ---- statistics formats ---- */

/* meminfo's fields in Linux's /proc/meminfo order, each "Name:" padded to 16, 8 digits, " kB". */
static void test_meminfo_order(void)
{
	static const char *const names[] = {
		"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active",
		"Inactive", "Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)",
		"Unevictable", "Mlocked", "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages",
		"Mapped", "Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim",
		"KernelStack", "PageTables", "SecPageTables", "NFS_Unstable", "Bounce",
		"WritebackTmp", "CommitLimit", "Committed_AS", "VmallocTotal", "VmallocUsed",
		"VmallocChunk", "Percpu",
	};
	const char *l;
	size_t i = 0;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 32 * MiB), 0);
	meminfo_show(h_seq_begin());
	for (l = h_seq_buf; *l && i < ARRAY_SIZE(names); i++) {
		char want[32];
		const char *nl = strchr(l, '\n');

		snprintf(want, sizeof(want), "%s:", names[i]);
		CHECK(nl && nl - l == 16 + 8 + 3 && !strncmp(l, want, strlen(want)) &&
		      !strncmp(nl - 3, " kB", 3));
		if (!nl || strncmp(l, want, strlen(want))) {
			printf("# line %zu: %.40s, expected %s\n", i, l, want);
			break;
		}
		l = nl + 1;
	}
	CHECK_EQ(i, ARRAY_SIZE(names));
	CHECK(*l == '\0');
}

static void test_stats_format(void)
{
	struct page *p;
	char *s;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 128 * MiB), 0);
	buddyinfo_show(h_seq_begin());
	/* 128 pages below the image, the image (512), then free up to mem_map. */
	CHECK(!strncmp(h_seq_buf, "Node 0, zone   Normal ", 22));
	CHECK_EQ(strlen(h_seq_buf), 22 + 7 * NR_PAGE_ORDERS + 1);
	CHECK(h_seq_buf[strlen(h_seq_buf) - 1] == '\n');

	pagetypeinfo_show(h_seq_begin());
	{
		static const char head[] =
			"Page block order: 9\nPages per block:  512\n\n"
			"Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 \n"
			"Node    0, zone   Normal, type    Unmovable      0      0      0      0      0      0      0      0      0      0      0 \n"
			"Node    0, zone   Normal, type      Movable      0      1      1      1      1      1      1      2      2      1     30 \n"
			"Node    0, zone   Normal, type  Reclaimable      0      0      0      0      0      0      0      0      0      0      0 \n";

		CHECK(!strncmp(h_seq_buf, head, sizeof(head) - 1));
	}
	s = strstr(h_seq_buf, "\nNumber of blocks type     Unmovable      Movable  Reclaimable   HighAtomic \n"
			      "Node 0, zone   Normal            0           64            0            0 \n");
	CHECK(s != NULL);
	if (!s)
		printf("%s", h_seq_buf);
	CHECK(strstr(h_seq_buf, "Node    0, zone   Normal, type   HighAtomic      0") != NULL);

	meminfo_show(h_seq_begin());
	CHECK(!strncmp(h_seq_buf, "MemTotal:       ", 16));
	CHECK(strstr(h_seq_buf, "\nMemFree:        ") != NULL);
	CHECK(strstr(h_seq_buf, "\nMemAvailable:   ") != NULL);
	CHECK(strstr(h_seq_buf, "\nBuffers:               0 kB\n") != NULL);
	CHECK(strstr(h_seq_buf, "\nPercpu:                0 kB\n") != NULL);

	/* After allocations: an Unmovable pageblock pair was claimed. */
	p = alloc_page(GFP_KERNEL);
	pagetypeinfo_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "Node 0, zone   Normal            2           62            0            0 \n") != NULL);
	CHECK_EQ(get_pageblock_migratetype(p), MIGRATE_UNMOVABLE);
	CHECK_EQ(h_buddyinfo_pages(), h_meminfo_field("MemFree:"));
	CHECK_EQ(h_meminfo_field("MemFree:"), normal_zone.managed_pages - 1);

	vmstat_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "pgalloc_order0 1\n") != NULL);
	CHECK(strstr(h_seq_buf, "pgalloc_fallback 1\n") != NULL);
	CHECK(strstr(h_seq_buf, "pgalloc_claim 1\n") != NULL);
	CHECK(strstr(h_seq_buf, "nr_free_pages ") != NULL);
	__free_page(p);
	vmstat_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "pgfree_order0 1\n") != NULL);
	CHECK(strstr(h_seq_buf, "bad_page 0\n") != NULL);
	/* The totals count pages: an order-3 block is 8 of them, each way. */
	p = alloc_pages(GFP_KERNEL, 3);
	__free_pages(p, 3);
	vmstat_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "\npgalloc_normal 9\npgfree 9\npgalloc_fail 0\n") != NULL);
	CHECK(strstr(h_seq_buf, "\npgalloc_order3 1\n") != NULL);
	CHECK(strstr(h_seq_buf, "\npgfree_order3 1\n") != NULL);
	if (htest_case_failed)
		printf("%s", h_seq_buf);
	check_consistent();
}

/*
 * The checker's summary lines, every field checked, on a layout where the
 * neighbouring fields differ: a 1 MiB hole, three reserved pages, three
 * allocated blocks, per-cpu lists holding an order-1 block and single pages.
 */
static void test_memtest_summary(void)
{
	struct hrange r[] = { { RAM_BASE, 16 * MiB }, { RAM_BASE + 17 * MiB, 7 * MiB } };
	struct hreserve rsv[] = { { RAM_BASE + 2 * MiB, 3 * PAGE_SIZE, "three" } };
	struct zone *z = &normal_zone;
	unsigned long v[9], blocks = 0, pcp;
	struct page *a, *b, *c, *d;
	const char *l;
	char want[160];

	CHECK_EQ(h_mm_init(r, 2, rsv, 1), 0);
	a = alloc_pages(GFP_KERNEL, 0);
	d = alloc_pages(GFP_KERNEL, 1);
	b = alloc_pages(GFP_KERNEL, 2);
	c = alloc_pages(GFP_KERNEL, 5);
	__free_pages(d, 1);
	pcp = pcp_count(z);
	CHECK_EQ(pcp, 2);	/* d: batch 1 on 24 MiB, so the refills left nothing else */
	CHECK_EQ(h_check(), 0);
	/*
	 * Each core checked and drained its lists first: d's block was there.
	 * The host's cores other than this thread's are parked: checked too.
	 */
	snprintf(want, sizeof(want), "memtest: per-cpu lists of %d cores: %lu pages in 1 blocks "
		 "checked and drained\n", NR_CPUS, pcp);
	CHECK(strstr(h_seq_buf, want) == h_seq_buf);
	CHECK_EQ(pcp_count(z), 0);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		for (int mt = 0; mt < NR_MIGRATE_LISTS; mt++)
			blocks += z->free_area[o].nr_free[mt];
	/* Every free list (orders x types) and per-cpu list (orders 0-3 x 3 types, every core). */
	snprintf(want, sizeof(want), "\nmemtest: %d free lists and %d per-cpu lists walked\n",
		 NR_PAGE_ORDERS * NR_MIGRATE_LISTS, 4 * MIGRATE_PCPTYPES * NR_CPUS);
	CHECK(strstr(h_seq_buf, want) != NULL);
	l = strstr(h_seq_buf, "memtest: mem_map: ");
	CHECK(l != NULL);
	CHECK_EQ(sscanf(l ? l : "", "memtest: mem_map: %lu pages: %lu free in %lu blocks, %lu per-cpu "
			"in %lu blocks, %lu allocated in %lu blocks, %lu reserved, %lu not RAM\n",
			&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]), 9);
	CHECK_EQ(v[0], max_mapnr);
	CHECK_EQ(v[1], z->nr_free_pages);
	CHECK_EQ(v[2], blocks);
	CHECK_EQ(v[3], 0);	/* drained: on the buddy lists now */
	CHECK_EQ(v[4], 0);
	CHECK_EQ(v[5], 1 + 4 + 32);
	CHECK_EQ(v[6], 3);
	CHECK_EQ(v[8], MiB / PAGE_SIZE);
	CHECK_EQ(v[7], max_mapnr - v[8] - z->managed_pages);
	CHECK(v[7] >= 3 && v[7] != v[8]);
	snprintf(want, sizeof(want), "memtest: counters: nr_free_pages %lu, pcp %lu, managed %lu; "
		 "%lu pageblocks\n", z->nr_free_pages, pcp_count(z),
		 z->managed_pages, z->nr_pageblocks);
	CHECK(strstr(h_seq_buf, want) != NULL);
	CHECK_EQ(z->nr_pageblocks, DIV_ROUND_UP(max_mapnr, pageblock_nr_pages));
	CHECK(strstr(h_seq_buf, "\nmemtest: ok: 0 violations\n") != NULL);
	if (htest_case_failed)
		printf("%s", h_seq_buf);
	__free_pages(a, 0);
	__free_pages(b, 2);
	__free_pages(c, 5);
}

/* The checker must catch broken state, or its passes mean nothing. */
static void test_memtest_detects(void)
{
	struct page *p, *q;
	u32 saved;
	unsigned long saved_free;

	CHECK_EQ(h_mm_init_simple(RAM_BASE, 32 * MiB), 0);
	p = alloc_pages(GFP_KERNEL, 2);
	q = alloc_pages(GFP_KERNEL, 0);
	CHECK_EQ(h_check(), 0);
	CHECK(strstr(h_seq_buf, "memtest: ok: 0 violations") != NULL);

	saved = p[1].flags;
	p[1].flags = 1U << PG_head;	/* stray head inside an allocated block */
	CHECK(mm_check_invariants(h_seq_begin()) > 0);
	p[1].flags = saved;

	set_page_count(q, 0);
	CHECK(mm_check_invariants(h_seq_begin()) > 0);
	CHECK(strstr(h_seq_buf, "allocated head with refcount 0") != NULL);
	set_page_count(q, 1);

	saved_free = normal_zone.nr_free_pages;
	normal_zone.nr_free_pages++;
	CHECK(mm_check_invariants(h_seq_begin()) > 0);
	normal_zone.nr_free_pages = saved_free;

	/* A pageblock type one past the last list, an isolated block's saved type
	 * one past the last type: each named, whatever else they upset. */
	{
		u8 mt = normal_zone.pageblock_mt[3], imt = normal_zone.pageblock_isolated_mt[3];
		char line[80];

		normal_zone.pageblock_mt[3] = NR_MIGRATE_LISTS;
		CHECK(mm_check_invariants(h_seq_begin()) > 0);
		snprintf(line, sizeof(line), "pageblock 3: migratetype %d\n", NR_MIGRATE_LISTS);
		CHECK(strstr(h_seq_buf, line) != NULL);
		normal_zone.pageblock_mt[3] = MIGRATE_ISOLATE;
		normal_zone.pageblock_isolated_mt[3] = MIGRATE_TYPES;
		CHECK(mm_check_invariants(h_seq_begin()) > 0);
		snprintf(line, sizeof(line), "pageblock 3: isolated, would go back to migratetype %d\n",
			 MIGRATE_TYPES);
		CHECK(strstr(h_seq_buf, line) != NULL);
		normal_zone.pageblock_isolated_mt[3] = MIGRATE_TYPES - 1;
		mm_check_invariants(h_seq_begin());
		CHECK(strstr(h_seq_buf, "pageblock 3: isolated") == NULL);
		normal_zone.pageblock_mt[3] = mt;
		normal_zone.pageblock_isolated_mt[3] = imt;
		CHECK_EQ(h_check(), 0);
	}

	/* A per-cpu count that lies: the lists are kept, and both counts are named. */
	{
		struct page *d = alloc_pages(GFP_KERNEL, 1);
		unsigned long pcp;
		char line[96];

		__free_pages(d, 1);
		pcp = pcp_count_cpu(&normal_zone, 0);
		CHECK(pcp >= 2);
		normal_zone.per_cpu_pageset[0].room--;
		CHECK(mm_check_invariants(h_seq_begin()) > 0);
		snprintf(line, sizeof(line), "VIOLATION: cpu 0: per-cpu lists hold %lu pages, pcp "
			 "count says %lu\n", pcp, pcp + 1);
		CHECK(strstr(h_seq_buf, line) != NULL);
		CHECK(strstr(h_seq_buf, ", 1 cores' lists unsound: kept\n") != NULL);
		if (htest_case_failed)
			printf("%s", h_seq_buf);
		normal_zone.per_cpu_pageset[0].room++;
		CHECK_EQ(h_check(), 0);
	}

	drain_all_pages();
	{
		/* Unmerge two buddies by hand: the checker must see it. */
		struct page *b = alloc_pages(GFP_KERNEL, 1);
		unsigned long idx = (unsigned long)(b - mem_map);
		int mt = get_pageblock_migratetype(b);

		CHECK_EQ(h_check(), 0);
		/* Turn the allocated order-1 block into two free order-0 blocks. */
		b[0]._refcount = 0;
		b[0].flags = 0;
		__free_one_page(&normal_zone, (u32)idx, 0, mt, false);
		normal_zone.nr_free_pages++;
		/* __free_one_page merged it: now take b+1 (still "allocated" tail) */
		CHECK(mm_check_invariants(h_seq_begin()) > 0);
	}
	/* The corruption above is not undone; re-init for later tests. */
	CHECK_EQ(h_mm_init_simple(RAM_BASE, 32 * MiB), 0);
	CHECK_EQ(h_check(), 0);
}

int main(void)
{
	host_quiet = true;
	RUN(test_init_basic);
	RUN(test_init_layouts);
	RUN(test_alloc_each_order);
	RUN(test_exhaust);
	RUN(test_bad_frees);
	RUN(test_bad_free_holes);
	RUN(test_gfp_values);
	RUN(test_gfp_format);
	RUN(test_gfp_name_order);
	RUN(test_gfp_parse);
	RUN(test_gfp_flags_effects);
	RUN(test_page_ref);
	RUN(test_stats_format);
	RUN(test_meminfo_order);
	RUN(test_memtest_summary);
	RUN(test_memtest_detects);
	return HTEST_DONE();
}
