/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the object allocator shared by mm/slab.c (allocator),
 * mm/slab_debug.c (red zones, poison, checks, BUG reports) and
 * mm/slab_owner.c (per-object owners), and what the leak scanner
 * (mm/kmemleak.c) reads. Not for other code.
 *
 * A slab is a block of 2^order pages from alloc_pages(__GFP_COMP). Every
 * page of it carries PG_slab and the cache's id in page->flags
 * (PAGE_SLAB_ID_SHIFT), so kfree() finds the cache of any object with one
 * load of its struct page, whichever page of the slab it is in. The block
 * itself holds, in this order:
 *
 *	objects[objects]	each s->size bytes (the stride)
 *	owners[objects]		16-byte owner records (only if s->owner_offset)
 *	struct slab		the slab's state, at s->meta_offset
 *
 * except that untracked caches of objects of 256 bytes or more keep struct
 * slab off the slab (s->meta_offset 0), in the slab_desc cache, so their
 * objects fill the slab (the head page's private points at struct slab in
 * both cases).
 *
 * An object slot, with the debug layout (s->flags & SLAB_RED_ZONE etc.):
 *
 *	[left red zone: red_left_pad][object: object_size][right red zone]
 *	[free pointer, if it cannot live in the object][padding to s->size]
 *
 * Without debug flags the slot is the object and the free pointer is the
 * object's first word. Object pointers handed out point past the left red
 * zone.
 *
 * SLUB's scheme: the cpu slab (s->cpu.slab, "frozen") hands out objects
 * from s->cpu.freelist with interrupts masked and nothing else; frees into
 * it push onto that list. Other slabs are full (on no list) or partial (on
 * s->partial with their own freelist), and a free into one of them takes
 * s->lock. A slab that becomes empty goes back to the buddy allocator once
 * s->min_partial empty slabs are kept. Frees of objects of other slabs
 * go onto a second per-cpu list (cpu.remote, at most remote_limit objects)
 * that refills the cpu freelist before any slab does.
 *
 * Tracked caches (owners or debug checks) leave s->cpu empty (base 0, no
 * remote room), so every allocation and free fails the fast paths' tests
 * and calls into the slow paths; the fast paths test nothing else. There,
 * caches with owners only run the same cpu-list code on s->tcpu, then the
 * owner hook (cpu_of()); debug caches take one object at a time under the
 * lock, with the checks.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/slab.h>
#include <ferret/slab_def.h>
#include <ferret/spinlock.h>

/*
 * mem_map as kfree() reads it, and the caches by id, in one place (one
 * address to form): @start is the virtual address of mem_map's first pfn,
 * subtracted first, so an address below it wraps to an index past @nr.
 */
struct slab_map {
	struct kmem_cache *caches[SLAB_MAX_CACHES];	/* first: one load from the id */
	unsigned long start;
	unsigned long nr;
	struct page *map;
	unsigned long voff;	/* mm_virt_offset: virtual minus physical */
};
extern struct slab_map slab_map;
extern struct kmem_cache *slab_cache_list;

/* Caches whose allocations and frees miss the fast paths (checks, owners). */
static inline bool slab_tracked(const struct kmem_cache *s)
{
	return s->flags & (SLAB_DEBUG_FLAGS | SLAB_STORE_USER);
}

/*
 * The cpu lists the slow paths work on: s->tcpu for caches with owners and
 * no debug checks (their objects come and go through the same cpu lists,
 * then the owner hooks, out of the fast paths' sight), s->cpu otherwise.
 * Debug caches use neither: one object at a time under s->lock.
 */
static inline struct kmem_cache_cpu *cpu_of_cpu(struct kmem_cache *s, unsigned int cpu)
{
	return (s->flags & (SLAB_STORE_USER | SLAB_DEBUG_FLAGS)) == SLAB_STORE_USER ?
	       &s->tcpu[cpu] : &s->cpu[cpu];
}

/*
 * The slow paths' lists from the fast path's (@c: &s->cpu[this core]):
 * s->tcpu follows s->cpu, so the tracked one is NR_CPUS entries on.
 */
static inline struct kmem_cache_cpu *cpu_of_fast(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	BUILD_BUG_ON(offsetof(struct kmem_cache, tcpu) !=
		     offsetof(struct kmem_cache, cpu) + NR_CPUS * sizeof(struct kmem_cache_cpu));
	return (s->flags & (SLAB_STORE_USER | SLAB_DEBUG_FLAGS)) == SLAB_STORE_USER ?
	       c + NR_CPUS : c;
}

/* The running core's (code never changes core while it runs). */
static inline struct kmem_cache_cpu *cpu_of(struct kmem_cache *s)
{
	return cpu_of_cpu(s, smp_processor_id());
}

static inline unsigned long slab_base(const struct slab *slab, const struct kmem_cache *s)
{
	return slab->base;
}

/* The state of the slab at @base: its head page's private points at it. */
static inline struct slab *slab_of_base(unsigned long base, const struct kmem_cache *s)
{
	return (struct slab *)(unsigned long)virt_to_page((void *)base)->private;
}

/* The object index of @x (any byte of slot i gives i). */
static inline unsigned int obj_index(const struct kmem_cache *s, unsigned long base,
				     const void *x)
{
	return (unsigned int)(((u64)((unsigned long)x - base) * s->reciprocal_size) >> 32);
}

static inline void *obj_at(const struct kmem_cache *s, unsigned long base, unsigned int i)
{
	return (void *)(base + (unsigned long)i * s->size + s->red_left_pad);
}

