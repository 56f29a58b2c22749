// SPDX-License-Identifier: GPL-2.0
/*
 * The trace ring: TRACE_RING_ENTRIES fixed-size records in static memory,
 * the settings the `trace` command changes, and the ftrace-format output.
 *
 * Records are numbered by a 64-bit sequence: record n lives in slot
 * n % TRACE_RING_ENTRIES; [tail, head) is what the ring holds. A writer
 * takes ring_lock with interrupts masked, so records from interrupt
 * handlers and from the code they interrupted never mix. Readers copy a
 * batch of records under the lock and format them outside it, so a long
 * `trace show` never keeps interrupts masked; a record overwritten while a
 * reader was printing is counted, not shown twice.
 *
 * Nothing here allocates, and nothing here emits events, so tracing cannot
 * recurse into itself or into the page allocator.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/printk.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/spinlock.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>
#include <ferret/time.h>
#include <ferret/trace.h>

BUILD_BUG_ON(TRACE_RING_ENTRIES & (TRACE_RING_ENTRIES - 1));
BUILD_BUG_ON(sizeof(struct trace_entry) != 40);
BUILD_BUG_ON(NR_TRACE_EVENTS > 32);

#define RING_MASK	((u64)TRACE_RING_ENTRIES - 1)
#define COPY_BATCH	16	/* records copied per lock hold */

u32 trace_event_mask;
DEFINE_STATIC_KEY_FALSE(trace_events_key);
bool trace_stack_enabled;

static struct trace_entry ring[TRACE_RING_ENTRIES];
static u64 ring_head;		/* sequence number of the next record */
static u64 ring_tail;		/* oldest record still in the ring */
static u64 stream_pos;		/* next record trace_stream_read() prints */
static unsigned long nr_overrun, nr_dropped, nr_stacks, nr_read;
static bool overwrite = true;
static bool filter_on;
static unsigned long filter_start, filter_end;
static DEFINE_SPINLOCK(ring_lock);

static const char *const event_names[NR_TRACE_EVENTS] = {
	[TEV_PAGE_REF_SET]		= "page_ref_set",
	[TEV_PAGE_REF_MOD]		= "page_ref_mod",
	[TEV_PAGE_REF_MOD_AND_TEST]	= "page_ref_mod_and_test",
	[TEV_PAGE_REF_MOD_AND_RETURN]	= "page_ref_mod_and_return",
	[TEV_PAGE_REF_MOD_UNLESS]	= "page_ref_mod_unless",
	[TEV_PAGE_REF_FREEZE]		= "page_ref_freeze",
	[TEV_PAGE_REF_UNFREEZE]		= "page_ref_unfreeze",
	[TEV_MM_PAGE_ALLOC]		= "mm_page_alloc",
	[TEV_MM_PAGE_FREE]		= "mm_page_free",
	[TEV_TEST_PAGES_ISOLATED]	= "test_pages_isolated",
};

/* Linux's event subsystems (the folders under /sys/kernel/tracing/events). */
static const struct {
	const char *name;
	u32 mask;
} subsystems[] = {
	{ "page_ref", TRACE_EVENTS_PAGE_REF },
	{ "kmem", TEV_BIT(TEV_MM_PAGE_ALLOC) | TEV_BIT(TEV_MM_PAGE_FREE) },
	{ "page_isolation", TEV_BIT(TEV_TEST_PAGES_ISOLATED) },
	{ "all", TRACE_EVENTS_ALL },
};

const char *trace_event_name(enum trace_event_id ev)
{
	return (unsigned int)ev < NR_TRACE_EVENTS ? event_names[ev] : "unknown";
}

u32 trace_event_parse(const char *name)
{
	const char *colon = strchr(name, ':');

	/* "page_ref:page_ref_mod", as Linux's set_event file takes it. */
	if (colon && colon[1])
		name = colon + 1;
	for (unsigned int i = 0; i < NR_TRACE_EVENTS; i++)
		if (!strcmp(name, event_names[i]))
			return TEV_BIT(i);
	for (unsigned int i = 0; i < ARRAY_SIZE(subsystems); i++)
		if (!strcmp(name, subsystems[i].name))
			return subsystems[i].mask;
	return 0;
}

