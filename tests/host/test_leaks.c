// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of page_owner's checkpoints and leak reports (mm/page_owner.c)
 * on the real allocator: which blocks count as "after" a checkpoint, the
 * per-stack and per-context sums and their order, the threshold, the text,
 * pprof and folded formats, the aggregation table running out, and reports
 * taken with the zone lock held (the panic console's lock-free mode).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ferret/gfp.h>
#include <ferret/kallsyms.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/spinlock.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>

#include "host_kernel.h"
#include "htest.h"

#define RAM_PHYS	0x40000000UL
#define RAM_SIZE	(64UL << 20)

int main(void);
static char *ram;
static char out[1 << 20];

static void mm_setup(void)
{
	host_quiet = true;
	CHECK_EQ(host_mm_init(ram, RAM_PHYS, RAM_SIZE, "page_owner=on"), 0);
	host_quiet = false;
	CHECK(page_owner_inited);
}

/* ---- allocation sites ---- */

static __noinline struct page *leak_site(void)
{
	return alloc_pages(GFP_KERNEL, 0);
}

static __noinline struct page *cache_site(unsigned int order)
{
	return alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
}

/*
 * Distinct stacks: recursing @depth levels, level d (1..) calls on from one
 * of two call sites chosen by bit d - 1 of @bits, so the return addresses of
 * the innermost levels spell @bits (all 16 kept frames are fan's own).
 */
static __noinline struct page *fan(unsigned int bits, unsigned int depth)
{
	struct page *p;

	if (!depth)
		return alloc_pages(GFP_KERNEL, 0);
	if ((bits >> (depth - 1)) & 1) {
		p = fan(bits, depth - 1);
		__asm__ __volatile__("nop" ::: "memory");
	} else {
		p = fan(bits, depth - 1);
		__asm__ __volatile__("nop; nop" ::: "memory");
	}
	return p;
}

enum { FMT_T = PAGE_OWNER_FMT_TEXT, FMT_P = PAGE_OWNER_FMT_PPROF, FMT_F = PAGE_OWNER_FMT_FOLDED };

static long leaks(const char *since, unsigned long threshold, int fmt)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, out, sizeof(out));
	return page_owner_leaks(&m, since, threshold, (enum page_owner_format)fmt);
}

