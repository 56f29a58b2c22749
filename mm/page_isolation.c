// SPDX-License-Identifier: GPL-2.0
/*
 * Page isolation and the contiguous allocator (Linux's mm/page_isolation.c
 * and alloc_contig_range()/alloc_contig_pages() of mm/page_alloc.c), for a
 * kernel that cannot migrate pages: a page in the way is not moved but
 * reported, with who allocated it and who holds references to it.
 *
 * Steps of alloc_contig_range(start, end), as Linux's:
 *
 *	start_isolate_page_range()	pageblocks touching [start, end) become
 *					MIGRATE_ISOLATE (old types kept), their
 *					free blocks go to the Isolate lists; the
 *					per-cpu lists are drained
 *	test_pages_isolated()		every page of [start, end) is free on
 *					the Isolate lists? (trace event)
 *	take_isolated_range()		per pageblock: the pages become order-0
 *					blocks with refcount 1
 *	undo_isolate_page_range()	old types back; what was not taken
 *					returns to its lists and merges
 *
 * On failure the isolation is undone the same way, so the free lists,
 * MemFree, buddyinfo and pagetypeinfo are as before the call.
 *
 * Everything that touches free lists is in page_alloc.c (page_alloc.h);
 * this file holds the policy, the search and the report.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/errno.h>
#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/page-isolation.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>
#include <ferret/trace.h>

#include "page_alloc.h"

#define CONTIG_GFP	GFP_KERNEL

static bool range_valid(unsigned long start, unsigned long end)
{
	return start < end && pfn_valid(start) && pfn_valid(end - 1);
}

/* ---- isolation ---- */

int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long first = ALIGN_DOWN(start_pfn, pageblock_nr_pages);
	unsigned long last = ALIGN(end_pfn, pageblock_nr_pages);

	if (!range_valid(start_pfn, end_pfn))
		return -EINVAL;
	for (unsigned long pfn = first; pfn < last; pfn += pageblock_nr_pages) {
		if (set_migratetype_isolate(pfn)) {
			undo_isolate_page_range(first, pfn);
			return -EBUSY;
		}
	}
	drain_all_pages();
	return 0;
}

void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long first = ALIGN_DOWN(start_pfn, pageblock_nr_pages);

	for (unsigned long pfn = first; pfn < end_pfn; pfn += pageblock_nr_pages)
		unset_migratetype_isolate(pfn);
}

/*
 * The first pfn in [@start, @end) that is not free in an isolated
 * pageblock, or @end. Takes the zone lock per pageblock.
 */
static unsigned long first_busy_pfn(unsigned long start, unsigned long end)
{
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned long stop = min(ALIGN(pfn + 1, pageblock_nr_pages), end);
		unsigned long busy, flags;

		spin_lock_irqsave(&normal_zone.lock, flags);
		if (!is_migrate_isolate_page(pfn_to_page(pfn)))
			busy = pfn;
		else
			busy = isolated_pageblock_first_busy(pfn, stop);
		spin_unlock_irqrestore(&normal_zone.lock, flags);
		if (busy < stop)
			return busy;
		pfn = stop;
	}
	return end;
}

/* test_pages_isolated(), also saying where it stopped (*@fin: first busy pfn). */
static int __test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn,
				 unsigned long *fin)
{
	*fin = first_busy_pfn(start_pfn, end_pfn);
	trace_test_pages_isolated(start_pfn, end_pfn, *fin);
	return *fin < end_pfn ? -EBUSY : 0;
}

int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long fin;

	return __test_pages_isolated(start_pfn, end_pfn, &fin);
}

/* ---- the failure report ---- */

struct blocker {
	unsigned long head;
	unsigned int order;
	enum page_block_state state;
};

static const char *const block_state_names[] = {
	[PAGE_BLOCK_NONE] = "no block",
	[PAGE_BLOCK_RESERVED] = "reserved",
	[PAGE_BLOCK_FREE] = "free",
	[PAGE_BLOCK_PCP] = "free on a per-cpu list",
	[PAGE_BLOCK_ALLOCATED] = "allocated",
};

