// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the object allocator (mm/slab.c, mm/slab_debug.c,
 * mm/slab_owner.c) on the real page allocator: every API edge (0 bytes,
 * huge sizes, kcalloc overflow, krealloc), the size classes and their
 * alignment, empty slabs going back to the buddy allocator, randomized
 * alloc/free against both invariant checkers, every bad free refused with
 * its report and nothing changed, the debug checks (red zones, poison), and
 * the owner records (stacks, sizes, alloc_traces/free_traces).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <ferret/errno.h>
#include <ferret/gfp.h>
#include <ferret/kallsyms.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>
#include <ferret/vmstat.h>

#include "host_kernel.h"
#include "htest.h"

#define RAM_PHYS	0x40000000UL
#define RAM_SIZE	(64UL << 20)

int main(void);
static char *ram;
static char out[1 << 20];

/* Bring mm up with @cmdline (slab_debug=, slab_owner=, page_owner=). */
static void mm_setup(const char *cmdline)
{
	host_quiet = true;
	host_track_stacks();
	CHECK_EQ(slab_param(cmdline), 0);	/* its options are well formed (mm_init() reads them too) */
	CHECK_EQ(host_mm_init(ram, RAM_PHYS, RAM_SIZE, cmdline), 0);
	host_log_clear();
}

/* Undo slab_param()'s options for the next set-up. */
static void mm_plain(void)
{
	slab_param("slab_debug=- slab_owner=off");
	mm_setup("");
}

static int check_all(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	int bad;

	seq_init_buf(&m, &ctx, out, sizeof(out));
	bad = mm_check_invariants(&m);	/* the slab checks included */
	if (bad)
		printf("# %s", out);
	return bad;
}

static unsigned long free_pages_now(void)
{
	drain_all_pages();
	return normal_zone.nr_free_pages;
}

/* ---- API edges ---- */

