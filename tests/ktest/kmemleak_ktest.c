// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP suite "kmemleak": the conservative scan on the target, from the
 * kernel's real roots (image data and bss, the live boot stack and the
 * callers' registers). Each case builds a small graph of objects and pages
 * and checks exactly which of them the scan reports.
 *
 * The test must not itself hold what it wants reported: allocations come
 * from opaque helpers that hand back the address disguised (xor with
 * HIDE), so no register or stack slot of the test's frames holds it while
 * the scan runs. They are noipa, not only noinline: GCC would otherwise see
 * that unhide() is pure and keep one result in a callee-saved register
 * for a later call, where the scan would find it.
 */
#define __opaque	__attribute__((noipa))
#include <ferret/errno.h>
#include <ferret/gfp.h>
#include <ferret/kmemleak.h>
#include <ferret/ktest.h>
#include <ferret/mm.h>
#include <ferret/mmzone.h>
#include <ferret/slab.h>
#include <ferret/string.h>
#include <ferret/smp.h>
#include <asm/processor.h>

#define HIDE		((unsigned long)0x5a5a5a5a5a5a5a5aULL)	/* 0x5a5a5a5a with 32-bit words */
#define MAX_FOUND	256

struct found {
	unsigned long hidden[MAX_FOUND];	/* disguised too: a root while a later scan runs */
	unsigned int n;
	unsigned long objects, blocks, reports;
	unsigned int stop_after;		/* should_stop: true from this call on (0: never) */
	unsigned int stop_calls;
};

static struct found found;
/* The test's own roots: static variables the scan reads. */
static void *volatile kml_static;
static void *volatile kml_static2;

static void collect(void *arg, const struct kmemleak_object *o)
{
	struct found *f = arg;

	if (f->n < MAX_FOUND)
		f->hidden[f->n++] = o->addr ^ HIDE;
	f->reports++;
	if (o->cache)
		f->objects++;
	else
		f->blocks++;
}

static bool stop_when_told(void *arg)
{
	struct found *f = arg;

	return f->stop_after && ++f->stop_calls >= f->stop_after;
}

static long run(struct kmemleak_scan *sc, void *arg)
{
	sc->report = collect;
	sc->arg = arg;
	if (found.stop_after)
		sc->should_stop = stop_when_told;
	return kmemleak_scan(sc);
}

/*
 * Overwrite the stack below the caller: what the helpers left there (an
 * allocator's locals) would otherwise lie in the frames the scan reads.
 */
static __opaque void scrub_stack(void)
{
	volatile char junk[2048];

	for (unsigned int i = 0; i < sizeof(junk); i++)
		junk[i] = 0;
}

static __opaque int scan(void)
{
	struct kmemleak_scan sc = { 0 };
	unsigned int stop_after = found.stop_after;

	memset(&found, 0, sizeof(found));
	found.stop_after = stop_after;
	scrub_stack();
	return (int)kmemleak_scan_kernel(&sc, run, &found);
}

/* Was the block or object at disguised address @h reported? */
static bool reported(unsigned long h)
{
	for (unsigned int i = 0; i < found.n; i++)
		if (found.hidden[i] == h)
			return true;
	return false;
}

static __opaque unsigned long obj_new(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL | __GFP_ZERO);

	return p ? (unsigned long)p ^ HIDE : 0;
}

static __opaque void obj_free(unsigned long h)
{
	kfree((void *)(h ^ HIDE));
}

/*
 * Blocks page_new() passed over, held (this array is a root, so they are not
 * leaks) until the next page_free(). Where RAM starts at 0 (a Pi), a block in
 * the first 64 MiB has an address that reads like a small number, and some
 * static word (a time in microseconds, a counter) may hold such a number and
 * refer to it by accident; the scan is conservative, so the tests' blocks
 * come from above.
 */
#define LOW_ADDR	(64UL << 20)
static struct { struct page *page; unsigned int order; } passed_over[64];
static unsigned int nr_passed_over;

static __opaque unsigned long page_new(unsigned int order)
{
	struct page *page;

	while ((page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order)) &&
	       (unsigned long)page_address(page) < LOW_ADDR && nr_passed_over < 64) {
		passed_over[nr_passed_over].page = page;
		passed_over[nr_passed_over++].order = order;
	}
	return page ? (unsigned long)page_address(page) ^ HIDE : 0;
}

static __opaque void page_free(unsigned long h, unsigned int order)
{
	__free_pages(virt_to_page((void *)(h ^ HIDE)), order);
	while (nr_passed_over) {
		nr_passed_over--;
		__free_pages(passed_over[nr_passed_over].page, passed_over[nr_passed_over].order);
	}
}

/* Store the real address of @target (+ @off) into word @word of the object @h. */
static __opaque void link(unsigned long h, unsigned int word, unsigned long target, long off)
{
	((unsigned long *)(h ^ HIDE))[word] = (target ^ HIDE) + (unsigned long)off;
}

static __opaque void *unhide(unsigned long h)
{
	return (void *)(h ^ HIDE);
}