/* ---- writing ---- */

bool trace_pfn_wanted(unsigned long pfn, unsigned long nr)
{
	if (!READ_ONCE(filter_on))
		return true;
	return pfn < READ_ONCE(filter_end) && pfn + nr > READ_ONCE(filter_start);
}

void trace_ring_write(struct trace_entry *e)
{
	const struct task_ctx *t = current_task();
	unsigned long flags;
	u8 irqflags = 0;

	if (arch_irqs_disabled())
		irqflags |= TRACE_FLAG_IRQS_OFF;
	if (t->pid == CTX_PID_IRQ)
		irqflags |= TRACE_FLAG_HARDIRQ;
	e->pid = (u8)t->pid;
	e->irqflags = irqflags | (u8)(smp_processor_id() << TRACE_CPU_SHIFT);
	spin_lock_irqsave(&ring_lock, flags);
	if (ring_head - ring_tail == TRACE_RING_ENTRIES) {
		if (!overwrite) {
			nr_dropped++;
			spin_unlock_irqrestore(&ring_lock, flags);
			return;
		}
		if (ring[ring_tail & RING_MASK].stack)
			nr_stacks--;
		ring_tail++;
		nr_overrun++;
	}
	e->ts_ns = ktime_get_ns();
	ring[ring_head & RING_MASK] = *e;
	ring_head++;
	if (e->stack)
		nr_stacks++;
	spin_unlock_irqrestore(&ring_lock, flags);
}

/* ---- control ---- */

void trace_set_events(u32 mask)
{
	u32 old = READ_ONCE(trace_event_mask);

	mask &= TRACE_EVENTS_ALL;
	/* Allocator events on => per-cpu lists off, before the first event. */
	if ((mask & TRACE_EVENTS_ALLOCATOR) && !(old & TRACE_EVENTS_ALLOCATOR))
		zone_pcp_disable();
	WRITE_ONCE(trace_event_mask, mask);
	if (mask && !old)
		static_key_enable(&trace_events_key);
	else if (!mask && old)
		static_key_disable(&trace_events_key);
	if (!(mask & TRACE_EVENTS_ALLOCATOR) && (old & TRACE_EVENTS_ALLOCATOR))
		zone_pcp_enable();
}

void trace_filter_pfn(unsigned long start, unsigned long end)
{
	unsigned long flags;

	spin_lock_irqsave(&ring_lock, flags);
	WRITE_ONCE(filter_on, false);
	WRITE_ONCE(filter_start, start);
	WRITE_ONCE(filter_end, end);
	WRITE_ONCE(filter_on, true);
	spin_unlock_irqrestore(&ring_lock, flags);
}

void trace_filter_clear(void)
{
	WRITE_ONCE(filter_on, false);
}

void trace_set_stack(bool on)
{
	WRITE_ONCE(trace_stack_enabled, on);
}

void trace_set_overwrite(bool on)
{
	WRITE_ONCE(overwrite, on);
}

void trace_clear(void)
{
	unsigned long flags;

	spin_lock_irqsave(&ring_lock, flags);
	ring_head = ring_tail = stream_pos = 0;
	nr_overrun = nr_dropped = nr_stacks = nr_read = 0;
	spin_unlock_irqrestore(&ring_lock, flags);
}

void trace_get_settings(struct trace_settings *s)
{
	s->events = READ_ONCE(trace_event_mask);
	s->stack = READ_ONCE(trace_stack_enabled);
	s->overwrite = READ_ONCE(overwrite);
	s->filtered = READ_ONCE(filter_on);
	s->filter_start = READ_ONCE(filter_start);
	s->filter_end = READ_ONCE(filter_end);
}

