/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_owner: who allocated each page. The allocator calls set_page_owner()
 * after a successful allocation and reset_page_owner() before a free; with
 * page_owner off each is a single predictable branch.
 *
 * Off unless the command line says "page_owner=on". On, each allocated
 * block's head page has a 16-byte record in page_ext (layout in
 * mm/page_owner.c and docs/PAGE_OWNER.md): allocation stack, order, gfp
 * mask, context and time; after a free also the free stack, context and time.
 */
#ifndef FERRET_PAGE_OWNER_H
#define FERRET_PAGE_OWNER_H

/* compiler.h first: glibc (host builds) defines __always_inline too. */
#include <ferret/compiler.h>
#include <ferret/types.h>

struct page;
struct seq_file;
struct page_ext_operations;
typedef unsigned int gfp_t;

extern bool page_owner_inited;	/* true once page_owner=on and page_ext is set up */
extern struct page_ext_operations page_owner_ops;

/* Frames kept per stack, as Linux's PAGE_OWNER_STACK_DEPTH. */
#define PAGE_OWNER_STACK_DEPTH	16

void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp);
void __reset_page_owner(struct page *page, unsigned int order);
void __dump_page_owner(const struct page *page);

static inline void set_page_owner(struct page *page, unsigned int order, gfp_t gfp)
{
	if (unlikely(page_owner_inited))
		__set_page_owner(page, order, gfp);
}

static inline void reset_page_owner(struct page *page, unsigned int order)
{
	if (unlikely(page_owner_inited))
		__reset_page_owner(page, order);
}

/* Print the page's last allocation and free (bad-page reports, crash reports). */
static inline void dump_page_owner(const struct page *page)
{
	if (page_owner_inited)
		__dump_page_owner(page);
}

/**
 * page_owner_param() - read "page_owner=on" from the kernel command line.
 * @cmdline: the whole command line (words separated by spaces).
 *
 * Linux's early_param("page_owner"): only "on" enables. Must run before
 * page_ext_init_flatmem(), which asks page_owner whether it needs memory.
 *
 * Context: boot.
 * Return: true if page_owner will be enabled.
 */
bool page_owner_param(const char *cmdline);

/**
 * page_owner_dump() - the `page_owner` dump: one record per allocated block,
 * in Linux's /sys/kernel/debug/page_owner format.
 * @m: output; seq_check_abort(@m) is polled between records.
 *
 * The zone lock is taken (interrupts masked) only while a small batch of
 * records is copied, never while printing.
 *
 * Context: process.
 * Return: the number of records printed.
 */
unsigned long page_owner_dump(struct seq_file *m);

/**
 * page_owner_dump_pfn() - `page_owner pfn <pfn>`: the block holding @pfn
 * (which may be a tail page), its last allocation and last free with stacks
 * and times, in the form of Linux's __dump_page_owner().
 * Context: process.
 * Return: 0, or -1 if @pfn has no struct page or page_owner is off.
 */
int page_owner_dump_pfn(struct seq_file *m, unsigned long pfn);

/**
 * page_owner_show_stacks() - `page_owner_stacks`: every allocation stack with
 * outstanding pages, in Linux's show_stacks format ("nr_base_pages: %d").
 * @threshold: hide stacks with fewer outstanding base pages (Linux's
 *             count_threshold).
 * Context: process.
 * Return: the number of stacks printed.
 */
unsigned long page_owner_show_stacks(struct seq_file *m, unsigned long threshold);

/**
 * pagetypeinfo_mixed_show() - Linux's pagetypeinfo_showmixedcount(): the
 * "Number of mixed blocks" table of
 * /proc/pagetypeinfo: per pageblock migratetype, the pageblocks holding an
 * allocated block whose gfp migratetype differs. Prints nothing when
 * page_owner is off (as Linux). Call after the "Number of blocks type" table.
 * Context: process (takes the zone lock per pageblock).
 */
void pagetypeinfo_mixed_show(struct seq_file *m);

/**
 * page_owner_print_addr() - crash reports: the owner of the page holding
 * physical address @phys, in __dump_page_owner() form.
 * Context: any, including the crash handler: takes no lock, never allocates.
 */
void page_owner_print_addr(unsigned long phys);

/* `depot`: page_owner's share (bytes per page, interned pairs, early pages). */
void page_owner_show_stats(struct seq_file *m);

#endif
