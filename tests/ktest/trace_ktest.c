// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP suite "trace": the trace events and the contiguous allocator inside
 * the running kernel: event lines in Linux's format, stacks that start at
 * the caller (real frame records, kallsyms names), events from the timer
 * interrupt streamed while they happen, nothing recorded while off, and a
 * contiguous allocation that fails on a held page and names the holder.
 *
 * Each case saves the trace settings and puts them back, and reads only the
 * records it caused (the stream cursor is moved to "now" first).
 */
#include <ferret/errno.h>
#include <ferret/gfp.h>
#include <ferret/irq.h>
#include <ferret/ktest.h>
#include <ferret/mm.h>
#include <ferret/page-isolation.h>
#include <ferret/page_owner.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>
#include <ferret/time.h>
#include <ferret/trace.h>

static char buf[32768];
static struct seq_buf_ctx buf_ctx;

static struct seq_file *buf_seq(void)
{
	static struct seq_file m;

	memset(&m, 0, sizeof(m));
	seq_init_buf(&m, &buf_ctx, buf, sizeof(buf));
	return &m;
}

/* Start a case: our own settings, and only records from now on. */
static void begin(struct trace_settings *saved, u32 events, bool stack)
{
	trace_get_settings(saved);
	trace_filter_clear();
	trace_set_overwrite(true);
	trace_set_stack(stack);
	trace_set_events(events);
	trace_stream_reset();
}

static unsigned long new_records(void)
{
	return trace_stream_read(buf_seq());
}

static __noinline struct page *ktest_trace_alloc_site(unsigned int order)
{
	return alloc_pages(GFP_KERNEL, order);
}

static __noinline void ktest_trace_holder(struct page *page)
{
	get_page(page);
}

static __noinline void ktest_trace_release(struct page *page)
{
	put_page(page);
}

static void trace_page_ref_format(struct ktest *t)
{
	struct trace_settings saved;
	struct page *p = ktest_trace_alloc_site(0);
	char want[160];
	unsigned long pfn;

	KTEST_ASSERT_TRUE(t, p != NULL);
	pfn = page_to_pfn(p);
	begin(&saved, TEV_BIT(TEV_PAGE_REF_MOD) | TEV_BIT(TEV_PAGE_REF_MOD_AND_TEST), false);
	trace_filter_pfn(pfn, pfn + 1);
	ktest_trace_holder(p);
	ktest_trace_release(p);
	KTEST_EXPECT_EQ(t, new_records(), 2);
	snprintf(want, sizeof(want), "page_ref_mod: pfn=0x%lx flags=block|order=0 count=2 mapcount=0 "
		 "mapping=0000000000000000 mt=%d val=1\n", pfn, get_pageblock_migratetype(p));
	KTEST_EXPECT_TRUE(t, strstr(buf, want) != NULL);
	snprintf(want, sizeof(want), "page_ref_mod_and_test: pfn=0x%lx flags=block|order=0 count=1 "
		 "mapcount=0 mapping=0000000000000000 mt=%d val=-1 ret=0\n", pfn,
		 get_pageblock_migratetype(p));
	KTEST_EXPECT_TRUE(t, strstr(buf, want) != NULL);
	KTEST_EXPECT_TRUE(t, strstr(buf, "-1       [000] ") != NULL);	/* console-1 */
	trace_put_settings(&saved);
	__free_pages(p, 0);
}

static void trace_stack_starts_at_caller(struct ktest *t)
{
	struct trace_settings saved;
	struct page *p;

	begin(&saved, TRACE_EVENTS_ALL, true);
	p = ktest_trace_alloc_site(1);
	KTEST_ASSERT_TRUE(t, p != NULL);
	trace_filter_pfn(page_to_pfn(p), page_to_pfn(p) + 2);
	ktest_trace_holder(p);
	ktest_trace_release(p);
	trace_filter_clear();
	__free_pages(p, 1);
	new_records();
	KTEST_EXPECT_TRUE(t, strstr(buf, "mm_page_alloc: page=") != NULL);
	KTEST_EXPECT_TRUE(t, strstr(buf, "<stack trace>\n => ktest_trace_alloc_site+0x") != NULL);
	KTEST_EXPECT_TRUE(t, strstr(buf, "<stack trace>\n => ktest_trace_holder+0x") != NULL);
	KTEST_EXPECT_TRUE(t, strstr(buf, "<stack trace>\n => ktest_trace_release+0x") != NULL);
	KTEST_EXPECT_TRUE(t, strstr(buf, "<stack trace>\n => trace_stack_starts_at_caller+0x"));
	KTEST_EXPECT_TRUE(t, strstr(buf, " => cmd_ktest+0x") != NULL);
	KTEST_EXPECT_TRUE(t, strstr(buf, "mm_page_free: page=") != NULL);
	/* The per-cpu lists are off while the allocator's events are on. */
	KTEST_EXPECT_EQ(t, normal_zone.pcp.disabled, 1);
	trace_put_settings(&saved);
}

static void trace_off_records_nothing(struct ktest *t)
{
	struct trace_settings saved;
	struct trace_stats a, b;
	struct page *p;

	begin(&saved, 0, true);
	trace_get_stats(&a);
	p = ktest_trace_alloc_site(0);
	KTEST_ASSERT_TRUE(t, p != NULL);
	ktest_trace_holder(p);
	ktest_trace_release(p);
	__free_pages(p, 0);
	trace_get_stats(&b);
	KTEST_EXPECT_EQ(t, b.written, a.written);
	KTEST_EXPECT_EQ(t, b.dropped, a.dropped);
	KTEST_EXPECT_EQ(t, normal_zone.pcp.disabled, 0);
	trace_put_settings(&saved);
}