/*
 * The first byte of the slab holding @x: slabs are naturally aligned blocks
 * of physical memory, so an object's offset in its slab is its physical
 * address masked.
 */
static inline unsigned long slab_start(const struct kmem_cache *s, const void *x)
{
	return (unsigned long)x - (((unsigned long)x - slab_map.voff) & s->slab_mask);
}

/* Is @x the start of an object of the slab at @base? */
static inline bool object_start(const struct kmem_cache *s, unsigned long base, const void *x)
{
	unsigned long off = (unsigned long)x - base - s->red_left_pad;

	return off < s->span && off == (unsigned long)obj_index(s, base, x) * s->size;
}

static __always_inline void *get_freepointer(const struct kmem_cache *s, const void *x)
{
	return *(void *const *)((const char *)x + s->offset);
}

static __always_inline void set_freepointer(const struct kmem_cache *s, void *x, void *fp)
{
	*(void **)((char *)x + s->offset) = fp;
}

/*
 * The slab holding @page's object: its first byte. @page is any page of a
 * slab (PG_slab): tails point at their head.
 */
static inline unsigned long slab_base_of_page(const struct page *page)
{
	return (unsigned long)page_address(compound_head(page));
}

static inline bool slab_has_owners(const struct kmem_cache *s)
{
	return s->owner_offset != 0;
}

/* ---- slab_debug.c ---- */

/* Parse slab_debug=<flags>[,<cache>...][;<flags>,<cache>...]. Return: 0 or -1. */
int slab_debug_param(const char *value);
/* The debug flags slab_debug= asks for @name (0 if none). */
slab_flags_t slab_debug_flags_for(const char *name);
/* Set up a new slab's objects (red zones, poison). Context: s->lock. */
void slab_debug_init_slab(struct kmem_cache *s, unsigned long base);
/*
 * Checks on a debug cache's allocation of @x (poison and red zones intact,
 * the freelist sane); what is found is reported and restored, then @x is
 * marked live. A corrupt freelist cuts the slab's chain (its other free
 * objects stay unused). Return: true if @x can be handed out. Context: s->lock.
 */
bool slab_debug_alloc(struct kmem_cache *s, struct slab *slab, void *x, size_t orig_size);
/*
 * Checks on a debug cache's free of @x: a valid object, not free already,
 * red zones intact; then poison. Return: false to refuse the free
 * (reported). Context: s->lock.
 */
bool slab_debug_free(struct kmem_cache *s, struct slab *slab, void *x);
/* Validate every object of a debug cache's slab (free ones' poison). */
int slab_debug_validate_slab(struct kmem_cache *s, struct slab *slab);

/*
 * slab_err() - Linux's "BUG <cache> (Not tainted): <reason>" report with
 * the slab line and the call trace. @x (may be NULL) adds the object's owner
 * and hex dump. Then "FIX <cache>: <fix>" when @fix is not NULL.
 */
void slab_report(struct kmem_cache *s, struct slab *slab, const void *x, const char *fix,
		 const char *fmt, ...) __printf(5, 6);
/* A report about a pointer with no cache (kfree of a non-slab pointer). */
void slab_report_bad_ptr(const char *func, const void *x, const char *what);

/* ---- slab_owner.c ---- */

extern bool slab_owner_on;	/* slab_owner=on or slab_debug=U somewhere */
/* Record an allocation of @x (@orig_size bytes asked for). Context: any. */
void slab_owner_alloc(struct kmem_cache *s, unsigned long base, void *x, size_t orig_size);
/*
 * Record a free of @x, if its record says it is allocated. Context: any.
 * Return: false (nothing recorded) if the record says @x is free already.
 */
bool slab_owner_free(struct kmem_cache *s, unsigned long base, const void *x);
/* Is @x allocated, by its owner record? */
bool slab_owner_is_live(const struct kmem_cache *s, unsigned long base, const void *x);
/* The bytes asked for @x (0 if not known). */
size_t slab_owner_orig_size(const struct kmem_cache *s, unsigned long base, const void *x);
/* Start tracking (memo tables, placeholder stacks); after the page allocator. */
void slab_owner_init(void);
/* Forget the set-up (kmem_cache_init(): host tests start over). */
void slab_owner_reset(void);
/* The allocation and free lines of a BUG report, Linux's "Allocated in ..." form. */
void slab_owner_print_object(struct seq_file *m, struct kmem_cache *s, unsigned long base,
			     const void *x);

/* ---- slab.c, for the other two ---- */

/* Every slab (head page base) of @s, in pfn order; walk with the cache lock. */
unsigned long slab_next(struct kmem_cache *s, unsigned long pfn, unsigned long *base);
/* Is @x free in @slab (on its freelist or the cpu freelist)? Context: s->lock. */
bool slab_object_is_free(struct kmem_cache *s, struct slab *slab, const void *x);

/* ---- slab.c, for the leak scanner (mm/kmemleak.c) ---- */

/*
 * Call @fn for every object on @s's cpu lists (the freelist and the remote
 * list), then, with the second, on the freelist of the slab at @base. @fn
 * runs with s->lock held and interrupts masked: it must be short.
 */
void slab_scan_free_cpu(struct kmem_cache *s, void (*fn)(void *arg, const void *x), void *arg);
void slab_scan_free_slab(struct kmem_cache *s, unsigned long base,
			 void (*fn)(void *arg, const void *x), void *arg);
/* Is @x an allocated object of @s now (a valid start, on no free list)? Takes s->lock. */
bool slab_object_live(struct kmem_cache *s, const void *x);

#endif
