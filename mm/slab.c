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
#include <ferret/kmemleak.h>
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

#include "slab.h"
#include "slab_owner.h"

struct kmem_cache *slab_cache_list;

/*
 * The caches themselves: static, so creating one never recurses into
 * kmalloc. The kmalloc caches are an array of their own, so kmalloc() of a
 * compile-time size names its cache as a constant (slab_def.h).
 */
struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
static struct kmem_cache cache_pool[SLAB_MAX_CACHES];
static bool kmalloc_ready;	/* the kmalloc caches have their ids */
/* struct slab of the caches that keep it off their slabs (mm/slab.h). */
static struct kmem_cache *slab_desc_cache;
static DEFINE_SPINLOCK(slab_caches_lock);	/* the cache table and list */
static unsigned int slab_min_partial = 2;
static bool slab_up;

/* ---- virt_to_page for the fast paths ---- */

struct slab_map slab_map;

static __always_inline struct page *slab_virt_to_page(const void *x)
{
	unsigned long idx = ((unsigned long)x - slab_map.start) >> PAGE_SHIFT;

	if (unlikely(idx >= slab_map.nr))
		return NULL;
	return slab_map.map + idx;
}

static inline struct kmem_cache *page_slab_cache(const struct page *page)
{
	return slab_map.caches[READ_ONCE(page->flags) >> PAGE_SLAB_ID_SHIFT];
}

static inline bool PageSlab(const struct page *page)
{
	return page_flag(page, PG_slab);
}

const char *slab_cache_name_by_id(unsigned int id)
{
	const struct kmem_cache *s = id < SLAB_MAX_CACHES ? READ_ONCE(slab_map.caches[id]) : NULL;

	return s ? s->name : "?";
}

struct kmem_cache *virt_to_cache(const void *x)
{
	struct page *page = slab_up ? slab_virt_to_page(x) : NULL;

	return page && PageSlab(page) ? page_slab_cache(page) : NULL;
}

/* ---- kmalloc size classes ---- */

#define __KMALLOC_SIZE(n)	n,
static const unsigned int kmalloc_sizes[NR_KMALLOC_CACHES] = { KMALLOC_CLASSES(__KMALLOC_SIZE) };

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

	/* A merge on another core may test these flags (for PG_buddy): whole stores. */
	for (unsigned long i = 0; i < (1UL << order); i++)
		__atomic_store_n(&page[i].flags,
				 (page[i].flags & ~((1U << PG_slab) | PAGE_SLAB_ID_MASK)) | set,
				 __ATOMIC_RELAXED);
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
	base = (unsigned long)page_address(page);
	if (s->meta_offset) {
		slab = (struct slab *)(base + s->meta_offset);
	} else {
		slab = kmem_cache_alloc(slab_desc_cache, gfp & ~(__GFP_ZERO | __GFP_COMP));
		if (!slab) {
			__free_pages(page, s->order);
			slab_alloc_failed(s, gfp);
			return NULL;
		}
	}
	slab_mark_pages(page, s->order, s->id);
	memset(slab, 0, sizeof(*slab));
	slab->magic = SLAB_MAGIC;
	slab->base = base;
	page->private = (unsigned long)slab;
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
	page->private = 0;
	slab_mark_pages(page, s->order, -1);
	__free_pages(page, s->order);
	if (!s->meta_offset)
		kmem_cache_free(slab_desc_cache, slab);
}

/* ---- allocation ---- */

/*
 * Make a slab the running core's cpu slab: all its free objects move to the
 * cpu freelist and it counts as fully in use until it is deactivated.
 * Objects other cores return to it meanwhile (their remote lists) go on its
 * own freelist and out of inuse, as for any slab. Context: s->lock.
 */
static void freeze_slab(struct kmem_cache *s, struct slab *slab)
{
	cpu_of(s)->freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = (u8)(smp_processor_id() + 1);
	cpu_of(s)->slab = slab;
	cpu_of(s)->base = slab_base(slab, s);
}

/*
 * Stop using the cpu slab: the objects left on the cpu freelist go back to
 * the slab, which becomes partial, full or (if all are free) empty.
 * Return: the slab if it is empty and should be freed. Context: s->lock.
 */
static struct slab *deactivate_slab(struct kmem_cache *s)
{
	struct slab *slab = cpu_of(s)->slab;

