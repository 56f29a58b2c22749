// SPDX-License-Identifier: GPL-2.0
/*
 * The object allocator: caches of same-size objects carved out of slabs
 * from alloc_pages(), and kmalloc() on top of a set of size classes. The
 * layout of a slab and the cpu-slab scheme are described in mm/slab.h; the
 * debugging checks live in mm/slab_debug.c, per-object owners in
 * mm/slab_owner.c.
 *
 * Fast paths (docs/SLAB.md has the instruction counts): kmalloc() of a
 * size up to 8 KiB is one table load for the cache, then a pop from the cpu
 * freelist with interrupts masked; kfree() finds the cache in the struct
 * page of the object's page (PG_slab and the cache id, one load) and pushes
 * onto the cpu freelist when the object belongs to the cpu slab. Everything
 * else (an empty cpu freelist, a free into another slab, debug caches,
 * tracked caches) takes the slow paths, under the cache's lock.
 */
#include <ferret/errno.h>
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

#include "slab.h"

struct kmem_cache *slab_caches[SLAB_MAX_CACHES];
struct kmem_cache *slab_cache_list;
DEFINE_STATIC_KEY_FALSE(slab_hooks_key);

/* The caches themselves: static, so creating one never recurses into kmalloc. */
static struct kmem_cache cache_pool[SLAB_MAX_CACHES];
static DEFINE_SPINLOCK(slab_caches_lock);	/* the cache table and list */
static unsigned int slab_min_partial = 2;
static bool slab_up;

/* ---- virt_to_page for the fast paths ---- */

/*
 * pfn - mem_map_pfn_base of a virtual address, as one shift and subtract:
 * RAM is mapped at a page-aligned offset (identity on the target).
 */
static unsigned long slab_idx_offset;

static __always_inline struct page *slab_virt_to_page(const void *x)
{
	unsigned long idx = ((unsigned long)x >> PAGE_SHIFT) - slab_idx_offset;

	if (unlikely(idx >= max_mapnr))
		return NULL;
	return mem_map + idx;
}

static inline struct kmem_cache *page_slab_cache(const struct page *page)
{
	return slab_caches[READ_ONCE(page->flags) >> PAGE_SLAB_ID_SHIFT];
}

static inline bool PageSlab(const struct page *page)
{
	return page_flag(page, PG_slab);
}

const char *slab_cache_name_by_id(unsigned int id)
{
	const struct kmem_cache *s = id < SLAB_MAX_CACHES ? READ_ONCE(slab_caches[id]) : NULL;

	return s ? s->name : "?";
}

struct kmem_cache *virt_to_cache(const void *x)
{
	struct page *page = slab_up ? slab_virt_to_page(x) : NULL;

	return page && PageSlab(page) ? page_slab_cache(page) : NULL;
}

/* ---- kmalloc size classes ---- */

/*
 * Linux's classes (8, 16, 32, 64, 96, 128, 192, 256, ... 8k) and between
 * them 8-byte steps up to 64, then quarter steps, so a request of more than
 * 32 bytes never wastes a fifth of its object (Linux's worst case is half).
 */
static const unsigned int kmalloc_sizes[] = {
	8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
	640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144,
	7168, 8192,
};
#define NR_KMALLOC_CACHES	ARRAY_SIZE(kmalloc_sizes)

static struct kmem_cache *kmalloc_caches[NR_KMALLOC_CACHES];
/* kmalloc_size_cache[(size - 1) / 8]: the cache of @size, one load. */
static struct kmem_cache *kmalloc_size_cache[KMALLOC_MAX_CACHE_SIZE / 8];

struct kmem_cache *kmalloc_cache(size_t size)
{
	if (size - 1 >= KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return kmalloc_size_cache[(size - 1) >> 3];
}

size_t kmalloc_size_roundup(size_t size)
{
	if (!size)
		return 0;
	if (size <= KMALLOC_MAX_CACHE_SIZE) {
		for (unsigned int i = 0; i < NR_KMALLOC_CACHES; i++)
			if (kmalloc_sizes[i] >= size)
				return kmalloc_sizes[i];
	}
	if (size > KMALLOC_MAX_SIZE)
		return size;	/* kmalloc() fails; Linux returns the size too */
	return PAGE_SIZE << get_order(size);
}

/* ---- slabs ---- */

static void partial_add(struct kmem_cache *s, struct slab *slab)
{
	struct slab *head = &s->partial;

	slab->next = head->next;
	slab->prev = head;
	head->next->prev = slab;
	head->next = slab;
	slab->on_partial = 1;
	s->nr_partial++;
}

static void partial_del(struct kmem_cache *s, struct slab *slab)
{
	slab->prev->next = slab->next;
	slab->next->prev = slab->prev;
	slab->next = slab->prev = NULL;
	slab->on_partial = 0;
	s->nr_partial--;
}

/* Mark (or unmark, @id < 0) every page of the slab at @page as the cache's. */
static void slab_mark_pages(struct page *page, unsigned int order, int id)
{
	u32 set = id < 0 ? 0 : (1U << PG_slab) | ((u32)id << PAGE_SLAB_ID_SHIFT);

	for (unsigned long i = 0; i < (1UL << order); i++)
		page[i].flags = (page[i].flags & ~((1U << PG_slab) | PAGE_SLAB_ID_MASK)) | set;
}

static void slab_alloc_failed(struct kmem_cache *s, gfp_t gfp)
{
	char names[160];

	s->alloc_fail++;
	if (gfp & __GFP_NOWARN)
		return;
	gfp_format(names, sizeof(names), gfp);
	pr_warn("SLUB: Unable to allocate memory on node -1, gfp=%#x(%s)\n", gfp, names);
	pr_warn("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
		s->name, s->object_size, s->size, s->order, s->order);
}

/*
 * A new slab for @s: pages from the buddy allocator, objects on the slab's
 * freelist in address order. Context: interrupts masked, s->lock not held.
 */
static struct slab *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	gfp_t pgfp = (gfp & ~(__GFP_ZERO | __GFP_COMP)) | __GFP_COMP | __GFP_NOWARN;
	struct page *page = alloc_pages(pgfp, s->order);
	unsigned long base;
	struct slab *slab;
	void **link;

