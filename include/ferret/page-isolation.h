/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page isolation and contiguous allocations (Linux's
 * include/linux/page-isolation.h and alloc_contig_range()).
 *
 * A pageblock is isolated by giving it the MIGRATE_ISOLATE type: its free
 * blocks move to the Isolate free lists, which the allocator never takes
 * from, and frees into it go there too. Isolated free pages are not free
 * memory: MemFree, buddyinfo and vmstat's nr_free_pages leave them out.
 *
 * alloc_contig_range() isolates the pageblocks covering a pfn range, checks
 * that every page of the range is free (test_pages_isolated()), takes them
 * and undoes the isolation. Linux would migrate pages in the way; ferret
 * cannot move a page, so a page in the way makes the allocation fail, and
 * the failure report names it: its state, its page_owner record (who
 * allocated it, from which stack) and, with tracing on, its page_ref
 * history from the trace ring (who took the reference that keeps it):
 * the diagnosis of Linux commit 95813b8f, from the console alone.
 *
 * Isolation lasts for one call: between calls no pageblock is isolated,
 * whatever the outcome.
 */
#ifndef FERRET_PAGE_ISOLATION_H
#define FERRET_PAGE_ISOLATION_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm.h>

struct seq_file;

static inline bool is_migrate_isolate_page(const struct page *page)
{
	return is_migrate_isolate(get_pageblock_migratetype(page));
}

/**
 * start_isolate_page_range() - isolate every pageblock that [@start_pfn,
 * @end_pfn) touches, then drain the per-cpu lists so that their free pages
 * of those pageblocks reach the Isolate lists.
 * Context: process.
 * Return: 0; -EINVAL for a range without struct pages; -EBUSY if a
 * pageblock was already isolated (nothing is left isolated then).
 */
int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn);

/**
 * undo_isolate_page_range() - give every pageblock [@start_pfn, @end_pfn)
 * touches the type it had before start_isolate_page_range(); their free
 * pages go back to that type's lists and merge.
 * Context: process.
 */
void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn);

/**
 * test_pages_isolated() - is every page in [@start_pfn, @end_pfn) free, in
 * an isolated pageblock? Emits the test_pages_isolated trace event.
 * Context: process (zone lock per pageblock).
 * Return: 0, or -EBUSY.
 */
int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn);

/**
 * alloc_contig_range() - allocate exactly the pages [@start_pfn, @end_pfn).
 *
 * On success each page is an order-0 block with refcount 1 (page_owner
 * records each, with GFP_KERNEL), as Linux hands them out; give them back
 * with free_contig_range(). On failure nothing changed, and the report
 * (see __alloc_contig_range()) goes to the console.
 *
 * Context: process.
 * Return: 0; -EINVAL for a bad range; -EBUSY when pages are in the way.
 */
int alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn);

/**
 * __alloc_contig_range() - alloc_contig_range() with a gfp mask (recorded by
 * page_owner) and a place for the failure report.
 * @m: the report: "alloc_contig_range: [start, end) PFNs busy", how many
 *     blocks and pages are in the way, then for each of the first
 *     CONTIG_REPORT_BLOCKS blocks its dump_page() lines, its page_owner
 *     record and its page_ref history from the trace ring. NULL: quiet.
 * Context: process. Return: as alloc_contig_range().
 */
int __alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn, gfp_t gfp,
			 struct seq_file *m);

#define CONTIG_REPORT_BLOCKS	4

/**
 * alloc_contig_pages() - find and allocate @nr_pages contiguous pages.
 *
 * Candidate ranges start at multiples of @nr_pages rounded up to a power of
 * two, at most MAX_ORDER_NR_PAGES (so a power-of-two request up to 4 MiB is
 * aligned to its size, as Linux's), and are tried lowest first among those
 * whose pages all look free. If none succeeds, the report of the candidate
 * with the fewest pages in use (and no reserved page) goes to the console.
 *
 * Context: process.
 * Return: the first page, or NULL.
 */
struct page *alloc_contig_pages(unsigned long nr_pages);

/* alloc_contig_pages() with a gfp mask and a report sink (NULL: quiet). */
struct page *__alloc_contig_pages(unsigned long nr_pages, gfp_t gfp, struct seq_file *m);

/**
 * free_contig_range() - free each of @nr_pages order-0 pages from @pfn: a
 * page someone else still holds a reference to stays allocated until its
 * last put_page(); a page that is not an allocated order-0 page (already
 * free, reserved, part of a larger block, outside RAM) is refused and
 * reported as a bad page, and left as it was.
 * Context: process.
 * Return: the number of pages not freed now: those still in use (warned
 * about as Linux does, "%lu pages are still in use!") and those refused
 * (warned about as such).
 */
unsigned long free_contig_range(unsigned long pfn, unsigned long nr_pages);

/* What free_contig_range_counts() did with each page. */
struct contig_free_counts {
	unsigned long freed;	/* given back */
	unsigned long held;	/* still referenced: freed by the last put_page() */
	unsigned long refused;	/* not an allocated order-0 page: reported, untouched */
};

/* free_contig_range() without the summary warnings; adds to @c. */
void free_contig_range_counts(unsigned long pfn, unsigned long nr_pages,
			      struct contig_free_counts *c);

#endif