	if (!slab)
		return NULL;
	cpu_of(s)->slab = NULL;
	cpu_of(s)->base = 0;
	slab->frozen = 0;
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

/*
 * Give @x back to its slab (any slab of @s, the cpu slab included).
 * Return: the slab if it became empty and should be freed. Context: s->lock.
 */
static struct slab *free_to_slab(struct kmem_cache *s, struct slab *slab, void *x)
{
	set_freepointer(s, x, slab->freelist);
	slab->freelist = x;
	slab->inuse--;
	if (slab->frozen)
		return NULL;	/* deactivate_slab() sorts its lists out */
	if (!slab->on_partial)
		partial_add(s, slab);
	if (slab->inuse || ++s->nr_empty <= s->min_partial)
		return NULL;
	partial_del(s, slab);
	s->nr_empty--;
	s->nr_slabs--;
	return slab;
}

static struct slab *slab_of_object(struct kmem_cache *s, const void *x)
{
	return slab_of_base(slab_base_of_page(virt_to_page(x)), s);
}

/*
 * Return every object on the cpu lists to its slab, then retire the cpu
 * slab. Empty slabs beyond min_partial are freed. Context: interrupts
 * masked, s->lock not held.
 */
static void flush_cpu(struct kmem_cache *s, bool remote_only)
{
	void *lists[2] = { cpu_of(s)->remote, remote_only ? NULL : cpu_of(s)->freelist };
	struct slab *discard = NULL, *d;

	cpu_of(s)->remote = NULL;
	cpu_of(s)->remote_room = s->remote_limit;
	if (!remote_only)
		cpu_of(s)->freelist = NULL;
	arch_spin_lock(&s->lock.raw);
	for (int l = 0; l < 2; l++) {
		for (void *x = lists[l], *next; x; x = next) {
			next = get_freepointer(s, x);
			d = free_to_slab(s, slab_of_object(s, x), x);
			if (d) {
				d->next = discard;
				discard = d;
			}
		}
	}
	if (!remote_only && (d = deactivate_slab(s))) {
		d->next = discard;
		discard = d;
	}
	arch_spin_unlock(&s->lock.raw);
	for (d = discard; d; d = discard) {
		discard = d->next;
		free_slab(s, d);
	}
}

/*
 * The first partial slab, or a new one put on the partial list. Drops and
 * retakes s->lock around the page allocation. Context: s->lock, interrupts
 * masked.
 */
static struct slab *partial_or_new(struct kmem_cache *s, gfp_t gfp)
{
	struct slab *slab = s->partial.next;

	if (slab != &s->partial)
		return slab;
	arch_spin_unlock(&s->lock.raw);
	slab = new_slab(s, gfp);
	arch_spin_lock(&s->lock.raw);
	if (!slab)
		return NULL;
	s->nr_slabs++;
	partial_add(s, slab);
	s->nr_empty++;
	return slab;
}

/*
 * A tracked cache's allocation: one object off the first partial slab,
 * checked when the cache has debug flags. Context: s->lock, interrupts masked.
 */
static void *alloc_single(struct kmem_cache *s, gfp_t gfp, size_t orig_size,
			  struct slab **slabp)
{
	struct slab *slab = partial_or_new(s, gfp);
	void *x;

	if (!slab)
		return NULL;
	x = slab->freelist;
	slab->freelist = get_freepointer(s, x);
	if (!slab->inuse++)
		s->nr_empty--;
	if (s->flags & SLAB_DEBUG_FLAGS)
		slab_debug_alloc(s, slab, x, orig_size);	/* may cut the chain */
	if (slab->on_partial && (!slab->freelist || slab->inuse == slab->objects))
		partial_del(s, slab);	/* full */
	*slabp = slab;
	return x;
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
	slab = partial_or_new(s, gfp);
	if (!slab)
		return NULL;
	partial_del(s, slab);
	if (!slab->inuse)
		s->nr_empty--;
	freeze_slab(s, slab);
	x = cpu_of(s)->freelist;
	cpu_of(s)->freelist = get_freepointer(s, x);
	return x;
}

/*
 * Everything the fast path does not: a refill of the cpu freelist, or an
 * allocation from a tracked cache (checks, owner record). Called with
 * interrupts masked (@flags restores them).
 */
/* The locked half of kmalloc_slow(): a debug cache's object, or a refill. */
static __noinline void *kmalloc_locked(struct kmem_cache *s, gfp_t gfp, size_t size)
{
	struct kmem_cache_cpu *c = cpu_of(s);
	struct slab *slab = NULL;
	void *x;

	/* Before kmem_cache_init() every cpu list is empty: this is the only way in. */
	if (unlikely(!slab_up))
		return NULL;
	arch_spin_lock(&s->lock.raw);
	if (s->flags & SLAB_DEBUG_FLAGS)
		x = alloc_single(s, gfp, size, &slab);
	else if ((x = c->freelist))	/* an interrupt refilled it meanwhile */
		c->freelist = get_freepointer(s, x);
	else
		x = refill_cpu(s, gfp, &slab);
	arch_spin_unlock(&s->lock.raw);
	if (!(s->flags & SLAB_DEBUG_FLAGS) && slab)
		free_slab(s, slab);	/* the old cpu slab, empty */
	/* A debug kmalloc object's bytes past @size are its kmalloc red zone. */
	if (x && (gfp & __GFP_ZERO))
		memset(x, 0, (s->flags & SLAB_DEBUG_FLAGS) && (s->flags & SLAB_KMALLOC) ?
			     size : s->object_size);
	return x;
}

/*
 * Everything the inline fast path does not: the remote list's objects, a
 * refill, a cache with owners (s->tcpu, then the owner record) or with
 * debug checks (one object under the lock). Called with interrupts masked
 * (@flags restores them).
 */
__noinline void *kmalloc_slow(struct kmem_cache *s, struct kmem_cache_cpu *fast, gfp_t gfp,
			    unsigned long flags, size_t size)
{
	struct kmem_cache_cpu *c = cpu_of_fast(s, fast);
	void *x = c->freelist;

	if (x && !(s->flags & SLAB_DEBUG_FLAGS)) {
		c->freelist = get_freepointer(s, x);	/* owners: the fast path's pop */
		if (unlikely(gfp & __GFP_ZERO))
			memset(x, 0, s->object_size);
	} else if ((x = c->remote)) {
		/* Objects freed here from other slabs: reuse them first. */
		c->freelist = get_freepointer(s, x);
		c->remote = NULL;
		c->remote_room = s->remote_limit;
		if (unlikely(gfp & __GFP_ZERO))
			memset(x, 0, s->object_size);
	} else {
		x = kmalloc_locked(s, gfp, size);
	}
	/* No stale free pointer in a live object (see kmalloc_cache_alloc()). */
	if (x && !(s->flags & SLAB_DEBUG_FLAGS))
		set_freepointer(s, x, NULL);
	if (x && slab_has_owners(s))
		slab_owner_record_alloc(s, slab_start(s, x), x, size);
	arch_local_irq_restore(flags);
	return x;
}

__noinline void *kmalloc_zero(void *x, size_t size)
{
	return memset(x, 0, size);
}

static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp, size_t orig_size)
{
	struct kmem_cache_cpu *c = &s->cpu[smp_processor_id()];
	unsigned long flags = arch_local_irq_save();
	void *x = c->freelist;

	if (unlikely(!x))
		return kmalloc_slow(s, c, gfp, flags, orig_size);
	c->freelist = get_freepointer(s, x);
	set_freepointer(s, x, NULL);
	arch_local_irq_restore(flags);
	if (unlikely(gfp & __GFP_ZERO))
		return kmalloc_zero(x, s->object_size);
	return x;
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
	if (slab->magic != SLAB_MAGIC || !object_start(s, base, x))
		return NULL;
	return slab;
}

