// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of mm/memblock.c: merging of memory ranges, named reservations
 * that never overlap, top-down allocation with alignment, freeing (with
 * splits), free-range iteration, full arrays reported, the dump format,
 * and allocation refused after memblock_free_all().
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>

#include "htest.h"
#include "test_buddy_harness.h"

static void test_add_merge(void)
{
	struct memblock_type *m = &memblock.memory;

	memblock_reset();
	CHECK_EQ(memblock_add(0x40000000, 0x1000000), 0);
	CHECK_EQ(memblock_add(0x42000000, 0x1000000), 0);
	CHECK_EQ(m->cnt, 2);
	/* Adjacent: merges with the first. */
	CHECK_EQ(memblock_add(0x41000000, 0x800000), 0);
	CHECK_EQ(m->cnt, 2);
	CHECK_EQ(m->regions[0].size, 0x1800000);
	/* Overlapping both: one range. */
	CHECK_EQ(memblock_add(0x41000000, 0x1800000), 0);
	CHECK_EQ(m->cnt, 1);
	CHECK_EQ(m->regions[0].base, 0x40000000);
	CHECK_EQ(m->regions[0].size, 0x3000000);
	CHECK_EQ(memblock_phys_mem_size(), 0x3000000);
	/* Below, unsorted insertion. */
	CHECK_EQ(memblock_add(0x1000, 0x1000), 0);
	CHECK_EQ(m->cnt, 2);
	CHECK_EQ(m->regions[0].base, 0x1000);
	CHECK_EQ(memblock_start_of_DRAM(), 0x1000);
	CHECK_EQ(memblock_end_of_DRAM(), 0x43000000);
	CHECK_EQ(memblock_phys_mem_size(), 0x3001000);
	CHECK(memblock_is_memory(0x1fff));
	CHECK(!memblock_is_memory(0x2000));
	CHECK(memblock_is_memory(0x42ffffff));
	CHECK(!memblock_is_memory(0x43000000));
	CHECK_EQ(memblock_add(0x5000, 0), -1);
}

static void test_reserve_names(void)
{
	struct memblock_type *r = &memblock.reserved;

	memblock_reset();
	memblock_add(0x40000000, 0x10000000);
	CHECK_EQ(memblock_reserve(0x40080000, 0x200000, "image"), 0);
	CHECK_EQ(memblock_reserve(0x48000000, 0x10000, "dtb"), 0);
	/* Overlapping the image: only the new part is named "initrd". */
	CHECK_EQ(memblock_reserve(0x40200000, 0x100000, "initrd"), 0);
	CHECK_EQ(r->cnt, 3);
	CHECK(!strcmp(r->regions[0].name, "image"));
	CHECK_EQ(r->regions[0].size, 0x200000);
	CHECK(!strcmp(r->regions[1].name, "initrd"));
	CHECK_EQ(r->regions[1].base, 0x40280000);
	CHECK_EQ(r->regions[1].size, 0x80000);
	/* Same name, adjacent: merged. */
	CHECK_EQ(memblock_reserve(0x48010000, 0x10000, "dtb"), 0);
	CHECK_EQ(r->cnt, 3);
	CHECK_EQ(r->regions[2].size, 0x20000);
	/* Covering a whole range and more: the gaps around it only. */
	CHECK_EQ(memblock_reserve(0x47ff0000, 0x40000, "stack"), 0);
	CHECK_EQ(r->cnt, 5);
	CHECK(!strcmp(r->regions[2].name, "stack"));
	CHECK(!strcmp(r->regions[3].name, "dtb"));
	CHECK(!strcmp(r->regions[4].name, "stack"));
	CHECK_EQ(memblock_reserved_size(), 0x200000 + 0x80000 + 0x40000);
	CHECK(memblock_is_reserved(0x48000000));
	CHECK(!memblock_is_reserved(0x48030000));
	/* A long name is truncated, not overflowed. */
	CHECK_EQ(memblock_reserve(0x4a000000, 0x1000, "a-very-long-reservation-name"), 0);
	CHECK(!strcmp(r->regions[5].name, "a-very-long-res"));
}

