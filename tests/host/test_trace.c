// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the trace ring (mm/trace.c) and the trace events
 * (mm/page_ref.c, the page_ref.h helpers, the allocator's hooks) on the real
 * allocator: Linux's formats field by field, stacks that start at the
 * caller, the pfn filter, overwrite and drop counting, streaming, the
 * per-cpu lists turned off and on, and nothing recorded while off.
 */
#include "trace_test_util.h"

#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/page_ref.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/time.h>
#include <ferret/trace.h>

#include "htest.h"
#include "test_buddy_harness.h"

#define RAM_BASE	0x40000000UL

static char out[1 << 20];

static const char *show(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, out, sizeof(out));
	trace_show(&m);
	return out;
}

static void reset(void)
{
	trace_set_events(0);
	trace_set_stack(false);
	trace_set_overwrite(true);
	trace_filter_clear();
	trace_clear();
}

static void setup(void)
{
	reset();
	CHECK_EQ(h_mm_init_simple(RAM_BASE, 64 * MiB), 0);
	host_quiet = true;
}

static unsigned long entries(void)
{
	struct trace_stats st;

	trace_get_stats(&st);
	return st.entries;
}

static void test_off_records_nothing(void)
{
	struct page *p;

	setup();
	p = alloc_pages(GFP_KERNEL, 1);
	get_page(p);
	put_page(p);
	CHECK(page_ref_inc_return(p) == 2);
	CHECK(!page_ref_dec_and_test(p));
	__free_pages(p, 1);
	CHECK_EQ(entries(), 0);
	CHECK_EQ(normal_zone.pcp.disabled, 0);
	show();
	CHECK(strstr(out, "# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:1\n"
			  "#\n#                                _-----=> irqs-off/BH-disabled\n") == out);
	CHECK(strstr(out, "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
			  "#              | |         |   |||||     |         |\n"));
}

/* "<line>" must be in the output; print the output if not. */
static void expect(const char *line)
{
	if (!strstr(out, line)) {
		printf("# missing: %s\n# in:\n%s", line, out);
		htest_case_failed = 1;
	}
}

/* The event line holding @event has its stack next, whose first frame is @frame. */
static void expect_stack(const char *event, const char *frame)
{
	const char *e = strstr(out, event), *nl = e ? strchr(e, '\n') : NULL;
	const char *st = nl ? strstr(nl + 1, ": <stack trace>\n => ") : NULL;

	if (!st || memchr(nl + 1, '\n', (size_t)(st - nl - 1)) ||
	    strncmp(st + 20, frame, strlen(frame))) {
		printf("# %s: not the stack of %s\n# in:\n%s", frame, event, out);
		htest_case_failed = 1;
	}
}

static void test_page_ref_events(void)
{
	char line[256];
	struct page *p;
	unsigned long pfn;

	setup();
	p = alloc_pages(GFP_KERNEL, 0);
	pfn = page_to_pfn(p);
	trace_set_events(TRACE_EVENTS_PAGE_REF);
	host_fake_time_ns = 12 * NSEC_PER_SEC + 345678 * NSEC_PER_USEC + 999;

	page_ref_add(p, 2);			/* 3 */
	page_ref_sub(p, 1);			/* 2 */
	CHECK_EQ(page_ref_inc_return(p), 3);
	CHECK_EQ(page_ref_dec_return(p), 2);
	CHECK(!page_ref_dec_and_test(p));	/* 1 */
	CHECK(!page_ref_add_unless(p, 1, 1));
	CHECK(page_ref_add_unless(p, 1, 0));	/* 2 */
	CHECK(!page_ref_freeze(p, 3));
	CHECK(page_ref_freeze(p, 2));		/* 0 */
	page_ref_unfreeze(p, 1);
	set_page_count(p, 1);
	host_fake_time_ns = 0;
	CHECK_EQ(entries(), 11);
	show();
	expect("# entries-in-buffer/entries-written: 11/11   #P:1\n");
	/* Linux's context: %16s-%-7d [%03d] irq-info " %5lu.%06lu: " */
	snprintf(line, sizeof(line), "            boot-0       [000] .....    12.345678: "
		 "page_ref_mod: pfn=0x%lx flags=block|order=0 count=3 mapcount=0 "
		 "mapping=0000000000000000 mt=0 val=2\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_mod: pfn=0x%lx flags=block|order=0 count=2 mapcount=0 "
		 "mapping=0000000000000000 mt=0 val=-1\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_mod_and_return: pfn=0x%lx flags=block|order=0 count=3 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=1 ret=3\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_mod_and_return: pfn=0x%lx flags=block|order=0 count=2 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=-1 ret=2\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_mod_and_test: pfn=0x%lx flags=block|order=0 count=1 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=-1 ret=0\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_mod_unless: pfn=0x%lx flags=block|order=0 count=1 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=1 ret=0\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_mod_unless: pfn=0x%lx flags=block|order=0 count=2 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=1 ret=1\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_freeze: pfn=0x%lx flags=block|order=0 count=2 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=3 ret=0\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_freeze: pfn=0x%lx flags=block|order=0 count=0 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=2 ret=1\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_unfreeze: pfn=0x%lx flags=block|order=0 count=1 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=1\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_set: pfn=0x%lx flags=block|order=0 count=1 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=1\n", pfn);
	expect(line);
	/* No event of the allocator itself (page_ref only), no stack. */
	CHECK(!strstr(out, "mm_page_") && !strstr(out, "<stack trace>"));
	CHECK_EQ(normal_zone.pcp.disabled, 1);	/* page_ref_set is an allocator event */
	reset();
	CHECK_EQ(normal_zone.pcp.disabled, 0);
	__free_page(p);
	CHECK_EQ(h_check(), 0);
}

