/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of the page allocator, in a static ring (mm/trace.c), printed
 * as Linux's ftrace prints them (docs/TRACE.md).
 *
 * Events, with Linux's names and fields:
 *
 *	page_ref_set, page_ref_mod, page_ref_mod_and_test,
 *	page_ref_mod_and_return, page_ref_mod_unless, page_ref_freeze,
 *	page_ref_unfreeze	(include/trace/events/page_ref.h) from the
 *				page_ref_*() helpers and the allocator
 *	mm_page_alloc, mm_page_free	(include/trace/events/kmem.h)
 *	test_pages_isolated	(include/trace/events/page_isolation.h)
 *
 * Off by default; then each hook is one predictable branch on
 * trace_event_mask (the page_ref helpers) or nothing at all (the allocator's
 * fast paths: turning an allocator event on disables the per-cpu lists, so
 * every allocation and free reaches the slow paths, which carry the hooks).
 *
 * The ring never allocates: TRACE_RING_ENTRIES records of 40 bytes in
 * static memory, written under a spinlock with interrupts masked. When it is
 * full the oldest record is overwritten ("overrun", Linux's default), or,
 * with overwrite off, the new one is dropped ("dropped events"). A record
 * may carry its call stack as a 4-byte stack depot handle.
 */
#ifndef FERRET_TRACE_H
#define FERRET_TRACE_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/jump_label.h>

struct page;
struct seq_file;
typedef unsigned int gfp_t;

#ifndef TRACE_RING_ENTRIES
#define TRACE_RING_ENTRIES	4096	/* records (power of two); 160 KiB */
#endif

/* Frames kept per recorded stack (as page_owner). */
#define TRACE_STACK_DEPTH	16

enum trace_event_id {
	TEV_PAGE_REF_SET,
	TEV_PAGE_REF_MOD,
	TEV_PAGE_REF_MOD_AND_TEST,
	TEV_PAGE_REF_MOD_AND_RETURN,
	TEV_PAGE_REF_MOD_UNLESS,
	TEV_PAGE_REF_FREEZE,
	TEV_PAGE_REF_UNFREEZE,
	TEV_MM_PAGE_ALLOC,
	TEV_MM_PAGE_FREE,
	TEV_TEST_PAGES_ISOLATED,
	NR_TRACE_EVENTS
};

#define TEV_BIT(ev)		(1U << (ev))
#define TRACE_EVENTS_ALL	(TEV_BIT(NR_TRACE_EVENTS) - 1)
#define TRACE_EVENTS_PAGE_REF	(TEV_BIT(TEV_MM_PAGE_ALLOC) - 1)
/* Events the allocator's slow paths emit (they need the per-cpu lists off). */
#define TRACE_EVENTS_ALLOCATOR	(TEV_BIT(TEV_PAGE_REF_SET) | \
				 TEV_BIT(TEV_PAGE_REF_MOD_AND_TEST) | \
				 TEV_BIT(TEV_MM_PAGE_ALLOC) | TEV_BIT(TEV_MM_PAGE_FREE))

/* Bit n set: event n is recorded. Written only by trace_set_events(). */
extern u32 trace_event_mask;

/* On while any event is: the hooks' off path is a single NOP (jump_label.h). */
DECLARE_STATIC_KEY_FALSE(trace_events_key);

static inline bool trace_event_enabled(enum trace_event_id ev)
{
	return static_branch_unlikely(&trace_events_key) &&
	       (READ_ONCE(trace_event_mask) & TEV_BIT(ev));
}

/* True when the allocator must call trace_page_alloc() / trace_page_free(). */
static inline bool trace_page_alloc_enabled(void)
{
	return unlikely(READ_ONCE(trace_event_mask) & TRACE_EVENTS_ALLOCATOR);
}

/*
 * One record. Page frame numbers are stored whole; the page's struct page
 * address (mm_page_*'s "page=%p") is recomputed from pfn at print time, as
 * Linux does.
 */
struct trace_entry {
	u64 ts_ns;		/* ktime_get_ns() */
	u64 pfn;		/* page_ref_*, mm_page_*: the page; isolated: start_pfn */
	u32 stack;		/* stack depot handle, 0: none */
	u8 type;		/* enum trace_event_id */
	u8 pid;			/* context (sched.h); comm is looked up at print */
	u8 irqflags;		/* TRACE_FLAG_*, and the core in bits 4..7 */
	s8 mt;			/* page_ref_*: pageblock type; mm_page_alloc: migratetype */
	union {
		struct {
			u32 flags;	/* page->flags */
			s32 count;	/* refcount after the change */
			s32 val;
			s32 ret;
		} ref;
		struct {
			u32 gfp;
			u32 order;
			u32 failed;	/* mm_page_alloc: no page */
		} alloc;
		struct {
			u64 end_pfn;
			u64 fin_pfn;
		} isol;
	};
};

