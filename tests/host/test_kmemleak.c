// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the conservative leak scan (mm/kmemleak.c) on the real page
 * and object allocators: exactly what is reported for graphs of objects
 * and blocks reachable from a root range (start and interior pointers,
 * chains, cycles, fan-outs that overflow the grey stack), with slab debug
 * layouts and object owners on and off; the marks; free objects on every
 * free list never reported; -ENOMEM and a stop leaving the allocator as it
 * was; the report's text byte for byte; `leaks --unreferenced` aggregated
 * per stack.
 *
 * Here the roots are only the test's own range: the host stack is not one.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <ferret/errno.h>
#include <ferret/gfp.h>
#include <ferret/kmemleak.h>
#include <ferret/mm.h>
#include <ferret/mmzone.h>
#include <ferret/page_owner.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>

#include <ferret/stacktrace.h>

#include "host_kernel.h"
#include "htest.h"

#define RAM_PHYS	0x40000000UL
#define RAM_SIZE	(64UL << 20)
#define MAX_FOUND	4096

static char *ram;
static char out[1 << 20];
extern struct unwind_memo_set so_alloc_memo[NR_CPUS];	/* mm/slab_owner.c: each core its own */

/* The roots: a static array of words, as a firmware's data. */
static unsigned long root[1024];

static struct {
	unsigned long addr[MAX_FOUND];
	unsigned int n;
	unsigned long objects, blocks, bytes, pages;
	unsigned int stop_after, stop_calls;
} found;

static void mm_setup(const char *cmdline)
{
	host_quiet = true;
	host_track_stacks();
	kmemleak_reset();
	slab_param("slab_debug=- slab_owner=off");
	CHECK_EQ(slab_param(cmdline), 0);
	CHECK_EQ(host_mm_init(ram, RAM_PHYS, RAM_SIZE, cmdline), 0);
	host_log_clear();
	memset(root, 0, sizeof(root));
	/* The object owners' walk memos: a block their static state points to. */
	if (slab_objects_tracked())
		CHECK_EQ(kmemleak_add_root(&so_alloc_memo, sizeof(so_alloc_memo)), 0);
}

static unsigned long free_pages_now(void)
{
	drain_all_pages();
	return normal_zone.nr_free_pages;
}

static int check_all(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	int bad;

	seq_init_buf(&m, &ctx, out, sizeof(out));
	bad = mm_check_invariants(&m);
	if (bad)
		printf("# %s", out);
	return bad;
}

static void collect(void *arg, const struct kmemleak_object *o)
{
	if (found.n < MAX_FOUND)
		found.addr[found.n++] = o->addr;
	if (o->cache) {
		found.objects++;
		found.bytes += o->asked;
	} else {
		found.blocks++;
		found.pages += 1UL << o->order;
	}
}

static bool stop_when_told(void *arg)
{
	return found.stop_after && ++found.stop_calls >= found.stop_after;
}

static int scan_with(struct kmemleak_scan *sc)
{
	unsigned int stop_after = found.stop_after;

	memset(&found, 0, sizeof(found));
	found.stop_after = stop_after;
	memset(sc, 0, sizeof(*sc));
	sc->roots[0] = (struct kmemleak_range){ (unsigned long)root,
						(unsigned long)(root + ARRAY_SIZE(root)), "root" };
	sc->nr_roots = 1;
	sc->report = collect;
	sc->should_stop = stop_when_told;
	return kmemleak_scan(sc);
}

static int scan(void)
{
	struct kmemleak_scan sc;

	return scan_with(&sc);
}

static bool reported(const void *p)
{
	for (unsigned int i = 0; i < found.n; i++)
		if (found.addr[i] == (unsigned long)p)
			return true;
	return false;
}

static void *page_new(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);

	return page ? page_address(page) : NULL;
}

static void page_free(void *p, unsigned int order)
{
	__free_pages(virt_to_page(p), order);
}

/* ---- what is reported ---- */

