// SPDX-License-Identifier: GPL-2.0
/*
 * The concurrent allocator workload (include/ferret/mm_stress.h). Portable:
 * the kernel runs it on every core, the host tests on threads.
 *
 * Each block (24 bytes or more) starts with a 16-byte header { MAGIC ^ address, kind | size |
 * id } and ends with a trailer word (MAGIC2 ^ address) in its last 8 bytes;
 * a free checks both and wipes the header first, so a block given to two
 * owners, or one the allocator wrote into while it was held, does not pass.
 */
#include <ferret/compiler.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/slab.h>
#include <ferret/printk.h>
#include <ferret/page_owner.h>
#include <ferret/mm_stress.h>

#define HDR_MAGIC	0x5354524553534844ULL	/* "STRESSHD" */
#define TRL_MAGIC	0x5354524553535452ULL	/* "STRESSTR" */
#define KIND_PAGE	(1ULL << 63)
#define SIZE_MASK	0xffffffffULL

struct block_hdr {
	u64 magic;		/* HDR_MAGIC ^ address */
	u64 desc;		/* KIND_PAGE | order, or the object's size; id in bits 32..47 */
};

/* Knuth's MMIX LCG; the high bits are the random ones. */
static inline u64 next(struct mm_stress *s)
{
	s->rng = s->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return s->rng >> 16;
}

static size_t block_size(u64 desc)
{
	return desc & KIND_PAGE ? PAGE_SIZE << (desc & 0xf) : (size_t)(desc & SIZE_MASK);
}

static void mark(void *p, u64 desc, unsigned int id)
{
	struct block_hdr *h = p;
	size_t size = block_size(desc);

	h->magic = HDR_MAGIC ^ (u64)(uintptr_t)p;
	h->desc = desc | ((u64)(id & 0xffff) << 32);
	*(u64 *)((char *)p + ((size - 8) & ~7UL)) = TRL_MAGIC ^ (u64)(uintptr_t)p;
}

/* Check and wipe @p's marks. Return: its descriptor, or 0 when they were wrong. */
static u64 unmark(struct mm_stress *s, void *p)
{
	struct block_hdr *h = p;
	u64 desc = h->desc, *trl;
	size_t size;

	if (h->magic != (HDR_MAGIC ^ (u64)(uintptr_t)p))
		goto bad;
	size = block_size(desc);
	if (!(desc & KIND_PAGE) && (size < 24 || size > 2048))
		goto bad;
	trl = (u64 *)((char *)p + ((size - 8) & ~7UL));
	if (*trl != (TRL_MAGIC ^ (u64)(uintptr_t)p))
		goto bad;
	h->magic = 0;
	*trl = 0;
	return desc;
bad:
	s->corrupt++;
	pr_err("stress: block %p held by workload %u changed: header %016llx %016llx\n",
	       p, s->id, (unsigned long long)h->magic, (unsigned long long)desc);
	return 0;
}

static void *alloc_one(struct mm_stress *s)
{
	u64 r = next(s);
	u64 desc;
	void *p;

	if ((r & 3) == 0) {			/* a quarter are pages: order 0 mostly, up to 3 */
		unsigned int order = (r >> 2 & 7) < 5 ? 0 : (unsigned int)(r >> 2 & 7) - 4;
		struct page *pg = alloc_pages(s->gfp | __GFP_NOWARN, order);

		if (!pg) {
			s->failures++;
			return NULL;
		}
		s->page_allocs++;
		p = page_address(pg);
		desc = KIND_PAGE | order;
	} else {				/* objects of 24 bytes to 2 KiB, sizes spread by powers of two */
		unsigned int shift = (unsigned int)(r >> 2 & 7);
		size_t size = 24 + (size_t)((r >> 8) & ((16UL << shift) - 1));

		if (size > 2048)
			size = 2048;
		p = kmalloc(size, s->gfp | __GFP_NOWARN);
		if (!p) {
			s->failures++;
			return NULL;
		}
		s->obj_allocs++;
		desc = size;
	}
	mark(p, desc, s->id);
	return p;
}

static void free_one(struct mm_stress *s, void *p)
{
	struct block_hdr *h = p;
	unsigned int owner = (unsigned int)(h->desc >> 32 & 0xffff);
	u64 desc = unmark(s, p);

	if (!desc)
		return;		/* leaked on purpose: freeing it could corrupt the allocator */
	if (owner != (s->id & 0xffff))
		s->remote_frees++;
	if (desc & KIND_PAGE) {
		__free_pages(virt_to_page(p), (unsigned int)(desc & 0xf));
		s->page_frees++;
	} else {
		kfree(p);
		s->obj_frees++;
	}
}

unsigned long mm_stress_step(struct mm_stress *s, unsigned long n)
{
	unsigned int max = s->max_held < MM_STRESS_SLOTS ? s->max_held : MM_STRESS_SLOTS;

	for (unsigned long i = 0; i < n; i++) {
		u64 r = next(s);
		unsigned int k;
		void *p;

		if (s->nr_held < max && (s->nr_held == 0 || (r & 3) != 0 || s->nr_held < max / 4)) {
			p = alloc_one(s);
			if (p)
				s->held[s->nr_held++] = p;
			continue;
		}
		k = (unsigned int)((r >> 8) % s->nr_held);
		p = s->held[k];
		s->held[k] = s->held[--s->nr_held];
		if (s->xchg && ((r >> 40) & 7) == 0) {
			/* Hand it over; free what the exchange held instead (maybe another's). */
			p = __atomic_exchange_n(&s->xchg->slot[(r >> 44) % MM_STRESS_EXCHANGE], p,
						__ATOMIC_ACQ_REL);
			if (!p)
				continue;	/* an empty slot: nothing to free this time */
		}
		free_one(s, p);
	}
	return n;
}

void mm_stress_release(struct mm_stress *s)
{
	while (s->nr_held)
		free_one(s, s->held[--s->nr_held]);
}

void mm_stress_drain_exchange(struct mm_stress *s)
{
	if (!s->xchg)
		return;
	for (unsigned int i = 0; i < MM_STRESS_EXCHANGE; i++) {
		void *p = __atomic_exchange_n(&s->xchg->slot[i], NULL, __ATOMIC_ACQ_REL);

		if (p)
			free_one(s, p);
	}
}

unsigned long mm_stress_active_objects(void)
{
	struct kmem_cache *c = NULL;
	unsigned long n = 0;

	while ((c = kmem_cache_next(c))) {
		struct slab_stats st;

		if (!kmem_cache_stats(c, &st))
			n += st.active_objs;
	}
	return n;
}

void mm_stress_settle(void)
{
	struct kmem_cache *c = NULL;

	while ((c = kmem_cache_next(c)))
		kmem_cache_shrink(c);
	drain_all_pages();
}

static void count_block(void *arg, const struct po_block *b)
{
	*(unsigned long *)arg += 1UL << b->order;
}

unsigned long mm_stress_owned_pages(void)
{
	unsigned long n = 0;

	page_owner_for_each_block(count_block, &n);
	return n;
}
