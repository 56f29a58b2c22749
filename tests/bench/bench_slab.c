// SPDX-License-Identifier: GPL-2.0
/*
 * Host benchmark of the object allocator, built like the kernel (-O2, frame
 * pointers, no sanitizers) from the real mm/ and lib/ sources; the
 * workloads are lib/slab_bench.c's, as the kernel's `bench kmalloc` runs.
 *
 *	bench_slab pair  [n]		kmalloc(64) + kfree() pairs
 *	bench_slab pair-var [n]		the same, the size known at run time only
 *	bench_slab mixed [n]		steps of the mixed workload (16 B..1 KiB,
 *					up to 16 Ki live objects), after a ramp-up
 *	bench_slab owner [n]		pairs with slab_owner=on (both stacks
 *					recorded; the walks are remembered)
 *	bench_slab peak  [n]		the mixed workload's slab memory at its peak
 *					and the share holding requested bytes
 *
 * Each prints "<workload> ops=<n> ns_per_op=<x>" (peak: its figures). The
 * measured region is bracketed with CALLGRIND_TOGGLE_COLLECT: under
 * `valgrind --tool=callgrind --collect-atstart=no` the total is the
 * region's instruction count (bench_host.sh divides it by n).
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/gfp.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/slab.h>
#include <ferret/slab_bench.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "host_kernel.h"
#include "bench_util.h"

#define RAM_BASE	0x40000000UL
#define RAM_BYTES	(1UL << 30)
#define MAX_LIVE	(16 * 1024)

static void setup(const char *cmdline)
{
	char *arena = mmap(NULL, RAM_BYTES + (32 << 10), PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned long lo, hi;

	if (arena == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	/* Slabs must be as aligned in the mapping as in RAM: 32 KiB (slab.c). */
	arena = (char *)ALIGN((unsigned long)arena, 32UL << 10);
	if (*cmdline) {
		host_load_symbols(&lo, &hi);
		host_text_base = host_nr_syms ? host_syms[0].addr : 0;
		stacktrace_set_skip_text(lo, hi);
		host_register_own_stack();
	}
	memblock_reset();
	mm_set_virt_offset((unsigned long)arena - RAM_BASE);
	memblock_add(RAM_BASE, RAM_BYTES);
	memblock_reserve(RAM_BASE + 0x80000, 2UL << 20, "image");
	if (mm_init(cmdline))
		exit(1);
}

static __noinline void bench_pair(const char *name, unsigned long n, size_t var)
{
	double t0;

	slab_bench_pair(1000);	/* warm: the cpu slab is there */
	t0 = now_ns();
	CALLGRIND_TOGGLE_COLLECT;
	n = var ? slab_bench_pair_var(n, var) : slab_bench_pair(n);
	CALLGRIND_TOGGLE_COLLECT;
	report(name, n, now_ns() - t0);
}

static struct slab_bench_live *live_table(void)
{
	static struct slab_bench_live l;

	l.ptr = calloc(MAX_LIVE, sizeof(*l.ptr));
	l.size = calloc(MAX_LIVE, sizeof(*l.size));
	l.max_live = MAX_LIVE;
	l.rng = 0x9e3779b97f4a7c15ULL;	/* fixed seed */
	return &l;
}

static __noinline void bench_mixed(unsigned long n)
{
	struct slab_bench_live *l = live_table();
	double t0;

	slab_bench_mixed(l, 4 * MAX_LIVE);	/* ramp up to the live ceiling */
	t0 = now_ns();
	CALLGRIND_TOGGLE_COLLECT;
	slab_bench_mixed(l, n);
	CALLGRIND_TOGGLE_COLLECT;
	report("mixed", n, now_ns() - t0);
	printf("mixed live_at_end=%u failures=%lu\n", l->nr_live, l->failures);
	slab_bench_release(l);
}

static void bench_peak(unsigned long n)
{
	struct slab_bench_live *l = live_table();

	slab_bench_mixed_peak(l, n);
	printf("peak slab_bytes=%lu requested_bytes=%lu efficiency=%.1f%% live_at_end=%u\n",
	       l->peak_slab_bytes, l->peak_req_bytes,
	       100.0 * (double)l->peak_req_bytes / (double)l->peak_slab_bytes, l->nr_live);
	printf("top  slab_bytes=%lu requested_bytes=%lu efficiency=%.1f%%\n",
	       l->top_slab_bytes, l->top_req_bytes,
	       100.0 * (double)l->top_req_bytes / (double)l->top_slab_bytes);
	slab_bench_release(l);
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "pair";
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	host_quiet = true;
	if (!strcmp(w, "owner")) {
		setup("slab_owner=on");
		bench_pair("owner", n ? n : 200000, 0);
		return 0;
	}
	setup("");
	if (!strcmp(w, "pair"))
		bench_pair("pair", n ? n : 1000000, 0);
	else if (!strcmp(w, "pair-var"))
		bench_pair("pair-var", n ? n : 1000000, 64);
	else if (!strcmp(w, "mixed"))
		bench_mixed(n ? n : 2000000);
	else if (!strcmp(w, "peak"))
		bench_peak(n ? n : 400000);
	else {
		fprintf(stderr, "usage: %s pair|pair-var|mixed|owner|peak [n]\n", argv[0]);
		return 2;
	}
	return 0;
}
