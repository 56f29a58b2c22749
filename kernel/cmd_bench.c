// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel benchmarks. Run under QEMU with -icount shift=0, where the PMU's
 * INST_RETIRED counts guest instructions exactly (tests/bench/run_bench.py
 * does that); on hardware the same counters give real figures.
 *
 *   bench alloc [n]     order-0 alloc+free pairs
 *   bench mixed [n]     orders 0-3 weighted 8:4:2:1, alloc or free a random
 *                       live block with equal odds, up to 64 Ki live blocks
 *   bench init          boot-time mem_map initialisation, per GiB
 *   bench trace [n]     the alloc+free pair and a page_ref_inc+dec pair with
 *                       tracing off, on but filtered out, on, on with stacks
 *                       (fills the trace ring; the settings are put back)
 */
#include <ferret/console.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/time.h>
#include <ferret/trace.h>
#include <ferret/slab.h>
#include <ferret/slab_bench.h>
#include <asm/cpu.h>

struct bench_sample {
	u64 insns, ns;
};

u64 mm_init_insns, mm_init_ns, mm_init_bytes;	/* filled by mm_boot_init() */

static void bench_begin(struct bench_sample *s)
{
	pmu_start();
	s->ns = ktime_get_ns();
	s->insns = pmu_instructions();
}

static void bench_end(struct bench_sample *s)
{
	s->insns = pmu_instructions() - s->insns;
	s->ns = ktime_get_ns() - s->ns;
}

/* What a count of 0 instructions means: the PMU does not count them here. */
#define NOT_COUNTED	"instructions not counted (the PMU counts none here: QEMU counts " \
			"them under -icount only)"

static void report(const char *what, unsigned long ops, const struct bench_sample *s)
{
	u64 ipo100 = ops ? s->insns * 100 / ops : 0;
	u64 nspo100 = ops ? s->ns * 100 / ops : 0;

	if (ops && !s->insns) {
		printk("bench: %s: %lu ops, %llu.%02llu ns/op, " NOT_COUNTED "\n", what, ops,
		       (unsigned long long)(nspo100 / 100), (unsigned long long)(nspo100 % 100));
		return;
	}
	printk("bench: %s: %lu ops, %llu.%02llu instructions/op, %llu.%02llu ns/op\n", what, ops,
	       (unsigned long long)(ipo100 / 100), (unsigned long long)(ipo100 % 100),
	       (unsigned long long)(nspo100 / 100), (unsigned long long)(nspo100 % 100));
}

/*
 * Measured loops run in chunks; Ctrl-C is polled between chunks only, so a
 * long run stops when asked and the loop itself pays nothing per op.
 */
#define BENCH_CHUNK	4096UL
#define BENCH_MAX_N	100000000UL

/* The end of the chunk starting at @i of @n, or @i when Ctrl-C asked to stop. */
static unsigned long chunk_end(unsigned long i, unsigned long n)
{
	if (i && console_interrupted())
		return i;
	return n - i < BENCH_CHUNK ? n : i + BENCH_CHUNK;
}

/* @n order-0 alloc+free pairs after a warm-up. Return: pairs done. */
static unsigned long alloc_pairs(unsigned long n, struct bench_sample *s)
{
	unsigned long i;

	/* Warm up: the first pass may split large blocks. */
	for (i = 0; i < 1000; i++)
		__free_pages(alloc_pages(GFP_KERNEL, 0), 0);
	bench_begin(s);
	for (i = 0; i < n; ) {
		unsigned long end = chunk_end(i, n);

		if (end == i)
			break;
		for (; i < end; i++) {
			struct page *p = alloc_pages(GFP_KERNEL, 0);

			if (!p)
				goto out;
			__free_pages(p, 0);
		}
	}
out:
	bench_end(s);
	return i;
}

static int bench_alloc(unsigned long n)
{
	struct bench_sample s;
	unsigned long done = alloc_pairs(n, &s);

	report("order-0 alloc+free pair", done, &s);
	return 0;
}

/*
 * Tracing's cost on the allocator and on a page_ref helper. Off, the
 * allocator pays nothing (its fast paths test nothing new) and a helper one
 * predictable branch; on, every allocation takes the slow path (the per-cpu
 * lists are off) and records two events per alloc and per free.
 */