bool slab_object_is_free(struct kmem_cache *s, struct slab *slab, const void *x)
{
	unsigned int n = 0;
	void *p = slab->freelist;

	/* Bounded: a corrupt (cyclic) chain cannot loop forever. */
	for (; p && n <= slab->objects; p = get_freepointer(s, p), n++)
		if (p == x)
			return true;
	/* This core's cpu slab: its free objects are on the cpu freelist too. */
	if (slab->frozen != smp_processor_id() + 1)
		return false;
	for (p = cpu_of(s)->freelist, n = 0; p && n <= slab->objects; p = get_freepointer(s, p), n++)
		if (p == x)
			return true;
	return false;
}

/* Why the free of @x must be refused, or NULL. Context: s->lock. */
static const char *free_check(struct kmem_cache *s, struct slab *slab, unsigned long base,
			      const void *x)
{
	if (x == cpu_of(s)->freelist || x == cpu_of(s)->remote || x == slab->freelist)
		return "Object already free";
	if (!slab->frozen && !slab->inuse)
		return "Slab has 0 allocated objects but 1 are to be freed";
	if (slab_has_owners(s) && !slab_owner_is_live(s, base, x))
		return "Object already free";
	return NULL;
}

/* Push @x onto @c's lists if the fast path may (see slab_free()). */
static __always_inline bool cpu_free(struct kmem_cache *s, struct kmem_cache_cpu *c, void *x)
{
	unsigned long off = (unsigned long)x - c->base;
	void *head = c->freelist, *remote;

	if (likely(off < s->span && off * s->div_magic < s->div_magic && x != head)) {
		set_freepointer(s, x, head);
		c->freelist = x;
		return true;
	}
	off = ((unsigned long)x - slab_map.voff) & s->slab_mask;
	remote = c->remote;
	if (likely(c->remote_room && off < s->span && off * s->div_magic < s->div_magic &&
		   x != remote && x != head)) {
		set_freepointer(s, x, remote);
		c->remote = x;
		c->remote_room--;
		return true;
	}
	return false;
}

/*
 * A free that is not a push onto the cpu freelist, or any free of a tracked
 * cache. Checks, then returns @x to its slab. Context: interrupts masked
 * (@flags restores them).
 */
