/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page: one per physical page frame, kept in the flat mem_map.
 *
 * 16 bytes per 4 KiB frame (0.39% of RAM; 4 MiB per GiB), checked by a
 * BUILD_BUG_ON in mm/mm_init.c. Linux's is 64 bytes: ferret keeps per-page
 * extras (page_owner) in page_ext, and uses 32-bit mem_map indices instead of
 * pointers for the free lists.
 *
 *	offset 0  u32 flags      PG_* bits (enum pageflags) and, in bits
 *	                         PAGE_ORDER_SHIFT.., the order of the block the
 *	                         page heads (free or allocated)
 *	offset 4  int _refcount  use the page_ref_*() helpers (page_ref.h)
 *	offset 8  union:
 *	          buddy_list { u32 next, prev }  PageBuddy: links of a circular
 *	                         free list, as mem_map indices (the list heads
 *	                         are sentinel entries after the last real page)
 *	          pcp_next       PagePcp: next block on a per-cpu stack
 *	          compound_head  PageTail: mem_map index of the head page
 *	          private        allocated head pages: the owner's to use
 *
 * Page states (the allocator's invariants, checked by mm_check_invariants()):
 *
 *	reserved        flags == PG_reserved, _refcount >= 1 (1 at init)
 *	free block      head: PG_buddy | order, _refcount 0, on the free list
 *	                (order, pageblock migratetype); the other pages of the
 *	                block: flags 0, _refcount 0
 *	pcp block       as a free block but PG_pcp, on a per-cpu list
 *	allocated block head: PG_head | order (| PG_compound), _refcount >= 1;
 *	                tails: flags 0 and _refcount 0, or PG_tail with
 *	                compound_head when allocated with __GFP_COMP
 *
 * Unlike Linux, every allocated block's head carries PG_head and its order,
 * compound or not, so frees can check the order and page_owner can walk
 * allocated blocks.
 */
#ifndef FERRET_MM_TYPES_H
#define FERRET_MM_TYPES_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* Two 32-bit mem_map indices: a free-list link without 8-byte pointers. */
struct page_list {
	u32 next;
	u32 prev;
};

struct page {
	union {
		struct {
			u32 flags;
			int _refcount;
		};
		/* Both words at once: the allocator's fast paths (little-endian). */
		u64 _flags_ref;
	};
	union {
		struct page_list buddy_list;	/* PageBuddy */
		u32 pcp_next;			/* PagePcp: next on the per-cpu stack */
		u32 compound_head;		/* PageTail */
		u64 private;			/* PageHead: owner data */
	};
};

/* The _flags_ref value of a page with @flags and @refcount. */
#define PAGE_FLAGS_REF(flags, refcount) ((u64)(u32)(flags) | ((u64)(u32)(refcount) << 32))

/*
 * Page flags. Linux's names where Linux has the flag; PG_buddy (a page type
 * in Linux), PG_pcp and PG_compound are ferret's.
 */
enum pageflags {
	PG_reserved,	/* not managed by the buddy allocator: image, holes, mem_map */
	PG_buddy,	/* head of a free block on a buddy free list */
	PG_pcp,		/* head of a free block on a per-cpu free list */
	PG_head,	/* head of an allocated block */
	PG_compound,	/* with PG_head: allocated with __GFP_COMP (tails marked) */
	PG_tail,	/* tail of a __GFP_COMP block */
	PG_memtest,	/* transient mark used by mm_check_invariants() */
	PG_slab,	/* every page of a slab (mm/slab.h: the cache id is in bits 20..31) */
	PG_large_kmalloc, /* head of a kmalloc() block larger than the kmalloc caches */
	NR_PAGEFLAGS
};

/*
 * Bits of page->flags that belong to the page's user, not to the page
 * allocator: PG_slab with the slab cache id (bits 20..31, mm/slab.h) on
 * every page of a slab, PG_large_kmalloc on a large kmalloc's head. The
 * allocator's invariants ignore them; the user clears them before freeing.
 */
#define PAGE_FLAGS_USER_MASK	((1U << PG_slab) | (1U << PG_large_kmalloc) | 0xfff00000U)

/* Order of the block a page heads: bits 16..19 of flags (the user's bits above). */
#define PAGE_ORDER_SHIFT	16
#define PAGE_ORDER_BITS		4
#define PAGE_ORDER_MASK		(((1U << PAGE_ORDER_BITS) - 1) << PAGE_ORDER_SHIFT)

#endif