static void test_phys_free(void)
{
	struct memblock_type *r = &memblock.reserved;

	memblock_reset();
	memblock_add(0x40000000, 0x10000000);
	memblock_reserve(0x40000000, 0x100000, "a");
	/* Free the middle: split in two. */
	CHECK_EQ(memblock_phys_free(0x40040000, 0x10000), 0);
	CHECK_EQ(r->cnt, 2);
	CHECK_EQ(r->regions[0].size, 0x40000);
	CHECK_EQ(r->regions[1].base, 0x40050000);
	CHECK(!strcmp(r->regions[1].name, "a"));
	CHECK_EQ(memblock_reserved_size(), 0xf0000);
	/* Trim both ends, remove a whole one. */
	CHECK_EQ(memblock_phys_free(0x40030000, 0x30000), 0);
	CHECK_EQ(memblock_reserved_size(), 0xd0000);
	CHECK_EQ(memblock_phys_free(0x40000000, 0x30000), 0);
	CHECK_EQ(r->cnt, 1);
	CHECK_EQ(r->regions[0].base, 0x40060000);
	CHECK_EQ(memblock_reserved_size(), 0xa0000);
	/* The front of a region, from its very start: the rest stays, named. */
	memblock_reserve(0x40200000, 0x10000, "b");
	CHECK_EQ(memblock_phys_free(0x40200000, 0x4000), 0);
	CHECK_EQ(r->cnt, 2);
	CHECK_EQ(r->regions[1].base, 0x40204000);
	CHECK_EQ(r->regions[1].size, 0xc000);
	CHECK(!strcmp(r->regions[1].name, "b"));
	CHECK_EQ(memblock_reserved_size(), 0xa0000 + 0xc000);
	/* ... and its tail, up to its very end. */
	CHECK_EQ(memblock_phys_free(0x4020c000, 0x4000), 0);
	CHECK_EQ(r->regions[1].base, 0x40204000);
	CHECK_EQ(r->regions[1].size, 0x8000);
	CHECK_EQ(memblock_reserved_size(), 0xa0000 + 0x8000);
}

static void test_alloc_top_down(void)
{
	struct memblock_type *r = &memblock.reserved;
	phys_addr_t a, b, c;

	memblock_reset();
	mm_set_virt_offset(0);
	memblock_add(0x40000000, 0x1000000);
	memblock_reserve(0x40f00000, 0x100000, "top");
	a = memblock_phys_alloc(0x3000, 0, "a");
	CHECK_EQ(a, 0x40efd000);
	b = memblock_phys_alloc(0x1000, 0x100000, "b");
	CHECK_EQ(b, 0x40e00000);
	/* Fits in the gap between b and a. */
	c = memblock_phys_alloc(0x10000, 0x10000, "c");
	CHECK_EQ(c, 0x40ee0000);
	CHECK(!strcmp(r->regions[1].name, "c"));
	/* Too big: reported, nothing reserved. */
	host_log_clear();
	CHECK_EQ(memblock_phys_alloc(0x2000000, 0, "huge"), 0);
	CHECK(h_log_has("memblock: huge: cannot allocate"));
	/* current_limit. */
	memblock_set_current_limit(0x40800000);
	CHECK_EQ(memblock_phys_alloc(0x1000, 0, "low"), 0x407ff000);
	memblock_set_current_limit(~0UL);
	/* Never the page at 0. */
	memblock_reset();
	memblock_add(0, 0x3000);
	CHECK_EQ(memblock_phys_alloc(0x1000, 0, "x"), 0x2000);
	CHECK_EQ(memblock_phys_alloc(0x1000, 0, "y"), 0x1000);
	CHECK_EQ(memblock_phys_alloc(0x1000, 0, "z"), 0);
}

static void test_alloc_zeroed(void)
{
	static unsigned char ram[0x10000] __aligned(4096);
	unsigned char *p;
	int nonzero = 0;

	memblock_reset();
	memset(ram, 0xff, sizeof(ram));
	mm_set_virt_offset((unsigned long)ram - 0x80000000UL);
	memblock_add(0x80000000UL, sizeof(ram));
	p = memblock_alloc(100, 0, "z");
	CHECK(p == ram + sizeof(ram) - 0x1000);
	for (int i = 0; i < 0x1000; i++)
		nonzero |= p[i];
	CHECK_EQ(nonzero, 0);
	p = memblock_alloc_raw(0x1000, 0, "r");
	CHECK(p == ram + sizeof(ram) - 0x2000);
	CHECK_EQ(p[0], 0xff);
	CHECK(memblock_alloc(0x100000, 0, "big") == NULL);
}

static void test_free_ranges(void)
{
	phys_addr_t s, e;
	u64 it = 0;
	phys_addr_t want[][2] = {
		{ 0x40000000, 0x40080000 },
		{ 0x40281000, 0x40400000 },	/* reservation end rounded up */
		{ 0x40500000, 0x40600000 },
		{ 0x50000000, 0x50fff000 },	/* range end rounded down */
	};
	int n = 0;

	memblock_reset();
	memblock_add(0x40000000, 0x600000);
	memblock_add(0x50000000, 0xfff800);
	memblock_reserve(0x40080000, 0x200800, "image");
	memblock_reserve(0x40400000, 0x100000, "dtb");
	memblock_reserve(0x30000000, 0x100000, "not-ram");
	while (memblock_next_free_range(&it, &s, &e)) {
		if (n < 4) {
			CHECK_EQ(s, want[n][0]);
			CHECK_EQ(e, want[n][1]);
		}
		n++;
	}
	CHECK_EQ(n, 4);
	/* All reserved: nothing. */
	memblock_reserve(0, ~0UL, "all");
	it = 0;
	CHECK(!memblock_next_free_range(&it, &s, &e));
}

