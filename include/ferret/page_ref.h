/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page reference counts, named as Linux's include/linux/page_ref.h.
 *
 * Every change to page->_refcount goes through exactly one of these static
 * inlines, so the page_ref tracing issue can hook each in one place (Linux
 * calls __page_ref_<event>() from each when its tracepoint is on).
 *
 * ferret runs on one CPU: each read-modify-write masks interrupts around it,
 * which makes it atomic against interrupt handlers. SMP would turn the
 * bodies into atomics; callers do not change.
 *
 * Allocator rules: a block comes back from alloc_pages() with refcount 1 on
 * its head page; get_page() adds a reference, put_page() drops one and frees
 * the block when it was the last. __free_pages() demands refcount 1 (the
 * caller's own, last reference) and reports anything else as a bad page.
 */
#ifndef FERRET_PAGE_REF_H
#define FERRET_PAGE_REF_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm_types.h>
#include <asm/irqflags.h>

static inline int page_ref_count(const struct page *page)
{
	return READ_ONCE(page->_refcount);
}

static inline void set_page_count(struct page *page, int v)
{
	WRITE_ONCE(page->_refcount, v);
}

/* A page that the allocator hands out starts with one reference. */
static inline void init_page_count(struct page *page)
{
	set_page_count(page, 1);
}

static inline void page_ref_add(struct page *page, int nr)
{
	unsigned long flags = arch_local_irq_save();

	page->_refcount += nr;
	arch_local_irq_restore(flags);
}

static inline void page_ref_sub(struct page *page, int nr)
{
	unsigned long flags = arch_local_irq_save();

	page->_refcount -= nr;
	arch_local_irq_restore(flags);
}

static inline void page_ref_inc(struct page *page)
{
	page_ref_add(page, 1);
}

static inline void page_ref_dec(struct page *page)
{
	page_ref_sub(page, 1);
}

/* Return: true when the count reached zero. */
static inline bool page_ref_sub_and_test(struct page *page, int nr)
{
	unsigned long flags = arch_local_irq_save();
	int ret = (page->_refcount -= nr);

	arch_local_irq_restore(flags);
	return ret == 0;
}

/* Return: the new count. */
static inline int page_ref_inc_return(struct page *page)
{
	unsigned long flags = arch_local_irq_save();
	int ret = ++page->_refcount;

	arch_local_irq_restore(flags);
	return ret;
}

static inline bool page_ref_dec_and_test(struct page *page)
{
	return page_ref_sub_and_test(page, 1);
}

/* Return: the new count. */
static inline int page_ref_dec_return(struct page *page)
{
	unsigned long flags = arch_local_irq_save();
	int ret = --page->_refcount;

	arch_local_irq_restore(flags);
	return ret;
}

/*
 * page_ref_add_unless - add @nr unless the count is @u.
 * Return: true if it added.
 */
static inline bool page_ref_add_unless(struct page *page, int nr, int u)
{
	unsigned long flags = arch_local_irq_save();
	bool ret = page->_refcount != u;

	if (ret)
		page->_refcount += nr;
	arch_local_irq_restore(flags);
	return ret;
}

/*
 * page_ref_freeze - set the count to 0 if it is exactly @count (nobody else
 * holds a reference), so no new reference can be taken with
 * get_page_unless_zero(). Return: true if frozen.
 */
static inline bool page_ref_freeze(struct page *page, int count)
{
	unsigned long flags = arch_local_irq_save();
	bool ret = page->_refcount == count;

	if (ret)
		page->_refcount = 0;
	arch_local_irq_restore(flags);
	return ret;
}

/* page_ref_unfreeze - give a frozen page its @count back. */
static inline void page_ref_unfreeze(struct page *page, int count)
{
	WRITE_ONCE(page->_refcount, count);
}

#endif