void trace_put_settings(const struct trace_settings *s)
{
	if (s->filtered)
		trace_filter_pfn(s->filter_start, s->filter_end);
	else
		trace_filter_clear();
	trace_set_stack(s->stack);
	trace_set_overwrite(s->overwrite);
	trace_set_events(s->events);
}

void trace_get_stats(struct trace_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&ring_lock, flags);
	st->entries = (unsigned long)(ring_head - ring_tail);
	st->written = (unsigned long)ring_head;
	st->overrun = nr_overrun;
	st->dropped = nr_dropped;
	st->stacks = nr_stacks;
	st->read = nr_read;
	spin_unlock_irqrestore(&ring_lock, flags);
}

/* ---- reading ---- */

/*
 * Copy up to @max records from sequence *@pos on (at most up to @end) and
 * advance *@pos; records overwritten before *@pos was reached are added to
 * *@lost. Return: records copied.
 */
static unsigned int ring_copy(u64 *pos, u64 end, struct trace_entry *buf, unsigned int max,
			      unsigned long *lost)
{
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&ring_lock, flags);
	if (*pos < ring_tail) {
		if (lost)
			*lost += (unsigned long)(ring_tail - *pos);
		*pos = ring_tail;
	}
	while (n < max && *pos < end && *pos < ring_head) {
		buf[n++] = ring[*pos & RING_MASK];
		(*pos)++;
	}
	spin_unlock_irqrestore(&ring_lock, flags);
	return n;
}

static u64 ring_snapshot_head(u64 *tail)
{
	unsigned long flags;
	u64 head;

	spin_lock_irqsave(&ring_lock, flags);
	head = ring_head;
	if (tail)
		*tail = ring_tail;
	spin_unlock_irqrestore(&ring_lock, flags);
	return head;
}

/* ---- formatting ---- */

/* "<comm>-<pid> [cpu] flags  sec.usec: " (Linux's trace_print_context()). */
static void print_context(struct seq_file *m, const struct trace_entry *e)
{
	const struct task_ctx *t = task_ctx_get(e->pid);
	u64 us = e->ts_ns / NSEC_PER_USEC;

	seq_printf(m, "%16s-%-7d [%03u] %c.%c.. %5lu.%06lu: ", t ? t->comm : "<...>", e->pid,
		   (unsigned int)e->irqflags >> TRACE_CPU_SHIFT,
		   (e->irqflags & TRACE_FLAG_IRQS_OFF) ? 'd' : '.',
		   (e->irqflags & TRACE_FLAG_HARDIRQ) ? 'h' : '.',
		   (unsigned long)(us / 1000000), (unsigned long)(us % 1000000));
}

static void print_fields(struct seq_file *m, const struct trace_entry *e)
{
	char names[160];

	switch (e->type) {
	case TEV_PAGE_REF_SET:
	case TEV_PAGE_REF_MOD:
	case TEV_PAGE_REF_UNFREEZE:
	case TEV_PAGE_REF_MOD_AND_TEST:
	case TEV_PAGE_REF_MOD_AND_RETURN:
	case TEV_PAGE_REF_MOD_UNLESS:
	case TEV_PAGE_REF_FREEZE:
		/* Linux's show_page_flags(): "none" for no flag. */
		if (!page_flags_format(names, sizeof(names), e->ref.flags))
			strlcpy(names, "none", sizeof(names));
		/* ferret has no mapcount or mapping: 0 and NULL (%p of NULL). */
		seq_printf(m, "pfn=0x%lx flags=%s count=%d mapcount=0 mapping=%016lx mt=%d val=%d",
			   (unsigned long)e->pfn, names, e->ref.count, 0UL, e->mt, e->ref.val);
		if (e->type != TEV_PAGE_REF_SET && e->type != TEV_PAGE_REF_MOD &&
		    e->type != TEV_PAGE_REF_UNFREEZE)
			seq_printf(m, " ret=%d", e->ref.ret);
		break;
	case TEV_MM_PAGE_ALLOC:
		if (e->alloc.gfp)
			gfp_format(names, sizeof(names), e->alloc.gfp);
		else
			strlcpy(names, "none", sizeof(names));
		seq_printf(m, "page=%016lx pfn=0x%lx order=%u migratetype=%d gfp_flags=%s",
			   e->alloc.failed ? 0UL : (unsigned long)pfn_to_page(e->pfn),
			   e->alloc.failed ? 0UL : (unsigned long)e->pfn, e->alloc.order, e->mt,
			   names);
		break;
	case TEV_MM_PAGE_FREE:
		seq_printf(m, "page=%016lx pfn=0x%lx order=%u", (unsigned long)pfn_to_page(e->pfn),
			   (unsigned long)e->pfn, e->alloc.order);
		break;
	case TEV_TEST_PAGES_ISOLATED:
		seq_printf(m, "start_pfn=0x%lx end_pfn=0x%lx fin_pfn=0x%lx ret=%s",
			   (unsigned long)e->pfn, (unsigned long)e->isol.end_pfn,
			   (unsigned long)e->isol.fin_pfn,
			   e->isol.end_pfn <= e->isol.fin_pfn ? "success" : "fail");
		break;
	}
}

