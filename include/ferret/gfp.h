/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation flags (gfp: "get free pages") and the page allocator's entry
 * points.
 *
 * The bit values are Linux 6.12's (include/linux/gfp_types.h, without KASAN
 * hardware tags, lockdep or slab object extensions), so a mask printed by
 * ferret reads the same as in a Linux log: GFP_KERNEL is 0xcc0 and prints as
 * "GFP_KERNEL". ferret has no reclaim, no NUMA and no highmem: the reclaim,
 * IO/FS, zone and node bits are accepted, printed and otherwise ignored.
 * What they change in ferret:
 *
 *	__GFP_MOVABLE, __GFP_RECLAIMABLE  migratetype (gfp_migratetype())
 *	__GFP_ZERO        the block is zero-filled
 *	__GFP_NOWARN      no "page allocation failure" warning
 *	__GFP_COMP        tail pages are marked PG_tail (compound page)
 *	__GFP_HIGH, no __GFP_DIRECT_RECLAIM (GFP_ATOMIC, GFP_NOWAIT)
 *	                  may use the HighAtomic free lists, as Linux's
 *	                  ALLOC_NON_BLOCK / ALLOC_HIGHATOMIC
 */
#ifndef FERRET_GFP_H
#define FERRET_GFP_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mmzone.h>

typedef unsigned int gfp_t;

#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_MOVABLE		0x08u
#define ___GFP_RECLAIMABLE	0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
/* 0x200u unused, as in Linux */
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define ___GFP_WRITE		0x1000u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_RETRY_MAYFAIL	0x4000u
#define ___GFP_NOFAIL		0x8000u
#define ___GFP_NORETRY		0x10000u
#define ___GFP_MEMALLOC		0x20000u
#define ___GFP_COMP		0x40000u
#define ___GFP_NOMEMALLOC	0x80000u
#define ___GFP_HARDWALL		0x100000u
#define ___GFP_THISNODE		0x200000u
#define ___GFP_ACCOUNT		0x400000u
#define ___GFP_ZEROTAGS		0x800000u
#define __GFP_BITS_SHIFT	24
#define __GFP_BITS_MASK		((gfp_t)((1u << __GFP_BITS_SHIFT) - 1))

#define __GFP_DMA		((gfp_t)___GFP_DMA)
#define __GFP_HIGHMEM		((gfp_t)___GFP_HIGHMEM)
#define __GFP_DMA32		((gfp_t)___GFP_DMA32)
#define __GFP_MOVABLE		((gfp_t)___GFP_MOVABLE)
#define __GFP_RECLAIMABLE	((gfp_t)___GFP_RECLAIMABLE)
#define __GFP_HIGH		((gfp_t)___GFP_HIGH)
#define __GFP_IO		((gfp_t)___GFP_IO)
#define __GFP_FS		((gfp_t)___GFP_FS)
#define __GFP_ZERO		((gfp_t)___GFP_ZERO)
#define __GFP_DIRECT_RECLAIM	((gfp_t)___GFP_DIRECT_RECLAIM)
#define __GFP_KSWAPD_RECLAIM	((gfp_t)___GFP_KSWAPD_RECLAIM)
#define __GFP_RECLAIM		((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
#define __GFP_WRITE		((gfp_t)___GFP_WRITE)
#define __GFP_NOWARN		((gfp_t)___GFP_NOWARN)
#define __GFP_RETRY_MAYFAIL	((gfp_t)___GFP_RETRY_MAYFAIL)
#define __GFP_NOFAIL		((gfp_t)___GFP_NOFAIL)
#define __GFP_NORETRY		((gfp_t)___GFP_NORETRY)
#define __GFP_MEMALLOC		((gfp_t)___GFP_MEMALLOC)
#define __GFP_COMP		((gfp_t)___GFP_COMP)
#define __GFP_NOMEMALLOC	((gfp_t)___GFP_NOMEMALLOC)
#define __GFP_HARDWALL		((gfp_t)___GFP_HARDWALL)
#define __GFP_THISNODE		((gfp_t)___GFP_THISNODE)
#define __GFP_ACCOUNT		((gfp_t)___GFP_ACCOUNT)
#define __GFP_ZEROTAGS		((gfp_t)___GFP_ZEROTAGS)

#define GFP_ATOMIC		(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO		(__GFP_RECLAIM)
#define GFP_NOFS		(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER		(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA			__GFP_DMA
#define GFP_DMA32		__GFP_DMA32
#define GFP_HIGHUSER		(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE	(GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT	((GFP_HIGHUSER_MOVABLE | __GFP_COMP | \
				  __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM)
#define GFP_TRANSHUGE		(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

/* Mobility: bits 3..4 of the mask are the migratetype, as Linux. */
#define GFP_MOVABLE_MASK	(__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT	3