static void test_context_flags(void)
{
	struct page *p;
	unsigned long flags;
	int old;

	setup();
	p = alloc_page(GFP_KERNEL);
	trace_set_events(TEV_BIT(TEV_PAGE_REF_MOD));
	flags = arch_local_irq_save();
	get_page(p);
	arch_local_irq_restore(flags);
	old = task_ctx_switch(CTX_PID_IRQ);
	flags = arch_local_irq_save();
	put_page(p);	/* refcount 2 -> 1 is the allocator's page_ref_mod_and_test */
	get_page(p);
	arch_local_irq_restore(flags);
	task_ctx_switch(CTX_PID_CONSOLE);
	page_ref_dec(p);
	task_ctx_switch(old);
	show();
	expect("            boot-0       [000] d.... ");
	expect("             irq-2       [000] d.h.. ");
	expect("         console-1       [000] ..... ");
	CHECK_EQ(entries(), 3);
	reset();
	__free_page(p);
}

static __noinline void holder_site(struct page *page)
{
	get_page(page);
}

static __noinline struct page *alloc_site(void)
{
	return alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2);
}

static __noinline void free_site(struct page *page)
{
	__free_pages(page, 2);
}

static void test_allocator_events_and_stacks(void)
{
	char line[256];
	struct page *p, *q;
	unsigned long pfn;

	setup();
	trace_set_events(TRACE_EVENTS_ALL);
	trace_set_stack(true);
	CHECK_EQ(normal_zone.pcp.disabled, 1);
	CHECK_EQ(pcp_count(&normal_zone), 0);
	p = alloc_site();
	pfn = page_to_pfn(p);
	holder_site(p);
	free_site(p);		/* drops our reference: the holder's keeps it */
	CHECK(PageHead(p));
	CHECK_EQ(page_ref_count(p), 1);
	put_page(p);		/* the last one frees it */
	CHECK(!PageHead(p));
	/* Order 0 with no hook of its own: the fast path must still be traced. */
	q = alloc_page(GFP_KERNEL);
	__free_page(q);
	CHECK_EQ(pcp_count(&normal_zone), 0);
	show();
	snprintf(line, sizeof(line), "page_ref_set: pfn=0x%lx flags=block|order=2 count=1 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=1\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "mm_page_alloc: page=%016lx pfn=0x%lx order=2 "
		 "migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN\n", (unsigned long)p, pfn);
	expect(line);
	expect("<stack trace>\n => alloc_site+0x");
	expect("<stack trace>\n => holder_site+0x");
	expect("<stack trace>\n => free_site+0x");
	expect("<stack trace>\n => test_allocator_events_and_stacks+0x");	/* put_page */
	/* Each event's own stack, from the caller of the mm/ function. */
	snprintf(line, sizeof(line), "page_ref_set: pfn=0x%lx flags=block|order=2 count=1 ", pfn);
	expect_stack(line, "alloc_site+0x");
	snprintf(line, sizeof(line), "mm_page_alloc: page=%016lx pfn=0x%lx order=2 ",
		 (unsigned long)p, pfn);
	expect_stack(line, "alloc_site+0x");
	snprintf(line, sizeof(line), "page_ref_mod: pfn=0x%lx flags=block|order=2 count=2 ", pfn);
	expect_stack(line, "holder_site+0x");
	snprintf(line, sizeof(line), "page_ref_mod_and_test: pfn=0x%lx flags=block|order=2 "
		 "count=1 ", pfn);
	expect_stack(line, "free_site+0x");
	snprintf(line, sizeof(line), "page_ref_mod_and_test: pfn=0x%lx flags=block|order=2 "
		 "count=0 ", pfn);
	expect_stack(line, "test_allocator_events_and_stacks+0x");
	snprintf(line, sizeof(line), "mm_page_free: page=%016lx pfn=0x%lx order=2\n",
		 (unsigned long)p, pfn);
	expect_stack(line, "test_allocator_events_and_stacks+0x");
	snprintf(line, sizeof(line), "page_ref_mod: pfn=0x%lx flags=block|order=2 count=2 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=1\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_mod_and_test: pfn=0x%lx flags=block|order=2 count=1 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=-1 ret=0\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "page_ref_mod_and_test: pfn=0x%lx flags=block|order=2 count=0 "
		 "mapcount=0 mapping=0000000000000000 mt=0 val=-1 ret=1\n", pfn);
	expect(line);
	snprintf(line, sizeof(line), "mm_page_free: page=%016lx pfn=0x%lx order=2\n",
		 (unsigned long)p, pfn);
	expect(line);
	snprintf(line, sizeof(line), "mm_page_alloc: page=%016lx pfn=0x%lx order=0 "
		 "migratetype=0 gfp_flags=GFP_KERNEL\n", (unsigned long)q, page_to_pfn(q));
	expect(line);
	/* A stack line: " => sym+off/size (addr)". */
	{
		const char *s = strstr(out, " => holder_site+0x");
		unsigned long off, size, addr;
		char name[64];

		CHECK(s && sscanf(s, " => %63[a-z_]+0x%lx/0x%lx (%lx)", name, &off, &size,
				  &addr) == 4);
	}
	reset();
	CHECK_EQ(normal_zone.pcp.disabled, 0);
	CHECK_EQ(h_check(), 0);
}

