// SPDX-License-Identifier: GPL-2.0
/*
 * Host benchmark of the buddy allocator, built like the kernel (-O2, frame
 * pointers, no sanitizers) from the real mm/ sources.
 *
 *	bench_buddy pair  [n]	order-0 alloc_page() + __free_page() pairs
 *	bench_buddy mixed [n]	random steps: orders 0-3 weighted 8:4:2:1,
 *				alloc or free a random live block with equal
 *				odds, at most 64 Ki live blocks, fixed seed
 *	bench_buddy init  [GiB]	free_area_init() + memblock_free_all()
 *
 * Each prints "<workload> ops=<n> ns_per_op=<x>". The measured region is
 * bracketed with CALLGRIND_TOGGLE_COLLECT, so under
 * `valgrind --tool=callgrind --collect-atstart=no` the callgrind total is
 * the instruction count of the region alone; bench_host.sh divides it by n.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/memblock.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "host_kernel.h"
#include "bench_util.h"

#define RAM_BASE	0x40000000UL
#define GiB		(1UL << 30)
#define MAX_LIVE	(64 * 1024)

static void *arena;
static size_t arena_size;

static void setup_ram(unsigned long bytes)
{
	if (arena)
		munmap(arena, arena_size);
	arena_size = bytes;
	arena = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memblock_reset();
	mm_set_virt_offset((unsigned long)arena - RAM_BASE);
	memblock_add(RAM_BASE, bytes);
	memblock_reserve(RAM_BASE + 0x80000, 2UL << 20, "image");
}

static __noinline void bench_pair(unsigned long n)
{
	double t0, t1;

	/* Warm up: the per-cpu list holds a batch after the first pair. */
	for (int i = 0; i < 1000; i++)
		__free_page(alloc_page(GFP_KERNEL));
	t0 = now_ns();
	CALLGRIND_TOGGLE_COLLECT;
	for (unsigned long i = 0; i < n; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		__free_page(p);
	}
	CALLGRIND_TOGGLE_COLLECT;
	t1 = now_ns();
	report("pair", n, t1 - t0);
}

struct live {
	struct page *page;
	unsigned int order;
};

static struct live live[MAX_LIVE];

static __noinline void bench_mixed(unsigned long n)
{
	/* 8:4:2:1 over 15 slots. */
	static const u8 order_of[15] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3 };
	u64 x = 0x9e3779b97f4a7c15ULL;	/* fixed seed */
	unsigned long nlive = 0, fails = 0;
	double t0, t1;

	t0 = now_ns();
	CALLGRIND_TOGGLE_COLLECT;
	for (unsigned long i = 0; i < n; i++) {
		u64 r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = x;
		if (nlive == 0 || (nlive < MAX_LIVE && (r & 1))) {
			unsigned int order = order_of[((r >> 1) & 0xffffffff) * 15 >> 32];
			struct page *p = alloc_pages(GFP_KERNEL, order);

			if (likely(p)) {
				live[nlive].page = p;
				live[nlive].order = order;
				nlive++;
			} else {
				fails++;
			}
		} else {
			unsigned long k = ((r >> 32) * nlive) >> 32;

			__free_pages(live[k].page, live[k].order);
			live[k] = live[--nlive];
		}
	}
	CALLGRIND_TOGGLE_COLLECT;
	t1 = now_ns();
	report("mixed", n, t1 - t0);
	printf("mixed live_at_end=%lu failures=%lu\n", nlive, fails);
	while (nlive) {
		nlive--;
		__free_pages(live[nlive].page, live[nlive].order);
	}
}

static __noinline void bench_init(unsigned long gib)
{
	double t0, t1;
	unsigned long pages;

	/* First pass faults mem_map's pages in; the second is measured. */
	setup_ram(gib * GiB);
	free_area_init();
	memblock_free_all();
	setup_ram(gib * GiB);
	memset(__va(RAM_BASE + gib * GiB - (gib << 22) - (1 << 20)), 0, (gib << 22) + (1 << 20));
	t0 = now_ns();
	CALLGRIND_TOGGLE_COLLECT;
	free_area_init();
	pages = memblock_free_all();
	CALLGRIND_TOGGLE_COLLECT;
	t1 = now_ns();
	printf("init GiB=%lu pages=%lu ns_total=%.0f ns_per_gib=%.0f\n", gib, pages, t1 - t0,
	       (t1 - t0) / (double)gib);
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "pair";
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	host_quiet = true;
	if (!strcmp(w, "init")) {
		bench_init(n ? n : 1);
		return 0;
	}
	setup_ram(GiB);
	if (mm_core_init())
		return 1;
	if (!strcmp(w, "pair"))
		bench_pair(n ? n : 1000000);
	else if (!strcmp(w, "mixed"))
		bench_mixed(n ? n : 2000000);
	else {
		fprintf(stderr, "usage: %s pair|mixed|init [n]\n", argv[0]);
		return 2;
	}
	return 0;
}