	if (!page) {
		slab_alloc_failed(s, gfp);
		return NULL;
	}
	slab_mark_pages(page, s->order, s->id);
	base = (unsigned long)page_address(page);
	slab = slab_of_base(base, s);
	memset(slab, 0, sizeof(*slab));
	slab->magic = SLAB_MAGIC;
	slab->objects = (u16)s->objects;
	if (s->owner_offset)
		memset((void *)(base + s->owner_offset), 0, (size_t)s->objects * 16);
	if (s->flags & SLAB_DEBUG_FLAGS)
		slab_debug_init_slab(s, base);
	link = &slab->freelist;
	for (unsigned int i = 0; i < s->objects; i++) {
		void *x = obj_at(s, base, i);

		if (s->ctor)
			s->ctor(x);
		*link = x;
		link = (void **)((char *)x + s->offset);
	}
	*link = NULL;
	return slab;
}

/* Give a slab's pages back. Context: any, s->lock not held. */
static void free_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = virt_to_page((void *)slab_base(slab, s));

	slab->magic = 0;
	slab_mark_pages(page, s->order, -1);
	__free_pages(page, s->order);
}

/* ---- allocation ---- */

/*
 * Make a slab the cpu slab: all its free objects move to the cpu freelist
 * and it counts as fully in use until it is deactivated. Context: s->lock.
 */
static void freeze_slab(struct kmem_cache *s, struct slab *slab)
{
	s->cpu.freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	s->cpu.slab = slab;
	s->cpu.base = slab_base(slab, s);
}

/*
 * Stop using the cpu slab: the objects left on the cpu freelist go back to
 * the slab, which becomes partial, full or (if all are free) empty.
 * Return: the slab if it is empty and should be freed. Context: s->lock.
 */
static struct slab *deactivate_slab(struct kmem_cache *s)
{
	struct slab *slab = s->cpu.slab;
	void *x = s->cpu.freelist;

	if (!slab)
		return NULL;
	s->cpu.slab = NULL;
	s->cpu.base = 0;
	s->cpu.freelist = NULL;
	slab->frozen = 0;
	while (x) {
		void *next = get_freepointer(s, x);

		set_freepointer(s, x, slab->freelist);
		slab->freelist = x;
		slab->inuse--;
		x = next;
	}
	if (slab->inuse == slab->objects)
		return NULL;	/* full: on no list */
	partial_add(s, slab);
	if (slab->inuse)
		return NULL;
	s->nr_empty++;
	if (s->nr_empty <= s->min_partial)
		return NULL;
	partial_del(s, slab);
	s->nr_empty--;
	s->nr_slabs--;
	return slab;
}

/* Take a partial slab off the list. Context: s->lock. */
static struct slab *get_partial(struct kmem_cache *s)
{
	struct slab *slab = s->partial.next;

	if (slab == &s->partial)
		return NULL;
	partial_del(s, slab);
	if (!slab->inuse)
		s->nr_empty--;
	return slab;
}

/*
 * A slab with a free object: partial, or new. Drops and retakes s->lock
 * around the page allocation. Context: s->lock, interrupts masked.
 */
static struct slab *get_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct slab *slab = get_partial(s);

	if (slab)
		return slab;
	arch_spin_unlock(&s->lock.raw);
	slab = new_slab(s, gfp);
	arch_spin_lock(&s->lock.raw);
	if (slab)
		s->nr_slabs++;
	return slab;
}

/* A debug cache's allocation: one object off a partial slab, checked. */
static void *alloc_debug(struct kmem_cache *s, gfp_t gfp, size_t orig_size)
{
	for (;;) {
		struct slab *slab = get_slab(s, gfp);
		void *x;

		if (!slab)
			return NULL;
		x = slab->freelist;
		slab->freelist = get_freepointer(s, x);
		slab->inuse++;
		if (slab->freelist && slab->inuse < slab->objects)
			partial_add(s, slab);
		else if (slab->freelist || slab->inuse < slab->objects)
			slab->freelist = NULL;	/* freechain cut: the checks said so */
		if (slab_debug_alloc(s, slab, x, orig_size))
			return x;
		/* Reported: the object stays marked used, try another. */
	}
}

/*
 * The cpu freelist is empty: retire the cpu slab and freeze a partial or a
 * new one. Return: an object, or NULL. Context: s->lock, interrupts masked.
 */
