// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of mm/page_owner_stream.c on the real allocator with page_owner
 * on: `page_owner --format=stream` decoded by the host decoder
 * (lib/owner_stream.c, as tools/po_decode does) is the text dump byte for
 * byte: every record, with masks of every migratetype, compound flags,
 * contexts of their own and freed blocks since a checkpoint; `--pfns` keeps
 * exactly the heads in range, a last block cut by the range's end included;
 * a text stream (`leaks --format=stream`, `page_owner_stacks`) is the text
 * command's output byte for byte, each distinct line sent once; and a stack
 * travels once a stream wherever its handle lies in the depot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/owner_stream.h>
#include <ferret/page_owner.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/stackdepot.h>

#include "host_kernel.h"
#include "htest.h"
#include "ostream_test_util.h"

#define RAM_PHYS	0x40000000UL
#define RAM_SIZE	(64UL << 20)

static char *ram;
static char wire[4 << 20], dump[4 << 20];

/* ---- the decoder's side ---- */

static char text[4 << 20];
static size_t text_len;
static unsigned long nrecs, nlost, rec_pfn[4096];

static void on_record(void *priv, unsigned long pfn, unsigned int order, const char *t,
		      size_t len)
{
	if (text_len + len <= sizeof(text)) {
		memcpy(text + text_len, t, len);
		text_len += len;
	}
	if (nrecs < ARRAY_SIZE(rec_pfn))
		rec_pfn[nrecs] = pfn;
	nrecs++;
}

static void on_lost(void *priv, unsigned long start, unsigned long end, const char *why)
{
	printf("# lost 0x%lx-0x%lx: %s\n", start, end, why);
	nlost++;
}

static void *dec_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

/* Decode @len bytes of stream; false if it had no trailer. */
static bool decode(const char *w, size_t len)
{
	struct ostream_dec d = { .realloc = dec_realloc, .free = free, .record = on_record,
				 .lost = on_lost };
	bool trailer;
	text_len = 0;
	nrecs = nlost = 0;
	ostream_dec_lines(&d, w, len);
	trailer = d.have_trailer;
	ostream_dec_finish(&d);
	return trailer;
}

/* ---- the kernel's side ---- */

static size_t stream(unsigned long start, unsigned long end, u64 since_us, unsigned long *sent)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, wire, sizeof(wire));
	*sent = page_owner_stream(&m, start, end, since_us, false);
	CHECK(ctx.len < sizeof(wire) - 1);
	return ctx.len;
}

static size_t text_dump(u64 since_us)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, dump, sizeof(dump));
	page_owner_dump_since(&m, since_us);
	CHECK(ctx.len < sizeof(dump) - 1);
	return ctx.len;
}