static void graph_cases(const char *cmdline)
{
	void **a, **b, **c, **d, **e, **p, **q, **q2;
	unsigned long before;

	mm_setup(cmdline);
	a = kzalloc(64, GFP_KERNEL);
	b = kzalloc(200, GFP_KERNEL);
	c = kzalloc(24, GFP_KERNEL);
	d = kzalloc(8, GFP_KERNEL);
	e = kzalloc(3000, GFP_KERNEL);
	p = page_new(2);
	q = page_new(0);
	q2 = page_new(1);
	CHECK(a && b && c && d && e && p && q && q2);
	root[5] = (unsigned long)a;		/* root -> a */
	a[1] = b;				/* a -> b */
	b[7] = (char *)c + 23;			/* b -> c's last byte */
	c[0] = (char *)p + 3 * 4096 + 17;	/* c -> inside p's 4th page */
	c[1] = (char *)q2 + 4096 + 8;		/* c -> inside q2's 2nd page */
	d[0] = e;				/* d -> e, nothing -> d */
	e[10] = d;				/* e -> d: a lost cycle */
	q[100] = a;				/* a lost page pointing at a live object */
	CHECK_EQ(scan(), 0);
	CHECK(!reported(a) && !reported(b) && !reported(c) && !reported(p) && !reported(q2));
	CHECK(reported(d) && reported(e) && reported(q));
	CHECK_EQ(found.objects, 2);
	CHECK_EQ(found.blocks, 1);
	CHECK_EQ(found.pages, 1);
	/* One byte past c is not c: c, then p, are lost. */
	b[7] = (char *)c + 24;
	CHECK_EQ(scan(), 0);
	CHECK(reported(c) && reported(p) && reported(q2) && !reported(b));
	CHECK_EQ(found.objects, 3);
	CHECK_EQ(found.pages, 7);
	/* Everything freed: nothing left to report. */
	root[5] = 0;
	kfree(a);
	kfree(b);
	kfree(c);
	kfree(d);
	kfree(e);
	page_free(p, 2);
	page_free(q, 0);
	page_free(q2, 1);
	before = free_pages_now();
	CHECK_EQ(scan(), 0);
	CHECK_EQ(found.n, 0);
	CHECK_EQ(free_pages_now(), before);	/* the scan's state given back */
	CHECK_EQ(check_all(), 0);
}

static void test_graph_plain(void)
{
	graph_cases("");
}

static void test_graph_owners(void)
{
	graph_cases("page_owner=on slab_owner=on");
}

static void test_graph_debug(void)
{
	graph_cases("slab_debug=FZPU");
}

/* Free objects on the cpu freelist, the remote list and slab freelists are never reported. */
static void test_free_objects_not_reported(void)
{
	enum { N = 600 };
	static void *obj[N];

	mm_setup("");
	for (int i = 0; i < N; i++)
		obj[i] = kmalloc(32 + (i % 5) * 40, GFP_KERNEL);
	/* Free in an order that spreads frees over every list. */
	for (int i = 0; i < N; i += 3)
		kfree(obj[i]);
	for (int i = N - 1; i >= 0; i -= 3)
		kfree(obj[i]);
	for (int i = 0; i < N; i++)
		if (i % 3 && (N - 1 - i) % 3)
			root[i % 1024] = (unsigned long)obj[i];
	CHECK_EQ(scan(), 0);
	CHECK_EQ(found.n, 0);
	/* Drop the roots: exactly the live ones are reported. */
	memset(root, 0, sizeof(root));
	CHECK_EQ(scan(), 0);
	{
		unsigned long live = 0;

		for (int i = 0; i < N; i++)
			if (i % 3 && (N - 1 - i) % 3) {
				live++;
				CHECK(reported(obj[i]));
				kfree(obj[i]);
			}
		CHECK_EQ(found.objects, live);
	}
	CHECK_EQ(check_all(), 0);
}

/*
 * A free object is not scanned: what only a freed object points to is lost,
 * even with a root still pointing at the freed one (Linux forgets a freed
 * object; its bytes keep no one alive).
 */