static void *refill_cpu(struct kmem_cache *s, gfp_t gfp, struct slab **discard)
{
	struct slab *slab;
	void *x;

	*discard = deactivate_slab(s);
	slab = get_slab(s, gfp);
	if (!slab)
		return NULL;
	if (s->cpu.slab) {
		/* An interrupt on the way refilled it: keep this one for later. */
		partial_add(s, slab);
		slab = NULL;
	} else {
		freeze_slab(s, slab);
	}
	x = s->cpu.freelist;
	if (x)
		s->cpu.freelist = get_freepointer(s, x);
	return x;
}

static __noinline void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long flags,
					size_t orig_size)
{
	bool debug = s->flags & SLAB_DEBUG_FLAGS;
	struct slab *discard = NULL;
	void *x;

	arch_spin_lock(&s->lock.raw);
	x = s->cpu.freelist;	/* hooked callers come here with it full */
	if (x && !debug)
		s->cpu.freelist = get_freepointer(s, x);
	else
		x = debug ? alloc_debug(s, gfp, orig_size) : refill_cpu(s, gfp, &discard);
	arch_spin_unlock(&s->lock.raw);
	if (discard)
		free_slab(s, discard);
	arch_local_irq_restore(flags);
	if (x && (gfp & __GFP_ZERO))
		memset(x, 0, debug ? orig_size : s->object_size);
	return x;
}

static __always_inline void *slab_alloc_fast(struct kmem_cache *s, gfp_t gfp, size_t orig_size)
{
	unsigned long flags = arch_local_irq_save();
	void *x = s->cpu.freelist;

	if (unlikely(!x))
		return slab_alloc_slow(s, gfp, flags, orig_size);
	s->cpu.freelist = get_freepointer(s, x);
	arch_local_irq_restore(flags);
	if (unlikely(gfp & __GFP_ZERO))
		memset(x, 0, s->object_size);
	return x;
}

/* With owners or debug checks on somewhere: the same, then the owner record. */
static __noinline void *slab_alloc_hooked(struct kmem_cache *s, gfp_t gfp, size_t orig_size)
{
	void *x;

	if (!slab_has_owners(s))
		return slab_alloc_fast(s, gfp, orig_size);
	x = slab_alloc_slow(s, gfp, arch_local_irq_save(), orig_size);
	if (x)
		slab_owner_alloc(s, slab_base_of_page(virt_to_page(x)), x, orig_size);
	return x;
}

static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp, size_t orig_size)
{
	if (static_branch_unlikely(&slab_hooks_key))
		return slab_alloc_hooked(s, gfp, orig_size);
	return slab_alloc_fast(s, gfp, orig_size);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, s->object_size);
}

/* ---- free ---- */

/* The slab @x is in, if @x is a valid object start of @s; else NULL. */
static struct slab *object_slab(struct kmem_cache *s, struct page *page, const void *x,
				unsigned long *basep)
{
	unsigned long base = slab_base_of_page(page);
	struct slab *slab = slab_of_base(base, s);

	*basep = base;
	if (slab->magic != SLAB_MAGIC)
		return NULL;
	if (!object_start(s, base, x))
		return NULL;
	return slab;
}

bool slab_object_is_free(struct kmem_cache *s, struct slab *slab, const void *x)
{
	unsigned int n = 0;
	void *p = slab->frozen ? s->cpu.freelist : slab->freelist;

	/* Bounded: a corrupt (cyclic) chain cannot loop forever. */
	for (; p && n <= slab->objects; p = get_freepointer(s, p), n++)
		if (p == x)
			return true;
	return false;
}

/*
 * A free that is not a push onto the cpu freelist, or any free of a debug
 * or tracked cache. Checks, then returns @x to its slab. Context:
 * interrupts masked (@flags restores them).
 */
static __noinline void slab_free_slow(struct kmem_cache *s, struct page *page, void *x,
				      unsigned long flags)
{
	struct slab *slab, *discard = NULL;
	unsigned long base;
	const char *bad = NULL;

	arch_spin_lock(&s->lock.raw);
	slab = object_slab(s, page, x, &base);
	if (!slab) {
		arch_spin_unlock(&s->lock.raw);
		arch_local_irq_restore(flags);
		slab_report(s, NULL, NULL, NULL, "Invalid object pointer 0x%lx", (unsigned long)x);
		pr_err("FIX %s: Object at 0x%lx not freed\n", s->name, (unsigned long)x);
		s->errors++;
		return;
	}
	if (s->flags & SLAB_DEBUG_FLAGS) {
		if (!slab_debug_free(s, slab, x))
			goto refused;
	} else if (slab->frozen ? x == s->cpu.freelist : x == slab->freelist) {
		bad = "Object already free";
	} else if (!slab->frozen && !slab->inuse) {
		bad = "Slab has 0 allocated objects but 1 are to be freed";
	} else if (slab_has_owners(s) && !slab_owner_is_live(s, base, x)) {
		bad = "Object already free";
	}
	if (bad) {
		arch_spin_unlock(&s->lock.raw);
		slab_report(s, slab, x, NULL, "%s", bad);
		pr_err("FIX %s: Object at 0x%lx not freed\n", s->name, (unsigned long)x);
		s->errors++;
		arch_local_irq_restore(flags);
		return;
	}
	if (slab->frozen) {
		set_freepointer(s, x, s->cpu.freelist);
		s->cpu.freelist = x;
	} else {
		set_freepointer(s, x, slab->freelist);
		slab->freelist = x;
		slab->inuse--;
		if (!slab->on_partial)
			partial_add(s, slab);
		if (!slab->inuse) {
			s->nr_empty++;
			if (s->nr_empty > s->min_partial) {
				partial_del(s, slab);
				s->nr_empty--;
				s->nr_slabs--;
				discard = slab;
			}
		}
	}
	arch_spin_unlock(&s->lock.raw);
	if (slab_has_owners(s))
		slab_owner_free(s, base, x);
	if (discard)
		free_slab(s, discard);
	arch_local_irq_restore(flags);
	return;
refused:
	s->errors++;
	arch_spin_unlock(&s->lock.raw);
	arch_local_irq_restore(flags);
}

