/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object allocator's structures and kmalloc()'s inline fast path (as
 * Linux's slub_def.h: for the allocator, and for kmalloc() of a size known
 * at compile time). Other code uses include/ferret/slab.h only.
 *
 * kmalloc(sizeof(struct foo)) names its cache at compile time
 * (&kmalloc_caches[index], a constant address) and pops the cache's cpu
 * freelist inline: a handful of instructions with interrupts masked. Any
 * other case (an empty cpu freelist, a tracked cache, a size known only at
 * run time) calls into mm/slab.c.
 */
#ifndef FERRET_SLAB_DEF_H
#define FERRET_SLAB_DEF_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/gfp.h>
#include <ferret/smp.h>
#include <ferret/spinlock.h>
#include <ferret/string.h>

/* At the end of each slab (mm/slab.h has the layout). */
/* In the slab, after the objects, or off it (mm/slab.h); the head page's private points here. */
struct slab {
	void *freelist;			/* free objects (NULL while frozen or full) */
	struct slab *next, *prev;	/* s->partial list */
	u16 inuse;			/* objects allocated (frozen: all of them) */
	u16 objects;
	u8 frozen;			/* the cpu slab of core frozen - 1; 0: none */
	u8 on_partial;
	u16 magic;			/* SLAB_MAGIC: checked before a slab is trusted */
	unsigned long base;		/* the slab's first byte */
};
#define SLAB_MAGIC	0x51ab

/*
 * One core's lists of a cache: only that core touches them, with its
 * interrupts masked (others ask it to: on_each_cpu()). 64 bytes, so a core's
 * entry is one shift away and no two cores share a cache line.
 */
struct kmem_cache_cpu {
	void *freelist;			/* objects ready to hand out (any slab) */
	unsigned long base;		/* the cpu slab's first byte (0: none) */
	struct slab *slab;		/* the cpu slab (NULL: none) */
	void *remote;			/* objects of other slabs freed here, for reuse */
	unsigned int remote_room;	/* ... how many more it may take */
} __attribute__((aligned(64)));

struct kmem_cache {
	struct kmem_cache_cpu cpu[NR_CPUS];	/* first: the fast paths' loads stay close */
	struct kmem_cache_cpu tcpu[NR_CPUS];	/* the same for owner-tracked caches (mm/slab.h) */
	unsigned int offset;		/* free pointer, from the object pointer */
	unsigned int span;		/* objects * size: where objects can start */
	unsigned int slab_mask;		/* slab bytes - 1: slabs are naturally aligned */
	u64 div_magic;			/* n % size == 0 iff n * div_magic < div_magic */
	unsigned int size;		/* slot size (stride) */
	unsigned int object_size;	/* bytes the user may use (kmalloc: the class) */
	unsigned int red_left_pad;	/* left red zone (0 without SLAB_RED_ZONE) */
	unsigned int objects;		/* objects per slab */
	unsigned int order;		/* slab order */
	unsigned int meta_offset;	/* struct slab, from the slab's start; 0: off the slab */
	unsigned int owner_offset;	/* owner records, from the slab's start; 0: none */
	u32 reciprocal_size;		/* (offset * reciprocal_size) >> 32 == offset / size */
	unsigned int align;
	slab_flags_t flags;
	unsigned int min_partial;	/* empty slabs kept before giving them back */
	unsigned int remote_limit;	/* objects cpu.remote holds before a flush */
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

/*
 * The kmalloc classes, smallest first: Linux's (8, 16, 32, 64, 96, 128,
 * 192, 256, ... 8k) with 8-byte steps up to 64, quarter steps above, and
 * eighth steps from 512 to 1024 (where firmware's buffers cluster), so a
 * request of more than 32 bytes never wastes a fifth of its object; over
 * requests uniform in 16 B..1 KiB, 95% of the class bytes are asked for.
 */
#define KMALLOC_CLASSES(X)                                                         \
	X(8) X(16) X(24) X(32) X(40) X(48) X(56) X(64) X(80) X(96) X(112) X(128)   \
	X(160) X(192) X(224) X(256) X(320) X(384) X(448) X(512) X(576) X(640)      \
	X(704) X(768) X(832) X(896) X(960) X(1024) X(1280) X(1536) X(1792) X(2048) \
	X(2560) X(3072) X(3584) X(4096) X(5120) X(6144) X(7168) X(8192)
#define __KMALLOC_COUNT(n)	+1
#define NR_KMALLOC_CACHES	(0 KMALLOC_CLASSES(__KMALLOC_COUNT))

/* The kmalloc caches: slab_caches[0 .. NR_KMALLOC_CACHES - 1]. */
extern struct kmem_cache kmalloc_caches[];

/* The class of @size (1 .. KMALLOC_MAX_CACHE_SIZE); folds to a constant. */
static __always_inline unsigned int kmalloc_index(size_t size)
{
	unsigned int i = 0;

#define __KMALLOC_STEP(n)		\
	if (size <= (n))		\
		return i;		\
	i++;
	KMALLOC_CLASSES(__KMALLOC_STEP)
#undef __KMALLOC_STEP
	return i;
}

/* mm/slab.c: the paths the inline one falls back to. */
void *__kmalloc(size_t size, gfp_t gfp);
/* @c: the running core's &s->cpu[] entry, as the fast path found it. */
void *kmalloc_slow(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp, unsigned long flags,
		   size_t size);
void *kmalloc_zero(void *x, size_t size);

/*
 * The running core's cpu freelist's first object, popped with its interrupts
 * masked and no lock (the next pointer is an object's first word in every
 * cache with a cpu slab). The
 * free pointer is cleared: a stale one in an object its user never writes
 * would look to the leak scan (mm/kmemleak.c) like a reference to the
 * object that followed it on the freelist, hiding that object's leak.
 *
 * kmalloc() and this are macros, not inline functions: debug information
 * would otherwise make tools that read it (pprof, addr2line) name the
 * inlined kmalloc where the caller is meant.
 */
#define kmalloc_cache_alloc(s, gfp, size)                                          \
	({                                                                         \
		struct kmem_cache *__s = (s);                                      \
		struct kmem_cache_cpu *__c = &__s->cpu[smp_processor_id()];        \
		unsigned long __f = arch_local_irq_save();                         \
		void *__x = __c->freelist;                                         \
                                                                                   \
		if (likely(__x)) {                                                 \
			__c->freelist = *(void **)__x;                             \
			*(void **)__x = NULL;                                      \
			arch_local_irq_restore(__f);                               \
			if (unlikely((gfp) & __GFP_ZERO))                          \
				__x = kmalloc_zero(__x, __s->object_size);         \
		} else {                                                           \
			__x = kmalloc_slow(__s, __c, (gfp), __f, (size));          \
		}                                                                  \
		__x;                                                               \
	})

/*
 * kmalloc() - @size bytes (see include/ferret/slab.h). A compile-time size
 * up to KMALLOC_MAX_CACHE_SIZE is served inline from its cache.
 */
#define kmalloc(size, gfp)                                                         \
	(__builtin_constant_p(size) && (size_t)(size) - 1 < KMALLOC_MAX_CACHE_SIZE ?            \
	 kmalloc_cache_alloc(&kmalloc_caches[kmalloc_index(size)], (gfp), (size)) :  \
	 __kmalloc((size), (gfp)))

#endif