static void kmemleak_lost_object_and_block_reported(struct ktest *t)
{
	unsigned long o = obj_new(48), p = page_new(1);

	KTEST_ASSERT_TRUE(t, o && p);
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, reported(o));
	KTEST_EXPECT_TRUE(t, reported(p));
	obj_free(o);
	page_free(p, 1);
	/* Freed: gone from the next report. */
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(o));
	KTEST_EXPECT_TRUE(t, !reported(p));
}

static void kmemleak_static_variable_is_a_root(struct ktest *t)
{
	unsigned long o = obj_new(100), p = page_new(0);

	KTEST_ASSERT_TRUE(t, o && p);
	kml_static = unhide(o);
	kml_static2 = unhide(p);
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(o));
	KTEST_EXPECT_TRUE(t, !reported(p));
	kml_static = kml_static2 = NULL;
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, reported(o));
	KTEST_EXPECT_TRUE(t, reported(p));
	obj_free(o);
	page_free(p, 0);
}

static __opaque void hold_on_stack_and_scan(struct ktest *t, unsigned long h)
{
	void *volatile slot = unhide(h);	/* in this frame's memory, nowhere else */

	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(h));
	KTEST_EXPECT_TRUE(t, slot == unhide(h));
}

static __opaque void hold_in_local_and_scan(struct ktest *t, unsigned long h)
{
	void *p = unhide(h);

	/* Kept live across the call: in a callee-saved register or a stack slot. */
	asm volatile("" : "+r"(p));
	KTEST_EXPECT_EQ(t, scan(), 0);
	asm volatile("" : : "r"(p));
	KTEST_EXPECT_TRUE(t, !reported(h));
}

static void kmemleak_stack_and_register_are_roots(struct ktest *t)
{
	unsigned long a = obj_new(64), b = obj_new(64);

	KTEST_ASSERT_TRUE(t, a && b);
	hold_on_stack_and_scan(t, a);
	hold_in_local_and_scan(t, b);
	obj_free(a);
	obj_free(b);
}

/* Another core holds an object in a local while this one scans. */
struct holder {
	unsigned long h;
	volatile int ready, release;
};

static __opaque void hold_on_other_core(void *arg)
{
	struct holder *w = arg;
	void *volatile p = unhide(w->h);	/* in this core's stack frame only */

	w->ready = 1;
	while (!w->release && !smp_stop_requested() && p)
		cpu_relax();
}

static void kmemleak_other_cores_stacks_are_roots(struct ktest *t)
{
	struct holder w = { 0 };
	unsigned int cpu, other = NR_CPUS;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id() && other == NR_CPUS && !smp_work_busy(cpu))
			other = cpu;
	if (other == NR_CPUS)
		return;		/* one core online: nothing to hold it elsewhere */
	w.h = obj_new(80);
	KTEST_ASSERT_TRUE(t, w.h);
	KTEST_ASSERT_TRUE(t, !smp_work_start(other, hold_on_other_core, &w, "ktest kmemleak"));
	while (!w.ready)
		cpu_relax();
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(w.h));	/* the other core's live stack is a root */
	w.release = 1;
	smp_work_wait(other);
	/* Its frame is gone (below the idle core's sp now): a leak. */
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, reported(w.h));
	obj_free(w.h);
}

static void kmemleak_object_to_object_and_interior(struct ktest *t)
{
	unsigned long a = obj_new(64), b = obj_new(200), c = obj_new(32), p = page_new(2);

	KTEST_ASSERT_TRUE(t, a && b && c && p);
	kml_static = unhide(a);		/* root -> a */
	link(a, 0, b, 0);		/* a -> b (its start) */
	link(b, 3, c, 31);		/* b -> the last byte of c */
	link(c, 1, p, 3 * PAGE_SIZE + 100);	/* c -> inside the 4th page of p */
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(a) && !reported(b) && !reported(c) && !reported(p));
	/* Just past c's end is not c. */
	link(b, 3, c, 32);
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(a) && !reported(b));
	KTEST_EXPECT_TRUE(t, reported(c) && reported(p));
	kml_static = NULL;
	obj_free(a);
	obj_free(b);
	obj_free(c);
	page_free(p, 2);
}

static void kmemleak_lost_cycle_reported(struct ktest *t)
{
	unsigned long a = obj_new(48), b = obj_new(48), p = page_new(0);

	KTEST_ASSERT_TRUE(t, a && b && p);
	link(a, 0, b, 0);
	link(b, 0, a, 8);
	link(b, 1, p, 0);
	link(p, 0, a, 0);
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, reported(a) && reported(b) && reported(p));
	obj_free(a);
	obj_free(b);
	page_free(p, 0);
}