static __always_inline void slab_free(struct kmem_cache *s, struct page *page, void *x)
{
	unsigned long flags = arch_local_irq_save(), off;

	if (static_branch_unlikely(&slab_hooks_key))
		goto slow;
	off = (unsigned long)x - s->cpu.base;
	/* An object start of the cpu slab, not the last one freed: push. */
	if (likely(off < s->span && off == (((u64)off * s->reciprocal_size) >> 32) * s->size &&
		   x != s->cpu.freelist)) {
		set_freepointer(s, x, s->cpu.freelist);
		s->cpu.freelist = x;
		arch_local_irq_restore(flags);
		return;
	}
slow:
	slab_free_slow(s, page, x, flags);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct page *page;

	if (unlikely(!x))
		return;
	page = slab_virt_to_page(x);
	if (unlikely(!page || !PageSlab(page))) {
		slab_report_bad_ptr("kmem_cache_free", x, "not a slab object");
		return;
	}
	if (unlikely(page_slab_cache(page) != s)) {
		pr_err("kmem_cache_free: Wrong slab cache. %s but object is from %s\n",
		       s ? s->name : "(null)", page_slab_cache(page)->name);
		slab_report_bad_ptr("kmem_cache_free", x, "object of another cache: not freed");
		if (s)
			s->errors++;
		return;
	}
	slab_free(s, page, x);
}

/* ---- kmalloc ---- */

static unsigned long large_bytes;	/* held in large kmalloc blocks */
static unsigned long large_blocks;

static __noinline void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned long flags;
	struct page *page;
	unsigned int order;

	if (!size)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_SIZE) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %zu bytes is more than the largest block (%lu bytes)\n",
				size, KMALLOC_MAX_SIZE);
		return NULL;
	}
	order = get_order(size);
	page = alloc_pages(gfp | __GFP_COMP, order);
	if (!page)
		return NULL;
	flags = arch_local_irq_save();
	page->flags |= 1U << PG_large_kmalloc;
	page->private = size;
	large_bytes += PAGE_SIZE << order;
	large_blocks++;
	arch_local_irq_restore(flags);
	return page_address(page);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp);
	return slab_alloc(kmalloc_size_cache[(size - 1) >> 3], gfp, size);
}

void *kmalloc_from(struct kmem_cache *s, size_t size, gfp_t gfp)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (size > s->object_size)
		return NULL;
	return slab_alloc(s, gfp, size);
}

/* kfree() of something that is not in a slab: a large kmalloc, or a bug. */
static __noinline void kfree_nonslab(const void *x, struct page *page)
{
	unsigned long flags;
	unsigned int order;

	if (!page || !page_flag(page, PG_large_kmalloc) || page_address(page) != x) {
		slab_report_bad_ptr("kfree", x, page && PageTail(page) &&
				    page_flag(compound_head(page), PG_large_kmalloc)
				    ? "inside a large kmalloc block, not its start: not freed"
				    : "not a kmalloc()ed object: not freed");
		return;
	}
	order = compound_order(page);
	flags = arch_local_irq_save();
	page->flags &= ~(1U << PG_large_kmalloc);
	page->private = 0;
	large_bytes -= PAGE_SIZE << order;
	large_blocks--;
	arch_local_irq_restore(flags);
	__free_pages(page, order);
}

void kfree(const void *x)
{
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	page = slab_virt_to_page(x);
	if (unlikely(!page || !PageSlab(page))) {
		kfree_nonslab(x, page);
		return;
	}
	slab_free(page_slab_cache(page), page, (void *)x);
}

size_t ksize(const void *x)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(x))
		return 0;
	page = slab_virt_to_page(x);
	if (!page)
		return 0;
	if (PageSlab(page))
		return page_slab_cache(page)->object_size;
	if (page_flag(page, PG_large_kmalloc))
		return PAGE_SIZE << compound_order(page);
	return 0;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	struct kmem_cache *s;
	size_t old;
	void *n;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, gfp);
	old = ksize(p);
	if (!old) {
		slab_report_bad_ptr("krealloc", p, "not a kmalloc()ed object: not resized");
		return NULL;
	}
	s = virt_to_cache(p);
	/*
	 * In place when the new size has the same class (a large block: fits),
	 * except in debug caches (their red zones move).
	 */
	if (s ? kmalloc_size_roundup(new_size) == old && !(s->flags & SLAB_DEBUG_FLAGS)
	      : new_size <= old && new_size > KMALLOC_MAX_CACHE_SIZE) {
		if (s && slab_has_owners(s) && static_key_enabled(&slab_hooks_key))
			slab_owner_alloc(s, slab_base_of_page(virt_to_page(p)), (void *)p, new_size);
		else if (!s)
			virt_to_page(p)->private = new_size;
		return (void *)p;
	}
	n = kmalloc(new_size, gfp & ~__GFP_ZERO);
	if (!n)
		return NULL;	/* p is left as it was, as Linux */
	if (s && slab_has_owners(s))
		old = min(old, slab_owner_orig_size(s, slab_base_of_page(virt_to_page(p)), p) ?: old);
	memcpy(n, p, min(old, new_size));
	if ((gfp & __GFP_ZERO) && new_size > old)
		memset((char *)n + old, 0, new_size - old);
	kfree(p);
	return n;
}

