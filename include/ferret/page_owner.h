/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_owner: who allocated each page. The allocator calls set_page_owner()
 * after a successful allocation and reset_page_owner() before a free; with
 * page_owner off each is a single predictable branch.
 */
#ifndef FERRET_PAGE_OWNER_H
#define FERRET_PAGE_OWNER_H

#include <ferret/types.h>
#include <ferret/compiler.h>

struct page;
typedef unsigned int gfp_t;

extern bool page_owner_inited;	/* true once page_owner=on and page_ext is set up */

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

#endif