/* One record, then its stack as Linux prints a <stack trace> record. */
static void print_entry(struct seq_file *m, const struct trace_entry *e)
{
	unsigned long frames[TRACE_STACK_DEPTH];
	unsigned int nr;

	print_context(m, e);
	seq_printf(m, "%s: ", trace_event_name(e->type));
	print_fields(m, e);
	seq_putc(m, '\n');
	if (!e->stack)
		return;
	nr = stack_depot_fetch(e->stack, frames, ARRAY_SIZE(frames));
	print_context(m, e);
	seq_puts(m, "<stack trace>\n");
	for (unsigned int i = 0; i < nr; i++)
		seq_printf(m, " => %pB (%lx)\n", (void *)frames[i], frames[i]);
}

unsigned long trace_show(struct seq_file *m)
{
	struct trace_entry buf[COPY_BATCH];
	unsigned long printed = 0;
	struct trace_stats st;
	u64 pos, end;
	unsigned int n;

	trace_get_stats(&st);
	seq_puts(m, "# tracer: nop\n#\n");
	seq_printf(m, "# entries-in-buffer/entries-written: %lu/%lu   #P:%u\n#\n", st.entries,
		   st.written, num_online_cpus());
	seq_puts(m, "#                                _-----=> irqs-off/BH-disabled\n"
		    "#                               / _----=> need-resched\n"
		    "#                              | / _---=> hardirq/softirq\n"
		    "#                              || / _--=> preempt-depth\n"
		    "#                              ||| / _-=> migrate-disable\n"
		    "#                              |||| /     delay\n"
		    "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		    "#              | |         |   |||||     |         |\n");
	end = ring_snapshot_head(&pos);
	while ((n = ring_copy(&pos, end, buf, COPY_BATCH, NULL))) {
		for (unsigned int i = 0; i < n; i++)
			print_entry(m, &buf[i]);
		printed += n;
		if (seq_check_abort(m))
			break;
	}
	return printed;
}

/* Does @e touch a pfn in [@start, @end)? */
static bool entry_touches(const struct trace_entry *e, unsigned long start, unsigned long end)
{
	unsigned long nr = 1;

	if (e->type == TEV_TEST_PAGES_ISOLATED)
		return false;
	if (e->type == TEV_MM_PAGE_ALLOC || e->type == TEV_MM_PAGE_FREE) {
		if (e->type == TEV_MM_PAGE_ALLOC && e->alloc.failed)
			return false;
		nr = 1UL << e->alloc.order;
	}
	return e->pfn < end && e->pfn + nr > start;
}

unsigned long trace_print_history(struct seq_file *m, unsigned long start, unsigned long end)
{
	struct trace_entry buf[COPY_BATCH];
	unsigned long printed = 0;
	u64 pos, stop;
	unsigned int n;

	stop = ring_snapshot_head(&pos);
	while ((n = ring_copy(&pos, stop, buf, COPY_BATCH, NULL))) {
		for (unsigned int i = 0; i < n; i++) {
			if (entry_touches(&buf[i], start, end)) {
				print_entry(m, &buf[i]);
				printed++;
			}
		}
	}
	return printed;
}

unsigned long trace_stream_read(struct seq_file *m)
{
	struct trace_entry buf[COPY_BATCH];
	unsigned long printed = 0, lost = 0;
	unsigned long flags;
	u64 pos, end;
	unsigned int n;

	spin_lock_irqsave(&ring_lock, flags);
	pos = stream_pos;
	end = ring_head;
	spin_unlock_irqrestore(&ring_lock, flags);
	while ((n = ring_copy(&pos, end, buf, COPY_BATCH, &lost))) {
		if (lost) {
			seq_printf(m, "CPU:0 [LOST %lu EVENTS]\n", lost);
			lost = 0;
		}
		for (unsigned int i = 0; i < n; i++)
			print_entry(m, &buf[i]);
		printed += n;
	}
	if (lost)
		seq_printf(m, "CPU:0 [LOST %lu EVENTS]\n", lost);
	spin_lock_irqsave(&ring_lock, flags);
	if (pos > stream_pos)
		stream_pos = pos;
	nr_read += printed;
	spin_unlock_irqrestore(&ring_lock, flags);
	return printed;
}

void trace_stream_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&ring_lock, flags);
	stream_pos = ring_head;
	spin_unlock_irqrestore(&ring_lock, flags);
}