unsigned long kmalloc_large_bytes(void)
{
	return READ_ONCE(large_bytes);
}

/* ---- caches ---- */

static unsigned int slab_order_for(unsigned int size, unsigned int meta_per_obj)
{
	/*
	 * The smallest order that holds at least 16 objects (fewer refills)
	 * with at most 1/16 of the slab left over; else the order up to
	 * SLAB_MAX_ORDER that wastes the least.
	 */
	unsigned int best = 0, best_waste = ~0U;

	for (unsigned int order = 0; order <= SLAB_MAX_ORDER; order++) {
		unsigned int bytes = (unsigned int)PAGE_SIZE << order;
		unsigned int n = (bytes - (unsigned int)sizeof(struct slab)) / (size + meta_per_obj);
		unsigned int waste;

		if (!n || n > 0xffff)
			continue;
		waste = bytes - n * size;	/* owner records are not waste */
		if (n >= 16 && waste * 16 <= bytes)
			return order;
		/* Waste as a fraction of the slab, compared without division. */
		if (best_waste == ~0U || (u64)waste * (PAGE_SIZE << best) < (u64)best_waste * bytes) {
			best = order;
			best_waste = waste;
		}
	}
	return best;
}

/* Work out the object layout and slab geometry of @s from its sizes and flags. */
static int calculate_sizes(struct kmem_cache *s)
{
	unsigned int size = s->object_size, align = max(s->align, 8U);
	unsigned int meta_per_obj = 0, bytes, off;
	slab_flags_t f = s->flags;

	s->red_left_pad = 0;
	s->offset = 0;
	if (f & SLAB_RED_ZONE) {
		s->red_left_pad = ALIGN(8U, align);
		/* At least one word of right red zone past the object. */
		size = ALIGN(size, 8U) + 8;
	}
	if ((f & (SLAB_POISON | SLAB_RED_ZONE)) || s->ctor || s->object_size < sizeof(void *)) {
		/* The free pointer cannot live in the object: after it. */
		s->offset = ALIGN(size, 8U);
		size = s->offset + 8;
		if (!(f & (SLAB_POISON | SLAB_RED_ZONE)) && !s->ctor && s->object_size >= 8)
			s->offset = 0;
	}
	size = ALIGN(size + s->red_left_pad, align);
	s->size = size;
	if (f & (SLAB_STORE_USER | SLAB_DEBUG_FLAGS))
		meta_per_obj = 16;
	s->order = slab_order_for(size, meta_per_obj);
	bytes = (unsigned int)PAGE_SIZE << s->order;
	s->objects = (bytes - (unsigned int)sizeof(struct slab)) / (size + meta_per_obj);
	if (!s->objects || s->objects > 0xffff)
		return -1;
	s->span = s->objects * size;
	off = s->span;
	s->owner_offset = meta_per_obj ? ALIGN(off, 16U) : 0;
	if (meta_per_obj)
		off = s->owner_offset + s->objects * meta_per_obj;
	s->meta_offset = bytes - (unsigned int)sizeof(struct slab);
	if (off > s->meta_offset) {
		/* Rounding the owner records up ate the room: one object fewer. */
		s->objects--;
		s->span = s->objects * size;
		s->owner_offset = ALIGN(s->span, 16U);
	}
	s->reciprocal_size = (u32)(((1ULL << 32) + size - 1) / size);
	return 0;
}