static unsigned long count(const char *s, const char *what)
{
	unsigned long n = 0;

	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

/* The stream decoded against the text dump: the same bytes, record for record. */
static void check_same(u64 since_us)
{
	unsigned long sent;
	size_t wl = stream(0, ~0UL, since_us, &sent), dl = text_dump(since_us);

	CHECK(decode(wire, wl));
	CHECK_EQ(nlost, 0);
	CHECK_EQ(nrecs, sent);
	CHECK_EQ(text_len, dl);
	CHECK(text_len == dl && !memcmp(text, dump, dl));
	if (htest_case_failed) {
		for (size_t i = 0; i < dl && i < text_len; i++)
			if (text[i] != dump[i]) {
				printf("# differs at %zu:\n# stream: %.200s\n# text:   %.200s\n", i,
				       text + (i > 80 ? i - 80 : 0), dump + (i > 80 ? i - 80 : 0));
				break;
			}
	}
}

static __noinline struct page *site(gfp_t gfp, unsigned int order)
{
	return alloc_pages(gfp, order);
}

static __noinline void free_site(struct page *p, unsigned int order)
{
	__free_pages(p, order);
}

/* A block of each mask and migratetype, compound and not, from two contexts. */
static struct page *held[12];
static const struct {
	gfp_t gfp;
	unsigned int order;
} kinds[12] = {
	{ GFP_KERNEL, 0 },
	{ GFP_KERNEL | __GFP_ZERO, 3 },
	{ GFP_HIGHUSER_MOVABLE, 0 },
	{ GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2 },
	{ GFP_ATOMIC, 1 },
	{ GFP_KERNEL | __GFP_RECLAIMABLE, 0 },
	{ GFP_KERNEL | __GFP_COMP, 4 },
	{ GFP_NOWAIT | __GFP_NOWARN, 0 },
	{ GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_COMP, 1 },
	{ GFP_USER, 0 },
	{ GFP_KERNEL, 9 },
	{ GFP_HIGHUSER_MOVABLE, 5 },
};

static void test_setup(void)
{
	int me = current_pid(), worker = task_ctx_register("po_worker");

	host_quiet = true;
	host_track_stacks();
	CHECK_EQ(host_mm_init(ram, RAM_PHYS, RAM_SIZE, "page_owner=on"), 0);
	CHECK(worker > 0);
	task_ctx_table[worker].tgid = me;	/* a tgid apart from the pid */
	for (int i = 0; i < 12; i++) {
		if (i == 6)
			task_ctx_switch(worker);
		held[i] = site(kinds[i].gfp, kinds[i].order);
		CHECK(held[i] != NULL);
	}
	task_ctx_switch(me);
}

static void test_stream_is_the_dump(void)
{
	text_dump(0);
	/* What the comparison rests on: the dump has every kind of line. */
	CHECK(strstr(dump, "mask 0xcc0(GFP_KERNEL), pid ") != NULL);
	CHECK(strstr(dump, "type Movable Block ") != NULL);
	CHECK(strstr(dump, "type Reclaimable Block ") != NULL);
	CHECK(strstr(dump, "tgid 0 (po_worker)") != NULL);
	CHECK(strstr(dump, "Flags 0x") != NULL && strstr(dump, "head") != NULL);
	CHECK(strstr(dump, " site+0x") != NULL);
	check_same(0);
	CHECK(nrecs >= 12);
	CHECK_EQ(nrecs, count(dump, "Page allocated via order "));
}

/* Since a checkpoint: the blocks allocated and freed after it, freed ones included. */
static void test_since_with_frees(void)
{
	int me = current_pid(), worker = task_ctx_register("po_worker");
	u64 ts_ns;
	struct page *p, *q;

	host_fake_time_ns = 50000000000ULL;
	CHECK_EQ(page_owner_checkpoint("po_stream", &ts_ns), 0);
	host_fake_time_ns += 1000000;
	p = site(GFP_KERNEL | __GFP_ZERO, 2);
	task_ctx_switch(worker);
	q = site(GFP_HIGHUSER_MOVABLE, 0);
	free_site(held[0], kinds[0].order);		/* freed by the worker */
	held[0] = NULL;
	task_ctx_switch(me);
	free_site(held[2], kinds[2].order);
	held[2] = NULL;
	host_fake_time_ns += 1000000;

	text_dump(ts_ns / 1000);
	CHECK(strstr(dump, "free_ts") != NULL || strstr(dump, "freed") != NULL);
	CHECK(strstr(dump, "po_worker") != NULL);
	check_same(ts_ns / 1000);
	CHECK(nrecs >= 4);
	free_site(p, 2);
	free_site(q, 0);
	host_fake_time_ns = 0;
}

/* --pfns a-b: exactly the heads in [a, b), in order, each as the dump prints it. */
static void test_pfn_range(void)
{
	unsigned long a = page_to_pfn(held[3]), b = page_to_pfn(held[10]) + 1, sent;
	unsigned long lo = a < b ? a : b - 1, hi = a < b ? b : a + 1;
	size_t wl = stream(lo, hi, 0, &sent), all;

	CHECK(decode(wire, wl));
	CHECK_EQ(nlost, 0);
	CHECK_EQ(nrecs, sent);
	CHECK(nrecs >= 2);
	if (htest_case_failed) {
		for (int i = 0; i < 12; i++)
			printf("# held[%d] 0x%lx\n", i, held[i] ? page_to_pfn(held[i]) : 0);
		printf("# 0x%lx-0x%lx\n%s", lo, hi, wire);
		text_dump(0);
		printf("%s", dump);
	}
	for (unsigned long i = 0; i < nrecs && i < ARRAY_SIZE(rec_pfn); i++)
		CHECK(rec_pfn[i] >= lo && rec_pfn[i] < hi);
	/* Every record of the full dump whose head is in range, none other. */
	all = text_dump(0);
	{
		unsigned long want = 0;
		const char *p = dump;

		while ((p = strstr(p, "\nPFN 0x")) && p < dump + all) {
			unsigned long pfn = strtoul(p + 7, NULL, 16);

			want += pfn >= lo && pfn < hi;
			p++;
		}
		CHECK_EQ(nrecs, want);
	}
	/* An empty range and one past the end: a header and a trailer, no record. */
	wl = stream(hi, hi, 0, &sent);
	CHECK(decode(wire, wl));
	CHECK_EQ(nrecs, 0);
	CHECK_EQ(sent, 0);
	wl = stream(~0UL - 1, ~0UL, 0, &sent);
	CHECK(decode(wire, wl));
	CHECK_EQ(nrecs, 0);
	wl = stream(hi, lo, 0, &sent);
	CHECK(decode(wire, wl));
	CHECK_EQ(nrecs, 0);
}

static void show_stacks(struct seq_file *m, void *arg)
{
	page_owner_show_stacks(m, 0);
}

/* A long line: longer than a text piece, split and joined again. */
static void long_lines(struct seq_file *m, void *arg)
{
	static const size_t len[] = { OSTREAM_TEXT_PIECE - 1, OSTREAM_TEXT_PIECE,
				      OSTREAM_TEXT_PIECE + 1, 3 * OSTREAM_TEXT_PIECE + 7, 1 };
	char line[3 * OSTREAM_TEXT_PIECE + 8];

	for (int i = 0; i < 5; i++) {
		size_t n = len[i] - 1;

		memset(line, 'a' + i, n);
		line[n] = '\n';
		seq_write(m, line, n + 1);
	}
	seq_puts(m, "no newline at the end");
}

static void check_text_stream(const char *kind, void (*fn)(struct seq_file *m, void *arg))
{
	struct seq_buf_ctx ctx, dctx;
	struct seq_file m, dm;

	seq_init_buf(&dm, &dctx, dump, sizeof(dump));
	fn(&dm, NULL);
	seq_init_buf(&m, &ctx, wire, sizeof(wire));
	page_owner_text_stream(&m, kind, fn, NULL);
	CHECK(strstr(wire, kind) != NULL);
	CHECK(decode(wire, ctx.len));
	CHECK_EQ(nlost, 0);
	CHECK_EQ(text_len, dctx.len);
	CHECK(text_len == dctx.len && !memcmp(text, dump, dctx.len));
}

/* 2000 copies of one line among a few others: each distinct line travels once. */
static void repeated_lines(struct seq_file *m, void *arg)
{
	for (int i = 0; i < 2000; i++)
		seq_printf(m, i % 500 ? " the same frame line, again and again+0x1c/0x80\n" :
					"a line of its own, number %d\n", i);
}

static void test_text_stream(void)
{
	check_text_stream("leaks", repeated_lines);
	/* ~100 KB of text: a few bytes a repeated line. */
	CHECK(text_len > 90000);
	printf("# %zu bytes of text: %zu bytes of stream\n", text_len, strlen(wire));
	CHECK(strlen(wire) * 8 < text_len);
	check_text_stream("stacks", show_stacks);
	/* The held blocks but the two freed: 581 - 2 pages, one stack. */
	CHECK_EQ(count(dump, "nr_base_pages: "), 1);
	CHECK(strstr(dump, " site+0x") && strstr(dump, "\nnr_base_pages: 579\n\n"));
	if (htest_case_failed)
		printf("%s", dump);
	check_text_stream("leaks", long_lines);
}

static __noinline struct page *site_x(void)
{
	return alloc_pages(GFP_KERNEL, 0);
}

static __noinline struct page *site_y(void)
{
	return alloc_pages(GFP_KERNEL, 1);
}

/* The stream's size for the pfns of blocks [0, @n) of @pairs (their range). */
static size_t stream_size(struct page **pairs, unsigned int n)
{
	unsigned long lo = ~0UL, hi = 0, sent;

	for (unsigned int i = 0; i < n; i++) {
		unsigned long pfn = page_to_pfn(pairs[i]);

		lo = pfn < lo ? pfn : lo;
		hi = pfn + 2 > hi ? pfn + 2 : hi;
	}
	return stream(lo, hi, 0, &sent);
}

/*
 * A stack travels once a stream wherever its handle lies in the depot:
 * with the depot 15/16 full (the blocks' stacks stored last, at the top),
 * 200 more blocks of two alternating stacks cost a few bytes each.
 */
static void test_stacks_sent_once(void)
{
	static struct page *pairs[600];
	unsigned long e[4], text_base;
	u32 used, words;
	size_t small, big;
	unsigned int k = 0;

	stack_depot_default_state(&used, &words, &text_base);
	while (used < words / 16 * 15) {
		for (int i = 0; i < 4; i++)
			e[i] = text_base + 16 + ((k >> (8 * i)) & 255) * 4;
		CHECK(stack_depot_save(e, 4) != STACK_DEPOT_HANDLE_FULL);
		k++;
		stack_depot_default_state(&used, &words, &text_base);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(pairs); i++) {
		pairs[i] = i % 2 ? site_y() : site_x();
		CHECK(pairs[i] != NULL);
	}
	stack_depot_default_state(&used, &words, &text_base);
	CHECK(used < words);		/* the blocks' stacks stored, not "depot full" */
	small = stream_size(pairs, 200);
	CHECK(decode(wire, small));
	CHECK_EQ(nlost, 0);
	big = stream_size(pairs, 400);
	CHECK(decode(wire, big));
	CHECK_EQ(nlost, 0);
	printf("# 200 blocks: %zu bytes, 400 blocks: %zu bytes\n", small, big);
	CHECK(big > small);
	CHECK(big - small < 200 * 6);
	for (unsigned int i = 0; i < ARRAY_SIZE(pairs); i++)
		__free_pages(pairs[i], i % 2);
}

int main(void)
{
	ram = host_slab_ram(RAM_SIZE);
	if (!ram)
		return 2;
	RUN(test_setup);
	RUN(test_stream_is_the_dump);
	RUN(test_since_with_frees);
	RUN(test_pfn_range);
	RUN(test_text_stream);
	RUN(test_stacks_sent_once);	/* last: it fills the depot */
	return HTEST_DONE();
}