static void test_failed_alloc_event(void)
{
	struct page *big[64];
	int n = 0;

	setup();
	trace_set_events(TEV_BIT(TEV_MM_PAGE_ALLOC));
	while (n < 64 && (big[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER)))
		n++;
	CHECK(n < 64);
	show();
	expect("mm_page_alloc: page=0000000000000000 pfn=0x0 order=10 migratetype=0 "
	       "gfp_flags=GFP_KERNEL|__GFP_NOWARN\n");
	/* Every event on: a failure has no page, so no page_ref_set. */
	trace_set_events(TRACE_EVENTS_ALL);
	trace_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER) == NULL);
	CHECK_EQ(entries(), 1);
	/* It has no pfn to filter by: a pfn filter, wherever it is, keeps it. */
	trace_filter_pfn(0x12345, 0x12346);
	trace_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER) == NULL);
	CHECK_EQ(entries(), 1);
	trace_filter_pfn(~1UL, ~0UL);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER) == NULL);
	CHECK_EQ(entries(), 2);
	trace_filter_clear();
	reset();
	while (n--)
		__free_pages(big[n], MAX_PAGE_ORDER);
	CHECK_EQ(h_check(), 0);
}

static void test_filter(void)
{
	struct page *a, *b, *c;
	unsigned long pa;

	setup();
	a = alloc_pages(GFP_KERNEL, 2);
	b = alloc_pages(GFP_KERNEL, 0);
	pa = page_to_pfn(a);
	trace_set_events(TRACE_EVENTS_ALL);
	trace_filter_pfn(pa + 1, pa + 2);	/* inside a's block */
	get_page(a);		/* page_ref events name the head: filtered out */
	get_page(b);
	put_page(b);
	put_page(a);
	CHECK_EQ(entries(), 0);
	__free_pages(a, 2);	/* mm_page_free of a block overlapping the filter */
	show();
	expect("mm_page_free: page=");
	CHECK_EQ(entries(), 2);	/* page_ref_mod_and_test + mm_page_free */
	trace_filter_pfn(page_to_pfn(b), page_to_pfn(b) + 1);
	get_page(b);
	put_page(b);
	CHECK_EQ(entries(), 4);
	c = alloc_pages(GFP_KERNEL, 0);	/* another page: filtered out */
	__free_page(c);
	CHECK_EQ(entries(), 4);
	/* An allocation whose block reaches the filter only with its last page. */
	trace_filter_pfn(pa + 3, pa + 4);
	trace_clear();
	a = alloc_pages(GFP_KERNEL, 2);
	CHECK_EQ(page_to_pfn(a), pa);
	show();
	expect("mm_page_alloc: page=");
	CHECK_EQ(entries(), 2);	/* page_ref_set + mm_page_alloc */
	__free_pages(a, 2);
	reset();
	__free_page(b);
	CHECK_EQ(h_check(), 0);
}