static bool name_ok(const char *name)
{
	size_t n = name ? strnlen(name, SLAB_NAME_LEN) : 0;

	if (!n || n >= SLAB_NAME_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	unsigned long irqf;
	int id = -1;

	if (!name_ok(name)) {
		pr_err("kmem_cache_create: bad name (1 to %d printable characters, no spaces)\n",
		       SLAB_NAME_LEN - 1);
		return NULL;
	}
	if (!size || size > KMALLOC_MAX_CACHE_SIZE || (align & (align - 1)) || align > PAGE_SIZE) {
		pr_err("kmem_cache_create(%s): bad size %u or alignment %u\n", name, size, align);
		return NULL;
	}
	if (!slab_up) {
		pr_err("kmem_cache_create(%s): the slab allocator is not up\n", name);
		return NULL;
	}
	spin_lock_irqsave(&slab_caches_lock, irqf);
	if (kmem_cache_find(name)) {
		spin_unlock_irqrestore(&slab_caches_lock, irqf);
		pr_err("kmem_cache_create(%s): a cache of that name exists\n", name);
		return NULL;
	}
	for (unsigned int i = 0; i < SLAB_MAX_CACHES; i++) {
		if (!slab_caches[i]) {
			id = (int)i;
			s = &cache_pool[i];
			slab_caches[i] = s;	/* reserved; published complete below */
			break;
		}
	}
	spin_unlock_irqrestore(&slab_caches_lock, irqf);
	if (!s) {
		pr_err("kmem_cache_create(%s): all %d caches in use\n", name, SLAB_MAX_CACHES);
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	strlcpy(s->name, name, sizeof(s->name));
	s->object_size = size;
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max(align, 64U);
	s->align = align ? align : 8;
	s->flags = (flags & ~SLAB_PANIC) | slab_debug_flags_for(name);
	if (slab_owner_on)
		s->flags |= SLAB_STORE_USER;
	s->ctor = ctor;
	s->min_partial = slab_min_partial;
	s->id = (u16)id;
	spin_lock_init(&s->lock);
	s->partial.next = s->partial.prev = &s->partial;
	if (calculate_sizes(s)) {
		pr_err("kmem_cache_create(%s): objects of %u bytes do not fit a slab\n", name, size);
		WRITE_ONCE(slab_caches[id], NULL);
		return NULL;
	}
	if (slab_has_owners(s)) {
		slab_owner_init();	/* the first tracked cache sets tracking up */
		static_key_enable(&slab_hooks_key);
	}
	spin_lock_irqsave(&slab_caches_lock, irqf);
	s->next_cache = slab_cache_list;
	slab_cache_list = s;
	spin_unlock_irqrestore(&slab_caches_lock, irqf);
	return s;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s ? s->name : NULL;
}

slab_flags_t kmem_cache_flags(const struct kmem_cache *s)
{
	return s ? s->flags : 0;
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	for (struct kmem_cache *s = slab_cache_list; s; s = s->next_cache)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

struct kmem_cache *kmem_cache_next(struct kmem_cache *prev)
{
	return prev ? prev->next_cache : slab_cache_list;
}

unsigned long slab_next(struct kmem_cache *s, unsigned long pfn, unsigned long *base)
{
	unsigned long end = mem_map_pfn_base + max_mapnr;

	for (; pfn < end; pfn++) {
		const struct page *page = pfn_to_page(pfn);
		u32 f = READ_ONCE(page->flags);

		if (!(f & (1U << PG_slab)) || !(f & (1U << PG_head)))
			continue;
		if (s && (f >> PAGE_SLAB_ID_SHIFT) != s->id)
			continue;
		*base = (unsigned long)page_address(page);
		return pfn;
	}
	return end;
}

/* Free every empty slab on the partial list and the cpu slab's, if empty. */
void kmem_cache_shrink(struct kmem_cache *s)
{
	struct slab *list = NULL, *slab, *next;
	unsigned long flags;

	if (!s)
		return;
	spin_lock_irqsave(&s->lock, flags);
	slab = deactivate_slab(s);
	if (slab)
		list = slab, slab->next = NULL;
	for (slab = s->partial.next; slab != &s->partial; slab = next) {
		next = slab->next;
		if (slab->inuse)
			continue;
		partial_del(s, slab);
		s->nr_empty--;
		s->nr_slabs--;
		slab->next = list;
		list = slab;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	for (slab = list; slab; slab = next) {
		next = slab->next;
		free_slab(s, slab);
	}
}

/* Objects allocated in @s; cpu freelist and partial slabs walked. Context: s->lock. */
static unsigned long count_free(struct kmem_cache *s)
{
	unsigned long nfree = 0;
	void *x;

	for (struct slab *slab = s->partial.next; slab != &s->partial; slab = slab->next)
		nfree += (unsigned long)(slab->objects - slab->inuse);
	for (x = s->cpu.freelist; x && nfree <= s->nr_slabs * s->objects; x = get_freepointer(s, x))
		nfree++;
	return nfree;
}

int kmem_cache_stats(struct kmem_cache *s, struct slab_stats *st)
{
	unsigned long flags, nfree;

	if (!s)
		return -1;
	memset(st, 0, sizeof(*st));
	spin_lock_irqsave(&s->lock, flags);
	nfree = count_free(s);
	st->num_slabs = s->nr_slabs;
	st->partial_slabs = s->nr_partial;
	st->active_slabs = s->nr_slabs - s->nr_empty;
	spin_unlock_irqrestore(&s->lock, flags);
	st->num_objs = st->num_slabs * s->objects;
	st->active_objs = st->num_objs - min(nfree, st->num_objs);
	st->bytes = st->num_slabs * (PAGE_SIZE << s->order);
	st->objsize = s->size;
	st->objperslab = s->objects;
	st->order = s->order;
	return 0;
}

static void slab_report_remaining(struct kmem_cache *s)
{
	unsigned long pfn = mem_map_pfn_base, end = mem_map_pfn_base + max_mapnr, base;

	slab_report(s, NULL, NULL, NULL, "Objects remaining on __kmem_cache_shutdown()");
	while ((pfn = slab_next(s, pfn, &base)) < end) {
		struct slab *slab = slab_of_base(base, s);

		for (unsigned int i = 0; i < s->objects; i++) {
			void *x = obj_at(s, base, i);

			if (!slab_object_is_free(s, slab, x))
				slab_report(s, slab, x, NULL, "Object 0x%lx @offset=%lu still allocated",
					    (unsigned long)x, (unsigned long)x - base);
		}
		pfn++;
	}
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	struct slab_stats st;
	unsigned long flags;

	if (!s)
		return 0;
	kmem_cache_shrink(s);
	kmem_cache_stats(s, &st);
	if (st.active_objs || st.num_slabs) {
		slab_report_remaining(s);
		pr_err("kmem_cache_destroy %s: Slab cache still has objects: kept\n", s->name);
		return -EBUSY;
	}
	spin_lock_irqsave(&slab_caches_lock, flags);
	for (struct kmem_cache **pp = &slab_cache_list; *pp; pp = &(*pp)->next_cache) {
		if (*pp == s) {
			*pp = s->next_cache;
			break;
		}
	}
	slab_caches[s->id] = NULL;
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return 0;
}

/* ---- init and reports ---- */

static int parse_uint(const char *s, size_t len, unsigned int *out)
{
	unsigned int v = 0;

	if (!len || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int slab_param(const char *cmdline)
{
	const char *p = cmdline;
	int ret = 0;

	while (p && *p) {
		const char *end, *eq;
		size_t klen;

		while (*p == ' ')
			p++;
		end = p;
		while (*end && *end != ' ')
			end++;
		for (eq = p; eq < end && *eq != '='; eq++)
			;
		if (eq == end)
			eq = NULL;
		klen = eq ? (size_t)(eq - p) : 0;
		if (eq) {
			char val[128];
			size_t vlen = (size_t)(end - eq - 1);
			bool ok = vlen < sizeof(val);

			if (ok) {
				memcpy(val, eq + 1, vlen);
				val[vlen] = '\0';
			}
			if ((klen == 10 && !strncmp(p, "slab_debug", 10)) ||
			    (klen == 10 && !strncmp(p, "slub_debug", 10))) {
				ok = ok && !slab_debug_param(val);
			} else if (klen == 10 && !strncmp(p, "slab_owner", 10)) {
				if (ok && !strcmp(val, "on"))
					slab_owner_on = true;
				else if (ok && !strcmp(val, "off"))
					slab_owner_on = false;
				else
					ok = false;
			} else if (klen == 16 && !strncmp(p, "slab_min_partial", 16)) {
				unsigned int v;

				ok = ok && !parse_uint(val, vlen, &v) && v <= 64;
				if (ok)
					slab_min_partial = v;
			} else {
				ok = true;	/* not ours */
			}
			if (!ok) {
				pr_err("slab: bad option '%.*s' ignored\n", (int)(end - p), p);
				ret = -1;
			}
		}
		p = end;
	}
	return ret;
}

static const char *kmalloc_name(char *buf, size_t size, unsigned int bytes)
{
	if (bytes >= 1024 && !(bytes % 1024))
		snprintf(buf, size, "kmalloc-%uk", bytes / 1024);
	else
		snprintf(buf, size, "kmalloc-%u", bytes);
	return buf;
}

int kmem_cache_init(void)
{
	unsigned int c = 0;

	if (mm_virt_offset & ~PAGE_MASK) {
		pr_err("slab: RAM is not mapped at a page-aligned offset: no kmalloc\n");
		return -1;
	}
	/* Start over (host tests set mm up many times). */
	memset(slab_caches, 0, sizeof(slab_caches));
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	memset(kmalloc_size_cache, 0, sizeof(kmalloc_size_cache));
	slab_cache_list = NULL;
	large_bytes = large_blocks = 0;
	slab_owner_reset();
	static_key_disable(&slab_hooks_key);
	slab_idx_offset = (mm_virt_offset >> PAGE_SHIFT) + mem_map_pfn_base;
	slab_up = true;
	for (unsigned int i = 0; i < NR_KMALLOC_CACHES; i++) {
		char name[SLAB_NAME_LEN];
		struct kmem_cache *s;

		s = kmem_cache_create(kmalloc_name(name, sizeof(name), kmalloc_sizes[i]),
				      kmalloc_sizes[i], 0, SLAB_KMALLOC, NULL);
		if (!s) {
			slab_up = false;
			return -1;
		}
		kmalloc_caches[i] = s;
		for (; c < KMALLOC_MAX_CACHE_SIZE / 8 && c * 8 + 1 <= kmalloc_sizes[i]; c++)
			kmalloc_size_cache[c] = s;
	}
	return 0;
}

/* Linux's cache_show(): one row of /proc/slabinfo. */
void slabinfo_show(struct seq_file *m)
{
	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		    "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
		    "<active_slabs> <num_slabs> <sharedavail>\n");
	for (struct kmem_cache *s = slab_cache_list; s; s = s->next_cache) {
		struct slab_stats st;

		kmem_cache_stats(s, &st);
		seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d", s->name, st.active_objs, st.num_objs,
			   st.objsize, st.objperslab, 1 << st.order);
		seq_printf(m, " : tunables %4u %4u %4u", 0, 0, 0);
		seq_printf(m, " : slabdata %6lu %6lu %6lu\n", st.active_slabs, st.num_slabs, 0UL);
	}
}

unsigned long slab_total_bytes(void)
{
	unsigned long bytes = 0;

	for (struct kmem_cache *s = slab_cache_list; s; s = s->next_cache)
		bytes += READ_ONCE(s->nr_slabs) * (PAGE_SIZE << s->order);
	return bytes;
}

/* ---- invariants ---- */

struct slab_check {
	struct seq_file *m;
	int violations;
};

static __printf(2, 3) void slab_violation(struct slab_check *c, const char *fmt, ...)
{
	char buf[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->violations++;
	if (c->violations <= 20)
		seq_printf(c->m, "slab: %s\n", buf);
}

/* Count @slab's free objects on @list, checking each link. Return: count, or -1. */
static long check_chain(struct slab_check *c, struct kmem_cache *s, unsigned long base,
			void *list)
{
	long n = 0;

	for (void *x = list; x; x = get_freepointer(s, x)) {
		unsigned long off = (unsigned long)x - base - s->red_left_pad;

		if (off >= s->span || off % s->size) {
			slab_violation(c, "%s: slab 0x%lx: free pointer 0x%lx is not an object",
				       s->name, base, (unsigned long)x);
			return -1;
		}
		if (++n > (long)s->objects) {
			slab_violation(c, "%s: slab 0x%lx: freelist longer than the slab (a cycle)",
				       s->name, base);
			return -1;
		}
	}
	return n;
}

static void check_cache(struct slab_check *c, struct kmem_cache *s)
{
	unsigned long pfn = mem_map_pfn_base, end = mem_map_pfn_base + max_mapnr, base;
	unsigned long slabs = 0, partial = 0, empty = 0, flags;

	spin_lock_irqsave(&s->lock, flags);
	while ((pfn = slab_next(s, pfn, &base)) < end) {
		struct slab *slab = slab_of_base(base, s);
		struct page *page = pfn_to_page(pfn);
		long nfree;

		slabs++;
		pfn += 1UL << s->order;
		if (slab->magic != SLAB_MAGIC || slab->objects != s->objects) {
			slab_violation(c, "%s: slab 0x%lx: bad header", s->name, base);
			continue;
		}
		if (page_order(page) != s->order)
			slab_violation(c, "%s: slab 0x%lx: order %u, cache order %u", s->name, base,
				       page_order(page), s->order);
		for (unsigned int i = 1; i < (1U << s->order); i++)
			if (!PageSlab(page + i) || page_slab_cache(page + i) != s)
				slab_violation(c, "%s: slab 0x%lx: page %u not marked", s->name,
					       base, i);
		if (slab->frozen) {
			if (s->cpu.slab != slab)
				slab_violation(c, "%s: slab 0x%lx: frozen but not the cpu slab",
					       s->name, base);
			if (slab->freelist || slab->inuse != slab->objects)
				slab_violation(c, "%s: cpu slab 0x%lx: freelist or count set",
					       s->name, base);
			check_chain(c, s, base, s->cpu.freelist);
			continue;
		}
		nfree = check_chain(c, s, base, slab->freelist);
		if (nfree >= 0 && nfree != (long)(slab->objects - slab->inuse))
			slab_violation(c, "%s: slab 0x%lx: %ld free objects, counter says %u",
				       s->name, base, nfree, slab->objects - slab->inuse);
		if (slab->on_partial != (slab->inuse < slab->objects))
			slab_violation(c, "%s: slab 0x%lx: %s the partial list with %u of %u used",
				       s->name, base, slab->on_partial ? "on" : "off", slab->inuse,
				       slab->objects);
		partial += slab->on_partial;
		empty += slab->on_partial && !slab->inuse;
	}
	for (struct slab *sl = s->partial.next; sl != &s->partial; sl = sl->next) {
		if (sl->magic != SLAB_MAGIC || !sl->on_partial || sl->next->prev != sl) {
			slab_violation(c, "%s: partial list corrupt at 0x%lx", s->name,
				       slab_base(sl, s));
			break;
		}
	}
	if (slabs != s->nr_slabs || partial != s->nr_partial || empty != s->nr_empty)
		slab_violation(c, "%s: counters: %lu slabs, %lu partial, %lu empty; found %lu, %lu, %lu",
			       s->name, s->nr_slabs, s->nr_partial, s->nr_empty, slabs, partial, empty);
	if (s->nr_empty > s->min_partial)
		slab_violation(c, "%s: %lu empty slabs kept, at most %u", s->name, s->nr_empty,
			       s->min_partial);
	spin_unlock_irqrestore(&s->lock, flags);
}

int slab_validate(struct seq_file *m, struct kmem_cache *only)
{
	struct slab_check c = { m, 0 };
	unsigned long end = mem_map_pfn_base + max_mapnr, base;
	unsigned int caches = 0;
	int bad = 0;

	for (struct kmem_cache *s = slab_cache_list; s; s = s->next_cache) {
		unsigned long pfn = mem_map_pfn_base;

		if (only && s != only)
			continue;
		caches++;
		check_cache(&c, s);
		if (!(s->flags & SLAB_DEBUG_FLAGS))
			continue;
		while ((pfn = slab_next(s, pfn, &base)) < end) {
			unsigned long flags;

			spin_lock_irqsave(&s->lock, flags);
			bad += slab_debug_validate_slab(s, slab_of_base(base, s));
			spin_unlock_irqrestore(&s->lock, flags);
			pfn++;
		}
	}
	seq_printf(m, "slab: %u cache%s validated, %d problem%s\n", caches, caches == 1 ? "" : "s",
		   c.violations + bad, c.violations + bad == 1 ? "" : "s");
	return c.violations + bad;
}

int slab_check_invariants(struct seq_file *m)
{
	struct slab_check c = { m, 0 };
	unsigned long pfn = mem_map_pfn_base, end = mem_map_pfn_base + max_mapnr, base;
	unsigned int caches = 0;

	for (struct kmem_cache *s = slab_cache_list; s; s = s->next_cache, caches++)
		check_cache(&c, s);
	/* Every slab page belongs to a live cache. */
	while ((pfn = slab_next(NULL, pfn, &base)) < end) {
		if (!page_slab_cache(pfn_to_page(pfn)))
			slab_violation(&c, "pfn 0x%lx: slab page of no cache", pfn);
		pfn++;
	}
	seq_printf(m, "slab: %u caches checked, %d violation%s\n", caches, c.violations,
		   c.violations == 1 ? "" : "s");
	return c.violations;
}
