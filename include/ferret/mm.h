/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical memory: the flat mem_map, page <-> pfn <-> address conversions,
 * page flag tests, memory init from boot, and the allocator's diagnostics.
 *
 * Addresses: ferret identity-maps RAM (virtual == physical) on the target.
 * Host tests and benchmarks hand mm a buffer as "RAM": mm_set_virt_offset()
 * makes __va(phys) == phys + offset, so page_address() works in both.
 *
 * mem_map covers [mem_map_pfn_base, mem_map_pfn_base + max_mapnr), the RAM
 * span rounded out to MAX_ORDER_NR_PAGES: a buddy of any block then always
 * has a struct page, and pages of the span that are not RAM (holes, the
 * rounding) are PG_reserved.
 */
#ifndef FERRET_MM_H
#define FERRET_MM_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm_types.h>
#include <ferret/page_ref.h>
#include <ferret/mmzone.h>
#include <ferret/gfp.h>

struct seq_file;

#define PFN_PHYS(pfn)	((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)

/* The order of the smallest block that holds @size bytes (Linux's get_order()). */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

extern struct page *mem_map;		/* struct page of pfn mem_map_pfn_base */
extern unsigned long mem_map_pfn_base;	/* Linux's ARCH_PFN_OFFSET */
extern unsigned long max_mapnr;		/* real entries in mem_map */
extern unsigned long min_low_pfn;	/* first RAM pfn */
extern unsigned long max_pfn;		/* last RAM pfn + 1 */
extern unsigned long totalram_pages;	/* managed pages (MemTotal) */
extern unsigned long mm_virt_offset;	/* virt = phys + mm_virt_offset */

static inline void *__va(phys_addr_t pa)
{
	return (void *)(pa + mm_virt_offset);
}

static inline phys_addr_t __pa(const void *va)
{
	return (phys_addr_t)((unsigned long)va - mm_virt_offset);
}

#define phys_to_virt(pa)	__va(pa)
#define virt_to_phys(va)	__pa(va)

/* True if @pfn has a struct page (RAM, a hole inside the span, or rounding). */
static inline bool pfn_valid(unsigned long pfn)
{
	return pfn - mem_map_pfn_base < max_mapnr;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - mem_map_pfn_base);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + mem_map_pfn_base;
}

static inline void *page_address(const struct page *page)
{
	return __va(PFN_PHYS(page_to_pfn(page)));
}

#define virt_to_pfn(va)		PHYS_PFN(__pa(va))
#define virt_to_page(va)	pfn_to_page(virt_to_pfn(va))

/* Page flag tests (Linux names; see mm_types.h for the states). */
static inline bool page_flag(const struct page *page, enum pageflags f)
{
	return READ_ONCE(page->flags) & (1U << f);
}

static inline bool PageReserved(const struct page *page)
{
	return page_flag(page, PG_reserved);
}

/* Head of a free block on a buddy free list. */
static inline bool PageBuddy(const struct page *page)
{
	return page_flag(page, PG_buddy);
}

/* Head of a free block held on a per-cpu list (free, not in buddyinfo). */
static inline bool PagePcp(const struct page *page)
{
	return page_flag(page, PG_pcp);
}

/* Head of an allocated block (any order, compound or not). */
static inline bool PageHead(const struct page *page)
{
	return page_flag(page, PG_head);
}

/* Tail page of a __GFP_COMP block. */
static inline bool PageTail(const struct page *page)
{
	return page_flag(page, PG_tail);
}

/* Head or tail of a __GFP_COMP block. */
static inline bool PageCompound(const struct page *page)
{
	return READ_ONCE(page->flags) & ((1U << PG_compound) | (1U << PG_tail));
}

/*
 * page_order() - the order of the block @page heads: valid when PageBuddy,
 * PagePcp or PageHead, 0 otherwise.
 */