/**
 * gfp_migratetype() - the free lists an allocation prefers.
 * @gfp: allocation flags.
 *
 * __GFP_MOVABLE selects MIGRATE_MOVABLE, __GFP_RECLAIMABLE
 * MIGRATE_RECLAIMABLE, neither MIGRATE_UNMOVABLE. Both together is a caller
 * bug (Linux warns); ferret treats it as MIGRATE_UNMOVABLE, never as the
 * HighAtomic value the raw bits would give.
 *
 * Context: any.
 * Return: a MIGRATE_* value below MIGRATE_PCPTYPES.
 */
static inline int gfp_migratetype(gfp_t gfp)
{
	unsigned int mt = (gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT;

	BUILD_BUG_ON(MIGRATE_MOVABLE != 1 || MIGRATE_RECLAIMABLE != 2);
	return mt == MIGRATE_PCPTYPES ? MIGRATE_UNMOVABLE : (int)mt;
}

struct page;

/**
 * alloc_pages() - allocate 2^@order contiguous, naturally aligned pages.
 * @gfp: allocation flags (GFP_KERNEL, GFP_ATOMIC, ... | __GFP_ZERO ...).
 * @order: 0 to MAX_PAGE_ORDER.
 *
 * The head page comes back with refcount 1, PG_head and its order recorded;
 * page_owner (when on) records the caller. On failure, and unless
 * __GFP_NOWARN, warns "<comm>: page allocation failure: order:N, mode:..."
 * and prints the free areas.
 *
 * Context: any, including interrupt handlers (takes the zone lock with
 * interrupts masked; never sleeps).
 * Return: the head page, or NULL.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

/**
 * __get_free_pages() - alloc_pages() returning the block's address.
 * Context: any.
 * Return: the virtual address of the block, or 0.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
#define __get_free_page(gfp)	__get_free_pages((gfp), 0)
/* Return: a zeroed page's address, or 0. */
unsigned long get_zeroed_page(gfp_t gfp);

/**
 * __free_pages() - give back a block from alloc_pages().
 * @page: the head page alloc_pages() returned.
 * @order: the order it was allocated with.
 *
 * Drops the caller's reference. When it was the last one (refcount 1) the
 * block is freed; when someone else still holds one (get_page()), the
 * block stays allocated until the last put_page(), which frees all of it
 * (Linux's put_page_testzero() semantics, as for its compound pages). Any
 * other state (double free, a page never allocated, a tail page, a reserved
 * page, the wrong order, refcount < 1, a page outside mem_map) is reported
 * as "BUG: Bad page state" and the free is refused: the allocator's state
 * does not change.
 *
 * Context: any (zone lock, interrupts masked).
 */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page)	__free_pages((page), 0)

/*
 * free_reserved_area_pfn() - Linux's free_reserved_area(): give the plain
 * reserved RAM pages of pfns [@start, @end) to the buddy allocator (managed
 * from now on). Return: the pages freed. Context: process, after boot.
 */
unsigned long free_reserved_area_pfn(unsigned long start, unsigned long end);

/**
 * free_pages() - __free_pages() by virtual address.
 * @addr: what __get_free_pages() returned (0 is ignored, as Linux).
 * @order: the order it was allocated with.
 *
 * Context: any.
 */
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr)		free_pages((addr), 0)

/**
 * free_pages_pfn() - checked free by page frame number (console `free`).
 * @pfn: page frame number of the block's head.
 * @order: the order it was allocated with.
 *
 * Checks that @pfn has a struct page and @order is valid first, then frees as
 * __free_pages(). Bad input is reported and refused as there.
 *
 * Context: any.
 * Return: 0 when freed, 1 when the reference was dropped but another one
 * keeps the block allocated, -1 when refused.
 */
int free_pages_pfn(unsigned long pfn, unsigned int order);

/**
 * gfp_format() - print @gfp as Linux's %pGg does.
 * @buf: output, always NUL-terminated when @size > 0.
 * @size: room in @buf.
 * @gfp: the mask.
 *
 * Names are matched in Linux's order (composite masks such as GFP_KERNEL
 * first), joined by '|'; bits no name covers end as "|0x..". A zero mask
 * prints as the empty string. Example: "GFP_KERNEL|__GFP_ZERO".
 *
 * Context: any.
 * Return: the length of the full string (as snprintf).
 */
int gfp_format(char *buf, size_t size, gfp_t gfp);

/**
 * gfp_parse() - read a gfp mask written as gfp_format() prints it.
 * @s: names joined by '|' ("GFP_KERNEL|__GFP_ZERO"), numbers (0xcc0), or a
 *     mix; names are case-sensitive, the "__"/"GFP_" prefixes optional
 *     ("KERNEL|ZERO" works too).
 * @out: the mask.
 *
 * Context: any.
 * Return: 0, or -1 if a token is neither a known name nor a number.
 */
int gfp_parse(const char *s, gfp_t *out);

#endif
