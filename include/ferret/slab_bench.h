/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object allocator's benchmark workloads (lib/slab_bench.c), one copy
 * run by the host benchmark (tests/bench/bench_slab.c, under callgrind) and
 * by the kernel's `bench kmalloc` (PMU instruction counts under QEMU
 * -icount shift=0). The callers bracket each call with their counters: a
 * call is the measured region, loop and random numbers included.
 */
#ifndef FERRET_SLAB_BENCH_H
#define FERRET_SLAB_BENCH_H

#include <ferret/types.h>

/* @n kmalloc(64) + kfree() pairs. Return: pairs done (stops at a failure). */
unsigned long slab_bench_pair(unsigned long n);
/* The same with @size known only at run time. */
unsigned long slab_bench_pair_var(unsigned long n, size_t size);

/* The mixed workload's live objects: the caller's table of @max_live entries. */
struct slab_bench_live {
	void **ptr;
	u32 *size;
	unsigned int max_live;
	unsigned int nr_live;
	u64 rng;
	/* Filled by slab_bench_mixed_peak() only. */
	unsigned long peak_slab_bytes;	/* slab memory at its peak */
	unsigned long peak_req_bytes;	/* bytes asked for by the objects live then */
	unsigned long top_req_bytes;	/* the most bytes asked for at once */
	unsigned long top_slab_bytes;	/* slab memory then */
	unsigned long failures;
};

/*
 * slab_bench_mixed() - @n steps: allocate (odds 3 in 4 while fewer than
 * max_live objects are live) kmalloc() of 16..1024 bytes, uniform, or free a
 * random live object. The population climbs to max_live and churns there.
 */
void slab_bench_mixed(struct slab_bench_live *l, unsigned long n);

/*
 * slab_bench_mixed_peak() - the same steps, not for timing: also follows
 * the bytes asked for and records slab memory at its peak, and how much of
 * it held requested bytes then.
 */
void slab_bench_mixed_peak(struct slab_bench_live *l, unsigned long n);

/* Free every object still live. */
void slab_bench_release(struct slab_bench_live *l);

#endif