static void kmemleak_marks(struct ktest *t)
{
	unsigned long a = obj_new(64), b = obj_new(64), c = obj_new(64), p = page_new(0);

	KTEST_ASSERT_TRUE(t, a && b && c && p);
	/* not_leak: a is never reported, and still scanned (b is reachable). */
	kmemleak_not_leak(unhide(a));
	link(a, 0, b, 0);
	/* ignore_range over p (a DMA buffer): not reported, not scanned (c is lost). */
	KTEST_EXPECT_EQ(t, kmemleak_ignore_range(unhide(p), PAGE_SIZE), 0);
	link(p, 0, c, 0);
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(a));
	KTEST_EXPECT_TRUE(t, !reported(b));
	KTEST_EXPECT_TRUE(t, !reported(p));
	KTEST_EXPECT_TRUE(t, reported(c));
	/* no_scan on a: reported nowhere (not_leak stays), b now lost. */
	kmemleak_no_scan(unhide(a));
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(a) && reported(b));
	/* A root mark: memory outside the allocator that holds pointers. */
	KTEST_EXPECT_EQ(t, kmemleak_unmark((unsigned long)unhide(p)), 1);
	KTEST_EXPECT_EQ(t, kmemleak_add_root(unhide(p), 8), 0);
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, !reported(c));
	KTEST_EXPECT_TRUE(t, reported(p));	/* a root range is not a reference to p */
	KTEST_EXPECT_EQ(t, kmemleak_unmark((unsigned long)unhide(p)), 1);
	KTEST_EXPECT_EQ(t, kmemleak_unmark((unsigned long)unhide(a)), 2);
	KTEST_EXPECT_EQ(t, kmemleak_unmark((unsigned long)unhide(a)), 0);
	KTEST_EXPECT_EQ(t, kmemleak_mark(NR_KMEMLEAK_MARKS, 0x1000, 1, false), -EINVAL);
	KTEST_EXPECT_EQ(t, kmemleak_mark(KMEMLEAK_ROOT, ~0UL - 4, 16, false), -EINVAL);
	obj_free(a);
	obj_free(b);
	obj_free(c);
	page_free(p, 0);
}

static void kmemleak_stop_changes_nothing(struct ktest *t)
{
	unsigned long a = obj_new(64);
	unsigned long free_before = normal_zone.nr_free_pages + pcp_count(&normal_zone);

	unsigned int calls;

	KTEST_ASSERT_TRUE(t, a);
	/* How often a whole scan asks, then stop it at the first, a third, two thirds. */
	found.stop_after = ~0U;
	KTEST_EXPECT_EQ(t, scan(), 0);
	calls = found.stop_calls;
	KTEST_EXPECT_TRUE(t, calls >= 3);
	for (unsigned int k = 0; k < 3; k++) {
		found.stop_after = 1 + calls * k / 3;
		KTEST_EXPECT_EQ(t, scan(), -EINTR);
		KTEST_EXPECT_TRUE(t, k || !found.reports);
		KTEST_EXPECT_EQ(t, normal_zone.nr_free_pages + pcp_count(&normal_zone),
				free_before);
	}
	found.stop_after = 0;
	KTEST_EXPECT_EQ(t, scan(), 0);
	KTEST_EXPECT_TRUE(t, reported(a));
	KTEST_EXPECT_EQ(t, normal_zone.nr_free_pages + pcp_count(&normal_zone), free_before);
	obj_free(a);
}

/* Linked after the data, read only: never a root (kernel/kallsyms.c). */
extern const char kallsyms_names[];
extern char __tdata_start[];

static long check_roots(struct kmemleak_scan *sc, void *arg)
{
	unsigned long names = (unsigned long)kallsyms_names, tls = (unsigned long)__tdata_start;
	unsigned int *bad = arg;

	for (unsigned int i = 0; i < sc->nr_roots; i++) {
		const struct kmemleak_range *r = &sc->roots[i];

		if ((names >= r->start && names < r->end) || (tls >= r->start && tls < r->end))
			(*bad)++;
	}
	return sc->nr_roots;
}

/*
 * The symbol table's name strings read as addresses on a board with RAM at
 * 0 ("div\0" is 0x766964): as a root they hid leaks, now and then, by
 * where the link put things.
 */
static void kmemleak_read_only_tables_are_not_roots(struct ktest *t)
{
	struct kmemleak_scan sc = { 0 };
	unsigned int bad = 0;

	KTEST_EXPECT_TRUE(t, kmemleak_scan_kernel(&sc, check_roots, &bad) >= 3);
	KTEST_EXPECT_EQ(t, bad, 0);
}

static const struct ktest_case kmemleak_cases[] = {
	KTEST_CASE(kmemleak_lost_object_and_block_reported),
	KTEST_CASE(kmemleak_static_variable_is_a_root),
	KTEST_CASE(kmemleak_read_only_tables_are_not_roots),
	KTEST_CASE(kmemleak_stack_and_register_are_roots),
	KTEST_CASE(kmemleak_other_cores_stacks_are_roots),
	KTEST_CASE(kmemleak_object_to_object_and_interior),
	KTEST_CASE(kmemleak_lost_cycle_reported),
	KTEST_CASE(kmemleak_marks),
	KTEST_CASE(kmemleak_stop_changes_nothing),
};
KTEST_SUITE(kmemleak, kmemleak_cases);