static void test_free_object_not_scanned(void)
{
	void **f, *l;

	for (int debug = 0; debug < 2; debug++) {
		mm_setup(debug ? "slab_debug=FZU" : "");
		f = kzalloc(64, GFP_KERNEL);
		l = kmalloc(48, GFP_KERNEL);
		CHECK(f && l);
		for (int i = 0; i < 8; i++)
			f[i] = l;
		root[3] = (unsigned long)f;
		CHECK_EQ(scan(), 0);
		CHECK_EQ(found.n, 0);		/* root -> f -> l */
		kfree(f);
		CHECK(f[1] == l && f[7] == l);	/* the bytes are still there */
		CHECK_EQ(scan(), 0);
		CHECK_EQ(found.n, 1);
		CHECK(reported(l));
		CHECK_EQ(found.objects, 1);
		CHECK_EQ(found.bytes, 48);
		root[3] = 0;
		kfree(l);
		CHECK_EQ(check_all(), 0);
	}
}

/* Far more grey objects than the grey stack holds, and a long chain. */
static void test_fanout_and_chain(void)
{
	enum { FAN = 1000, CHAIN = 5000 };
	void **head = NULL, **fan;
	struct kmemleak_scan sc;

	mm_setup("");
	fan = kzalloc(FAN * sizeof(void *), GFP_KERNEL);
	for (int i = 0; i < FAN; i++)
		fan[i] = kmalloc(16, GFP_KERNEL);
	for (int i = 0; i < CHAIN; i++) {
		void **n = kmalloc(16, GFP_KERNEL);

		n[0] = head;
		n[1] = NULL;
		head = n;
	}
	root[0] = (unsigned long)fan;
	root[1] = (unsigned long)head;
	CHECK_EQ(scan_with(&sc), 0);
	CHECK_EQ(found.n, 0);
	CHECK(sc.st.overflows > 0);
	CHECK_EQ(sc.st.objects, 1 + FAN + CHAIN);
	/* Cut the chain in the middle: exactly the tail is lost. */
	{
		void **n = head;

		for (int i = 0; i < CHAIN / 2 - 1; i++)
			n = n[0];
		void **tail = n[0];

		n[0] = NULL;
		CHECK_EQ(scan(), 0);
		CHECK_EQ(found.objects, CHAIN - CHAIN / 2);
		n[0] = tail;
	}
	root[0] = root[1] = 0;
	CHECK_EQ(scan(), 0);
	CHECK_EQ(found.objects, 1 + FAN + CHAIN);
	CHECK_EQ(check_all(), 0);
}

/* ---- marks ---- */

/*
 * An ignore range that starts outside any object (in a red zone) still
 * covers the object it runs into.
 */
static void test_ignore_range_from_a_gap(void)
{
	struct kmem_cache *s;
	unsigned int n;
	char *x, *y;

	mm_setup("slab_debug=Z,kmalloc-64");
	s = kmalloc_cache(64);
	x = kmalloc(64, GFP_KERNEL);
	y = kmalloc(64, GFP_KERNEL);
	CHECK(x && y && s->red_left_pad >= 8);
	CHECK_EQ(kmemleak_ignore_range(y - 8, 16), 0);
	CHECK_EQ(scan(), 0);
	CHECK(reported(x) && !reported(y));
	n = found.n;
	CHECK_EQ(kmemleak_unmark((unsigned long)(y - 8)), 1);
	CHECK_EQ(scan(), 0);
	CHECK(reported(x) && reported(y));
	CHECK_EQ(found.n, n + 1);
	kfree(x);
	kfree(y);
	CHECK_EQ(check_all(), 0);
}

