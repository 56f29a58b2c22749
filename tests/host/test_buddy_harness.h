/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared set-up for the buddy allocator host tests: "RAM" is an anonymous
 * mapping (MAP_NORESERVE, so 8 GiB costs only the mem_map actually written),
 * handed to mm through memblock with mm_set_virt_offset() making
 * __va(phys) land inside it.
 */
#ifndef TEST_BUDDY_HARNESS_H
#define TEST_BUDDY_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <ferret/compiler.h>
#include <ferret/mm.h>
#include <ferret/memblock.h>
#include <ferret/vmstat.h>
#include <ferret/seq_file.h>

#include "host_kernel.h"
#include "../../mm/page_alloc.h"

#define MiB (1UL << 20)
#define GiB (1UL << 30)

struct hrange {
	phys_addr_t base, size;
};

struct hreserve {
	phys_addr_t base, size;
	const char *name;
};

static void *h_arena;
static size_t h_arena_size;

/*
 * h_mm_init - reset memblock, map RAM for @ranges, reserve @rsv, run
 * mm_core_init(). Return: 0, or -1 (init failed).
 */
static __unused int h_mm_init(const struct hrange *ranges, int n, const struct hreserve *rsv, int nrsv)
{
	phys_addr_t lo = ~0UL, hi = 0;

	if (h_arena)
		munmap(h_arena, h_arena_size);
	h_arena = NULL;
	memblock_reset();
	for (int i = 0; i < n; i++) {
		lo = min(lo, ranges[i].base);
		hi = max(hi, ranges[i].base + ranges[i].size);
	}
	lo = ALIGN_DOWN(lo, PAGE_SIZE);
	h_arena_size = ALIGN(hi - lo, PAGE_SIZE);
	h_arena = mmap(NULL, h_arena_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (h_arena == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	mm_set_virt_offset((unsigned long)h_arena - lo);
	for (int i = 0; i < n; i++)
		memblock_add(ranges[i].base, ranges[i].size);
	for (int i = 0; i < nrsv; i++)
		memblock_reserve(rsv[i].base, rsv[i].size, rsv[i].name);
	/* The allocator's statistics start from zero for each set-up (free_area_init()). */
	return mm_core_init();
}

/* One RAM range at @base of @size with an "image" reservation at its start. */
static __unused int h_mm_init_simple(phys_addr_t base, phys_addr_t size)
{
	struct hrange r = { base, size };
	struct hreserve img = { base + 0x80000, 2 * MiB, "image" };

	return h_mm_init(&r, 1, &img, 1);
}

/* A seq_file that collects into a static buffer. */
static char h_seq_buf[1 << 20];
static struct seq_buf_ctx h_seq_ctx;
static struct seq_file h_seq;

static struct seq_file *h_seq_begin(void)
{
	memset(&h_seq, 0, sizeof(h_seq));
	seq_init_buf(&h_seq, &h_seq_ctx, h_seq_buf, sizeof(h_seq_buf));
	return &h_seq;
}

/* Run the invariant check quietly; print its report when it fails. */
static __unused int h_check(void)
{
	int v = mm_check_invariants(h_seq_begin());

	if (v)
		printf("%s", h_seq_buf);
	return v;
}

/* Free pages counted every way that must agree. */
static __unused unsigned long h_free_pages(void)
{
	return normal_zone.nr_free_pages + pcp_count(&normal_zone);
}

/* MemFree from meminfo, in pages. */
static __unused unsigned long h_meminfo_field(const char *name)
{
	char *p;
	unsigned long kb;

	meminfo_show(h_seq_begin());
	p = strstr(h_seq_buf, name);
	if (!p || sscanf(p + strlen(name), " %lu kB", &kb) != 1)
		return ~0UL;
	return kb / (PAGE_SIZE / 1024);
}

/* Sum of buddyinfo's columns, in pages. */
static __unused unsigned long h_buddyinfo_pages(void)
{
	char *p;
	unsigned long total = 0, n;
	int o = 0, used;

	buddyinfo_show(h_seq_begin());
	p = strstr(h_seq_buf, "Normal ");
	if (!p)
		return ~0UL;
	p += 7;
	while (sscanf(p, "%lu%n", &n, &used) == 1) {
		total += n << o++;
		p += used;
	}
	return o == NR_PAGE_ORDERS ? total : ~0UL;
}

/* FNV-1a over mem_map (with the list sentinels) and the zone's counters. */
static __unused unsigned long long h_state_hash(void)
{
	const unsigned char *b = (const unsigned char *)mem_map;
	size_t len = (max_mapnr + NR_LIST_SENTINELS) * sizeof(struct page);
	unsigned long long h = 1469598103934665603ULL;
	struct zone *z = &normal_zone;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	b = (const unsigned char *)z->free_area;
	for (size_t i = 0; i < sizeof(z->free_area); i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	h ^= z->nr_free_pages * 31 + pcp_count(z) * 17 + z->free_mask[0] + z->free_mask[1] * 3 +
	     z->free_mask[2] * 7 + z->free_mask[3] * 11;
	for (unsigned long i = 0; i < z->nr_pageblocks; i++)
		h = (h ^ z->pageblock_mt[i]) * 1099511628211ULL;
	return h;
}

static __unused bool h_log_has(const char *s)
{
	return strstr(host_log, s) != NULL;
}

#endif