static void test_ring_overwrite_and_drop(void)
{
	struct trace_stats st;
	struct page *p;
	char line[160];

	setup();
	p = alloc_page(GFP_KERNEL);
	trace_set_events(TEV_BIT(TEV_PAGE_REF_MOD));
	for (int i = 0; i < TRACE_RING_ENTRIES + 10; i++) {
		page_ref_add(p, 1);
		page_ref_sub(p, 1);
	}
	trace_get_stats(&st);
	CHECK_EQ(st.entries, TRACE_RING_ENTRIES);
	CHECK_EQ(st.written, 2 * (TRACE_RING_ENTRIES + 10));
	CHECK_EQ(st.overrun, TRACE_RING_ENTRIES + 20);
	CHECK_EQ(st.dropped, 0);
	show();
	snprintf(line, sizeof(line), "# entries-in-buffer/entries-written: %d/%d   #P:1\n",
		 TRACE_RING_ENTRIES, 2 * (TRACE_RING_ENTRIES + 10));
	expect(line);

	trace_clear();
	trace_set_overwrite(false);
	for (int i = 0; i < TRACE_RING_ENTRIES + 10; i++)
		page_ref_add(p, 1);
	page_ref_sub(p, TRACE_RING_ENTRIES + 10);
	trace_get_stats(&st);
	CHECK_EQ(st.entries, TRACE_RING_ENTRIES);
	CHECK_EQ(st.overrun, 0);
	CHECK_EQ(st.dropped, 11);
	/* The first records survive: the oldest history is kept. */
	show();
	snprintf(line, sizeof(line), "count=2 mapcount=0 mapping=0000000000000000 mt=0 val=1\n");
	expect(line);
	{
		struct seq_buf_ctx ctx;
		struct seq_file m;

		seq_init_buf(&m, &ctx, out, sizeof(out));
		trace_show_stats(&m);
		expect("entries: 4096\noverrun: 0\ncommit overrun: 0\nbytes: 163840\n");
		expect("dropped events: 11\nread events: 0\n");
		expect("events: page_ref_mod\nfilter: none\nstacks: off, 0 records carry one\n"
		       "overwrite: off\n");
	}
	reset();
	CHECK_EQ(page_ref_count(p), 1);
	__free_page(p);
}

static void test_stream(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	struct page *p;

	setup();
	p = alloc_page(GFP_KERNEL);
	trace_set_events(TEV_BIT(TEV_PAGE_REF_MOD));
	get_page(p);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(trace_stream_read(&m), 1);
	CHECK(strstr(out, "page_ref_mod: ") && !strstr(out, "# tracer"));
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(trace_stream_read(&m), 0);	/* nothing new */
	page_ref_dec(p);
	CHECK_EQ(trace_stream_read(&m), 1);
	/* Overwritten before being read: a LOST line, then what is left. */
	for (int i = 0; i < TRACE_RING_ENTRIES + 5; i++)
		page_ref_add(p, 0);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(trace_stream_read(&m), TRACE_RING_ENTRIES);
	CHECK(strstr(out, "CPU:0 [LOST 5 EVENTS]\n") == out);
	trace_stream_reset();
	get_page(p);
	put_page(p);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(trace_stream_read(&m), 1);	/* only page_ref_mod is on */
	reset();
	__free_page(p);
}