static void test_array_full(void)
{
	int i, ret = 0;

	memblock_reset();
	memblock_add(0x40000000, 0x10000000);
	for (i = 0; i < INIT_MEMBLOCK_REGIONS && !ret; i++)
		ret = memblock_reserve(0x40000000 + i * 0x2000, 0x1000, "r");
	CHECK_EQ(ret, 0);
	CHECK_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);
	host_log_clear();
	CHECK_EQ(memblock_reserve(0x48000000, 0x1000, "over"), -1);
	CHECK(h_log_has("memblock: reserved array full (128 regions): dropping [0x0000000048000000-0x0000000048000fff] over"));
	CHECK_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);
	/* Filling gaps next to same-named neighbours needs no entry: 4 merge into 1. */
	CHECK_EQ(memblock_reserve(0x40000000, 0x6000, "r"), 0);
	CHECK_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS - 3);
	CHECK_EQ(memblock_reserve(0x4f000000, 0x1000, "a"), 0);
	CHECK_EQ(memblock_reserve(0x4f100000, 0x1000, "b"), 0);
	CHECK_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS - 1);
	/* Three differently named gaps need three entries: refused whole. */
	CHECK_EQ(memblock_reserve(0x40010000, 0x6000, "x"), -1);
	CHECK_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS - 1);
	CHECK(!memblock_is_reserved(0x40011000));
	/* Splitting needs an entry too. */
	CHECK_EQ(memblock_reserve(0x4f200000, 0x1000, "c"), 0);
	CHECK_EQ(memblock_phys_free(0x40001000, 0x1000), -1);
	CHECK(memblock_is_reserved(0x40001000));
	/* Full again. A gap that only touches the next, or only the previous,
	 * same-named region extends it and needs no entry. */
	CHECK_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(memblock_reserve(0x4f0ff800, 0x800, "b"), 0);
	CHECK_EQ(memblock_reserve(0x4f001000, 0x800, "a"), 0);
	CHECK_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);
	CHECK(memblock_is_reserved(0x4f0ff800) && memblock_is_reserved(0x4f0017ff));
	CHECK(!memblock_is_reserved(0x4f0ff7ff) && !memblock_is_reserved(0x4f001800));
}

static void test_dump(void)
{
	static const char want[] =
		"MEMBLOCK configuration:\n"
		" memory size = 0x0000000008000000 reserved size = 0x0000000000201000\n"
		" memory.cnt  = 0x1\n"
		" memory[0x0]\t[0x0000000040000000-0x0000000047ffffff], 0x0000000008000000 bytes flags: 0x0\n"
		" reserved.cnt  = 0x2\n"
		" reserved[0x0]\t[0x0000000040080000-0x000000004027ffff], 0x0000000000200000 bytes flags: 0x0 image\n"
		" reserved[0x1]\t[0x0000000047fff000-0x0000000047ffffff], 0x0000000000001000 bytes flags: 0x0 dtb\n";

	memblock_reset();
	memblock_add(0x40000000, 0x8000000);
	memblock_reserve(0x40080000, 0x200000, "image");
	memblock_reserve(0x47fff000, 0x1000, "dtb");
	memblock_dump(h_seq_begin());
	CHECK(!strcmp(h_seq_buf, want));
	if (strcmp(h_seq_buf, want))
		printf("%s", h_seq_buf);
}

static void test_frozen_after_free_all(void)
{
	CHECK_EQ(h_mm_init_simple(0x40000000UL, 32 * MiB), 0);
	CHECK(memblock.frozen);
	host_log_clear();
	CHECK(memblock_alloc(PAGE_SIZE, 0, "late") == NULL);
	CHECK(h_log_has("memblock: late: allocation after memblock_free_all()"));
	CHECK_EQ(memblock_free_all(), 0);	/* only once */
	/* mem_map and pageblock_flags show up in the dump. */
	memblock_dump(h_seq_begin());
	CHECK(strstr(h_seq_buf, " mem_map\n") != NULL);
	CHECK(strstr(h_seq_buf, " pageblock_flags\n") != NULL);
	CHECK(strstr(h_seq_buf, " image\n") != NULL);
}

int main(void)
{
	host_quiet = true;
	RUN(test_add_merge);
	RUN(test_reserve_names);
	RUN(test_phys_free);
	RUN(test_alloc_top_down);
	RUN(test_alloc_zeroed);
	RUN(test_free_ranges);
	RUN(test_array_full);
	RUN(test_dump);
	RUN(test_frozen_after_free_all);
	return HTEST_DONE();
}
