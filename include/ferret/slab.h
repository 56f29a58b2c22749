/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object allocator: kmem_cache_*() and kmalloc(), in the spirit of
 * Linux's SLUB, over pages from alloc_pages() (docs/SLAB.md).
 *
 * Semantics are Linux's: kmalloc(0) returns ZERO_SIZE_PTR (not NULL, must
 * not be dereferenced, may be kfree()d), kcalloc() returns NULL when n * size
 * overflows, kfree(NULL) and kfree(ZERO_SIZE_PTR) do nothing, krealloc(NULL)
 * is kmalloc() and krealloc(p, 0) frees p and returns ZERO_SIZE_PTR.
 *
 * kmalloc sizes up to KMALLOC_MAX_CACHE_SIZE (8 KiB) come from the kmalloc
 * caches (kmalloc-8 ... kmalloc-8k: Linux's classes, 96 and 192 among them,
 * plus intermediate ones so that no request of more than 32 bytes wastes a
 * fifth of its object); larger ones are compound pages straight from the buddy allocator.
 * Alignment: at least 8 bytes; a power-of-two size is aligned to itself
 * (up to the page), every class to its largest power-of-two divisor.
 *
 * Context: every call here may be made from interrupt handlers (the timer
 * interrupt may allocate), except kmem_cache_create/destroy (process).
 *
 * Per-object owners (slab_owner=on or slab_debug=U on the command line) and
 * the debugging checks (slab_debug=F, Z, P) are in mm/slab_owner.c and
 * mm/slab_debug.c; include/ferret/slab_owner.h has their reports.
 */
#ifndef FERRET_SLAB_H
#define FERRET_SLAB_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/gfp.h>
#include <ferret/mm_types.h>

struct seq_file;
struct kmem_cache;

typedef unsigned int slab_flags_t;

/* Cache flags: Linux's names; the debug ones are also set by slab_debug=. */
#define SLAB_CONSISTENCY_CHECKS	0x00000100U	/* F: pointer and freelist checks */
#define SLAB_RED_ZONE		0x00000400U	/* Z: red zones around each object */
#define SLAB_POISON		0x00000800U	/* P: poison free objects */
#define SLAB_KMALLOC		0x00001000U	/* a kmalloc cache (ferret: set by the allocator) */
#define SLAB_HWCACHE_ALIGN	0x00002000U	/* align objects to a cache line */
#define SLAB_STORE_USER		0x00010000U	/* U: per-object owner (alloc/free stacks) */
#define SLAB_PANIC		0x00040000U	/* creation failure is fatal (ferret: reported) */
#define SLAB_NOLEAKTRACE	0x00800000U	/* the leak scan neither scans nor reports its objects */
#define SLAB_NO_TRACK		0x80000000U	/* ferret: slab_debug=/slab_owner= never apply */
#define SLAB_DEBUG_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON)

/* kmalloc(0): a unique non-NULL pointer that faults when dereferenced (page 0). */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MIN_SIZE	8
#define KMALLOC_SHIFT_HIGH	13
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)	/* 8 KiB */
/* The largest kmalloc(): one block of the buddy allocator's largest order. */
#define KMALLOC_MAX_SIZE	(PAGE_SIZE << MAX_PAGE_ORDER)

/* Slabs of a cache are at most this order (the per-cpu page lists' limit). */
#define SLAB_MAX_ORDER		3
/* Cache names, with the NUL (Linux allows more; ferret's table is static). */
#define SLAB_NAME_LEN		24
/* Caches that can exist at once (kmalloc caches included). */
#define SLAB_MAX_CACHES		128

/**
 * kmem_cache_create() - a cache of objects of one size.
 * @name: shown by slabinfo (copied; at most SLAB_NAME_LEN - 1 characters).
 * @size: object size in bytes (1 .. KMALLOC_MAX_CACHE_SIZE).
 * @align: minimum alignment (0 or a power of two up to PAGE_SIZE).
 * @flags: SLAB_* flags; slab_debug= on the command line may add debug flags.
 * @ctor: called on each object when its slab is created (may be NULL).
 *
 * Context: process.
 * Return: the cache, or NULL (bad arguments, no memory, no free cache slot,
 *         or the name is taken), with the reason printed.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));

/**
 * kmem_cache_destroy() - free an empty cache and its slabs.
 *
 * Objects still allocated are reported ("Objects remaining ... on
 * __kmem_cache_shutdown()", each with its owner when tracked) and the cache
 * is then kept, so no live object loses its slab. NULL is ignored.
 * Context: process.
 * Return: 0 if destroyed, -EBUSY if objects remain.
 */
int kmem_cache_destroy(struct kmem_cache *s);

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}

/*
 * kmem_cache_free() - give back @x to @s. An object of another cache, a
 * pointer that is not an object's start, or an object already free is
 * reported and refused (nothing changes).
 */