static void test_zero_and_null(void)
{
	mm_plain();
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kzalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	CHECK_EQ(ksize(NULL), 0);
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	CHECK(krealloc(NULL, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK_EQ(host_log_len, 0);	/* none of these is an error */
	CHECK_EQ(check_all(), 0);
}

static void test_huge_and_overflow(void)
{
	unsigned long before;
	void *p;

	mm_plain();
	before = free_pages_now();
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(kmalloc((size_t)-1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(kcalloc(SIZE_MAX / 4, SIZE_MAX / 4, GFP_KERNEL) == NULL);
	CHECK(kcalloc(SIZE_MAX / 2 + 1, 2, GFP_KERNEL) == NULL);
	CHECK(kmalloc_array(SIZE_MAX, 8, GFP_KERNEL) == NULL);
	/* The largest kmalloc: one block of MAX_PAGE_ORDER. */
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(ksize(p), KMALLOC_MAX_SIZE);
	CHECK(virt_to_cache(p) == NULL);
	CHECK_EQ(kmalloc_large_bytes(), KMALLOC_MAX_SIZE);
	kfree(p);
	CHECK_EQ(kmalloc_large_bytes(), 0);
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(check_all(), 0);
}

static void test_kcalloc_kzalloc_zero(void)
{
	unsigned char *p;

	mm_plain();
	/* Dirty an object, free it, get it back zeroed. */
	for (size_t size = 8; size <= 16384; size = size * 3 / 2 + 1) {
		p = kmalloc(size, GFP_KERNEL);
		memset(p, 0xa7, size);
		kfree(p);
		p = kzalloc(size, GFP_KERNEL);
		for (size_t i = 0; i < size; i++)
			if (p[i]) {
				CHECK(!"kzalloc left a byte set");
				break;
			}
		kfree(p);
		p = kcalloc(size, 1, GFP_KERNEL);
		CHECK(p && !p[0] && !p[size - 1]);
		kfree(p);
	}
	CHECK_EQ(check_all(), 0);
}

static void test_krealloc(void)
{
	char *p, *q;

	mm_plain();
	p = krealloc(NULL, 20, GFP_KERNEL);	/* NULL: kmalloc */
	CHECK(p != NULL);
	CHECK_EQ(ksize(p), 24);
	memcpy(p, "0123456789abcdefghi", 20);
	q = krealloc(p, 23, GFP_KERNEL);	/* same class: in place */
	CHECK(q == p);
	q = krealloc(p, 300, GFP_KERNEL);	/* grow: moved, contents kept */
	CHECK(q != p && q);
	CHECK(!memcmp(q, "0123456789abcdefghi", 20));
	CHECK_EQ(ksize(q), 320);
	p = krealloc(q, 10, GFP_KERNEL);	/* shrink to another class: moved */
	CHECK(p && !memcmp(p, "0123456789", 10));
	CHECK_EQ(ksize(p), 16);
	q = krealloc(p, 40000, GFP_KERNEL | __GFP_ZERO);	/* to pages; new tail zeroed */
	CHECK(q && !memcmp(q, "0123456789", 10) && !q[39999] && !q[100]);
	CHECK_EQ(ksize(q), 65536);
	p = krealloc(q, 0, GFP_KERNEL);		/* 0: freed */
	CHECK(p == ZERO_SIZE_PTR);
	CHECK_EQ(kmalloc_large_bytes(), 0);
	/* Failure leaves the block alone. */
	p = kmalloc(64, GFP_KERNEL);
	CHECK(krealloc(p, KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_EQ(ksize(p), 64);
	kfree(p);
	CHECK_EQ(check_all(), 0);
}

/* ---- classes and alignment ---- */

static unsigned long pow2_divisor(unsigned long n)
{
	return n & -n;
}

static void test_classes_and_alignment(void)
{
	size_t prev = 0;

	mm_plain();
	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		size_t c = kmalloc_size_roundup(size);
		struct kmem_cache *s = kmalloc_cache(size);

		CHECK(c >= size);
		CHECK(c >= prev);
		/* No request of more than 32 bytes wastes a fifth of its object. */
		if (size > 32 && (c - size) * 5 >= c) {
			printf("# size %zu -> class %zu\n", size, c);
			CHECK(!"class too big");
			break;
		}
		CHECK(s != NULL);
		prev = c;
	}
	CHECK_EQ(kmalloc_size_roundup(96), 96);
	CHECK_EQ(kmalloc_size_roundup(192), 192);
	CHECK_EQ(kmalloc_size_roundup(8193), 16384);
	CHECK(kmem_cache_find("kmalloc-96") && kmem_cache_find("kmalloc-192"));
	CHECK(kmem_cache_find("kmalloc-8") && kmem_cache_find("kmalloc-8k"));
	CHECK(kmem_cache_find("kmalloc-1k") && !kmem_cache_find("kmalloc-1024"));

	/* Every object of every class: aligned to its largest power-of-two divisor. */
	for (size_t size = 8; size <= KMALLOC_MAX_CACHE_SIZE;) {
		size_t c = kmalloc_size_roundup(size);
		unsigned long want = min(max(pow2_divisor(c), 8UL), PAGE_SIZE);
		void *p[70];

		for (int i = 0; i < 70; i++) {
			p[i] = kmalloc(c, GFP_KERNEL);
			CHECK(p[i] && !((unsigned long)p[i] & (want - 1)));
			CHECK_EQ(ksize(p[i]), c);
		}
		for (int i = 0; i < 70; i++)
			kfree(p[i]);
		size = c + 1;
	}
	CHECK_EQ(check_all(), 0);
}

/* ---- slabs go back ---- */

static void test_empty_slabs_return(void)
{
	struct kmem_cache *s;
	struct slab_stats st;
	unsigned long before;
	static void *p[20000];

	mm_plain();
	before = free_pages_now();
	for (int i = 0; i < 20000; i++)
		p[i] = kmalloc(24 + (i % 3) * 100, GFP_KERNEL);
	CHECK(free_pages_now() < before - 100);
	for (int i = 0; i < 20000; i++)
		kfree(p[i]);
	/*
	 * What stays: at most min_partial (2) empty slabs per cache, the cpu
	 * slab, and the slabs of the at most 32 objects on the remote list.
	 */
	s = kmalloc_cache(24);
	kmem_cache_stats(s, &st);
	CHECK_EQ(st.active_objs, 0);
	CHECK(st.num_slabs <= 3 + 32);
	CHECK(free_pages_now() >= before - 3 * (3 + 32) * 2);
	for (struct kmem_cache *c = kmem_cache_next(NULL); c; c = kmem_cache_next(c))
		kmem_cache_shrink(c);
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(slab_total_bytes(), 0);
	CHECK_EQ(check_all(), 0);
}

/* ---- kmem_cache_create/destroy ---- */

static int ctor_calls;
static void ctor(void *x)
{
	ctor_calls++;
	memset(x, 0x5c, 40);
}

static void test_cache_create_destroy(void)
{
	struct kmem_cache *s, *t;
	struct slab_stats st;
	unsigned char *a, *b;
	unsigned long before;

	mm_plain();
	before = free_pages_now();
	CHECK(kmem_cache_create("", 32, 0, 0, NULL) == NULL);
	CHECK(kmem_cache_create("has space", 32, 0, 0, NULL) == NULL);
	CHECK(kmem_cache_create("ok", 0, 0, 0, NULL) == NULL);
	CHECK(kmem_cache_create("ok", 32, 3, 0, NULL) == NULL);
	CHECK(kmem_cache_create("ok", KMALLOC_MAX_CACHE_SIZE + 1, 0, 0, NULL) == NULL);
	CHECK(kmem_cache_create("kmalloc-64", 32, 0, 0, NULL) == NULL);	/* taken */
	s = kmem_cache_create("request", 40, 64, 0, ctor);
	CHECK(s != NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(a && !((unsigned long)a & 63));
	CHECK(a[0] == 0x5c && a[39] == 0x5c);	/* constructed, free pointer outside */
	CHECK(ctor_calls > 1);
	b = kmem_cache_zalloc(s, GFP_KERNEL);
	CHECK(b && !b[0] && !b[39]);
	kmem_cache_stats(s, &st);
	CHECK_EQ(st.active_objs, 2);
	CHECK_EQ(st.objsize, 64);
	host_log_clear();
	CHECK_EQ(kmem_cache_destroy(s), -EBUSY);	/* live objects: kept, reported */
	CHECK(strstr(host_log, "BUG request (Not tainted): Objects remaining"));
	CHECK(kmem_cache_find("request") == s);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	CHECK_EQ(kmem_cache_destroy(s), 0);
	CHECK(kmem_cache_find("request") == NULL);
	CHECK_EQ(free_pages_now(), before);
	t = kmem_cache_create("request", 40, 0, 0, NULL);	/* the name is free again */
	CHECK(t != NULL);
	CHECK_EQ(kmem_cache_destroy(t), 0);
	CHECK_EQ(kmem_cache_destroy(NULL), 0);
	CHECK_EQ(check_all(), 0);
}

/* ---- randomized ---- */

static u64 rng = 88172645463325252ULL;
static u64 next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct live {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

static void random_run(int steps, int max_live)
{
	struct live *l = calloc((size_t)max_live, sizeof(*l));
	int n = 0;

	for (int step = 0; step < steps; step++) {
		bool alloc = n < max_live && (n == 0 || next_rand() % 100 < 55);

		if (alloc) {
			u64 r = next_rand();
			size_t size = r % 5 == 0 ? 1 + r % 20000 : 1 + r % 1100;

			l[n].p = kmalloc(size, r & 1 ? GFP_KERNEL : GFP_KERNEL | __GFP_ZERO);
			CHECK(l[n].p != NULL);
			if (!l[n].p)
				break;
			if (!(r & 1))
				CHECK(!l[n].p[0] && !l[n].p[size - 1]);
			l[n].size = size;
			l[n].tag = (unsigned char)step;
			memset(l[n].p, l[n].tag, size);
			n++;
		} else {
			int i = (int)(next_rand() % (u64)n);

			/* No other object wrote over this one. */
			CHECK(l[i].p[0] == l[i].tag && l[i].p[l[i].size - 1] == l[i].tag);
			kfree(l[i].p);
			l[i] = l[--n];
		}
		if (step % 5000 == 0)
			CHECK_EQ(check_all(), 0);
	}
	while (n)
		kfree(l[--n].p);
	free(l);
	CHECK_EQ(check_all(), 0);
}

static void test_random(void)
{
	unsigned long before;

	mm_plain();
	before = free_pages_now();
	random_run(60000, 3000);
	for (struct kmem_cache *c = kmem_cache_next(NULL); c; c = kmem_cache_next(c))
		kmem_cache_shrink(c);
	CHECK_EQ(free_pages_now(), before);
}

static void test_random_debug_owner(void)
{
	mm_setup("slab_debug=FZPU page_owner=on");
	random_run(20000, 1000);
	CHECK(!strstr(host_log, "BUG "));
	mm_plain();
}

/* ---- bad frees: refused, reported, nothing changed ---- */

static void stats_of(const char *name, struct slab_stats *st)
{
	kmem_cache_stats(kmem_cache_find(name), st);
}

static void test_bad_frees(void)
{
	struct slab_stats a, b;
	static u64 not_heap;
	unsigned char *p, *q, *r;
	struct page *page;

	mm_plain();
	p = kmalloc(64, GFP_KERNEL);
	q = kmalloc(64, GFP_KERNEL);
	r = kmalloc(64, GFP_KERNEL);
	stats_of("kmalloc-64", &a);

	/* Double free of the last object freed (the cpu freelist's head). */
	kfree(q);
	host_log_clear();
	kfree(q);
	CHECK(strstr(host_log, "BUG kmalloc-64 (Not tainted): Object already free"));
	CHECK(strstr(host_log, "FIX kmalloc-64: Object at 0x"));
	CHECK_EQ(check_all(), 0);

	/* A pointer into the middle of an object (fast path included). */
	host_log_clear();
	kfree(p + 8);
	CHECK(strstr(host_log, "Invalid object pointer"));
	CHECK(strstr(host_log, "not freed"));
	CHECK_EQ(check_all(), 0);

	/* Free into the wrong cache. */
	host_log_clear();
	kmem_cache_free(kmalloc_cache(128), r);
	CHECK(strstr(host_log, "Wrong slab cache. kmalloc-128 but object is from kmalloc-64"));

	/* Not from kmalloc at all: a static, a page, a tail of a large block, outside RAM. */
	host_log_clear();
	kfree(&not_heap);
	CHECK(strstr(host_log, "not a kmalloc()ed object"));
	page = alloc_pages(GFP_KERNEL, 0);
	host_log_clear();
	kfree(page_address(page));
	CHECK(strstr(host_log, "not a kmalloc()ed object"));
	CHECK_EQ(page_ref_count(page), 1);	/* still the caller's */
	__free_pages(page, 0);
	q = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	host_log_clear();
	kfree(q + PAGE_SIZE);
	CHECK(strstr(host_log, "inside a large kmalloc block"));
	kfree(q);
	host_log_clear();
	kfree((void *)0x12345678);
	CHECK(strstr(host_log, "Invalid pointer 0x12345678"));

	/* Nothing changed: p and r still live, counts as before less q. */
	stats_of("kmalloc-64", &b);
	CHECK_EQ(b.active_objs, a.active_objs - 1);
	kfree(p);
	kfree(r);
	stats_of("kmalloc-64", &b);
	CHECK_EQ(b.active_objs, a.active_objs - 3);
	CHECK_EQ(check_all(), 0);
}

/* Double free in a slab that is no longer the cpu slab, with owners: exact. */
static void test_double_free_partial_owner(void)
{
	void *p[300];
	struct slab_stats a, b;

	mm_setup("slab_owner=on");
	for (int i = 0; i < 300; i++)
		p[i] = kmalloc(100, GFP_KERNEL);
	kfree(p[5]);
	kfree(p[7]);
	stats_of("kmalloc-112", &a);
	host_log_clear();
	kfree(p[5]);	/* not the freelist head: only the owner record knows */
	CHECK(strstr(host_log, "BUG kmalloc-112 (Not tainted): Object already free"));
	CHECK(strstr(host_log, "Allocated in "));
	CHECK(strstr(host_log, "Freed in "));
	stats_of("kmalloc-112", &b);
	CHECK_EQ(b.active_objs, a.active_objs);
	for (int i = 0; i < 300; i++)
		if (i != 5 && i != 7)
			kfree(p[i]);
	CHECK_EQ(check_all(), 0);
	mm_plain();
}

/* ---- debug checks ---- */

/*
 * The report's hex dump, line by line: 16 bytes in hex, then as text with
 * anything not printable ASCII (below 0x20, 0x7f and up) as '.'.
 */
static void test_debug_hex_dump(void)
{
	static const unsigned char bytes[16] = { 0x1f, 0x20, 0x41, 0x7d, 0x7e, 0x7f, 0x80, 0xff,
						 0x00, 'f', 'e', 'r', 'r', 'e', 't', '.' };
	unsigned char *p;
	char want[160];

	mm_setup("slab_debug=FZ,kmalloc-64");
	p = kmalloc(64, GFP_KERNEL);
	memcpy(p, bytes, sizeof(bytes));
	memset(p + 16, '~', 48);
	p[64] = 0x12;
	host_log_clear();
	kfree(p);
	snprintf(want, sizeof(want), "\nObject   %016lx: 1f 20 41 7d 7e 7f 80 ff 00 66 65 72 72 65 74 "
		 "2e  . A}~....ferret.\n", (unsigned long)p);
	CHECK(strstr(host_log, want) != NULL);
	snprintf(want, sizeof(want), "\nObject   %016lx: 7e 7e 7e 7e 7e 7e 7e 7e 7e 7e 7e 7e 7e 7e "
		 "7e 7e  ~~~~~~~~~~~~~~~~\n", (unsigned long)p + 48);
	CHECK(strstr(host_log, want) != NULL);
	snprintf(want, sizeof(want), "\nRedzone  %016lx: 12 cc ", (unsigned long)p + 64);
	CHECK(strstr(host_log, want) != NULL);
	if (htest_case_failed)
		printf("# %s", host_log);
	CHECK_EQ(check_all(), 0);

	/* Without red zones the trailer shows the object, and no red zone at all. */
	mm_setup("slab_debug=FP,kmalloc-64");
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	p[3] = 0x42;			/* written after the free */
	host_log_clear();
	kfree(kmalloc(64, GFP_KERNEL));
	CHECK(strstr(host_log, "[Poison overwritten] 0x"));
	snprintf(want, sizeof(want), "\nObject   %016lx: 6b 6b 6b 42 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b "
		 "6b 6b  kkkBkkkkkkkkkkkk\n", (unsigned long)p);
	CHECK(strstr(host_log, want) != NULL);
	CHECK(!strstr(host_log, "Redzone"));
	if (htest_case_failed)
		printf("# %s", host_log);
	CHECK_EQ(check_all(), 0);
	mm_plain();
}

static void test_debug_redzone_poison(void)
{
	unsigned char *p;

	mm_setup("slab_debug=FZP,kmalloc-64");
	CHECK(kmem_cache_flags(kmalloc_cache(64)) & SLAB_RED_ZONE);
	CHECK(!(kmem_cache_flags(kmalloc_cache(128)) & SLAB_RED_ZONE));

	/* Red zones: 0xcc around a live object, 0xbb around a free one; poison 0x6b..0xa5. */
	p = kmalloc(64, GFP_KERNEL);
	CHECK(p[-1] == 0xcc && p[64] == 0xcc);
	kfree(p);
	CHECK(p[-1] == 0xbb && p[64] == 0xbb);
	CHECK(p[0] == 0x6b && p[62] == 0x6b && p[63] == 0xa5);

	/* One byte past the object: the right red zone, found at free, restored. */
	p = kmalloc(64, GFP_KERNEL);
	p[64] = 0x12;
	host_log_clear();
	kfree(p);
	CHECK(strstr(host_log, "[Right Redzone overwritten] 0x"));
	CHECK(strstr(host_log, "First byte 0x12 instead of 0xcc"));
	CHECK(strstr(host_log, "BUG kmalloc-64 (Not tainted): Object corrupt"));
	CHECK(strstr(host_log, "Redzone  "));
	CHECK(strstr(host_log, "Object   "));
	CHECK(strstr(host_log, "FIX kmalloc-64: Restoring Right Redzone 0x"));

	/* Past kmalloc(58)'s bytes but inside its 64-byte object. */
	p = kmalloc(58, GFP_KERNEL);
	CHECK_EQ(ksize(p), 64);
	p[58] = 0x12;
	host_log_clear();
	kfree(p);
	CHECK(strstr(host_log, "[kmalloc Redzone overwritten] 0x"));
	CHECK(strstr(host_log, "@offset="));

	/* A write after free: the next allocation of that object finds it. */
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	p[10] = 0x42;
	host_log_clear();
	kfree(kmalloc(64, GFP_KERNEL));
	CHECK(strstr(host_log, "[Poison overwritten] 0x"));
	CHECK(strstr(host_log, "First byte 0x42 instead of 0x6b"));
	CHECK(strstr(host_log, "FIX kmalloc-64: Restoring Poison"));
	CHECK(strstr(host_log, "Freed in "));

	/* Double free and a validate pass with nothing wrong. */
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	host_log_clear();
	kfree(p);
	CHECK(strstr(host_log, "Object already free") || strstr(host_log, "Slab has 0 allocated"));
	{
		struct seq_buf_ctx ctx;
		struct seq_file m;

		seq_init_buf(&m, &ctx, out, sizeof(out));
		CHECK_EQ(slab_validate(&m, NULL), 0);
		if (strstr(out, "problem") && !strstr(out, " 0 problems"))
			printf("# %s", out);
		/* A corruption found by validate. */
		p = kmalloc(64, GFP_KERNEL);
		kfree(p);
		p[3] = 0;
		host_log_clear();
		seq_init_buf(&m, &ctx, out, sizeof(out));
		CHECK_EQ(slab_validate(&m, kmalloc_cache(64)), 1);
		CHECK(strstr(host_log, "Poison overwritten"));
		seq_init_buf(&m, &ctx, out, sizeof(out));
		CHECK_EQ(slab_validate(&m, kmalloc_cache(64)), 0);	/* restored */
	}
	CHECK_EQ(check_all(), 0);
	mm_plain();
}

/* Each check alone: a cache with F (or Z) only has no poison, and validate must not look for it. */
static void test_debug_checks_alone(void)
{
	static const char *const params[] = { "slab_debug=F,kmalloc-96", "slab_debug=Z,kmalloc-96" };

	for (unsigned int k = 0; k < ARRAY_SIZE(params); k++) {
		struct seq_buf_ctx ctx;
		struct seq_file m;
		void *p[8];

		mm_setup(params[k]);
		CHECK(!(kmem_cache_flags(kmalloc_cache(96)) & SLAB_POISON));
		for (int i = 0; i < 8; i++)
			p[i] = memset(kmalloc(96, GFP_KERNEL), 0x5c, 96);
		for (int i = 0; i < 8; i += 2)
			kfree(p[i]);	/* free objects keep their bytes: no poison */
		host_log_clear();
		seq_init_buf(&m, &ctx, out, sizeof(out));
		CHECK_EQ(slab_validate(&m, kmalloc_cache(96)), 0);
		CHECK(!strstr(host_log, "Poison"));
		for (int i = 1; i < 8; i += 2)
			kfree(p[i]);
		CHECK_EQ(check_all(), 0);
	}
	mm_plain();
}

/* check_cache()'s count check names both counts. */
static void test_counter_violation_message(void)
{
	struct kmem_cache *s;
	struct slab *slab;
	void *x[3];
	char want[160];
	u16 inuse;

	mm_plain();
	s = kmem_cache_create("count_check", 100, 0, 0, NULL);
	CHECK(s != NULL);
	for (int i = 0; i < 3; i++)
		x[i] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_shrink(s);	/* the cpu slab goes back to the partial list */
	slab = (struct slab *)(unsigned long)compound_head(virt_to_page(x[0]))->private;
	CHECK(!slab->frozen && slab->inuse == 3);
	inuse = slab->inuse;
	slab->inuse = 1;	/* the counter lies: 3 objects are out */
	{
		struct seq_buf_ctx ctx;
		struct seq_file m;

		seq_init_buf(&m, &ctx, out, sizeof(out));
		CHECK(mm_check_invariants(&m) > 0);
		snprintf(want, sizeof(want), "count_check: slab 0x%lx: %u free objects, counter says %u",
			 slab->base, slab->objects - 3, slab->objects - 1);
		CHECK(strstr(out, want) != NULL);
		if (!strstr(out, want))
			printf("# want %s in:\n%s", want, out);
	}
	slab->inuse = inuse;
	CHECK_EQ(check_all(), 0);
	for (int i = 0; i < 3; i++)
		kmem_cache_free(s, x[i]);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

static void test_debug_param(void)
{
	CHECK_EQ(slab_param("slab_debug=Q"), -1);
	{
		/* A cache list of 95 characters fits the rule's 96 bytes; 96 do not. */
		char opt[160];

		snprintf(opt, sizeof(opt), "slab_debug=F,kmalloc-8%.86s", "*,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		CHECK_EQ(strlen(opt) - strlen("slab_debug=F,"), 95);
		CHECK_EQ(slab_param(opt), 0);
		snprintf(opt, sizeof(opt), "slab_debug=F,kmalloc-8%.87s", "*,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		CHECK_EQ(slab_param(opt), -1);
	}
	CHECK_EQ(slab_param("slab_debug=F,"), -1);
	CHECK_EQ(slab_param("slub_debug=FZ,kmalloc-1*;P,kmalloc-64"), 0);
	mm_setup("");
	CHECK_EQ(kmem_cache_flags(kmalloc_cache(100)) & SLAB_DEBUG_FLAGS,
		 SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK_EQ(kmem_cache_flags(kmalloc_cache(64)) & SLAB_DEBUG_FLAGS, SLAB_POISON);
	CHECK_EQ(kmem_cache_flags(kmalloc_cache(8)) & SLAB_DEBUG_FLAGS, 0);
	CHECK_EQ(slab_param("console=ttyAMA0 slub_debug"), 0);	/* bare: everything */
	mm_setup("");
	CHECK_EQ(kmem_cache_flags(kmalloc_cache(8)) & (SLAB_DEBUG_FLAGS | SLAB_STORE_USER),
		 SLAB_DEBUG_FLAGS | SLAB_STORE_USER);
	CHECK_EQ(slab_param("slab_owner=maybe"), -1);
	CHECK_EQ(slab_param("slab_min_partial=x"), -1);
	CHECK_EQ(slab_param("slab_min_partial="), -1);		/* empty */
	CHECK_EQ(slab_param("slab_min_partial=1234567890"), -1);	/* ten digits */
	CHECK_EQ(slab_param("slab_min_partial=65"), -1);		/* out of range */
	CHECK_EQ(slab_param("slab_min_partial=2"), 0);
	mm_plain();
}

/* ---- owners ---- */

static __noinline void *site_a(size_t n)
{
	return kmalloc(n, GFP_KERNEL);
}

static __noinline void *site_b(size_t n)
{
	return kmalloc(n, GFP_KERNEL);
}

static __noinline void free_site(void *p)
{
	kfree(p);
}

static const char *frame0(u32 handle)
{
	unsigned long e[16], size, off;

	if (!handle || !stack_depot_fetch(handle, e, 16))
		return "";
	return kallsyms_lookup(e[0], &size, &off) ?: "";
}

static void test_owner_records(void)
{
	struct slab_owner_info o;
	struct seq_buf_ctx ctx;
	struct seq_file m;
	void *a[10], *b;

	mm_setup("slab_owner=on");
	CHECK(page_owner_inited);	/* slab_owner=on brings page owners */
	for (int i = 0; i < 10; i++)
		a[i] = site_a(40);
	b = site_b(100);
	CHECK_EQ(slab_owner_get(a[3], &o), 0);
	CHECK(o.live);
	CHECK_EQ(o.size, 40);
	CHECK_EQ(o.waste, 0);
	CHECK(!strcmp(frame0(o.handle), "site_a"));
	CHECK_EQ(o.free_handle, 0);
	CHECK_EQ(slab_owner_get((char *)b + 50, &o), 0);	/* inside the object */
	CHECK(o.object == b);
	CHECK_EQ(o.size, 100);
	CHECK_EQ(o.waste, 12);
	CHECK(!strcmp(frame0(o.handle), "site_b"));
	{
		/* Freed from another context: the record keeps who freed it. */
		int pid = task_ctx_register("freer"), old = task_ctx_switch(pid);

		free_site(a[3]);
		task_ctx_switch(old);
		CHECK_EQ(slab_owner_get(a[3], &o), 0);
		CHECK_EQ(o.free_pid, pid);
		CHECK(o.pid != pid);
	}
	CHECK(!o.live);
	CHECK_EQ(o.size, 0);
	CHECK(!strcmp(frame0(o.free_handle), "free_site"));
	CHECK(!strcmp(frame0(o.handle), "site_a"));
	CHECK(o.free_ts_us >= o.ts_us);

	/* alloc_traces: 9 live from site_a, none wasted; kmalloc-112: 1 from site_b, waste 12. */
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(slab_owner_traces(&m, kmalloc_cache(40), true), 1);
	CHECK(!strncmp(out, "      9 site_a+0x", 17));
	CHECK(strstr(out, " pid=") && !strstr(out, "waste="));
	CHECK(strstr(out, "\n        site_a+0x"));
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(slab_owner_traces(&m, kmalloc_cache(100), true), 1);
	CHECK(!strncmp(out, "      1 site_b+0x", 17));
	CHECK(strstr(out, " waste=12/12 age="));
	/* free_traces of the live objects: never freed, except the slot a[3] had. */
	a[3] = site_a(40);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(slab_owner_traces(&m, kmalloc_cache(40), false), 2);
	CHECK(!strncmp(out, "      9 <not-available> age=", 28));
	CHECK(strstr(out, "      1 free_site+0x"));
	for (int i = 0; i < 10; i++)
		kfree(a[i]);
	kfree(b);
	CHECK_EQ(check_all(), 0);
	mm_plain();
}

static __noinline void *age_site(size_t n)
{
	return kmalloc(n, GFP_KERNEL);
}

/* alloc_traces' ages: milliseconds, rounded down; min/average/max, or one. */
static void test_owner_ages(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	void *x[3];

	static const u64 at_ns[3] = { 10000000000ULL, 10500000000ULL, 11000500000ULL };

	mm_setup("slab_owner=on");
	for (int i = 0; i < 3; i++) {
		host_fake_time_ns = at_ns[i];
		x[i] = age_site(700);		/* kmalloc-704: 4 bytes wasted each */
	}
	host_fake_time_ns = 12250000000ULL;	/* ages 2250, 1750 and 1249.5 ms */
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(slab_owner_traces(&m, kmalloc_cache(700), true), 1);
	CHECK(!strncmp(out, "      3 age_site+0x", 19));
	CHECK(strstr(out, " waste=12/4 age=1249/1749/2250 pid=0\n") != NULL);
	kfree(x[0]);
	kfree(x[2]);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(slab_owner_traces(&m, kmalloc_cache(700), true), 1);
	CHECK(!strncmp(out, "      1 age_site+0x", 19));
	CHECK(strstr(out, " waste=4/4 age=1750 pid=0\n") != NULL);
	if (htest_case_failed)
		printf("# %s", out);
	host_fake_time_ns = 0;
	kfree(x[1]);
	CHECK_EQ(check_all(), 0);
	mm_plain();
}

static __noinline void *site_c(size_t n)
{
	return kmalloc(n, GFP_KERNEL);
}

static long leaks(const char *since, int fmt)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, out, sizeof(out));
	return page_owner_leaks(&m, since, 0, (enum page_owner_format)fmt);
}

/* Leak reports count objects (and large kmallocs as objects), not their slab pages. */
static void test_object_leaks(void)
{
	void *a[3], *b, *c, *old;
	struct page *pg;
	char *line;

	mm_setup("slab_owner=on");
	old = site_a(40);	/* before the checkpoint: not a leak */
	{
		u64 ns, us;

		CHECK_EQ(page_owner_checkpoint("objs", &ns), 0);
		CHECK_EQ(page_owner_checkpoint_time("objs", &us), 0);
		CHECK_EQ(us * 1000, ns);
		CHECK_EQ(page_owner_checkpoint_time("no-such", &us), -1);
	}
	for (int i = 0; i < 3; i++)
		a[i] = site_a(40);
	b = site_b(100);
	c = site_c(20000);
	pg = alloc_pages(GFP_KERNEL, 1);	/* a page leak next to them */

	CHECK_EQ(leaks("objs", PAGE_OWNER_FMT_TEXT), 4);
	CHECK(strstr(out, "leaks since checkpoint 'objs' (ts "));
	CHECK(strstr(out, ": stacks holding at least 1 page or 1 object\n"));
	/* Pages first: only the order-1 block, no slab page. */
	CHECK(strstr(out, "\n2 pages in 1 blocks from "));
	CHECK(strstr(out, "1 stack, 2 pages in 1 blocks\n"));
	/* Objects, most bytes first: the large kmalloc, then site_a's, then site_b's. */
	line = strstr(out, "20000 bytes in 1 objects from ");
	CHECK(line && strstr(line, "\n site_c+0x"));
	line = strstr(out, "120 bytes in 3 objects from ");
	CHECK(line && strstr(line, "\n site_a+0x"));
	CHECK(strstr(out, "100 bytes in 1 objects from "));
	CHECK(strstr(out, "20000 bytes in 1 objects") < strstr(out, "120 bytes in 3 objects"));
	CHECK(strstr(out, "3 stacks, 20220 bytes in 5 objects\n"));

	/* A threshold of 2 objects hides site_b's and the large kmalloc's stacks, and says so. */
	{
		struct seq_buf_ctx c2;
		struct seq_file m2;

		seq_init_buf(&m2, &c2, out, sizeof(out));
		CHECK_EQ(page_owner_leaks(&m2, "objs", 2, PAGE_OWNER_FMT_TEXT), 2);
		CHECK(strstr(out, "1 stack, 120 bytes in 3 objects; 20100 bytes in 2 objects from "
			     "2 stacks below the threshold\n"));
	}

	/* pprof: one profile, objects and bytes; a block of pages is one object. */
	CHECK_EQ(leaks("objs", PAGE_OWNER_FMT_PPROF), 4);
	CHECK(!strncmp(out, "heap profile: 6: 28412 [6: 28412] @ heap_v2/1\n", 46));
	CHECK(strstr(out, "\n3: 120 [3: 120] @ 0x"));
	CHECK(strstr(out, "\n1: 8192 [1: 8192] @ 0x"));

	/* Folded: bytes for everything, as objects are tracked. */
	CHECK_EQ(leaks("objs", PAGE_OWNER_FMT_FOLDED), 4);
	CHECK(strstr(out, ";site_a 120\n"));
	CHECK(strstr(out, ";site_c 20000\n"));
	CHECK(strstr(out, " 8192\n"));

	/* As after a crash inside the allocator: a cache's lock is held (panic console). */
	{
		struct kmem_cache *k = kmalloc_cache(40);
		unsigned long flags;

		spin_lock_irqsave(&k->lock, flags);
		page_owner_set_lockless(true);
		CHECK_EQ(leaks("objs", PAGE_OWNER_FMT_TEXT), 4);
		CHECK(strstr(out, "120 bytes in 3 objects from "));
		page_owner_set_lockless(false);
		spin_unlock_irqrestore(&k->lock, flags);
	}

	/* Freed objects leave the report. */
	for (int i = 0; i < 3; i++)
		kfree(a[i]);
	kfree(c);
	leaks("objs", PAGE_OWNER_FMT_TEXT);
	CHECK(!strstr(out, "site_a"));
	CHECK(strstr(out, "1 stack, 100 bytes in 1 objects\n"));
	kfree(b);
	kfree(old);
	__free_pages(pg, 1);
	CHECK_EQ(check_all(), 0);
	mm_plain();
}

int main(void)
{
	ram = host_slab_ram(RAM_SIZE);
	if (!ram)
		return 2;
	RUN(test_zero_and_null);
	RUN(test_huge_and_overflow);
	RUN(test_kcalloc_kzalloc_zero);
	RUN(test_krealloc);
	RUN(test_classes_and_alignment);
	RUN(test_empty_slabs_return);
	RUN(test_cache_create_destroy);
	RUN(test_random);
	RUN(test_bad_frees);
	RUN(test_double_free_partial_owner);
	RUN(test_debug_redzone_poison);
	RUN(test_debug_hex_dump);
	RUN(test_owner_ages);
	RUN(test_debug_param);
	RUN(test_debug_checks_alone);
	RUN(test_counter_violation_message);
	RUN(test_owner_records);
	RUN(test_random_debug_owner);
	RUN(test_object_leaks);
	return HTEST_DONE();
}