static void test_event_names(void)
{
	CHECK_EQ(trace_event_parse("page_ref_mod"), TEV_BIT(TEV_PAGE_REF_MOD));
	CHECK_EQ(trace_event_parse("page_ref:page_ref_freeze"), TEV_BIT(TEV_PAGE_REF_FREEZE));
	CHECK_EQ(trace_event_parse("page_ref"), TRACE_EVENTS_PAGE_REF);
	CHECK_EQ(trace_event_parse("kmem"), TEV_BIT(TEV_MM_PAGE_ALLOC) | TEV_BIT(TEV_MM_PAGE_FREE));
	CHECK_EQ(trace_event_parse("page_isolation"), TEV_BIT(TEV_TEST_PAGES_ISOLATED));
	CHECK_EQ(trace_event_parse("all"), TRACE_EVENTS_ALL);
	CHECK_EQ(trace_event_parse("bogus"), 0);
	CHECK(!strcmp(trace_event_name(TEV_MM_PAGE_FREE), "mm_page_free"));
	/* Every event by its own name, the first and the last included. */
	for (unsigned int i = 0; i < NR_TRACE_EVENTS; i++)
		CHECK_EQ(trace_event_parse(trace_event_name((enum trace_event_id)i)), TEV_BIT(i));
	CHECK(!strcmp(trace_event_name(NR_TRACE_EVENTS), "unknown"));
	/* Only allocator events turn the per-cpu lists off. */
	reset();
	trace_set_events(TEV_BIT(TEV_PAGE_REF_MOD) | TEV_BIT(TEV_TEST_PAGES_ISOLATED));
	CHECK_EQ(normal_zone.pcp.disabled, 0);
	trace_set_events(TEV_BIT(TEV_MM_PAGE_FREE));
	CHECK_EQ(normal_zone.pcp.disabled, 1);
	trace_set_events(TRACE_EVENTS_ALL);
	CHECK_EQ(normal_zone.pcp.disabled, 1);
	reset();
	CHECK_EQ(normal_zone.pcp.disabled, 0);
}

/* xorshift64 */
static u64 rng = 88172645463325252ULL;
static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Random work with tracing toggled on and off: every invariant holds. */
static void test_random_with_tracing(void)
{
	static struct page *live[2048];
	static unsigned int order[2048];
	unsigned long before;
	int n = 0;

	setup();
	before = h_free_pages();
	trace_set_stack(true);
	for (int i = 0; i < 20000; i++) {
		u64 r = rnd();

		if (i % 2500 == 0)
			trace_set_events((i / 2500) % 2 ? 0 : TRACE_EVENTS_ALL);
		if (n && (r & 1 || n == 2048)) {
			unsigned int k = (r >> 1) % n;

			if ((r >> 20) % 7 == 0) {
				get_page(live[k]);
				__free_pages(live[k], order[k]);
				put_page(live[k]);
			} else {
				__free_pages(live[k], order[k]);
			}
			live[k] = live[--n];
			order[k] = order[n];
		} else {
			order[n] = (r >> 8) % 4;
			live[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order[n]);
			if (live[n])
				n++;
		}
		if (i % 5000 == 4999)
			CHECK_EQ(h_check(), 0);
	}
	while (n--)
		__free_pages(live[n], order[n]);
	reset();
	CHECK_EQ(h_free_pages(), before);
	CHECK_EQ(h_buddyinfo_pages(), h_meminfo_field("MemFree:"));
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(host_irq_disable_depth, 0);
}

int main(void)
{
	tu_host_stacks();
	RUN(test_off_records_nothing);
	RUN(test_page_ref_events);
	RUN(test_context_flags);
	RUN(test_allocator_events_and_stacks);
	RUN(test_failed_alloc_event);
	RUN(test_filter);
	RUN(test_ring_overwrite_and_drop);
	RUN(test_stream);
	RUN(test_event_names);
	RUN(test_random_with_tracing);
	return HTEST_DONE();
}