static int bench_trace(unsigned long n)
{
	static const struct {
		const char *what;
		u32 events;
		bool filtered, stack;
	} cfg[] = {
		{ "trace off", 0, false, false },
		{ "trace on, filtered out", TRACE_EVENTS_ALL, true, false },
		{ "trace on", TRACE_EVENTS_ALL, false, false },
		{ "trace on, stacks", TRACE_EVENTS_ALL, false, true },
	};
	struct trace_settings saved;
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	char what[96];

	if (!page)
		return -1;
	trace_get_settings(&saved);
	for (unsigned int c = 0; c < ARRAY_SIZE(cfg); c++) {
		struct bench_sample s;
		unsigned long done, i;

		trace_set_events(0);
		if (cfg[c].filtered)
			trace_filter_pfn(0, 1);		/* no RAM there */
		else
			trace_filter_clear();
		trace_set_stack(cfg[c].stack);
		trace_set_overwrite(true);
		trace_clear();
		trace_set_events(cfg[c].events);
		done = alloc_pairs(n, &s);
		snprintf(what, sizeof(what), "%s: order-0 alloc+free pair", cfg[c].what);
		report(what, done, &s);
		bench_begin(&s);
		for (i = 0; i < n; ) {
			unsigned long end = chunk_end(i, n);

			if (end == i)
				break;
			for (; i < end; i++) {
				page_ref_inc(page);
				page_ref_dec(page);
			}
		}
		bench_end(&s);
		snprintf(what, sizeof(what), "%s: page_ref_inc+dec pair", cfg[c].what);
		report(what, i, &s);
		if (i < n)
			break;
	}
	trace_set_events(0);
	trace_clear();
	trace_put_settings(&saved);
	__free_pages(page, 0);
	return 0;
}