static __noinline void slab_free_locked(struct kmem_cache *s, struct page *page, void *x,
					unsigned long flags)
{
	struct slab *slab, *discard = NULL;
	char fix[64];
	unsigned long base;
	const char *bad = NULL;

	arch_spin_lock(&s->lock.raw);
	slab = object_slab(s, page, x, &base);
	if (!slab)
		bad = "Invalid object pointer";
	else if (s->flags & SLAB_DEBUG_FLAGS)
		bad = slab_debug_free(s, slab, x) ? NULL : "";	/* reported there */
	else
		bad = free_check(s, slab, base, x);
	if (bad) {
		s->errors++;
		arch_spin_unlock(&s->lock.raw);
		arch_local_irq_restore(flags);
		if (!*bad)
			return;
		snprintf(fix, sizeof(fix), "Object at 0x%lx not freed", (unsigned long)x);
		if (slab)
			slab_report(s, slab, x, fix, "%s", bad);
		else
			slab_report(s, NULL, NULL, fix, "%s 0x%lx", bad, (unsigned long)x);
		return;
	}
	/*
	 * The free is recorded before the object can be handed out again:
	 * recorded after the unlock, it could land on another core's newer
	 * allocation of the same object and mark it free.
	 */
	if (slab_has_owners(s))
		slab_owner_free(s, base, x);	/* live: the checks said so */
	if (slab->frozen) {
		set_freepointer(s, x, cpu_of(s)->freelist);
		cpu_of(s)->freelist = x;
	} else {
		discard = free_to_slab(s, slab, x);
	}
	arch_spin_unlock(&s->lock.raw);
	if (discard)
		free_slab(s, discard);
	arch_local_irq_restore(flags);
}

/*
 * What the fast free could not do. A full remote list goes back to the
 * slabs first; a cache with owners then frees onto s->tcpu as the fast path
 * would, once the owner record says the object is live (and records the
 * free); anything else, and whatever looks wrong, takes the locked path.
 */
static __noinline void slab_free_slow(struct kmem_cache *s, struct kmem_cache_cpu *fast,
				      void *x, unsigned long flags)
{
	struct kmem_cache_cpu *c = cpu_of_fast(s, fast);

	if (!(s->flags & SLAB_DEBUG_FLAGS) && !c->remote_room)
		flush_cpu(s, true);
	if (c != fast) {	/* s->tcpu: a cache with owners */
		unsigned long base = slab_start(s, x);

		/*
		 * An object start whose record says live: onto the cpu lists
		 * (the remote list has room: it was flushed above).
		 */
		if (object_start(s, base, x) && slab_owner_record_free(s, base, x)) {
			void **head = base == c->base ? &c->freelist : &c->remote;

			set_freepointer(s, x, *head);
			*head = x;
			c->remote_room -= head == &c->remote;
			arch_local_irq_restore(flags);
			return;
		}
	}
	/* The fast path kept no struct page live: found again here. */
	slab_free_locked(s, slab_virt_to_page(x), x, flags);
}

/*
 * The fast free: @x goes onto the cpu freelist if it is an object of the
 * cpu slab, else onto the cpu's remote list (objects of other slabs, reused
 * by the next refill, no lock) while it holds fewer than remote_limit;
 * either way only if it is an object start and not the object freed last (a
 * double free). Anything else takes the slow path, tracked caches included
 * (cpu base 0, remote_limit 0). An object's offset in its slab needs no
 * struct page: slabs are naturally aligned blocks of physical memory.
 */