static void test_marks(void)
{
	void **a, **b, **c, **d, **p;
	static unsigned long extra[4];
	struct seq_buf_ctx ctx;
	struct seq_file m;

	mm_setup("");
	a = kzalloc(64, GFP_KERNEL);
	b = kzalloc(64, GFP_KERNEL);
	c = kzalloc(64, GFP_KERNEL);
	d = kzalloc(64, GFP_KERNEL);
	p = page_new(1);
	kmemleak_not_leak(a);		/* never reported, and a root */
	a[0] = b;
	CHECK_EQ(kmemleak_ignore_range((char *)p + 100, 10), 0);	/* overlaps p */
	p[0] = c;			/* p is not scanned: c is lost */
	kmemleak_ignore(d);
	CHECK_EQ(scan(), 0);
	CHECK(!reported(a) && !reported(b) && !reported(p) && !reported(d));
	CHECK(reported(c));
	CHECK_EQ(found.n, 1);
	/* no_scan on a as well: b is lost now. */
	kmemleak_no_scan(a);
	CHECK_EQ(scan(), 0);
	CHECK(reported(b) && !reported(a));
	/* A root range outside the allocator. */
	extra[2] = (unsigned long)c;
	CHECK_EQ(kmemleak_add_root(extra, sizeof(extra)), 0);
	CHECK_EQ(scan(), 0);
	CHECK(!reported(c));
	/* no_scan_range over the root range: it is no root any more. */
	CHECK_EQ(kmemleak_no_scan_range(&extra[2], 8), 0);
	CHECK_EQ(scan(), 0);
	CHECK(reported(c));
	seq_init_buf(&m, &ctx, out, sizeof(out));
	kmemleak_show_marks(&m);
	CHECK(strstr(out, "not_leak      0x") && strstr(out, "ignore_range  0x") &&
	      strstr(out, "(10 bytes)") && strstr(out, "6 marks,"));
	CHECK_EQ(kmemleak_unmark((unsigned long)a), 2);
	CHECK_EQ(kmemleak_unmark((unsigned long)a), 0);
	CHECK_EQ(kmemleak_unmark((unsigned long)d), 1);
	CHECK_EQ(kmemleak_unmark((unsigned long)((char *)p + 100)), 1);
	CHECK_EQ(kmemleak_unmark((unsigned long)extra), 1);
	CHECK_EQ(kmemleak_unmark((unsigned long)&extra[2]), 1);
	CHECK_EQ(scan(), 0);
	CHECK(reported(a) && reported(b) && reported(c) && reported(d) && reported(p));
	/* Bad marks and a full table. */
	CHECK_EQ(kmemleak_mark(NR_KMEMLEAK_MARKS, 0x1000, 1, false), -EINVAL);
	CHECK_EQ(kmemleak_mark(KMEMLEAK_ROOT, 0x1000, 0, false), -EINVAL);
	CHECK_EQ(kmemleak_mark(KMEMLEAK_ROOT, ~0UL - 3, 8, false), -EINVAL);
	{
		int added = 0, ret, free_slots = -1;
		const char *tail;

		/* Every free slot takes a mark, the first one too: as many as it says are free. */
		seq_init_buf(&m, &ctx, out, sizeof(out));
		kmemleak_show_marks(&m);
		tail = strstr(out, " marks, ");
		CHECK(tail && sscanf(tail, " marks, %d free", &free_slots) == 1);
		while ((ret = kmemleak_add_root((void *)(0x1000UL * (added + 1)), 8)) == 0)
			added++;
		CHECK_EQ(ret, -ENOSPC);
		CHECK(added > 0 && added < KMEMLEAK_MARKS);
		CHECK_EQ(added, free_slots);
		/* The same mark again replaces itself, even in a full table. */
		CHECK_EQ(kmemleak_add_root((void *)0x1000UL, 16), 0);
		for (int i = 0; i < added; i++)
			CHECK_EQ(kmemleak_unmark(0x1000UL * (i + 1)), 1);
	}
	/* A stale object mark: the object freed and its address given out again. */
	mm_setup("slab_owner=on");
	host_fake_time_ns = 1000000;
	a = kmalloc(64, GFP_KERNEL);
	kmemleak_not_leak(a);
	kfree(a);
	host_fake_time_ns += 5000;	/* the new allocation is stamped later */
	b = kmalloc(64, GFP_KERNEL);
	CHECK(a == b);	/* the cpu freelist hands the same object back */
	CHECK_EQ(scan(), 0);
	CHECK(reported(b));
	CHECK_EQ(kmemleak_unmark((unsigned long)a), 0);	/* dropped by the scan */
	kfree(b);
	host_fake_time_ns = 0;
	CHECK_EQ(check_all(), 0);
}