void kmem_cache_free(struct kmem_cache *s, void *x);

/*
 * kmem_cache_shrink() - every core's cpu lists of @s back to their slabs
 * (each core flushes its own: on_each_cpu()), then the cache's free slabs
 * back to the buddy allocator. Context: interrupts enabled (with them
 * masked, the caller's own core only).
 */
void kmem_cache_shrink(struct kmem_cache *s);

/*
 * kmem_cache_flush_all() - every cache's cpu lists on every core back to
 * their slabs (drain_all_pages() for objects). Context: as kmem_cache_shrink().
 */
void kmem_cache_flush_all(void);

void kfree(const void *x);
void *krealloc(const void *p, size_t new_size, gfp_t gfp);

/*
 * kmalloc_from() - kmalloc(@size) from the kmalloc-style cache @s (one made
 * with SLAB_KMALLOC; its owners and red zones see @size as asked for).
 */
void *kmalloc_from(struct kmem_cache *s, size_t size, gfp_t gfp);

/* ksize() - the usable size of a kmalloc()ed block (its class size); 0 for NULL. */
size_t ksize(const void *x);

/* kmalloc(), inline for compile-time sizes: slab_def.h. */
#include <ferret/slab_def.h>

/* Macros, as kmalloc(): see slab_def.h. */
#define kzalloc(size, gfp)	kmalloc((size), (gfp) | __GFP_ZERO)

/* NULL when @n * @size overflows. */
#define kmalloc_array(n, size, gfp)                                                \
	({                                                                         \
		size_t __bytes;                                                    \
		__builtin_mul_overflow((n), (size), &__bytes) ? NULL :             \
			kmalloc(__bytes, (gfp));                                   \
	})

#define kcalloc(n, size, gfp)	kmalloc_array((n), (size), (gfp) | __GFP_ZERO)

/* kmalloc_size_roundup() - the size kmalloc(@size) really gives (Linux's name). */
size_t kmalloc_size_roundup(size_t size);

/**
 * slab_param() - read slab_debug=, slub_debug=, slab_owner= and
 * slab_min_partial= from the kernel command line (before kmem_cache_init()).
 * Return: 0, or -1 if an option was malformed (reported, then ignored).
 */
int slab_param(const char *cmdline);

/**
 * kmem_cache_init() - create the kmalloc caches. Call once the page
 * allocator (and page_owner, if on) is up.
 * Return: 0, or -1 if a cache could not be created.
 */
int kmem_cache_init(void);

/* slabinfo: Linux's /proc/slabinfo, version 2.1. Context: process. */
void slabinfo_show(struct seq_file *m);

/* Statistics of one cache, for tests and `slab`. */
struct slab_stats {
	unsigned long active_objs, num_objs;	/* objects allocated, objects in slabs */
	unsigned long active_slabs, num_slabs;	/* slabs holding objects, all slabs */
	unsigned long partial_slabs;		/* slabs on the partial list */
	unsigned long bytes;			/* slab memory (pages * PAGE_SIZE) */
	unsigned int objsize, objperslab, order;
};

/* Context: process. Return: 0, or -1 for a NULL cache. */
int kmem_cache_stats(struct kmem_cache *s, struct slab_stats *st);
const char *kmem_cache_name(const struct kmem_cache *s);
slab_flags_t kmem_cache_flags(const struct kmem_cache *s);
struct kmem_cache *kmem_cache_find(const char *name);
/* kmalloc's cache for @size (NULL above KMALLOC_MAX_CACHE_SIZE or for 0). */
struct kmem_cache *kmalloc_cache(size_t size);

/* The name of the cache with id @id (page flags of slab pages), "?" if none. */
const char *slab_cache_name_by_id(unsigned int id);

/* The cache holding @x, or NULL if @x is not in a slab page. Context: any. */
struct kmem_cache *virt_to_cache(const void *x);

/*
 * slab_check_invariants() - the slab half of `memtest`: every slab's
 * freelist is well-formed and its count matches, every partial list entry
 * belongs to its cache, and each cache's counters equal the truth.
 * Return: the number of violations.
 */
int slab_check_invariants(struct seq_file *m);

/*
 * slab_validate() - `slab validate`: slab_check_invariants() for @s (all
 * caches if NULL), then every object of debug caches (red zones, poison).
 * Return: problems found.
 */
int slab_validate(struct seq_file *m, struct kmem_cache *s);

/* Bytes in slab pages (meminfo's Slab:) and in large kmalloc blocks. */
unsigned long slab_total_bytes(void);
unsigned long kmalloc_large_bytes(void);

/* Iterate over every cache (slabinfo order: newest first, as Linux). */
struct kmem_cache *kmem_cache_next(struct kmem_cache *prev);

#endif
