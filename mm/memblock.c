// SPDX-License-Identifier: GPL-2.0
/*
 * memblock: RAM ranges and named reservations before the buddy allocator
 * runs, and the early top-down allocator (see include/ferret/memblock.h).
 *
 * Both arrays stay sorted by base and never overlap: adding a range inserts
 * only the parts not yet covered, then neighbours that touch (and, for
 * reservations, carry the same name) merge.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

static struct memblock_region memory_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region reserved_regions[INIT_MEMBLOCK_REGIONS];

struct memblock memblock = {
	.current_limit = ~(phys_addr_t)0,
	.memory = { 0, INIT_MEMBLOCK_REGIONS, 0, memory_regions, "memory" },
	.reserved = { 0, INIT_MEMBLOCK_REGIONS, 0, reserved_regions, "reserved" },
};

void memblock_reset(void)
{
	memblock.memory.cnt = 0;
	memblock.memory.total_size = 0;
	memblock.reserved.cnt = 0;
	memblock.reserved.total_size = 0;
	memblock.current_limit = ~(phys_addr_t)0;
	memblock.frozen = false;
}

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* Keep [base, end) inside the address space: end is capped at 2^64 - 1. */
static phys_addr_t cap_end(phys_addr_t base, phys_addr_t size)
{
	return base + size < base ? ~(phys_addr_t)0 : base + size;
}

static void insert_region(struct memblock_type *type, unsigned long i, phys_addr_t base,
			  phys_addr_t end, const char *name)
{
	struct memblock_region *r = &type->regions[i];

	memmove(r + 1, r, (type->cnt - i) * sizeof(*r));
	r->base = base;
	r->size = end - base;
	strlcpy(r->name, name ? name : "", sizeof(r->name));
	type->cnt++;
	type->total_size += end - base;
}

static void remove_region(struct memblock_type *type, unsigned long i)
{
	type->total_size -= type->regions[i].size;
	memmove(&type->regions[i], &type->regions[i + 1],
		(type->cnt - i - 1) * sizeof(type->regions[0]));
	type->cnt--;
}

/* Merge neighbours that touch and carry the same name. */
static void merge_regions(struct memblock_type *type)
{
	unsigned long i = 0;

	while (i + 1 < type->cnt) {
		struct memblock_region *a = &type->regions[i], *b = a + 1;

		if (region_end(a) == b->base && !strcmp(a->name, b->name)) {
			a->size += b->size;
			memmove(b, b + 1, (type->cnt - i - 2) * sizeof(*b));
			type->cnt--;
		} else {
			i++;
		}
	}
}

/*
 * place_gap - cover the gap [gs, ge), which lies just before regions[i]:
 * extend a touching neighbour with the same name, else insert a region.
 * With @dry nothing changes. Return: 1 if a new entry is (or was) used.
 */
static int place_gap(struct memblock_type *type, unsigned long i, phys_addr_t gs, phys_addr_t ge,
		     const char *name, bool dry)
{
	struct memblock_region *prev = i ? &type->regions[i - 1] : NULL;
	struct memblock_region *next = i < type->cnt ? &type->regions[i] : NULL;

	if (prev && region_end(prev) == gs && !strcmp(prev->name, name)) {
		if (!dry) {
			prev->size += ge - gs;
			type->total_size += ge - gs;
		}
		return 0;
	}
	if (next && next->base == ge && !strcmp(next->name, name)) {
		if (!dry) {
			next->base = gs;
			next->size += ge - gs;
			type->total_size += ge - gs;
		}
		return 0;
	}
	if (!dry)
		insert_region(type, i, gs, ge, name);
	return 1;
}

/*
 * add_range - cover [base, end) in @type: the gaps between existing regions
 * become new regions named @name (or extend touching ones of that name).
 * Fails, changing nothing, if the gaps need more entries than are left.
 */
static int add_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
		     const char *name)
{
	phys_addr_t end = cap_end(base, size), cur;
	unsigned long need = 0, i;

	if (!size)
		return -1;
	name = name ? name : "";
	/* Pass 0 counts the entries needed, pass 1 places the gaps. */
	for (int pass = 0; pass < 2; pass++) {
		bool dry = !pass;

		cur = base;
		for (i = 0; i < type->cnt && cur < end; i++) {
			struct memblock_region *r = &type->regions[i];

			if (region_end(r) <= cur)
				continue;
			if (r->base >= end)
				break;
			if (r->base > cur) {
				int used = place_gap(type, i, cur, r->base, name, dry);

				need += (unsigned long)used;
				i += (unsigned long)used && !dry;
			}
			cur = max(cur, region_end(&type->regions[i]));
		}
		if (cur < end)
			need += (unsigned long)place_gap(type, i, cur, end, name, dry);
		if (dry && type->cnt + need > type->max) {
			pr_err("memblock: %s array full (%lu regions): dropping [0x%016lx-0x%016lx] %s\n",
			       type->name, type->cnt, base, end - 1, name);
			return -1;
		}
	}
	merge_regions(type);
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.memory, base, size, "");
}