/* ---- failures leave everything as it was ---- */

static void test_stop_and_nomem(void)
{
	void *x;
	unsigned long before, calls;
	void *held[RAM_SIZE / 4096];
	unsigned int nheld = 0;
	struct page *pg;

	mm_setup("");
	x = kmalloc(100, GFP_KERNEL);
	before = free_pages_now();
	found.stop_after = ~0U;
	CHECK_EQ(scan(), 0);
	calls = found.stop_calls;
	CHECK(calls >= 3);
	for (unsigned int k = 0; k < 4; k++) {
		found.stop_after = 1 + (unsigned int)(calls * k / 4);
		CHECK_EQ(scan(), -EINTR);
		CHECK_EQ(free_pages_now(), before);
	}
	found.stop_after = 0;
	CHECK_EQ(scan(), 0);
	CHECK(reported(x));
	/* No memory for the state: -ENOMEM, nothing changed. */
	while ((pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		held[nheld++] = pg;
	CHECK_EQ(scan(), -ENOMEM);
	CHECK_EQ(found.n, 0);
	CHECK_EQ(free_pages_now(), 0);
	for (unsigned int i = 0; i < nheld; i++)
		__free_pages(held[i], 0);
	CHECK_EQ(free_pages_now(), before);
	kfree(x);
	CHECK_EQ(check_all(), 0);
}

/* ---- the report's text ---- */

static void test_report_format(void)
{
	struct kmemleak_object o = { 0 };
	struct seq_buf_ctx ctx;
	struct seq_file m;
	static unsigned char obj[40] __attribute__((aligned(8)));

	mm_setup("");
	for (unsigned int i = 0; i < sizeof(obj); i++)
		obj[i] = (unsigned char)(i * 7 + 0x20);
	o.addr = (unsigned long)obj;
	o.size = 40;
	seq_init_buf(&m, &ctx, out, sizeof(out));
	kmemleak_print_object(&m, &o, 0);
	{
		char want[1024];

		snprintf(want, sizeof(want),
			 "unreferenced object 0x%08lx (size 40):\n"
			 "  hex dump (first 32 bytes):\n"
			 "    20 27 2e 35 3c 43 4a 51 58 5f 66 6d 74 7b 82 89   '.5<CJQX_fmt{..\n"
			 "    90 97 9e a5 ac b3 ba c1 c8 cf d6 dd e4 eb f2 f9  ................\n"
			 "  backtrace (crc f1ca9222):\n", (unsigned long)obj);	/* zlib.crc32 */
		CHECK(!strcmp(out, want));
		if (strcmp(out, want))
			printf("# got:\n%s# want:\n%s", out, want);
	}
	/* A long age: whole seconds and milliseconds. */
	o.owner = true;
	o.pid = -1;
	o.ts_us = 1000;
	seq_init_buf(&m, &ctx, out, sizeof(out));
	kmemleak_print_object(&m, &o, 10000001000ULL + 7000);
	CHECK(strstr(out, "  comm \"unknown\", pid -1, jiffies 1 (age 10000.007s)\n") != NULL);
	/* A short object: one short line, the ASCII column where it always is. */
	o.size = 8;
	o.owner = true;
	o.pid = -1;
	o.ts_us = 2500000;
	o.handle = 0;
	seq_init_buf(&m, &ctx, out, sizeof(out));
	kmemleak_print_object(&m, &o, 4250000);
	{
		char want[1024];

		snprintf(want, sizeof(want),
			 "unreferenced object 0x%08lx (size 8):\n"
			 "  comm \"unknown\", pid -1, jiffies 2500 (age 1.750s)\n"
			 "  hex dump (first 8 bytes):\n"
			 "    20 27 2e 35 3c 43 4a 51                           '.5<CJQ\n"
			 "  backtrace (crc 1cf25bf0):\n", (unsigned long)obj);
		CHECK(!strcmp(out, want));
		if (strcmp(out, want))
			printf("# got:\n%s# want:\n%s", out, want);
	}
}

/* ---- leaks --unreferenced ---- */

/*
 * Zeroed: the host's "RAM" is reused from test to test, and stale words in
 * an object's unwritten bytes would be read like any other (a conservative
 * scan's false negatives; the target's RAM has them too).
 */
static __attribute__((noinline)) void *leak_site_a(void)
{
	return kzalloc(40, GFP_KERNEL);
}

static __attribute__((noinline)) void *leak_site_b(void)
{
	return page_new(1);
}

static void test_leaks_unreferenced(void)
{
	struct kmemleak_scan sc = { 0 };
	struct seq_buf_ctx ctx;
	struct seq_file m;
	void *keep;
	long n;

	mm_setup("page_owner=on slab_owner=on");
	for (int i = 0; i < 7; i++)
		leak_site_a();
	for (int i = 0; i < 3; i++)
		leak_site_b();
	keep = leak_site_a();
	root[0] = (unsigned long)keep;
	sc.roots[0] = (struct kmemleak_range){ (unsigned long)root,
					       (unsigned long)(root + ARRAY_SIZE(root)), "root" };
	sc.nr_roots = 1;
	seq_init_buf(&m, &ctx, out, sizeof(out));
	n = page_owner_leaks_unreferenced(&m, &sc, 0, PAGE_OWNER_FMT_TEXT);
	CHECK_EQ(n, 2);
	CHECK(strstr(out, "6 pages in 3 blocks from ") != NULL);
	CHECK(strstr(out, "280 bytes in 7 objects from ") != NULL);
	CHECK(strstr(out, "leak_site_a") && strstr(out, "leak_site_b"));
	CHECK_EQ(sc.st.leaked_objects, 7);
	CHECK_EQ(sc.st.leaked_blocks, 3);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	n = page_owner_leaks_unreferenced(&m, &sc, 0, PAGE_OWNER_FMT_FOLDED);
	CHECK(strstr(out, ";leak_site_b;page_new 24576\n") && strstr(out, ";leak_site_a 280\n"));
	/* Without owners the same leaks are found, under one "no owner" entry per kind. */
	mm_setup("");
	for (int i = 0; i < 7; i++)
		leak_site_a();
	seq_init_buf(&m, &ctx, out, sizeof(out));
	n = page_owner_leaks_unreferenced(&m, &sc, 0, PAGE_OWNER_FMT_TEXT);
	CHECK_EQ(n, 1);
	CHECK(strstr(out, "280 bytes in 7 objects from unknown\n [no owner record") != NULL);
}

/* kmemleak_clear(): later scans leave out what was allocated by then (owners give the ages). */
static void test_clear(void)
{
	struct kmemleak_scan sc;

	for (int owners = 0; owners < 2; owners++) {
		mm_setup(owners ? "page_owner=on slab_owner=on" : "");
		host_fake_time_ns = 1000000;
		for (int i = 0; i < 3; i++)
			kzalloc(56, GFP_KERNEL);
		if (owners)
			page_new(0);	/* page_owner's record gives the age */
		host_fake_time_ns += 5000;
		kmemleak_clear();
		host_fake_time_ns += 5000;
		for (int i = 0; i < 2; i++)
			kzalloc(56, GFP_KERNEL);
		CHECK_EQ(scan_with(&sc), 0);
		CHECK_EQ(found.objects, owners ? 2 : 5);
		CHECK_EQ(found.blocks, 0);
		CHECK_EQ(sc.st.cleared, owners ? 4 : 0);
		host_fake_time_ns = 0;
	}
	kmemleak_reset();
}

int main(void)
{
	ram = host_slab_ram(RAM_SIZE);
	if (!ram)
		return 2;
	RUN(test_graph_plain);
	RUN(test_graph_owners);
	RUN(test_graph_debug);
	RUN(test_free_objects_not_reported);
	RUN(test_free_object_not_scanned);
	RUN(test_fanout_and_chain);
	RUN(test_marks);
	RUN(test_ignore_range_from_a_gap);
	RUN(test_stop_and_nomem);
	RUN(test_report_format);
	RUN(test_leaks_unreferenced);
	RUN(test_clear);
	return HTEST_DONE();
}