/* "<pages> pages in <blocks> blocks from <ctx>" heading of the entry whose first frame is @func. */
static bool entry_of(const char *func, unsigned long *pages, unsigned long *blocks, char *ctx,
		     size_t ctx_size)
{
	char key[128];
	const char *p, *h;

	snprintf(key, sizeof(key), "\n %s+0x", func);
	p = strstr(out, key);
	if (!p)
		return false;
	for (h = p; h > out && h[-1] != '\n'; h--)
		;
	if (sscanf(h, "%lu pages in %lu blocks from ", pages, blocks) != 2)
		return false;
	h = strstr(h, " from ") + 6;
	snprintf(ctx, ctx_size, "%.*s", (int)(p - h), h);
	return true;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* ---- tests ---- */

static struct page *held[64];
static unsigned int nr_held;

/* @na blocks in context @a, then @nb in @b, all from one stack. */
static __noinline void leak_n(int a, unsigned int na, int b, unsigned int nb)
{
	int prev = task_ctx_switch(a);

	for (unsigned int i = 0; i < na + nb; i++) {
		if (i == na)
			task_ctx_switch(b);
		held[nr_held++] = leak_site();
	}
	task_ctx_switch(prev);
}

static __noinline void test_checkpoint_boundary(void)
{
	unsigned long pages, blocks;
	char ctx[128];
	struct page *before, *after;
	u64 ts;

	host_fake_time_ns = 7000000000ULL;
	before = leak_site();			/* same microsecond as the checkpoint */
	CHECK_EQ(page_owner_checkpoint("one", &ts), 0);
	CHECK_EQ(ts, 7000000000ULL);
	host_fake_time_ns += 1000;		/* the next microsecond */
	after = leak_site();
	CHECK_EQ(leaks("one", 0, FMT_T), 1);
	CHECK(strstr(out, "leaks since checkpoint 'one' (ts 7000000000 ns): stacks holding at "
			  "least 1 page\n\n") == out);
	CHECK(entry_of("leak_site", &pages, &blocks, ctx, sizeof(ctx)));
	CHECK_EQ(pages, 1);
	CHECK_EQ(blocks, 1);
	CHECK(!strcmp(ctx, "boot"));
	CHECK(strstr(out, "\n test_checkpoint_boundary+0x") != NULL);
	CHECK(strstr(out, "\n1 stack, 1 pages in 1 blocks\n") != NULL);
	if (htest_case_failed)
		printf("# %s", out);
	/* Freed: gone. Unknown name: -1. No name: the latest checkpoint. */
	__free_pages(after, 0);
	CHECK_EQ(leaks(NULL, 0, FMT_T), 0);
	CHECK(strstr(out, "since checkpoint 'one'") != NULL);
	CHECK_EQ(leaks("two", 0, FMT_T), -1);
	__free_pages(before, 0);
	host_fake_time_ns = 0;

	/* Names: printable, 1..15 characters; the table keeps the newest 16. */
	CHECK_EQ(page_owner_checkpoint("", NULL), -1);
	CHECK_EQ(page_owner_checkpoint("a b", NULL), -1);
	CHECK_EQ(page_owner_checkpoint("0123456789abcdef", NULL), -1);
	CHECK_EQ(page_owner_checkpoint("0123456789abcde", NULL), 0);
	for (int i = 0; i < PAGE_OWNER_CHECKPOINTS + 2; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%d", i);
		CHECK_EQ(page_owner_checkpoint(name, NULL), 0);
	}
	CHECK_EQ(leaks("c0", 0, FMT_T), -1);
	CHECK_EQ(leaks("c1", 0, FMT_T), -1);
	CHECK(leaks("c2", 0, FMT_T) >= 0);
	/* Taking a name again moves it to now (the newest). */
	CHECK_EQ(page_owner_checkpoint("c2", NULL), 0);
	{
		struct seq_buf_ctx ctx2;
		struct seq_file m;

		seq_init_buf(&m, &ctx2, out, sizeof(out));
		page_owner_list_checkpoints(&m);
		CHECK(!strncmp(out, "c3 ", 3));
		CHECK(strstr(out, "\nc2  ") != NULL && !strstr(strstr(out, "\nc2  ") + 1, "\nc"));
	}
}

static __noinline void test_sums_order_and_contexts(void)
{
	int me = current_task()->pid, net = task_ctx_register("netstack");
	unsigned long pages, blocks;
	char ctx[128];

	CHECK_EQ(page_owner_checkpoint("sums", NULL), 0);
	nr_held = 0;
	leak_n(me, 5, net, 3);	/* one stack, two contexts */
	task_ctx_switch(net);
	for (int i = 0; i < 4; i++)
		held[nr_held++] = cache_site(2);	/* 16 pages in 4 blocks */
	task_ctx_switch(me);

	CHECK_EQ(leaks(NULL, 0, FMT_T), 2);
	/* Most pages first: cache_site (16) before leak_site (8). */
	CHECK(strstr(out, "\n cache_site+0x") < strstr(out, "\n leak_site+0x"));
	CHECK(entry_of("cache_site", &pages, &blocks, ctx, sizeof(ctx)));
	CHECK_EQ(pages, 16);
	CHECK_EQ(blocks, 4);
	CHECK(!strcmp(ctx, "netstack"));
	CHECK(entry_of("leak_site", &pages, &blocks, ctx, sizeof(ctx)));
	CHECK_EQ(pages, 8);
	CHECK_EQ(blocks, 8);
	CHECK(!strcmp(ctx, "boot (5 pages), netstack (3 pages)"));
	CHECK(strstr(out, "\n2 stacks, 24 pages in 12 blocks\n") != NULL);

	/* Threshold: hidden stacks are summed, not listed. */
	CHECK_EQ(leaks(NULL, 9, FMT_T), 1);
	CHECK(strstr(out, "leak_site") == NULL);
	CHECK(strstr(out, "\n1 stack, 16 pages in 4 blocks; 8 pages in 8 blocks from 1 stack "
			  "below the threshold\n") != NULL);
	CHECK_EQ(leaks(NULL, 100, FMT_T), 0);
	if (htest_case_failed)
		printf("# %s", out);
}

static __noinline void test_formats(void)
{
	unsigned long a[PAGE_OWNER_STACK_DEPTH];
	char *l;
	unsigned long blocks, bytes, b2, y2;
	unsigned int n;

	/* pprof: header totals, then "<blocks>: <bytes> [..] @ pcs", innermost first. */
	CHECK_EQ(leaks(NULL, 0, FMT_P), 2);
	CHECK(starts_with(out, "heap profile: 12: 98304 [12: 98304] @ heap_v2/1\n"));
	l = strchr(out, '\n') + 1;
	CHECK(sscanf(l, "%lu: %lu [%lu: %lu] @ ", &blocks, &bytes, &b2, &y2) == 4);
	CHECK_EQ(blocks, 4);
	CHECK_EQ(bytes, 16 * 4096);
	CHECK_EQ(b2, blocks);
	CHECK_EQ(y2, bytes);
	/* The first pc is the return address minus one (pprof takes it as a pc). */
	n = 0;
	for (char *p = strchr(l, '@') + 1; *p == ' ' && n < PAGE_OWNER_STACK_DEPTH; n++)
		a[n] = strtoul(p + 1, &p, 16);
	CHECK(n >= 2);
	{
		unsigned long size, off;
		const char *name = kallsyms_lookup(a[0], &size, &off);
		const char *name1 = kallsyms_lookup(a[1] - 1, &size, &off);

		CHECK(name && !strcmp(name, "cache_site"));
		CHECK(name1 && !strcmp(name1, "test_sums_order_and_contexts"));
	}
	/* Threshold applies to the header too. */
	CHECK_EQ(leaks(NULL, 9, FMT_P), 1);
	CHECK(starts_with(out, "heap profile: 4: 65536 [4: 65536] @ heap_v2/1\n"));
	CHECK_EQ(strchr(strchr(out, '\n') + 1, '\n')[1], '\0');

	/* folded: outermost first, ';' joined names, pages last. */
	CHECK_EQ(leaks(NULL, 0, FMT_F), 2);
	CHECK(strstr(out, "main;test_sums_order_and_contexts;") != NULL);
	CHECK(strstr(out, "test_sums_order_and_contexts;cache_site 16\n") != NULL);
	CHECK(strstr(out, "test_sums_order_and_contexts;leak_n;leak_site 8\n") != NULL);
	CHECK(strchr(out, '+') == NULL && strchr(out, '/') == NULL);
	if (htest_case_failed)
		printf("# %s", out);
	for (unsigned int i = 0; i < nr_held; i++)
		__free_pages(held[i], i >= 8 ? 2 : 0);
	nr_held = 0;
	CHECK_EQ(leaks(NULL, 0, FMT_P), 0);
	CHECK(!strcmp(out, "heap profile: 0: 0 [0: 0] @ heap_v2/1\n"));
}

static __noinline void test_stacks_profile(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	struct page *p[3];

	for (int i = 0; i < 3; i++)
		p[i] = cache_site(1);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK(page_owner_stacks_profile(&m, 0, PAGE_OWNER_FMT_FOLDED) >= 1);
	CHECK(strstr(out, ";test_stacks_profile;cache_site 6\n") != NULL);
	/* The early placeholder (boot) is a stack like any other. */
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(page_owner_stacks_profile(&m, 6, PAGE_OWNER_FMT_FOLDED), 1);
	CHECK(strstr(out, "cache_site 6\n") != NULL);
	/* The text header: 0 and 1 mean at least one page, in the singular. */
	for (unsigned long th = 0; th <= 2; th++) {
		seq_init_buf(&m, &ctx, out, sizeof(out));
		page_owner_stacks_profile(&m, th, PAGE_OWNER_FMT_TEXT);
		CHECK(strstr(out, th < 2 ? "allocated blocks: stacks holding at least 1 page\n\n" :
				  "allocated blocks: stacks holding at least 2 pages\n\n") == out);
	}
	if (htest_case_failed)
		printf("# %s", out);
	for (int i = 0; i < 3; i++)
		__free_pages(p[i], 1);
}

static __noinline void test_lockless_with_zone_lock_held(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	unsigned long flags;
	struct page *p;

	CHECK_EQ(page_owner_checkpoint("locked", NULL), 0);
	p = leak_site();
	/* As after a crash inside the allocator: the zone lock is held. */
	spin_lock_irqsave(&normal_zone.lock, flags);
	page_owner_set_lockless(true);
	CHECK_EQ(leaks(NULL, 0, FMT_T), 1);
	CHECK(strstr(out, "\n leak_site+0x") != NULL);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK(page_owner_dump(&m) >= 1);
	CHECK(strstr(out, "\n leak_site+0x") != NULL);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK(page_owner_stacks_profile(&m, 0, PAGE_OWNER_FMT_PPROF) >= 1);
	page_owner_set_lockless(false);
	spin_unlock_irqrestore(&normal_zone.lock, flags);
	__free_pages(p, 0);
}

static struct page *fanned[4096];

static __noinline void test_table_full(void)
{
	const unsigned int n = 1U << 11;
	struct stack_depot_stats st;
	unsigned long lost_pages = 0, lost_blocks = 0, pages = 0, blocks = 0;
	const char *p;
	long printed;

	CHECK_EQ(page_owner_checkpoint("fan", NULL), 0);
	for (unsigned int i = 0; i < n; i++)
		fanned[i] = fan(i, PAGE_OWNER_STACK_DEPTH);
	stack_depot_get_stats(&st);
	CHECK_EQ(st.failures, 0);
	/* 2^11 distinct (stack, context) pairs: one more than the table takes. */
	printed = leaks("fan", 0, FMT_T);
	CHECK_EQ(printed, PAGE_OWNER_LEAK_SLOTS - 1);
	p = strstr(out, "\n2047 stacks, ");
	CHECK(p && sscanf(p, "\n2047 stacks, %lu pages in %lu blocks", &pages, &blocks) == 2);
	p = strstr(out, "\n1 pages in 1 blocks not counted: more than 2047 (stack, context) pairs\n");
	CHECK(p != NULL);
	if (p)
		sscanf(p, "\n%lu pages in %lu blocks not", &lost_pages, &lost_blocks);
	CHECK_EQ(pages + lost_pages, n);
	CHECK_EQ(blocks + lost_blocks, n);
	/*
	 * Above a threshold no stack reaches, the summary's hidden part is what
	 * was counted: the pair that did not fit is in neither.
	 */
	leaks("fan", 2, FMT_T);
	{
		char want[160];

		snprintf(want, sizeof(want), "\n0 stacks, 0 pages in 0 blocks; %lu pages in %lu blocks "
			 "from %lu stacks below the threshold\n", pages, blocks, blocks);
		CHECK(strstr(out, want) != NULL);
	}
	/* Machine formats flag it as a comment line. */
	leaks("fan", 0, FMT_F);
	CHECK(strstr(out, "\n# 1 pages in 1 blocks not counted") != NULL);
	if (htest_case_failed)
		printf("# %.2000s", out);
	for (unsigned int i = 0; i < n; i++)
		__free_pages(fanned[i], 0);
}

/* "gfp/ctx: N of 255 pairs interned, M overflows": M. */
static unsigned long actx_overflows(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	unsigned long n = 0, max = 0, over = 0;
	const char *l;

	seq_init_buf(&m, &ctx, out, sizeof(out));
	page_owner_show_stats(&m);
	l = strstr(out, "gfp/ctx:");
	CHECK(l && sscanf(l, "gfp/ctx: %lu of %lu pairs interned, %lu overflows", &n, &max,
			  &over) == 3);
	CHECK_EQ(max, 255);
	return over;
}

/*
 * The (gfp, context) table full: a new pair is recorded as unknown (gfp 0,
 * pid -1) and counted as an overflow; its leak comes "from unknown", its dump
 * record says so in every field. Last: the table stays full.
 */
static __noinline void test_contexts_full(void)
{
	static const gfp_t extra[] = { 0, __GFP_NOWARN, __GFP_ZERO, __GFP_NORETRY,
				       __GFP_NOWARN | __GFP_ZERO, __GFP_NOWARN | __GFP_NORETRY,
				       __GFP_ZERO | __GFP_NORETRY, __GFP_COMP };
	int me = current_task()->pid, pid = me;
	unsigned long pages, blocks;
	char name[16], ctx[128], want[160];
	struct page *p;

	CHECK_EQ(actx_overflows(), 0);
	for (int c = 0; c < 40 && !actx_overflows(); c++) {
		snprintf(name, sizeof(name), "ctx%d", c);
		pid = task_ctx_register(name);
		task_ctx_switch(pid);
		for (unsigned int k = 0; k < ARRAY_SIZE(extra); k++)
			__free_pages(alloc_pages(GFP_KERNEL | extra[k], 0), 0);
	}
	task_ctx_switch(me);
	CHECK(actx_overflows() > 0);
	CHECK_EQ(page_owner_checkpoint("full", NULL), 0);
	task_ctx_switch(task_ctx_register("latecomer"));
	p = leak_site();
	task_ctx_switch(me);
	CHECK_EQ(leaks("full", 0, FMT_T), 1);
	CHECK(entry_of("leak_site", &pages, &blocks, ctx, sizeof(ctx)));
	CHECK_EQ(pages, 1);
	CHECK(!strcmp(ctx, "unknown"));
	{
		struct seq_buf_ctx sctx;
		struct seq_file m;

		seq_init_buf(&m, &sctx, out, sizeof(out));
		page_owner_dump(&m);
		snprintf(want, sizeof(want), "Page allocated via order 0, mask 0x0(), pid -1, tgid -1 "
			 "(unknown), ts ");
		CHECK(strstr(out, want) != NULL);
	}
	if (htest_case_failed)
		printf("# %.3000s", out);
	__free_pages(p, 0);
}

int main(void)
{
	ram = aligned_alloc(4UL << 20, RAM_SIZE);
	host_track_stacks();
	mm_setup();
	RUN(test_checkpoint_boundary);
	RUN(test_sums_order_and_contexts);
	RUN(test_formats);
	RUN(test_stacks_profile);
	RUN(test_lockless_with_zone_lock_held);
	RUN(test_table_full);
	RUN(test_contexts_full);
	return HTEST_DONE();
}