static void print_ts(struct seq_file *m, const char *what, u64 ns)
{
	u64 us = ns / NSEC_PER_USEC;

	seq_printf(m, "%s: %5lu.%06lu\n", what, (unsigned long)(us / 1000000),
		   (unsigned long)(us % 1000000));
}

void trace_show_stats(struct seq_file *m)
{
	struct trace_settings s;
	struct trace_stats st;
	unsigned long flags;
	u64 oldest = 0;

	trace_get_stats(&st);
	trace_get_settings(&s);
	spin_lock_irqsave(&ring_lock, flags);
	if (ring_head != ring_tail)
		oldest = ring[ring_tail & RING_MASK].ts_ns;
	spin_unlock_irqrestore(&ring_lock, flags);

	/* Linux's per_cpu/cpu0/stats. */
	seq_printf(m, "entries: %lu\n", st.entries);
	seq_printf(m, "overrun: %lu\n", st.overrun);
	seq_puts(m, "commit overrun: 0\n");
	seq_printf(m, "bytes: %lu\n", st.entries * sizeof(struct trace_entry));
	print_ts(m, "oldest event ts", oldest);
	print_ts(m, "now ts", ktime_get_ns());
	seq_printf(m, "dropped events: %lu\n", st.dropped);
	seq_printf(m, "read events: %lu\n", st.read);

	seq_printf(m, "ring: %u records of %zu bytes (%zu bytes), written %lu\n",
		   TRACE_RING_ENTRIES, sizeof(struct trace_entry),
		   (size_t)TRACE_RING_ENTRIES * sizeof(struct trace_entry), st.written);
	seq_puts(m, "events:");
	for (unsigned int i = 0; i < NR_TRACE_EVENTS; i++)
		if (s.events & TEV_BIT(i))
			seq_printf(m, " %s", event_names[i]);
	seq_puts(m, s.events ? "\n" : " none\n");
	if (s.filtered)
		seq_printf(m, "filter: pfn 0x%lx-0x%lx\n", s.filter_start, s.filter_end);
	else
		seq_puts(m, "filter: none\n");
	seq_printf(m, "stacks: %s, %lu records carry one\n", s.stack ? "on" : "off", st.stacks);
	seq_printf(m, "overwrite: %s\n", s.overwrite ? "on" : "off");
	seq_printf(m, "per-cpu lists: %s\n", normal_zone.pcp.disabled ? "disabled" : "enabled");
}
