/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the object allocator shared by mm/slab.c (allocator),
 * mm/slab_debug.c (red zones, poison, checks, BUG reports) and
 * mm/slab_owner.c (per-object owners). Not for other code.
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
 * s->min_partial partial slabs are kept. Debug caches never get a cpu slab:
 * every allocation and free takes the locked path, where the checks are.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/slab.h>
#include <ferret/spinlock.h>
#include <ferret/jump_label.h>

struct slab {
	void *freelist;			/* free objects (NULL while frozen or full) */
	struct slab *next, *prev;	/* s->partial list */
	u16 inuse;			/* objects allocated (frozen: all of them) */
	u16 objects;
	u8 frozen;			/* the cpu slab */
	u8 on_partial;
	u16 magic;			/* SLAB_MAGIC: checked before a slab is trusted */
	u32 pad;
};
#define SLAB_MAGIC	0x51ab

struct kmem_cache_cpu {
	void *freelist;			/* objects of the cpu slab, ready to hand out */
	unsigned long base;		/* the cpu slab's first byte (0: none) */
	struct slab *slab;		/* the cpu slab (NULL: none) */
};

struct kmem_cache {
	struct kmem_cache_cpu cpu;	/* first: the fast paths' loads stay close */
	unsigned int offset;		/* free pointer, from the object pointer */
	unsigned int span;		/* objects * size: where objects can start */
	unsigned int size;		/* slot size (stride) */
	unsigned int object_size;	/* bytes the user may use (kmalloc: the class) */
	unsigned int red_left_pad;	/* left red zone (0 without SLAB_RED_ZONE) */
	unsigned int objects;		/* objects per slab */
	unsigned int order;		/* slab order */
	unsigned int meta_offset;	/* struct slab, from the slab's start */
	unsigned int owner_offset;	/* owner records, from the slab's start; 0: none */
	u32 reciprocal_size;		/* (offset * reciprocal_size) >> 32 == offset / size */
	unsigned int align;
	slab_flags_t flags;
	unsigned int min_partial;	/* empty slabs kept before giving them back */
	u16 id;				/* slab_caches[] index, in every slab page's flags */
	void (*ctor)(void *);
	spinlock_t lock;		/* the partial list and non-cpu slabs */
	struct slab partial;		/* list head (sentinel) */
	unsigned long nr_partial;
	unsigned long nr_slabs;		/* slabs owned, cpu slab included */
	unsigned long nr_empty;		/* partial slabs with no object allocated */
	unsigned long alloc_fail;	/* allocations that found no memory */
	unsigned long errors;		/* bad frees and corruption found */
	struct kmem_cache *next_cache;	/* the list of caches, newest first */
	char name[SLAB_NAME_LEN];
};

/* Bits of page->flags of every slab page: PG_slab and the cache id. */
#define PAGE_SLAB_ID_SHIFT	20
#define PAGE_SLAB_ID_BITS	12
#define PAGE_SLAB_ID_MASK	(((1U << PAGE_SLAB_ID_BITS) - 1) << PAGE_SLAB_ID_SHIFT)
BUILD_BUG_ON(SLAB_MAX_CACHES > (1 << PAGE_SLAB_ID_BITS));
BUILD_BUG_ON(PAGE_ORDER_SHIFT + PAGE_ORDER_BITS > PAGE_SLAB_ID_SHIFT);

extern struct kmem_cache *slab_caches[SLAB_MAX_CACHES];
extern struct kmem_cache *slab_cache_list;

/*
 * Debug or owner hooks on some cache: while off (the default) the fast
 * paths' test of it is a NOP.
 */
DECLARE_STATIC_KEY_FALSE(slab_hooks_key);

static inline unsigned long slab_base(const struct slab *slab, const struct kmem_cache *s)
{
	return (unsigned long)slab - s->meta_offset;
}

static inline struct slab *slab_of_base(unsigned long base, const struct kmem_cache *s)
{
	return (struct slab *)(base + s->meta_offset);
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
/* Record a free of @x. Context: any. */
void slab_owner_free(struct kmem_cache *s, unsigned long base, const void *x);
/* Is @x allocated, by its owner record? */
bool slab_owner_is_live(const struct kmem_cache *s, unsigned long base, const void *x);
/* The bytes asked for @x (0 if not known). */
size_t slab_owner_orig_size(const struct kmem_cache *s, unsigned long base, const void *x);
/* Start tracking (memo tables, placeholder stacks); after the page allocator. */
int slab_owner_init(void);
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

#endif