#define TRACE_FLAG_IRQS_OFF	0x01	/* 'd' */
#define TRACE_FLAG_HARDIRQ	0x08	/* 'h' */
#define TRACE_CPU_SHIFT		4	/* irqflags >> 4: the core that wrote the event, [00N] */

/*
 * trace_ring_write() - append @e (its type, fields and stack filled in; the
 * time, context and irq flags are filled in here) to the ring.
 * Context: any, including interrupt handlers and the page allocator.
 */
void trace_ring_write(struct trace_entry *e);

/* Page-frame filter: events outside [start, end) are not recorded. */
bool trace_pfn_wanted(unsigned long pfn, unsigned long nr);
extern bool trace_stack_enabled;	/* record each event's stack */

/* ---- the allocator's hooks (mm/page_ref.c, stacks start at the caller) ---- */

/* page_ref_set (val 1) and mm_page_alloc; @page NULL: a failed allocation. */
void trace_page_alloc(struct page *page, unsigned int order, gfp_t gfp, int migratetype);
/* page_ref_mod_and_test (val -1, ret 1) and mm_page_free. */
void trace_page_free(struct page *page, unsigned int order);
/* test_pages_isolated: fin_pfn is the first busy pfn, or end_pfn. */
void trace_test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn,
			       unsigned long fin_pfn);

/* ---- control (the `trace` command; tests) ---- */

/**
 * trace_set_events() - record exactly the events in @mask.
 * Turning the allocator's events on or off disables or re-enables the
 * per-cpu lists (zone_pcp_disable()).
 * Context: process.
 */
void trace_set_events(u32 mask);

/*
 * trace_event_parse() - an event name ("page_ref_mod"), a Linux subsystem
 * name ("page_ref", "kmem", "page_isolation") or "all".
 * Return: the mask of events it names, 0 if none.
 */
u32 trace_event_parse(const char *name);
const char *trace_event_name(enum trace_event_id ev);

/* Record only events touching pfns in [@start, @end); trace_filter_clear(): all. */
void trace_filter_pfn(unsigned long start, unsigned long end);
void trace_filter_clear(void);
void trace_set_stack(bool on);
/* Overwrite the oldest record when full (default), or drop new ones. */
void trace_set_overwrite(bool on);
/* Empty the ring and reset its counters (not the settings). */
void trace_clear(void);

struct trace_settings {
	u32 events;
	bool stack, overwrite, filtered;
	unsigned long filter_start, filter_end;
};
void trace_get_settings(struct trace_settings *s);
void trace_put_settings(const struct trace_settings *s);

/* ---- output ---- */

/**
 * trace_show() - the ring as Linux's /sys/kernel/tracing/trace: the
 * "# tracer: nop" header, then one line per record, stacks as
 * " => sym+off/size (addr)" lines after a "<stack trace>" line.
 * Context: process; the ring lock is held only while records are copied.
 * Return: the number of records printed.
 */
unsigned long trace_show(struct seq_file *m);

/*
 * trace_print_history() - the records touching pfns [@start, @end), in the
 * same format without the header (the page_ref history of a page).
 * Return: the number printed.
 */
unsigned long trace_print_history(struct seq_file *m, unsigned long start, unsigned long end);

/*
 * trace_stream_read() - print the records written since the last call (as
 * Linux's trace_pipe, but without taking them out of the ring), with a
 * "CPU:0 [LOST n EVENTS]" line when some were overwritten before being
 * read. Return: the number printed.
 */
unsigned long trace_stream_read(struct seq_file *m);
/* Start streaming at the next record written (skip what is in the ring). */
void trace_stream_reset(void);

/* `trace stats`: Linux's per_cpu/cpu0/stats lines, then ferret's settings. */
void trace_show_stats(struct seq_file *m);

struct trace_stats {
	unsigned long entries;	/* records in the ring */
	unsigned long written;	/* records ever written (entries + overrun) */
	unsigned long overrun;	/* overwritten before being read by trace_show */
	unsigned long dropped;	/* not written: ring full with overwrite off */
	unsigned long stacks;	/* records that carry a stack */
	unsigned long read;	/* records trace_stream_read() printed */
};
void trace_get_stats(struct trace_stats *st);

#endif