static __always_inline void slab_free(struct kmem_cache *s, void *x)
{
	struct kmem_cache_cpu *c = &s->cpu[smp_processor_id()];
	unsigned long flags = arch_local_irq_save();

	if (likely(cpu_free(s, c, x))) {
		arch_local_irq_restore(flags);
		return;
	}
	slab_free_slow(s, c, x, flags);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct page *page;

	if (unlikely(!x))
		return;
	page = slab_virt_to_page(x);
	if (unlikely(!page || !PageSlab(page))) {
		slab_report_bad_ptr("kmem_cache_free", x, "not a slab object: not freed");
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
	slab_free(s, x);
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
	/* Shared by every core: atomic adds (no lock for two words). */
	__atomic_add_fetch(&large_bytes, PAGE_SIZE << order, __ATOMIC_RELAXED);
	__atomic_add_fetch(&large_blocks, 1, __ATOMIC_RELAXED);
	arch_local_irq_restore(flags);
	return page_address(page);
}

void *__kmalloc(size_t size, gfp_t gfp)
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

/* kfree() of something that is not in a slab: NULL, a large kmalloc, or a bug. */
static __noinline void kfree_nonslab(const void *x)
{
	struct page *page = slab_virt_to_page(x);	/* kfree() keeps none live */
	unsigned long flags;
	unsigned int order;

	if (ZERO_OR_NULL_PTR(x))
		return;
	if (!page || !page_flag(page, PG_large_kmalloc) || page_address(page) != x) {
		slab_report_bad_ptr("kfree", x, page && PageTail(page) &&
				    page_flag(compound_head(page), PG_large_kmalloc)
				    ? "inside a large kmalloc block, not its start: not freed"
				    : "not a kmalloc()ed object: not freed");
		return;
	}
	order = compound_order(page);
	flags = arch_local_irq_save();
	/* The bit, taken atomically, makes this the block's one kfree(): another core's loses. */
	if (!(__atomic_fetch_and(&page->flags, ~(1U << PG_large_kmalloc), __ATOMIC_RELAXED) &
	      (1U << PG_large_kmalloc))) {
		arch_local_irq_restore(flags);
		slab_report_bad_ptr("kfree", x, "not a kmalloc()ed object: not freed");
		return;
	}
	page->private = 0;
	__atomic_sub_fetch(&large_bytes, PAGE_SIZE << order, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&large_blocks, 1, __ATOMIC_RELAXED);
	arch_local_irq_restore(flags);
	__free_pages(page, order);
}

/*
 * NULL and ZERO_SIZE_PTR lie below mem_map's first address: they fail the
 * range check like any pointer outside RAM and are sorted out off the fast
 * path.
 */
void kfree(const void *x)
{
	unsigned long idx = ((unsigned long)x - slab_map.start) >> PAGE_SHIFT;
	struct page *page;
	u32 pf;

	if (unlikely(idx >= slab_map.nr)) {
		kfree_nonslab(x);
		return;
	}
	page = slab_map.map + idx;
	pf = READ_ONCE(page->flags);
	if (unlikely(!(pf & (1U << PG_slab)))) {
		kfree_nonslab(x);
		return;
	}
	slab_free(slab_map.caches[pf >> PAGE_SLAB_ID_SHIFT], (void *)x);
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
		if (s && slab_has_owners(s))
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
	return __atomic_load_n(&large_bytes, __ATOMIC_RELAXED);
}

/* ---- caches ---- */

static unsigned int slab_order_for(unsigned int size, unsigned int meta_per_obj, bool off_slab)
{
	/*
	 * The smallest order that holds at least 16 objects (8 for objects
	 * of 256 bytes and more: smaller slabs empty sooner and go back) with
	 * at most 1/16 of the slab left over; else the order up to
	 * SLAB_MAX_ORDER that wastes the least.
	 */
	unsigned int best = 0, best_waste = ~0U, min_objects = 16;
	unsigned int desc = off_slab ? 0 : (unsigned int)sizeof(struct slab);

	for (unsigned int order = 0; order <= SLAB_MAX_ORDER; order++) {
		unsigned int bytes = (unsigned int)PAGE_SIZE << order;
		unsigned int n = (bytes - desc) / (size + meta_per_obj);
		unsigned int waste;

		if (!n || n > 0xffff)
			continue;
		waste = bytes - n * size;	/* owner records are not waste */
		if (n >= min_objects && waste * 16 <= bytes)
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
	unsigned int size = s->object_size, align = s->align;
	unsigned int meta_per_obj = 0, bytes, off;
	slab_flags_t f = s->flags;
	bool off_slab;

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
	/* Big untracked objects fill their slabs: struct slab lives off it. */
	off_slab = !meta_per_obj && size >= 256 && slab_desc_cache;
	s->order = slab_order_for(size, meta_per_obj, off_slab);
	bytes = (unsigned int)PAGE_SIZE << s->order;
	s->objects = (bytes - (off_slab ? 0 : (unsigned int)sizeof(struct slab))) /
		     (size + meta_per_obj);
	if (!s->objects || s->objects > 0xffff)
		return -1;
	s->span = s->objects * size;
	off = s->span;
	s->owner_offset = meta_per_obj ? ALIGN(off, 16U) : 0;
	if (meta_per_obj)
		off = s->owner_offset + s->objects * meta_per_obj;
	s->meta_offset = off_slab ? 0 : bytes - (unsigned int)sizeof(struct slab);
	if (!off_slab && off > s->meta_offset) {
		/* Rounding the owner records up ate the room: one object fewer. */
		s->objects--;
		s->span = s->objects * size;
		s->owner_offset = ALIGN(s->span, 16U);
	}
	s->reciprocal_size = (u32)(((1ULL << 32) + size - 1) / size);
	s->div_magic = ~0ULL / size + 1;
	/* About 4 KiB of objects freed from other slabs kept for reuse. */
	/* Objects of other slabs kept for reuse (none in tracked caches). */
	s->remote_limit = s->flags & SLAB_DEBUG_FLAGS ? 0 : 32;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		cpu_of_cpu(s, cpu)->remote_room = s->remote_limit;
	s->slab_mask = ((unsigned int)PAGE_SIZE << s->order) - 1;
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

/*
 * Set up @s, whose id @id is reserved in slab_map.caches, and publish it.
 * Return: 0, or -1 (reported; the id is given back).
 */
static int create_cache(struct kmem_cache *s, int id, const char *name, unsigned int size,
			unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	unsigned long irqf;

	memset(s, 0, sizeof(*s));
	strlcpy(s->name, name, sizeof(s->name));
	s->object_size = size;
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max(align, 64U);
	s->align = max(align, 8U);	/* at least the word (Linux's ARCH_SLAB_MINALIGN) */
	s->flags = flags & ~SLAB_PANIC;
	if (!(flags & SLAB_NO_TRACK))
		s->flags |= slab_debug_flags_for(name) | (slab_owner_on ? SLAB_STORE_USER : 0);
	s->ctor = ctor;
	s->min_partial = slab_min_partial;
	s->id = (u16)id;
	spin_lock_init(&s->lock);
	s->partial.next = s->partial.prev = &s->partial;
	if (calculate_sizes(s)) {
		pr_err("kmem_cache_create(%s): objects of %u bytes do not fit a slab\n", name, size);
		WRITE_ONCE(slab_map.caches[id], NULL);
		return -1;
	}
	if (slab_has_owners(s))
		slab_owner_init();	/* the first tracked cache sets tracking up */
	spin_lock_irqsave(&slab_caches_lock, irqf);
	slab_map.caches[id] = s;
	s->next_cache = slab_cache_list;
	slab_cache_list = s;
	spin_unlock_irqrestore(&slab_caches_lock, irqf);
	return 0;
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
	/* The kmalloc caches take the first ids, in kmalloc_caches[]. */
	for (unsigned int i = kmalloc_ready ? NR_KMALLOC_CACHES : 0; i < SLAB_MAX_CACHES; i++) {
		if (!slab_map.caches[i]) {
			id = (int)i;
			s = i < NR_KMALLOC_CACHES ? &kmalloc_caches[i] : &cache_pool[i];
			slab_map.caches[i] = s;	/* reserved; published complete below */
			break;
		}
	}
	spin_unlock_irqrestore(&slab_caches_lock, irqf);
	if (!s) {
		pr_err("kmem_cache_create(%s): all %d caches in use\n", name, SLAB_MAX_CACHES);
		return NULL;
	}
	return create_cache(s, id, name, size, align, flags, ctor) ? NULL : s;
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

/* ---- what the leak scanner (mm/kmemleak.c) reads ---- */

/* Call @fn for each object on @list (bounded: a corrupt chain cannot loop). */
static void for_each_on_list(struct kmem_cache *s, void *list, unsigned long max,
			     void (*fn)(void *arg, const void *x), void *arg)
{
	for (unsigned long n = 0; list && n < max; list = get_freepointer(s, list), n++)
		fn(arg, list);
}

/*
 * Run @fn(@arg) on every core, for its own cpu lists (interrupts masked
 * there); when the caller cannot wait for the others (interrupts masked: the
 * panic console), on its own core only.
 */
static void on_each_cpu_lists(smp_call_func_t fn, void *arg)
{
	if (arch_irqs_disabled())
		fn(arg);
	else
		on_each_cpu(fn, arg, true);
}

struct scan_cpu {
	struct kmem_cache *s;
	void (*fn)(void *arg, const void *x);
	void *arg;
};

/* One core's lists, under s->lock: the cores' calls come one at a time. */
static void scan_free_cpu(void *p)
{
	struct scan_cpu *sc = p;
	struct kmem_cache *s = sc->s;
	unsigned long flags, max;

	spin_lock_irqsave(&s->lock, flags);
	max = (s->nr_slabs + 1) * s->objects;
	for_each_on_list(s, cpu_of(s)->freelist, max, sc->fn, sc->arg);
	for_each_on_list(s, cpu_of(s)->remote, max, sc->fn, sc->arg);
	spin_unlock_irqrestore(&s->lock, flags);
}

void slab_scan_free_cpu(struct kmem_cache *s, void (*fn)(void *arg, const void *x), void *arg)
{
	struct scan_cpu sc = { s, fn, arg };

	on_each_cpu_lists(scan_free_cpu, &sc);
}

void slab_scan_free_slab(struct kmem_cache *s, unsigned long base,
			 void (*fn)(void *arg, const void *x), void *arg)
{
	unsigned long flags;
	struct slab *slab;

	spin_lock_irqsave(&s->lock, flags);
	slab = slab_of_base(base, s);
	/* A frozen slab's own list holds what other cores gave back meanwhile. */
	if (slab && slab->magic == SLAB_MAGIC && slab->base == base)
		for_each_on_list(s, slab->freelist, slab->objects, fn, arg);
	spin_unlock_irqrestore(&s->lock, flags);
}

static bool on_list(struct kmem_cache *s, void *list, unsigned long max, const void *x)
{
	for (unsigned long n = 0; list && n < max; list = get_freepointer(s, list), n++)
		if (list == x)
			return true;
	return false;
}

struct on_cpu_list {
	struct kmem_cache *s;
	const void *x;
	bool found;
};

/* Is o->x on this core's cpu lists? (Cores write o->found only to set it.) */
static void find_on_cpu_lists(void *p)
{
	struct on_cpu_list *o = p;
	struct kmem_cache *s = o->s;
	unsigned long flags, max;

	spin_lock_irqsave(&s->lock, flags);
	max = (s->nr_slabs + 1) * s->objects;
	if (on_list(s, cpu_of(s)->freelist, max, o->x) || on_list(s, cpu_of(s)->remote, max, o->x))
		o->found = true;
	spin_unlock_irqrestore(&s->lock, flags);
}

bool slab_object_live(struct kmem_cache *s, const void *x)
{
	struct page *page = slab_virt_to_page(x);
	struct on_cpu_list o = { s, x, false };
	unsigned long flags, base;
	struct slab *slab;
	bool live = false;

	spin_lock_irqsave(&s->lock, flags);
	if (page && PageSlab(page) && page_slab_cache(page) == s &&
	    (slab = object_slab(s, compound_head(page), x, &base))) {
		live = !on_list(s, slab->freelist, slab->objects, x);
		if (live && slab_has_owners(s))
			live = slab_owner_is_live(s, base, x);
	}
	spin_unlock_irqrestore(&s->lock, flags);
	/* Free on some core's cpu lists? Each core looks at its own. */
	if (live) {
		on_each_cpu_lists(find_on_cpu_lists, &o);
		live = !o.found;
	}
	return live;
}

/* This core's lists of one cache (@p) back to their slabs. */
static void flush_cpu_call(void *p)
{
	unsigned long flags = arch_local_irq_save();

	flush_cpu(p, false);
	arch_local_irq_restore(flags);
}

/* This core's lists of every cache back to their slabs. */
static void flush_cpu_all_caches(void *unused)
{
	for (unsigned int id = 0; id < SLAB_MAX_CACHES; id++) {
		struct kmem_cache *s = READ_ONCE(slab_map.caches[id]);

		if (s)
			flush_cpu_call(s);
	}
}

void kmem_cache_flush_all(void)
{
	on_each_cpu_lists(flush_cpu_all_caches, NULL);
}

/*
 * Every core's cpu lists of @s back to their slabs, then every empty slab
 * on the partial list back to the page allocator.
 */
void kmem_cache_shrink(struct kmem_cache *s)
{
	struct slab *list = NULL, *slab, *next;
	unsigned long flags;

	if (!s)
		return;
	on_each_cpu_lists(flush_cpu_call, s);
	spin_lock_irqsave(&s->lock, flags);
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

struct count_cpu {
	struct kmem_cache *s;
	unsigned long nfree;
};

/* Free objects on this core's cpu lists, added under s->lock (cores come one at a time). */
static void count_free_cpu(void *p)
{
	struct count_cpu *cc = p;
	struct kmem_cache *s = cc->s;
	unsigned long flags, n = 0, max;
	void *x;

	spin_lock_irqsave(&s->lock, flags);
	max = s->nr_slabs * s->objects;
	for (x = cpu_of(s)->freelist; x && n <= max; x = get_freepointer(s, x))
		n++;
	for (x = cpu_of(s)->remote; x && n <= max; x = get_freepointer(s, x))
		n++;
	cc->nfree += n;
	spin_unlock_irqrestore(&s->lock, flags);
}

/*
 * Free objects in @s: on its slabs (frozen ones' own lists included), then
 * on every core's cpu lists, each core counting its own. Context: s->lock
 * not held.
 */
static unsigned long count_free(struct kmem_cache *s)
{
	struct count_cpu cc = { s, 0 };
	unsigned long flags, nfree = 0;

	on_each_cpu_lists(count_free_cpu, &cc);
	spin_lock_irqsave(&s->lock, flags);
	for (struct slab *slab = s->partial.next; slab != &s->partial; slab = slab->next)
		nfree += (unsigned long)(slab->objects - slab->inuse);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct slab *slab = READ_ONCE(cpu_of_cpu(s, cpu)->slab);

		if (slab)	/* frozen: off the partial list, inuse less what came back */
			nfree += (unsigned long)(slab->objects - slab->inuse);
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return nfree + cc.nfree;
}

int kmem_cache_stats(struct kmem_cache *s, struct slab_stats *st)
{
	unsigned long flags, nfree;

	if (!s)
		return -1;
	memset(st, 0, sizeof(*st));
	nfree = count_free(s);
	spin_lock_irqsave(&s->lock, flags);
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
	slab_map.caches[s->id] = NULL;
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
		/* A bare "slab_debug" (or "slub_debug"): every check on every cache, as Linux. */
		if (!eq && end - p == 10 && (!strncmp(p, "slab_debug", 10) ||
					     !strncmp(p, "slub_debug", 10)))
			slab_debug_param("");
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

	/* Start over (host tests set mm up many times). */
	memset(slab_map.caches, 0, sizeof(slab_map.caches));
	kmalloc_ready = false;
	slab_desc_cache = NULL;
	memset(kmalloc_size_cache, 0, sizeof(kmalloc_size_cache));
	slab_cache_list = NULL;
	large_bytes = large_blocks = 0;
	slab_owner_reset();
	slab_map.start = mm_virt_offset + (mem_map_pfn_base << PAGE_SHIFT);
	slab_map.nr = max_mapnr;
	slab_map.map = mem_map;
	slab_map.voff = mm_virt_offset;
	slab_up = true;
	/*
	 * The caches' cpu lists and slab pointers point into slabs (a cpu
	 * slab's base is its first object): bookkeeping, not references.
	 */
	kmemleak_mark(KMEMLEAK_NO_SCAN_RANGE, (unsigned long)kmalloc_caches,
		      sizeof(kmalloc_caches), true);
	kmemleak_mark(KMEMLEAK_NO_SCAN_RANGE, (unsigned long)cache_pool, sizeof(cache_pool), true);
	kmemleak_mark(KMEMLEAK_NO_SCAN_RANGE, (unsigned long)&slab_map, sizeof(slab_map), true);
	/*
	 * The descriptors' cache first (its own descriptors are on its slabs),
	 * in the last id, so the kmalloc caches keep the first ones.
	 */
	slab_desc_cache = &cache_pool[SLAB_MAX_CACHES - 1];
	if (create_cache(slab_desc_cache, SLAB_MAX_CACHES - 1, "slab_desc", sizeof(struct slab),
			 0, SLAB_NO_TRACK | SLAB_NOLEAKTRACE, NULL)) {
		slab_up = false;
		return -1;
	}
	for (unsigned int i = 0; i < NR_KMALLOC_CACHES; i++) {
		char name[SLAB_NAME_LEN];
		struct kmem_cache *s;

		s = kmem_cache_create(kmalloc_name(name, sizeof(name), kmalloc_sizes[i]),
				      kmalloc_sizes[i], 0, SLAB_KMALLOC, NULL);
		if (!s) {
			slab_up = false;
			return -1;
		}
		if (s != &kmalloc_caches[i]) {
			slab_up = false;
			return -1;
		}
		for (; c < KMALLOC_MAX_CACHE_SIZE / 8 && c * 8 + 1 <= kmalloc_sizes[i]; c++)
			kmalloc_size_cache[c] = s;
	}
	kmalloc_ready = true;
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

/* Objects on a cpu list: each an object start of a slab of @s. Return: the count. */
static unsigned long check_cpu_list(struct slab_check *c, struct kmem_cache *s, void *list,
				    const char *what)
{
	unsigned long n = 0, bound = s->nr_slabs * s->objects;

	for (void *x = list; x; x = get_freepointer(s, x)) {
		struct page *page = slab_virt_to_page(x);
		unsigned long base;

		if (!page || !PageSlab(page) || page_slab_cache(page) != s ||
		    !object_start(s, base = slab_base_of_page(page), x)) {
			slab_violation(c, "%s: %s: 0x%lx is not an object of the cache", s->name,
				       what, (unsigned long)x);
			break;
		}
		if (++n > bound) {
			slab_violation(c, "%s: %s longer than the cache (a cycle)", s->name, what);
			break;
		}
	}
	return n;
}

static void check_cache(struct slab_check *c, struct kmem_cache *s)
{
	unsigned long pfn = mem_map_pfn_base, end = mem_map_pfn_base + max_mapnr, base;
	unsigned long slabs = 0, partial = 0, empty = 0, frozen = 0, cpu_slabs = 0, flags;

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
			unsigned int fc = slab->frozen - 1u;

			if (fc >= NR_CPUS || cpu_of_cpu(s, fc)->slab != slab)
				slab_violation(c, "%s: slab 0x%lx: frozen but not the cpu slab",
					       s->name, base);
			if (slab->on_partial)
				slab_violation(c, "%s: cpu slab 0x%lx: on the partial list",
					       s->name, base);
			frozen++;
		}
		/* A frozen slab's own list: what other cores gave back while it was frozen. */
		nfree = check_chain(c, s, base, slab->freelist);
		if (nfree >= 0 && nfree != (long)(slab->objects - slab->inuse))
			slab_violation(c, "%s: slab 0x%lx: %ld free objects, counter says %u",
				       s->name, base, nfree, slab->objects - slab->inuse);
		if (!slab->frozen && slab->on_partial != (slab->inuse < slab->objects))
			slab_violation(c, "%s: slab 0x%lx: %s the partial list with %u of %u used",
				       s->name, base, slab->on_partial ? "on" : "off", slab->inuse,
				       slab->objects);
		partial += slab->on_partial;
		empty += slab->on_partial && !slab->inuse;
	}
	/*
	 * Every core's lists (exact while the others neither allocate nor
	 * free): each entry is checked before its link is read, so a list
	 * changing meanwhile is misreported at worst, never followed astray.
	 */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct kmem_cache_cpu *cc = cpu_of_cpu(s, cpu);

		check_cpu_list(c, s, cc->freelist, "cpu freelist");
		if (check_cpu_list(c, s, cc->remote, "remote list") + cc->remote_room !=
		    s->remote_limit)
			slab_violation(c, "%s: cpu %u: remote list room %u is wrong", s->name, cpu,
				       cc->remote_room);
		if (cc->slab) {
			cpu_slabs++;
			if (cc->slab->frozen != cpu + 1)
				slab_violation(c, "%s: cpu %u: cpu slab 0x%lx not frozen by it", s->name,
					       cpu, cc->base);
		}
		if (slab_tracked(s) && (s->cpu[cpu].freelist || s->cpu[cpu].remote ||
					s->cpu[cpu].slab || s->cpu[cpu].remote_room ||
					s->cpu[cpu].base))
			slab_violation(c, "%s: tracked cache with objects on the fast paths' lists",
				       s->name);
	}
	if (frozen != cpu_slabs)
		slab_violation(c, "%s: %lu frozen slabs, %lu cpu slabs", s->name, frozen, cpu_slabs);
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
	seq_printf(m, "memtest: slab: %u caches checked, %d violation%s\n", caches, c.violations,
		   c.violations == 1 ? "" : "s");
	return c.violations;
}
