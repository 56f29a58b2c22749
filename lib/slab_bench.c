// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark workloads of the object allocator (include/ferret/slab_bench.h),
 * shared by the host benchmark and the kernel's `bench kmalloc`.
 */
#include <ferret/compiler.h>
#include <ferret/gfp.h>
#include <ferret/slab.h>
#include <ferret/slab_bench.h>

/* kmalloc(64): a size known at compile time, as sizeof(struct ...) is. */
__noinline unsigned long slab_bench_pair(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		if (unlikely(!p))
			break;
		kfree(p);
	}
	return i;
}

/* The same with the size known only at run time (the out-of-line kmalloc). */
__noinline unsigned long slab_bench_pair_var(unsigned long n, size_t size)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		void *p = kmalloc(size, GFP_KERNEL);

		if (unlikely(!p))
			break;
		kfree(p);
	}
	return i;
}

/* Knuth's MMIX LCG: two instructions a step; only its high bits are used. */
static __always_inline u64 lcg(u64 *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x;
}

static __always_inline void mixed(struct slab_bench_live *l, unsigned long n, bool peak)
{
	unsigned long req = 0, slab = 0;
	unsigned int nr = l->nr_live;
	u64 x = l->rng;

	for (unsigned long i = 0; i < n; i++) {
		u64 r = lcg(&x);

		if (nr < l->max_live && (r >> 62)) {
			u32 size = 16 + (u32)(((r >> 30) & 0xffffffff) * 1009 >> 32);
			void *p = kmalloc(size, GFP_KERNEL);

			if (unlikely(!p)) {
				l->failures++;
				continue;
			}
			l->ptr[nr] = p;
			if (peak) {
				l->size[nr] = size;
				req += size;
				slab = slab_total_bytes();
				if (slab > l->peak_slab_bytes) {
					l->peak_slab_bytes = slab;
					l->peak_req_bytes = req;
				}
				if (req > l->top_req_bytes) {
					l->top_req_bytes = req;
					l->top_slab_bytes = slab;
				}
			}
			nr++;
		} else if (nr) {
			unsigned int k = (unsigned int)(((r >> 32) * nr) >> 32);

			kfree(l->ptr[k]);
			nr--;
			l->ptr[k] = l->ptr[nr];
			if (peak) {
				req -= l->size[k];
				l->size[k] = l->size[nr];
			}
		}
	}
	l->nr_live = nr;
	l->rng = x;
}

__noinline void slab_bench_mixed(struct slab_bench_live *l, unsigned long n)
{
	mixed(l, n, false);
}

__noinline void slab_bench_mixed_peak(struct slab_bench_live *l, unsigned long n)
{
	mixed(l, n, true);
}

void slab_bench_release(struct slab_bench_live *l)
{
	while (l->nr_live)
		kfree(l->ptr[--l->nr_live]);
}
