/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_ext: per-page data outside struct page, allocated at boot only when a
 * client needs it this boot (Linux's page_ext, flatmem flavour).
 *
 * One entry per mem_map entry (same index), page_ext_size bytes each; a
 * client's data sits at its ops->offset inside every entry. With no client
 * needing memory nothing is allocated and page_ext_get() returns NULL.
 *
 * Boot order (the kernel's mm_boot_init()):
 *	memblock_add() / memblock_reserve() ...
 *	page_owner_param(cmdline);	clients decide need()
 *	free_area_init();		mem_map and the zone
 *	page_ext_init_flatmem();	allocate from memblock, log the size
 *	memblock_free_all();		buddy allocator live
 *	page_ext_init_flatmem_late();	clients' init(): page_owner starts
 */
#ifndef FERRET_PAGE_EXT_H
#define FERRET_PAGE_EXT_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>

struct page;
struct page_ext;	/* opaque: an entry is page_ext_size bytes of client data */

struct page_ext_operations {
	size_t offset;		/* set by page_ext: the client's data in an entry */
	size_t size;		/* bytes the client needs per page */
	bool (*need)(void);	/* true: allocate page_ext this boot */
	void (*init)(void);	/* after the array exists and the buddy is live */
	size_t boot_bytes;	/* more memory needed once (zeroed), 0: none */
	const char *name;	/* its memblock reservation */
	void *boot_mem;		/* set by page_ext: that memory, or NULL */
};

extern u8 *page_ext_base;		/* entry of mem_map[0], or NULL */
extern unsigned long page_ext_size;	/* bytes per entry (sum of clients' sizes) */
extern unsigned long page_ext_nr;	/* entries (== max_mapnr) */
extern unsigned long page_ext_total_bytes;

/**
 * page_ext_init_flatmem() - size and allocate the page_ext array.
 *
 * Asks each client's need(); if none needs it, allocates nothing. Otherwise
 * allocates one entry per mem_map entry with memblock_alloc() (reservation
 * "page_ext"), and logs "allocated %lu bytes of page_ext" as Linux does.
 * A client's boot_bytes come from memblock too (reservation ops->name): the
 * client finds them in ops->boot_mem at init() (NULL if they did not fit).
 *
 * Context: boot, after free_area_init() and before memblock_free_all().
 * Return: 0, or -1 if memblock could not provide the memory (then no
 * client is initialised and page_ext_get() keeps returning NULL).
 */
int page_ext_init_flatmem(void);

/**
 * page_ext_init_flatmem_late() - run the clients' init() callbacks.
 * Context: boot, after memblock_free_all() (the buddy allocator is live).
 */
void page_ext_init_flatmem_late(void);

/**
 * page_ext_get() - the page_ext entry of @page.
 * Context: any. Unlike Linux there is no RCU: entries live forever, and
 * page_ext_put() is empty.
 * Return: the entry, or NULL when page_ext is not allocated.
 */
struct page_ext *page_ext_get(const struct page *page);

static inline void page_ext_put(struct page_ext *ext)
{
}

/* Entry of page frame @pfn, or NULL (outside mem_map or not allocated). */
struct page_ext *page_ext_from_pfn(unsigned long pfn);

/* The client's data inside @ext. */
static inline void *page_ext_data(struct page_ext *ext, const struct page_ext_operations *ops)
{
	return (u8 *)ext + ops->offset;
}

/* Forget the array (host tests re-initialise memory). */
void page_ext_reset(void);

#endif
