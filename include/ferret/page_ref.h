/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page reference counts, named as Linux's include/linux/page_ref.h.
 *
 * Every change to page->_refcount outside the allocator goes through
 * exactly one of these static inlines, and each emits its page_ref trace
 * event (include/ferret/trace.h) when that event is on, as Linux's do:
 *
 *	set_page_count, init_page_count		page_ref_set
 *	page_ref_add/sub/inc/dec		page_ref_mod
 *	page_ref_sub_and_test, dec_and_test	page_ref_mod_and_test
 *	page_ref_inc/dec/sub_return		page_ref_mod_and_return
 *	page_ref_add_unless			page_ref_mod_unless
 *	page_ref_freeze / page_ref_unfreeze	page_ref_freeze / _unfreeze
 *
 * With tracing off each costs one predictable branch on trace_event_mask.
 * They are always inlined (as get_page() is), so that cost lands in the
 * caller and a recorded stack starts at the caller even at -O1.
 * The __page_ref_*() functions live in mm/page_ref.c, which linker.ld puts
 * in the stack-skip text range, so a recorded stack starts at the caller of
 * the helper. The allocator itself sets and clears refcounts with plain
 * stores and emits page_ref_set / page_ref_mod_and_test from its slow paths
 * (Linux's set_page_refcounted() and put_page_testzero()).
 *
 * ferret runs on one CPU: each read-modify-write masks interrupts around it,
 * which makes it atomic against interrupt handlers. SMP would turn the
 * bodies into atomics; callers do not change.
 *
 * Allocator rules: a block comes back from alloc_pages() with refcount 1 on
 * its head page; get_page() adds a reference, put_page() and __free_pages()
 * drop one, and the last one frees the whole block. Refcounts live in head
 * pages only: tails of a block keep 0.
 */
#ifndef FERRET_PAGE_REF_H
#define FERRET_PAGE_REF_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm_types.h>
#include <ferret/trace.h>
#include <asm/irqflags.h>

/* Linux's page_ref_tracepoint_active(): one load, one predictable branch. */
#define page_ref_tracepoint_active(ev)	trace_event_enabled(ev)

void __page_ref_set(struct page *page, int v);
void __page_ref_mod(struct page *page, int v);
void __page_ref_mod_and_test(struct page *page, int v, int ret);
void __page_ref_mod_and_return(struct page *page, int v, int ret);
void __page_ref_mod_unless(struct page *page, int v, int u);
void __page_ref_freeze(struct page *page, int v, int ret);
void __page_ref_unfreeze(struct page *page, int v);

static __always_inline int page_ref_count(const struct page *page)
{
	return READ_ONCE(page->_refcount);
}

static __always_inline void set_page_count(struct page *page, int v)
{
	WRITE_ONCE(page->_refcount, v);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_SET))
		__page_ref_set(page, v);
}

/* A page that the allocator hands out starts with one reference. */
static __always_inline void init_page_count(struct page *page)
{
	set_page_count(page, 1);
}

static __always_inline void page_ref_add(struct page *page, int nr)
{
	unsigned long flags = arch_local_irq_save();

	page->_refcount += nr;
	arch_local_irq_restore(flags);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_MOD))
		__page_ref_mod(page, nr);
}

static __always_inline void page_ref_sub(struct page *page, int nr)
{
	unsigned long flags = arch_local_irq_save();

	page->_refcount -= nr;
	arch_local_irq_restore(flags);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_MOD))
		__page_ref_mod(page, -nr);
}

static __always_inline void page_ref_inc(struct page *page)
{
	page_ref_add(page, 1);
}

static __always_inline void page_ref_dec(struct page *page)
{
	page_ref_sub(page, 1);
}

/* Return: the new count. */
static __always_inline int page_ref_sub_return(struct page *page, int nr)
{
	unsigned long flags = arch_local_irq_save();
	int ret = (page->_refcount -= nr);

	arch_local_irq_restore(flags);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_MOD_AND_RETURN))
		__page_ref_mod_and_return(page, -nr, ret);
	return ret;
}

/* Return: true when the count reached zero. */
static __always_inline bool page_ref_sub_and_test(struct page *page, int nr)
{
	unsigned long flags = arch_local_irq_save();
	int ret = (page->_refcount -= nr) == 0;

	arch_local_irq_restore(flags);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_MOD_AND_TEST))
		__page_ref_mod_and_test(page, -nr, ret);
	return ret;
}

/* Return: the new count. */
static __always_inline int page_ref_inc_return(struct page *page)
{
	unsigned long flags = arch_local_irq_save();
	int ret = ++page->_refcount;

	arch_local_irq_restore(flags);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_MOD_AND_RETURN))
		__page_ref_mod_and_return(page, 1, ret);
	return ret;
}

static __always_inline bool page_ref_dec_and_test(struct page *page)
{
	return page_ref_sub_and_test(page, 1);
}

/* Return: the new count. */
static __always_inline int page_ref_dec_return(struct page *page)
{
	return page_ref_sub_return(page, 1);
}

/*
 * page_ref_add_unless - add @nr unless the count is @u.
 * Return: true if it added.
 */
static __always_inline bool page_ref_add_unless(struct page *page, int nr, int u)
{
	unsigned long flags = arch_local_irq_save();
	bool ret = page->_refcount != u;

	if (ret)
		page->_refcount += nr;
	arch_local_irq_restore(flags);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_MOD_UNLESS))
		__page_ref_mod_unless(page, nr, ret);
	return ret;
}

/*
 * page_ref_freeze - set the count to 0 if it is exactly @count (nobody else
 * holds a reference), so no new reference can be taken with
 * get_page_unless_zero(). Return: true if frozen.
 */
static __always_inline bool page_ref_freeze(struct page *page, int count)
{
	unsigned long flags = arch_local_irq_save();
	bool ret = page->_refcount == count;

	if (ret)
		page->_refcount = 0;
	arch_local_irq_restore(flags);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_FREEZE))
		__page_ref_freeze(page, count, ret);
	return ret;
}

/* page_ref_unfreeze - give a frozen page its @count back. */
static __always_inline void page_ref_unfreeze(struct page *page, int count)
{
	WRITE_ONCE(page->_refcount, count);
	if (page_ref_tracepoint_active(TEV_PAGE_REF_UNFREEZE))
		__page_ref_unfreeze(page, count);
}

#endif