/* One block in the way: its page, its owner, its reference history. */
static void report_blocker(struct seq_file *m, const struct blocker *b)
{
	struct page *page = pfn_to_page(b->head);
	unsigned long nr = 1UL << b->order;

	seq_printf(m, "pfn 0x%lx: %s, order %u, refcount %d\n", b->head,
		   block_state_names[b->state], b->order, page_ref_count(page));
	dump_page_seq(m, page, "unmovable page");
	if (b->state != PAGE_BLOCK_ALLOCATED)
		return;
	if (page_owner_dump_pfn(m, b->head))
		seq_puts(m, "page_owner is off: boot with page_owner=on to see who allocated it\n");
	seq_printf(m, "page_ref history of pfn 0x%lx-0x%lx (trace ring):\n", b->head,
		   b->head + nr - 1);
	if (trace_print_history(m, b->head, b->head + nr))
		return;
	if (READ_ONCE(trace_event_mask) & (TRACE_EVENTS_PAGE_REF | TRACE_EVENTS_ALLOCATOR))
		seq_puts(m, "  (no event for these pages in the ring)\n");
	else
		seq_puts(m, "  (no event for these pages in the ring: page_ref tracing is off; "
			 "'trace on' and 'trace stack on' record it)\n");
}

/*
 * Name the blocks in the way in [@start, @end): count them all, report the
 * first CONTIG_REPORT_BLOCKS in full. Called with the range still isolated,
 * so free pages stay where they are while we look.
 */
static void report_busy(struct seq_file *m, unsigned long start, unsigned long end,
			unsigned long fin)
{
	struct blocker b[CONTIG_REPORT_BLOCKS];
	unsigned long pfn = fin, nr_blocks = 0, nr_pages = 0;
	unsigned int shown = 0;

	while (pfn < end) {
		struct blocker cur;
		unsigned long from, to;

		cur.state = page_block(pfn, &cur.head, &cur.order);
		from = max(cur.head, start);
		to = min(cur.head + (1UL << cur.order), end);
		if (to <= pfn)		/* inconsistent answer: step one page */
			to = pfn + 1;
		nr_blocks++;
		nr_pages += to - from;
		if (shown < CONTIG_REPORT_BLOCKS)
			b[shown++] = cur;
		pfn = first_busy_pfn(to, end);
	}
	/* Linux's message (before 6.3), with ferret's details after it. */
	seq_printf(m, "alloc_contig_range: [%lx, %lx) PFNs busy\n", start, end);
	seq_printf(m, "alloc_contig_range: %lu block%s in the way, %lu of %lu pages in use; "
		   "first busy pfn 0x%lx\n", nr_blocks, nr_blocks == 1 ? "" : "s", nr_pages,
		   end - start, fin);
	for (unsigned int i = 0; i < shown; i++)
		report_blocker(m, &b[i]);
	if (nr_blocks > shown)
		seq_printf(m, "... and %lu more block%s in the way\n", nr_blocks - shown,
			   nr_blocks - shown == 1 ? "" : "s");
}

/* ---- allocation ---- */

int __alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn, gfp_t gfp,
			 struct seq_file *m)
{
	unsigned long fin, pfn;
	int ret;

	if (!range_valid(start_pfn, end_pfn)) {
		if (m)
			seq_printf(m, "alloc_contig_range: [%lx, %lx) is not a range of pages\n",
				   start_pfn, end_pfn);
		return -EINVAL;
	}
	ret = start_isolate_page_range(start_pfn, end_pfn);
	if (ret) {
		if (m)
			seq_printf(m, "alloc_contig_range: [%lx, %lx): a pageblock is already "
				   "isolated\n", start_pfn, end_pfn);
		return ret;
	}
	if (__test_pages_isolated(start_pfn, end_pfn, &fin)) {
		if (m)
			report_busy(m, start_pfn, end_pfn, fin);
		undo_isolate_page_range(start_pfn, end_pfn);
		return -EBUSY;
	}
	for (pfn = start_pfn; pfn < end_pfn;) {
		unsigned long stop = min(ALIGN(pfn + 1, pageblock_nr_pages), end_pfn);

		if (!take_isolated_range(pfn, stop))
			break;
		pfn = stop;
	}
	undo_isolate_page_range(start_pfn, end_pfn);
	if (pfn < end_pfn) {
		/* Cannot happen: isolated free pages stay free. Give back what we took. */
		for (unsigned long p = start_pfn; p < pfn; p++)
			__free_pages(pfn_to_page(p), 0);
		if (m)
			seq_printf(m, "alloc_contig_range: [%lx, %lx): pfn 0x%lx changed while "
				   "isolated\n", start_pfn, end_pfn, pfn);
		return -EBUSY;
	}
	for (pfn = start_pfn; pfn < end_pfn; pfn++)
		contig_post_alloc_hook(pfn_to_page(pfn), gfp);
	return 0;
}

/* A seq_file that prints through printk, each write whole lines. */
static void warn_write(struct seq_file *m, const char *s, size_t len)
{
	printk(KERN_WARNING "%.*s", (int)len, s);
}

static void seq_init_warn(struct seq_file *m)
{
	memset(m, 0, sizeof(*m));
	m->write = warn_write;
}

int alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn)
{
	struct seq_file m;

	seq_init_warn(&m);
	return __alloc_contig_range(start_pfn, end_pfn, CONTIG_GFP, &m);
}

/*
 * Pages in [@from, @to) that are not free (allocated or reserved), and of
 * those the reserved ones (and pfns without RAM) in *@reserved. Takes the
 * zone lock per block looked at.
 */
static unsigned long range_used_pages(unsigned long from, unsigned long to,
				      unsigned long *reserved)
{
	unsigned long used = 0, pfn = from;

	while (pfn < to) {
		unsigned long head, next, n;
		unsigned int order;
		enum page_block_state st = page_block(pfn, &head, &order);

		next = st == PAGE_BLOCK_RESERVED || st == PAGE_BLOCK_NONE ?
		       pfn + 1 : head + (1UL << order);
		if (next <= pfn)
			next = pfn + 1;
		n = min(next, to) - pfn;
		if (st != PAGE_BLOCK_FREE && st != PAGE_BLOCK_PCP)
			used += n;
		if (st == PAGE_BLOCK_RESERVED || st == PAGE_BLOCK_NONE)
			*reserved += n;
		pfn += n;
	}
	return used;
}

static unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (BITS_PER_LONG - __builtin_clzl(n - 1));
}

struct page *__alloc_contig_pages(unsigned long nr_pages, gfp_t gfp, struct seq_file *m)
{
	unsigned long align, pfn, used = 0, reserved = 0;
	unsigned long best = 0, best_used = ~0UL;

	if (!nr_pages || !mem_map || nr_pages > max_pfn - min_low_pfn) {
		if (m)
			seq_printf(m, "alloc_contig_pages: %lu pages: no such range in RAM\n",
				   nr_pages);
		return NULL;
	}
	align = min(roundup_pow_of_two(nr_pages), MAX_ORDER_NR_PAGES);
	pfn = ALIGN(min_low_pfn, align);
	/*
	 * Slide a window of nr_pages by align: the counts of the next window are
	 * those of this one, minus the pages it leaves, plus the ones it takes
	 * in, so each page is looked at about twice whatever the sizes.
	 */
	if (pfn + nr_pages <= max_pfn)
		used = range_used_pages(pfn, pfn + nr_pages, &reserved);
	while (pfn + nr_pages <= max_pfn) {
		unsigned long next = pfn + align;

		if (!used && !reserved &&
		    !__alloc_contig_range(pfn, pfn + nr_pages, gfp, NULL))
			return pfn_to_page(pfn);
		if (!reserved && used < best_used) {
			best = pfn;
			best_used = used;
		}
		if (next + nr_pages > max_pfn)
			break;
		if (align <= nr_pages) {
			unsigned long r_out = 0, r_in = 0;

			used -= range_used_pages(pfn, next, &r_out);
			used += range_used_pages(pfn + nr_pages, next + nr_pages, &r_in);
			reserved = reserved - r_out + r_in;
		} else {
			reserved = 0;
			used = range_used_pages(next, next + nr_pages, &reserved);
		}
		pfn = next;
	}
	if (!m)
		return NULL;
	if (best_used == ~0UL) {
		seq_printf(m, "alloc_contig_pages: no range of %lu pages without reserved pages\n",
			   nr_pages);
		return NULL;
	}
	seq_printf(m, "alloc_contig_pages: no free range of %lu pages; the one with the fewest "
		   "pages in use:\n", nr_pages);
	/* It may have become free meanwhile: then it is ours. */
	if (!__alloc_contig_range(best, best + nr_pages, gfp, m))
		return pfn_to_page(best);
	return NULL;
}

struct page *alloc_contig_pages(unsigned long nr_pages)
{
	struct seq_file m;

	seq_init_warn(&m);
	return __alloc_contig_pages(nr_pages, CONTIG_GFP, &m);
}

void free_contig_range_counts(unsigned long pfn, unsigned long nr_pages,
			      struct contig_free_counts *c)
{
	for (; nr_pages--; pfn++) {
		switch (free_pages_pfn(pfn, 0)) {	/* refusals are reported there */
		case 0:
			c->freed++;
			break;
		case 1:
			c->held++;
			break;
		default:
			c->refused++;
		}
	}
}

unsigned long free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	struct contig_free_counts c = { 0 };

	free_contig_range_counts(pfn, nr_pages, &c);
	if (c.held)
		pr_warn("%lu pages are still in use!\n", c.held);
	if (c.refused)
		pr_warn("%lu pages were not freed: not allocated order-0 pages\n", c.refused);
	return c.held + c.refused;
}