static inline unsigned int page_order(const struct page *page)
{
	return (READ_ONCE(page->flags) & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT;
}

/* Linux's name for the order of a free block (PageBuddy or PagePcp). */
static inline unsigned int buddy_order(const struct page *page)
{
	return page_order(page);
}

/* The head of a __GFP_COMP block (the page itself if not a tail). */
static __always_inline struct page *compound_head(const struct page *page)
{
	if (PageTail(page))
		return mem_map + READ_ONCE(page->compound_head);
	return (struct page *)page;
}

/* Order of a __GFP_COMP block (0 for other pages, as Linux). */
static inline unsigned int compound_order(const struct page *page)
{
	return page_flag(page, PG_compound) ? page_order(page) : 0;
}

static inline struct zone *page_zone(const struct page *page)
{
	return &normal_zone;
}

static inline int page_to_nid(const struct page *page)
{
	return 0;
}

/**
 * get_pageblock_migratetype() - the migratetype of @page's pageblock.
 * Context: any; exact under the zone lock.
 */
static inline int get_pageblock_migratetype(const struct page *page)
{
	return normal_zone.pageblock_mt[(unsigned long)(page - mem_map) >> pageblock_order];
}

/*
 * Take another reference on an allocated block: @page is its head, or a
 * tail of a __GFP_COMP block. Always inline: a traced page_ref_mod's stack
 * starts at the caller.
 */
static __always_inline void get_page(struct page *page)
{
	page_ref_inc(compound_head(page));
}

/* Return: true if a reference was taken (the count was not zero). */
static __always_inline bool get_page_unless_zero(struct page *page)
{
	return page_ref_add_unless(page, 1, 0);
}

/**
 * put_page() - drop a reference; the last one frees the block.
 * @page: the head of an allocated block, or a tail of a __GFP_COMP block
 *        (which goes to its head).
 *
 * The block's order comes from its head page. Dropping a reference the
 * page does not have (refcount already 0) or putting a page that is not an
 * allocated block's head is reported as a bad page and refused.
 *
 * Context: any.
 */
void put_page(struct page *page);

/* What page_block() found at a pfn. */
enum page_block_state {
	PAGE_BLOCK_NONE,	/* no struct page, or mem_map is inconsistent */
	PAGE_BLOCK_RESERVED,	/* a reserved page (image, holes, mem_map, ...) */
	PAGE_BLOCK_FREE,	/* inside a free block on a buddy list */
	PAGE_BLOCK_PCP,		/* inside a free block on a per-cpu list */
	PAGE_BLOCK_ALLOCATED,	/* inside an allocated block */
};

/**
 * page_block() - the block that holds @pfn.
 * @pfn: any page frame number.
 * @head: the block's head pfn (@pfn itself for a reserved page).
 * @order: the block's order.
 *
 * A head page holds the refcount and the page_owner record of its whole
 * block; this finds it for a page inside the block (at most
 * MAX_PAGE_ORDER + 1 aligned pfns are looked at).
 *
 * Context: any (zone lock); the answer may be stale once it is returned.
 * Return: the state of the block.
 */
enum page_block_state page_block(unsigned long pfn, unsigned long *head, unsigned int *order);

/* ---- memory init (the boot order: mm_init()) ---- */

/*
 * mm_set_virt_offset() - where RAM is mapped: __va(pa) = pa + @offset.
 * Boot leaves it 0 (identity map); host tests point it at their buffer.
 * Call before memblock_alloc() and free_area_init().
 */
void mm_set_virt_offset(unsigned long offset);

/**
 * free_area_init() - build mem_map and the zone from memblock.
 *
 * Sizes the span from memblock.memory, allocates mem_map ("mem_map") and the
 * pageblock migratetypes ("pageblock_flags") with memblock_alloc(), marks
 * every pageblock Movable and sets up the empty free lists. Sets
 * min_low_pfn, max_pfn, mem_map_pfn_base and max_mapnr, so page_ext can size
 * itself (memblock_alloc) before memblock_free_all(). The struct pages
 * themselves are written once, by memblock_free_all(): do not read them
 * before.
 *
 * Context: boot, once (host tests: after memblock_reset()).
 * Return: 0, or -1 if there is no memory or mem_map does not fit.
 */
int free_area_init(void);

/**
 * memblock_free_all() - give every unreserved page to the buddy allocator.
 *
 * Each free memblock range is cut into the largest naturally aligned blocks
 * (up to MAX_PAGE_ORDER) and each page's struct page is written once: linear
 * in RAM. Afterwards memblock_alloc() refuses (use alloc_pages()).
 *
 * Context: boot, once, after free_area_init().
 * Return: the number of pages released (the zone's managed pages).
 */
unsigned long memblock_free_all(void);

/**
 * mm_init() - the whole memory init, in the one order every caller uses (the
 * kernel's kernel/mm_boot.c, the host tests, the benchmarks): read
 * slab_param() and page_owner_param() from @cmdline (may be NULL),
 * free_area_init(), page_ext_init_flatmem(), memblock_free_all() (then
 * "Memory: <avail>K/<total>K available (<reserved>K reserved)"),
 * page_ext_init_flatmem_late() (tracking on), kmem_cache_init().
 *
 * Before: memblock_add() each RAM range and memblock_reserve() the image,
 * DTB, stacks...; mm_set_virt_offset() where RAM is not identity-mapped.
 *
 * Context: boot, once (host tests: after memblock_reset()).
 * Return: 0; -1 if there is no usable memory (nothing can run); -2 if the
 * kmalloc caches could not be made (reported; pages still work).
 */
int mm_init(const char *cmdline);

/* mm_init(NULL): no options (host tests of the page allocator). */
int mm_core_init(void);

/* ---- allocator control and diagnostics ---- */

/**
 * drain_all_pages() - give every core's per-cpu pages back to the buddy
 * lists: each core drains its own (on_each_cpu(), waiting for all). The
 * *_show() functions, memtest and the failure path call it, so that
 * buddyinfo sums to MemFree.
 * Context: interrupts enabled (it waits for the other cores).
 */
void drain_all_pages(void);

/**
 * drain_local_pages() - give the running core's per-cpu pages back (the
 * call drain_all_pages() makes on each core; @unused for on_each_cpu()).
 * Context: any (zone lock).
 */
void drain_local_pages(void *unused);

/**
 * zone_pcp_disable() - stop using the per-cpu lists: drain them and send
 * every allocation and free through the buddy lists (and the allocator's
 * hooks) until the matching zone_pcp_enable(). Nests. Tracing the
 * allocator's events uses it, so that its fast paths need no test.
 * Context: interrupts enabled (drains every core).
 */
void zone_pcp_disable(void);
/* Frees take the hooked (checked) path while @on; the per-cpu lists stay on. */
void zone_pcp_set_free_hooked(bool on);
void zone_pcp_enable(void);

/**
 * pageblock_set_migratetype() - change the migratetype of the pageblock
 * holding @pfn and move its free blocks to the new type's lists (tests use
 * it to build HighAtomic blocks). MIGRATE_ISOLATE and isolated pageblocks
 * are refused: page isolation (page-isolation.h) has its own calls, which
 * remember the type to restore.
 * Context: any (zone lock).
 * Return: the number of free pages moved, or -1 for a bad pfn or type.
 */
long pageblock_set_migratetype(unsigned long pfn, int migratetype);

/* One name of page_flag_names[]: printed when (flags & mask) == value. */
struct page_flag_name {
	u32 mask, value;
	const char *name;
};
extern const struct page_flag_name page_flag_names[];	/* ends with a NULL name */

/**
 * page_flags_format() - the names of page->flags @flags, Linux's %pGp way:
 * names joined by '|' (Linux's names where ferret's flag means the same),
 * then the block order as a field ("order=N"), then any bit without a name
 * in hex. "block|order=0", "head|order=2", "buddy|order=10", "tail".
 * Every printer of page flags uses it: dump_page(), page_owner records,
 * trace events. Context: any.
 * Return: the length written to @buf (NUL-terminated, cut to @size).
 */
int page_flags_format(char *buf, size_t size, u32 flags);

/**
 * dump_page() - print @page as Linux's dump_page(): "page: refcount:..",
 * "flags: 0x..(names)", "raw: ..", "page dumped because: @reason", then the
 * page_owner record (dump_page_owner()).
 * Context: any; takes no lock.
 */
void dump_page(const struct page *page, const char *reason);

/*
 * dump_page_seq() - the page lines of dump_page() into @m, without the
 * page_owner record. Context: any; takes no lock.
 */
void dump_page_seq(struct seq_file *m, const struct page *page, const char *reason);

/**
 * mm_check_invariants() - the `memtest` check.
 * @m: where the report goes (checks made, each violation, a summary).
 *
 * Walks every buddy and per-cpu free list and the whole mem_map with the
 * zone lock held: each free page belongs to exactly one listed block, list
 * entries are well-formed blocks of the list's order and pageblock type, no
 * two free buddies are left unmerged, allocated blocks and reserved pages
 * are well-formed, and every counter (per order and type, free pages,
 * per-cpu pages, managed = free + pcp + allocated) equals the truth.
 *
 * Context: process (holds the zone lock, interrupts masked, for a walk of
 * mem_map: about 2 ms per GiB on the target).
 * Return: the number of violations (0: consistent).
 */
int mm_check_invariants(struct seq_file *m);

#endif