int memblock_reserve(phys_addr_t base, phys_addr_t size, const char *name)
{
	return add_range(&memblock.reserved, base, size, name);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *type = &memblock.reserved;
	phys_addr_t end = cap_end(base, size);
	unsigned long i = 0;

	while (i < type->cnt) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t rend = region_end(r);

		if (rend <= base || r->base >= end) {
			i++;
		} else if (r->base >= base && rend <= end) {
			remove_region(type, i);
		} else if (r->base < base && rend > end) {
			if (type->cnt == type->max) {
				pr_err("memblock: reserved array full: cannot free [0x%016lx-0x%016lx]\n",
				       base, end - 1);
				return -1;
			}
			insert_region(type, i + 1, end, rend, r->name);
			type->total_size -= rend - base;
			r->size = base - r->base;
			i += 2;
		} else if (r->base < base) {
			type->total_size -= rend - base;
			r->size = base - r->base;
			i++;
		} else {
			type->total_size -= end - r->base;
			r->size = rend - end;
			r->base = end;
			i++;
		}
	}
	return 0;
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

/*
 * find_top_down - the highest address in [lo, hi) where @size bytes aligned
 * to @align fit outside every reservation. Return: the address, or 0.
 */
static phys_addr_t find_top_down(phys_addr_t lo, phys_addr_t hi, phys_addr_t size,
				 phys_addr_t align)
{
	const struct memblock_type *rsv = &memblock.reserved;
	phys_addr_t e = hi;

	/* Gaps from the top: [end of reservation j, e), then [lo, e). */
	for (long j = (long)rsv->cnt - 1; j >= -1 && e > lo; j--) {
		phys_addr_t gap_lo = lo;

		if (j >= 0) {
			const struct memblock_region *r = &rsv->regions[j];

			if (r->base >= e)
				continue;
			gap_lo = max(lo, region_end(r));
		}
		if (e >= size && e - size >= gap_lo) {
			phys_addr_t cand = ALIGN_DOWN(e - size, align);

			if (cand >= gap_lo)
				return cand;
		}
		if (j >= 0)
			e = rsv->regions[j].base;
	}
	return 0;
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align, const char *name)
{
	const struct memblock_type *mem = &memblock.memory;

	if (memblock.frozen) {
		pr_err("memblock: %s: allocation after memblock_free_all(), use alloc_pages()\n",
		       name);
		return 0;
	}
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	size = ALIGN(size, PAGE_SIZE);
	for (long i = (long)mem->cnt - 1; size && i >= 0; i--) {
		const struct memblock_region *m = &mem->regions[i];
		phys_addr_t lo = max(m->base, (phys_addr_t)PAGE_SIZE);
		phys_addr_t hi = min(region_end(m), memblock.current_limit);
		phys_addr_t pa;

		if (hi <= lo)
			continue;
		pa = find_top_down(lo, hi, size, align);
		if (pa && !memblock_reserve(pa, size, name))
			return pa;
		if (pa)
			return 0;	/* array full: reported */
	}
	pr_err("memblock: %s: cannot allocate %lu bytes aligned to 0x%lx\n", name, size, align);
	return 0;
}

void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align, const char *name)
{
	phys_addr_t pa = memblock_phys_alloc(size, align, name);

	return pa ? __va(pa) : NULL;
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align, const char *name)
{
	void *p = memblock_alloc_raw(size, align, name);

	if (p)
		memset(p, 0, ALIGN(size, PAGE_SIZE));
	return p;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *t = &memblock.memory;

	return t->cnt ? region_end(&t->regions[t->cnt - 1]) : 0;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

static bool type_contains(const struct memblock_type *t, phys_addr_t addr)
{
	for (unsigned long i = 0; i < t->cnt; i++) {
		if (addr < t->regions[i].base)
			return false;
		if (addr < region_end(&t->regions[i]))
			return true;
	}
	return false;
}

bool memblock_is_memory(phys_addr_t addr)
{
	return type_contains(&memblock.memory, addr);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return type_contains(&memblock.reserved, addr);
}

bool memblock_next_free_range(u64 *idx, phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *mem = &memblock.memory, *rsv = &memblock.reserved;
	phys_addr_t cursor = (phys_addr_t)*idx;

	for (unsigned long i = 0; i < mem->cnt; i++) {
		const struct memblock_region *m = &mem->regions[i];
		phys_addr_t s = max(cursor, m->base), e = region_end(m);
		unsigned long j = 0;

		while (s < e) {
			phys_addr_t fe = e, ps, pe;

			/* Skip reservations that end at or before s; step over one covering s. */
			while (j < rsv->cnt && region_end(&rsv->regions[j]) <= s)
				j++;
			if (j < rsv->cnt && rsv->regions[j].base <= s) {
				s = region_end(&rsv->regions[j]);
				continue;
			}
			if (j < rsv->cnt && rsv->regions[j].base < fe)
				fe = rsv->regions[j].base;
			ps = ALIGN(s, PAGE_SIZE);
			pe = ALIGN_DOWN(fe, PAGE_SIZE);
			s = fe;
			if (ps < pe) {
				*start = ps;
				*end = pe;
				*idx = (u64)fe;
				return true;
			}
		}
	}
	return false;
}

static void dump_type(struct seq_file *m, const struct memblock_type *t)
{
	seq_printf(m, " %s.cnt  = 0x%lx\n", t->name, t->cnt);
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		seq_printf(m, " %s[0x%lx]\t[0x%016lx-0x%016lx], 0x%016lx bytes flags: 0x0%s%s\n",
			   t->name, i, r->base, region_end(r) - 1, r->size,
			   r->name[0] ? " " : "", r->name);
	}
}

void memblock_dump(struct seq_file *m)
{
	seq_printf(m, "MEMBLOCK configuration:\n memory size = 0x%016lx reserved size = 0x%016lx\n",
		   memblock.memory.total_size, memblock.reserved.total_size);
	dump_type(m, &memblock.memory);
	dump_type(m, &memblock.reserved);
}