static u32 xs32(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

#define MIXED_MAX_LIVE (64 * 1024)

static int bench_mixed(unsigned long n)
{
	/* Live-block table from the allocator itself: 64 Ki entries of 8 bytes. */
	unsigned int tbl_order = 9;	/* 2 MiB >= 64 Ki * (8 + 4) bytes */
	struct page *tbl = alloc_pages(GFP_KERNEL, tbl_order);
	struct page **live;
	u8 *orders;
	unsigned long nr_live = 0, i;
	struct bench_sample s;
	u32 rng = 2463534242u;

	if (!tbl) {
		printk("bench: no memory for the live-block table\n");
		return -1;
	}
	live = page_address(tbl);
	orders = (u8 *)(live + MIXED_MAX_LIVE);
	bench_begin(&s);
	for (i = 0; i < n; i++) {
		u32 r = xs32(&rng);

		if (!(i & (BENCH_CHUNK - 1)) && i && console_interrupted())
			break;

		if (nr_live && ((r & 1) || nr_live == MIXED_MAX_LIVE)) {
			unsigned long k = (r >> 1) % nr_live;

			__free_pages(live[k], orders[k]);
			nr_live--;
			live[k] = live[nr_live];
			orders[k] = orders[nr_live];
		} else {
			/* weights 8:4:2:1 over orders 0..3 */
			unsigned int w = (r >> 1) % 15, order = w < 8 ? 0 : w < 12 ? 1 : w < 14 ? 2 : 3;
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

			if (p) {
				live[nr_live] = p;
				orders[nr_live] = (u8)order;
				nr_live++;
			}
		}
	}
	bench_end(&s);
	report("mixed-order step", i, &s);
	while (nr_live) {
		nr_live--;
		__free_pages(live[nr_live], orders[nr_live]);
	}
	__free_pages(tbl, tbl_order);
	return 0;
}

/*
 * The object allocator: kmalloc(64)+kfree pairs, the mixed workload's steps
 * (16 B..1 KiB, up to 16 Ki live objects, after a ramp-up) and its slab
 * memory at the peak (lib/slab_bench.c, as the host benchmark runs them).
 */
#define SLAB_BENCH_LIVE	(16 * 1024)

/* @n kmalloc(64)+kfree pairs (of a size known at compile or at run time), in chunks. */
static unsigned long kmalloc_pairs(unsigned long n, bool var)
{
	unsigned long done = 0;

	while (done < n) {
		unsigned long want = chunk_end(done, n) - done;
		unsigned long k = var ? slab_bench_pair_var(want, 64) : slab_bench_pair(want);

		done += k;
		if (!want || k < want)
			break;
	}
	return done;
}

static int bench_kmalloc(unsigned long n)
{
	struct slab_bench_live l = { .max_live = SLAB_BENCH_LIVE, .rng = 0x9e3779b97f4a7c15ULL };
	struct bench_sample s;
	unsigned long done;

	slab_bench_pair(1000);
	bench_begin(&s);
	done = kmalloc_pairs(n, false);
	bench_end(&s);
	report("kmalloc(64)+kfree pair", done, &s);
	if (done < n)
		return 0;
	bench_begin(&s);
	done = kmalloc_pairs(n, true);
	bench_end(&s);
	report("kmalloc(size)+kfree pair, size known at run time", done, &s);
	if (done < n)
		return 0;
	bench_begin(&s);
	for (done = 0; done < n; done++)
		barrier();
	bench_end(&s);
	report("empty loop (subtract from the pairs)", done, &s);

	l.ptr = kmalloc_array(SLAB_BENCH_LIVE, sizeof(*l.ptr), GFP_KERNEL);
	l.size = kmalloc_array(SLAB_BENCH_LIVE, sizeof(*l.size), GFP_KERNEL);
	if (!l.ptr || !l.size) {
		kfree(l.ptr);
		kfree(l.size);
		printk("bench: no memory for the live-object table\n");
		return -1;
	}
	slab_bench_mixed(&l, 4 * SLAB_BENCH_LIVE);	/* ramp up */
	bench_begin(&s);
	slab_bench_mixed(&l, n);
	bench_end(&s);
	report("kmalloc mixed 16B-1KiB step", n, &s);
	slab_bench_release(&l);
	l.rng = 0x9e3779b97f4a7c15ULL;
	slab_bench_mixed_peak(&l, n);
	printk("bench: kmalloc mixed at its peak: %lu requested bytes in %lu slab bytes: %lu.%lu%% used\n",
	       l.top_req_bytes, l.top_slab_bytes, l.top_req_bytes * 100 / (l.top_slab_bytes ?: 1),
	       l.top_req_bytes * 1000 / (l.top_slab_bytes ?: 1) % 10);
	printk("bench: kmalloc mixed, slab memory at its most: %lu requested bytes in %lu slab bytes: %lu.%lu%% used\n",
	       l.peak_req_bytes, l.peak_slab_bytes, l.peak_req_bytes * 100 / (l.peak_slab_bytes ?: 1),
	       l.peak_req_bytes * 1000 / (l.peak_slab_bytes ?: 1) % 10);
	slab_bench_release(&l);
	kfree(l.ptr);
	kfree(l.size);
	return 0;
}

static int cmd_bench(int argc, char **argv)
{
	unsigned long n = 100000;

	if (argc < 2 || argc > 3 || (argc == 3 && parse_ulong(argv[2], &n)))
		return console_usage(argv[0]);
	if (!n || n > BENCH_MAX_N) {
		printk("bench: n must be 1..%lu\n", BENCH_MAX_N);
		return -1;
	}
	if (!strcmp(argv[1], "alloc"))
		return bench_alloc(n);
	if (!strcmp(argv[1], "mixed"))
		return bench_mixed(n);
	if (!strcmp(argv[1], "trace"))
		return bench_trace(n);
	if (!strcmp(argv[1], "kmalloc"))
		return bench_kmalloc(n);
	if (!strcmp(argv[1], "init")) {
		u64 gib100 = mm_init_bytes ? (mm_init_bytes * 100) >> 30 : 1;

		if (!mm_init_insns) {
			printk("bench: mem_map init: %llu ns for %llu MiB: %llu ns/GiB, "
			       NOT_COUNTED "\n", (unsigned long long)mm_init_ns,
			       (unsigned long long)(mm_init_bytes >> 20),
			       (unsigned long long)(mm_init_ns * 100 / gib100));
			return 0;
		}
		printk("bench: mem_map init: %llu instructions, %llu ns for %llu MiB: "
		       "%llu instructions/GiB, %llu ns/GiB\n",
		       (unsigned long long)mm_init_insns, (unsigned long long)mm_init_ns,
		       (unsigned long long)(mm_init_bytes >> 20),
		       (unsigned long long)(mm_init_insns * 100 / gib100),
		       (unsigned long long)(mm_init_ns * 100 / gib100));
		return 0;
	}
	printk("bench: unknown benchmark '%s'\n", argv[1]);
	return console_usage(argv[0]);
}
CONSOLE_CMD("bench", "alloc|mixed|init|trace|kmalloc [n]", "allocator benchmarks (PMU instructions, ns)",
	    cmd_bench,
	.args = "alloc\talloc_pages + __free_pages pairs per order\n"
		"mixed\trandom allocations and frees of orders 0..3\n"
		"init\twhat building mem_map cost at boot, per GiB\n"
		"trace\twhat tracing costs the allocator and a page_ref helper, off and on\n"
		"kmalloc\tkmalloc(64)+kfree pairs, a mixed 16 B..1 KiB workload (16 Ki live)\n"
		"\tand its slab memory at the peak\n"
		"<n>\titerations, 1 to 100000000 (default 100000); Ctrl-C stops",
	.example = "bench alloc 200000");