static struct page *tick_page;
static unsigned long ticks;

static void tick_alloc_free(void)
{
	if (tick_page) {
		__free_pages(tick_page, 0);
		tick_page = NULL;
	} else {
		tick_page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0);
	}
	ticks++;
}

/* Events from the timer interrupt, read while they keep coming. */
static void trace_stream_from_interrupts(struct ktest *t)
{
	struct trace_settings saved;
	unsigned long got = 0, extra = 0;
	u64 end;

	if (!irq_available()) {
		printk("    # trace_stream_from_interrupts: no interrupts here, skipped\n");
		return;
	}
	begin(&saved, TEV_BIT(TEV_MM_PAGE_ALLOC) | TEV_BIT(TEV_MM_PAGE_FREE), false);
	ticks = 0;
	KTEST_ASSERT_TRUE(t, timer_tick_start(500, tick_alloc_free) == 0);
	end = ktime_get_ns() + 5000 * NSEC_PER_MSEC;	/* 10 ms unless the host starves us */
	while (READ_ONCE(ticks) < 20 && ktime_get_ns() < end)
		got += new_records();
	timer_tick_stop();
	if (tick_page) {
		__free_pages(tick_page, 0);	/* one more mm_page_free */
		tick_page = NULL;
		extra = 1;
	}
	got += new_records();
	KTEST_EXPECT_TRUE(t, ticks >= 20);
	KTEST_EXPECT_EQ(t, got, ticks + extra);	/* one event per tick, none lost */
	trace_put_settings(&saved);
}

static void trace_irq_context_flags(struct ktest *t)
{
	struct trace_settings saved;
	u64 end;

	if (!irq_available())
		return;
	begin(&saved, TEV_BIT(TEV_MM_PAGE_ALLOC), false);
	ticks = 0;
	KTEST_ASSERT_TRUE(t, timer_tick_start(500, tick_alloc_free) == 0);
	end = ktime_get_ns() + 500 * NSEC_PER_MSEC;
	while (READ_ONCE(ticks) < 4 && ktime_get_ns() < end)
		;
	timer_tick_stop();
	if (tick_page) {
		__free_pages(tick_page, 0);
		tick_page = NULL;
	}
	new_records();
	KTEST_EXPECT_TRUE(t, strstr(buf, "             irq-2       [000] d.h.. ") != NULL);
	trace_put_settings(&saved);
}

static void contig_alloc_and_free(struct ktest *t)
{
	unsigned long before, after;
	struct page *p;

	drain_all_pages();
	before = normal_zone.nr_free_pages - zone_isolated_free_pages(&normal_zone);
	p = __alloc_contig_pages(64, GFP_KERNEL, NULL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, page_to_pfn(p) % 64, 0);
	for (int i = 0; i < 64; i++)
		KTEST_EXPECT_EQ(t, page_ref_count(p + i), 1);
	KTEST_EXPECT_EQ(t, free_contig_range(page_to_pfn(p), 64), 0);
	drain_all_pages();
	after = normal_zone.nr_free_pages - zone_isolated_free_pages(&normal_zone);
	KTEST_EXPECT_EQ(t, after, before);
	KTEST_EXPECT_EQ(t, zone_isolated_free_pages(&normal_zone), 0);
}

static void contig_failure_names_the_holder(struct ktest *t)
{
	struct trace_settings saved;
	struct page *p;
	unsigned long pfn;

	begin(&saved, TRACE_EVENTS_ALL, true);
	p = ktest_trace_alloc_site(2);
	KTEST_ASSERT_TRUE(t, p != NULL);
	pfn = page_to_pfn(p);
	ktest_trace_holder(p);
	__free_pages(p, 2);			/* the holder keeps it */
	KTEST_EXPECT_EQ(t, __alloc_contig_range(pfn, pfn + 4, GFP_KERNEL, buf_seq()), -EBUSY);
	KTEST_EXPECT_TRUE(t, strstr(buf, "PFNs busy\n") != NULL);
	KTEST_EXPECT_TRUE(t, strstr(buf, "<stack trace>\n => ktest_trace_holder+0x") != NULL);
	KTEST_EXPECT_TRUE(t, strstr(buf, "val=-1 ret=0\n") != NULL);
	if (page_owner_inited)
		KTEST_EXPECT_TRUE(t, strstr(buf, "\n ktest_trace_alloc_site+0x") != NULL);
	ktest_trace_release(p);			/* the last reference */
	KTEST_EXPECT_EQ(t, __alloc_contig_range(pfn, pfn + 4, GFP_KERNEL, buf_seq()), 0);
	KTEST_EXPECT_EQ(t, free_contig_range(pfn, 4), 0);
	trace_put_settings(&saved);
}

static const struct ktest_case trace_cases[] = {
	KTEST_CASE(trace_page_ref_format),
	KTEST_CASE(trace_stack_starts_at_caller),
	KTEST_CASE(trace_off_records_nothing),
	KTEST_CASE(trace_stream_from_interrupts),
	KTEST_CASE(trace_irq_context_flags),
	KTEST_CASE(contig_alloc_and_free),
	KTEST_CASE(contig_failure_names_the_holder),
};
KTEST_SUITE(trace, trace_cases);
