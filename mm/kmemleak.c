// SPDX-License-Identifier: GPL-2.0
/*
 * The conservative leak scan: which allocated blocks of pages and slab
 * objects nothing points to any more (docs/KMEMLEAK.md).
 *
 * What is tracked: every allocated block of the page allocator that is not
 * a slab, and every allocated object of every slab (the slab pages are
 * containers, never objects themselves). The set is taken from mem_map and
 * the slabs' free lists when a scan starts; nothing is recorded per
 * allocation, so the allocator pays nothing. Caches marked
 * SLAB_NOLEAKTRACE (the allocator's own slab_desc) are neither scanned nor
 * reported.
 *
 * The colouring rules (Linux's kmemleak's, without its per-object
 * metadata):
 *  - every tracked block or object starts WHITE;
 *  - the roots (the caller's ranges: image data and bss, the live part of
 *    the stack with every caller's registers saved in it; and root marks)
 *    are read a word at a time; a word whose value lies inside a WHITE
 *    block or object (its first byte or any later one up to its size)
 *    turns it GREY and pushes it on the grey stack;
 *  - a GREY block or object is scanned in turn (its whole size) and turns
 *    BLACK; when the grey stack overflows, a sweep over all units finds the
 *    GREY ones left (so the stack stays small and the scan exact);
 *  - what is WHITE at the end is unreferenced. The scan runs twice: only
 *    what stays WHITE in both passes, is still allocated when reported,
 *    and (with owners) was allocated before the scan began is reported, so
 *    a pointer held for a moment elsewhere (an interrupt handler's register)
 *    does not make a leak;
 *  - marks (include/ferret/kmemleak.h) make exceptions: never reported,
 *    never scanned, extra roots, ranges left alone.
 *
 * The scan's state never lives in what it scans: an index of mem_map (8
 * bytes per page frame: the first unit of each block, its kind, order and
 * cache; tails point at their head) and one byte per unit (colour and
 * flags), in 16 KiB pieces taken from the page allocator for the scan and
 * given back (their pages are not units), listed in the static struct kml,
 * which the root scan skips as it skips the marks table.
 *
 * Races: interrupts stay enabled except while a batch of mem_map or one
 * slab's free list is read. A block or object allocated after its part of
 * mem_map was indexed is not examined (counted as "late"); one freed
 * meanwhile may be scanned (harmless: reading freed memory is) and is not
 * reported (checked again under its lock before the report).
 */
#include <ferret/errno.h>
#include <ferret/gfp.h>
#include <ferret/kmemleak.h>
#include <ferret/mm.h>
#include <ferret/mmzone.h>
#include <ferret/owner_stream.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/slab_owner.h>
#include <ferret/spinlock.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>
#include <ferret/time.h>

#include "owner_track.h"
#include "slab.h"

#define KML_CHUNK_ORDER		2
#define KML_CHUNK_BYTES		(PAGE_SIZE << KML_CHUNK_ORDER)
#define KML_MAX_CHUNKS		2048	/* 32 MiB of state: 16 GiB of RAM and 8M units */
#define KML_GREY_STACK		256
#define KML_BATCH		512	/* pfns indexed per zone lock hold */
#define KML_CHECK_BYTES		(64 * 1024)	/* scanned between Ctrl-C checks */

/* A unit's byte: the colour, and flags. */
#define U_COLOUR	0x03
#define U_FREE		0x00	/* not allocated: never marked, never reported */
#define U_WHITE		0x01
#define U_GREY		0x02
#define U_BLACK		0x03
#define U_WHITE1	0x04	/* white at the end of the first pass */
#define U_NO_REPORT	0x08
#define U_NO_SCAN	0x10

/* An index entry: one per page frame. */
enum { E_NONE, E_PAGES, E_SLAB, E_TAIL };
struct kml_ent {
	u32 base;	/* E_PAGES, E_SLAB: first unit; E_TAIL: pfns back to the head */
	u16 cache;	/* E_SLAB: the cache's id */
	u8 kind;
	u8 order;
};
BUILD_BUG_ON(sizeof(struct kml_ent) != 8);
#define ENTS_PER_CHUNK	(KML_CHUNK_BYTES / sizeof(struct kml_ent))

struct kml_grey {
	unsigned long addr, end;
};

static struct kml_state {
	struct page *chunk[KML_MAX_CHUNKS];
	unsigned int nr_chunks, ent_chunks;
	unsigned long ram_start, ram_size;	/* virtual addresses mem_map covers */
	unsigned long pfn_base, nr_pfns;
	unsigned long nr_units, cap_units;
	struct kml_grey grey[KML_GREY_STACK];
	unsigned int nr_grey;
	bool overflow, stopped, busy;
	unsigned long since_check;
	struct kmemleak_scan *sc;
} kml;

struct kml_mark {
	unsigned long start, end;
	u64 ts_us;		/* object marks: the owner's allocation time (0: unknown) */
	u8 kind;		/* enum kmemleak_mark_kind */
	bool used, internal;
};
static struct kml_mark marks[KMEMLEAK_MARKS];
/* kmemleak_clear(): what was allocated by then is not reported (with owners). */
static u64 kml_cleared_us;
static DEFINE_SPINLOCK(marks_lock);

static void set_none(unsigned long idx, unsigned long n);

/* ---- the state: index and units in chunks ---- */

static inline struct kml_ent *ent(unsigned long idx)
{
	struct kml_ent *c = page_address(kml.chunk[idx / ENTS_PER_CHUNK]);

	return &c[idx % ENTS_PER_CHUNK];
}

static inline u8 *unit(unsigned long u)
{
	u8 *c = page_address(kml.chunk[kml.ent_chunks + u / KML_CHUNK_BYTES]);

	return &c[u % KML_CHUNK_BYTES];
}

static void put_chunks(void)
{
	for (unsigned int i = 0; i < kml.nr_chunks; i++)
		__free_pages(kml.chunk[i], KML_CHUNK_ORDER);
	kml.nr_chunks = 0;
}

static int take_chunks(unsigned int n)
{
	if (n > KML_MAX_CHUNKS)
		return -ENOMEM;
	for (; kml.nr_chunks < n; kml.nr_chunks++) {
		kml.chunk[kml.nr_chunks] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, KML_CHUNK_ORDER);
		if (!kml.chunk[kml.nr_chunks]) {
			put_chunks();
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * The state's own pieces were indexed as allocated blocks: take them out
 * of the index (their unit bytes stay, unreachable).
 */
static void unindex_chunks(void)
{
	for (unsigned int i = 0; i < kml.nr_chunks; i++) {
		unsigned long idx = page_to_pfn(kml.chunk[i]) - kml.pfn_base;

		if (idx < kml.nr_pfns && ent(idx)->kind == E_PAGES) {
			kml.sc->st.blocks--;
			set_none(idx, 1UL << KML_CHUNK_ORDER);
		}
	}
}

static bool check_stop(void)
{
	struct kmemleak_scan *sc = kml.sc;

	if (!kml.stopped && sc->should_stop && sc->should_stop(sc->arg))
		kml.stopped = true;
	return kml.stopped;
}

/* Poll for Ctrl-C every 4096 steps of a loop over mem_map's index. */
static bool check_stop_every(unsigned long idx)
{
	return !(idx & 4095) ? check_stop() : kml.stopped;
}

/* ---- lookups ---- */

/*
 * The unit holding the byte at @v, and its extent [*ostart, *oend); -1 if
 * @v is in no tracked block or object (free memory, a slab's red zones,
 * metadata or unused tail, reserved memory).
 */
static long unit_at(unsigned long v, unsigned long *ostart, unsigned long *oend)
{
	unsigned long off = v - kml.ram_start, idx, head;
	const struct kml_ent *e;
	const struct kmem_cache *s;

	if (off >= kml.ram_size)
		return -1;
	idx = off >> PAGE_SHIFT;
	e = ent(idx);
	if (e->kind == E_TAIL) {
		idx -= e->base;
		e = ent(idx);
	}
	head = kml.ram_start + (idx << PAGE_SHIFT);
	if (e->kind == E_PAGES) {
		*ostart = head;
		*oend = head + (PAGE_SIZE << e->order);
		return e->base;
	}
	if (e->kind != E_SLAB || !(s = READ_ONCE(slab_map.caches[e->cache])))
		return -1;
	off = (v - head) / s->size;
	if (off >= s->objects)
		return -1;
	*ostart = head + off * s->size + s->red_left_pad;
	*oend = *ostart + s->object_size;
	if (v < *ostart || v >= *oend)
		return -1;
	return (long)(e->base + off);
}

static unsigned long units_of(const struct kml_ent *e)
{
	const struct kmem_cache *s;

	if (e->kind == E_PAGES)
		return 1;
	if (e->kind == E_SLAB && (s = READ_ONCE(slab_map.caches[e->cache])))
		return s->objects;
	return 0;
}

/* ---- marking ---- */

static void mark_unit(long u, unsigned long start, unsigned long end)
{
	u8 *b = unit((unsigned long)u);

	if ((*b & U_COLOUR) != U_WHITE)
		return;
	if (*b & U_NO_SCAN) {
		*b = (u8)((*b & ~U_COLOUR) | U_BLACK);
		return;
	}
	*b = (u8)((*b & ~U_COLOUR) | U_GREY);
	if (kml.nr_grey < KML_GREY_STACK)
		kml.grey[kml.nr_grey++] = (struct kml_grey){ start, end };
	else
		kml.overflow = true;
}

/*
 * Every aligned word of [start, end) that points into a white unit greys
 * it. Not instrumented: a conservative scan reads whatever is there.
 */
__attribute__((no_sanitize("address"))) static void scan_range(unsigned long start,
							       unsigned long end)
{
	unsigned long lo = kml.ram_start, size = kml.ram_size;

	start = ALIGN(start, sizeof(long));
	while (start + sizeof(long) <= end && !kml.stopped) {
		unsigned long stop = min(end, start + KML_CHECK_BYTES), from = start;

		for (; start + sizeof(long) <= stop; start += sizeof(long)) {
			unsigned long v = *(const volatile unsigned long *)start, os, oe;
			long u;

			if (v - lo >= size)
				continue;
			u = unit_at(v, &os, &oe);
			if (u >= 0)
				mark_unit(u, os, oe);
		}
		kml.sc->st.scanned_bytes += start - from;
		kml.since_check += start - from;
		if (kml.since_check >= KML_CHECK_BYTES) {
			kml.since_check = 0;
			check_stop();
		}
	}
}

/* After an overflow of the grey stack: scan every unit still grey. */
static void sweep_grey(void)
{
	for (unsigned long idx = 0; idx < kml.nr_pfns && !check_stop_every(idx); idx++) {
		const struct kml_ent *e = ent(idx);
		unsigned long head = kml.ram_start + (idx << PAGE_SHIFT);
		unsigned long n = units_of(e);

		for (unsigned long i = 0; i < n && !kml.stopped; i++) {
			u8 *b = unit(e->base + i);
			unsigned long os, oe;

			if ((*b & U_COLOUR) != U_GREY)
				continue;
			*b = (u8)((*b & ~U_COLOUR) | U_BLACK);
			if (e->kind == E_PAGES) {
				os = head;
				oe = head + (PAGE_SIZE << e->order);
			} else {
				const struct kmem_cache *s = slab_map.caches[e->cache];

				os = head + i * s->size + s->red_left_pad;
				oe = os + s->object_size;
			}
			scan_range(os, oe);
		}
	}
}

static void drain_grey(void)
{
	for (;;) {
		while (kml.nr_grey && !kml.stopped) {
			struct kml_grey g = kml.grey[--kml.nr_grey];
			unsigned long os, oe;
			long u = unit_at(g.addr, &os, &oe);

			if (u >= 0)
				*unit((unsigned long)u) |= U_BLACK;	/* grey | black == black */
			scan_range(g.addr, g.end);
		}
		if (!kml.overflow || kml.stopped)
			return;
		kml.overflow = false;
		kml.sc->st.overflows++;
		sweep_grey();
	}
}

/* What the root scan never reads: the scan's own state and no-scan ranges. */
static bool next_exclusion(unsigned long from, unsigned long *xs, unsigned long *xe)
{
	unsigned long best = ~0UL, best_end = 0;
	const struct { unsigned long s, e; } own[] = {
		{ (unsigned long)&kml, (unsigned long)(&kml + 1) },
		{ (unsigned long)marks, (unsigned long)(marks + KMEMLEAK_MARKS) },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(own); i++)
		if (own[i].e > from && own[i].s < best) {
			best = own[i].s;
			best_end = own[i].e;
		}
	for (unsigned int i = 0; i < KMEMLEAK_MARKS; i++) {
		const struct kml_mark *k = &marks[i];

		if (k->used && (k->kind == KMEMLEAK_NO_SCAN_RANGE ||
				k->kind == KMEMLEAK_IGNORE_RANGE) && k->end > from && k->start < best) {
			best = k->start;
			best_end = k->end;
		}
	}
	*xs = best;
	*xe = best_end;
	return best != ~0UL;
}

static void scan_root(unsigned long start, unsigned long end)
{
	unsigned long xs, xe;

	while (start < end && !kml.stopped) {
		if (!next_exclusion(start, &xs, &xe) || xs >= end) {
			scan_range(start, end);
			return;
		}
		if (xs > start)
			scan_range(start, xs);
		start = max(start, xe);
	}
}

/* ---- the snapshot ---- */

static void set_none(unsigned long idx, unsigned long n)
{
	for (unsigned long i = 0; i < n && idx + i < kml.nr_pfns; i++)
		ent(idx + i)->kind = E_NONE;
}

/* The units of an allocated block whose head page has flags @f (0: none, a cache gone). */
static unsigned long units_for(u32 f)
{
	const struct kmem_cache *s;

	if (!(f & (1U << PG_slab)))
		return 1;
	s = slab_map.caches[f >> PAGE_SLAB_ID_SHIFT];
	return s ? s->objects : 0;
}

/* Index one allocated block at @pfn (zone lock held). */
static void index_block(unsigned long pfn, u32 f, unsigned int order)
{
	unsigned long idx = pfn - kml.pfn_base, n = 1UL << order, units = units_for(f);
	const struct kmem_cache *s = f & (1U << PG_slab) ?
				     slab_map.caches[f >> PAGE_SLAB_ID_SHIFT] : NULL;

	if (!units || kml.nr_units + units > kml.cap_units) {
		kml.sc->st.late += units != 0;
		set_none(idx, n);
		return;
	}
	*ent(idx) = (struct kml_ent){ .base = (u32)kml.nr_units, .kind = s ? E_SLAB : E_PAGES,
				      .order = (u8)order, .cache = s ? s->id : 0 };
	for (unsigned long i = 1; i < n && idx + i < kml.nr_pfns; i++)
		*ent(idx + i) = (struct kml_ent){ .base = (u32)i, .kind = E_TAIL };
	for (unsigned long i = 0; i < units; i++)
		*unit(kml.nr_units + i) =
			U_WHITE | (s && (s->flags & SLAB_NOLEAKTRACE) ? U_NO_REPORT | U_NO_SCAN : 0);
	kml.nr_units += units;
	if (s)
		kml.sc->st.objects += s->flags & SLAB_NOLEAKTRACE ? 0 : units;
	else
		kml.sc->st.blocks++;
}

/*
 * One walk over mem_map, KML_BATCH pfns per hold of the zone lock: with
 * @index false, count the units (to size the state); with it, index them.
 * Return: the units counted.
 */
static unsigned long walk_mem_map(bool index)
{
	unsigned long n = 0, pfn = kml.pfn_base, end = kml.pfn_base + kml.nr_pfns;

	while (pfn < end && !check_stop()) {
		unsigned long flags, stop = min(end, pfn + KML_BATCH);

		spin_lock_irqsave(&normal_zone.lock, flags);
		while (pfn < stop) {
			struct page *page = pfn_to_page(pfn);
			u32 f = READ_ONCE(page->flags);
			unsigned int order = page_order(page);
			unsigned long step = 1;

			if ((f & ((1U << PG_buddy) | (1U << PG_pcp) | (1U << PG_head))) &&
			    IS_ALIGNED(pfn, 1UL << order)) {
				step = 1UL << order;
				if (!(f & (1U << PG_head)))
					f = 0;		/* free */
			} else {
				f = 0;			/* reserved, or no block starts here */
			}
			if (!index)
				n += f ? units_for(f) : 0;
			else if (f)
				index_block(pfn, f, order);
			else
				set_none(pfn - kml.pfn_base, step);
			pfn += step;
		}
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	}
	return n;
}

static void set_free(void *arg, const void *x)
{
	unsigned long os, oe;
	long u = unit_at((unsigned long)x, &os, &oe);

	if (u >= 0 && os == (unsigned long)x) {
		u8 *b = unit((unsigned long)u);

		if ((*b & U_COLOUR) == U_WHITE && !(*b & U_NO_REPORT))
			kml.sc->st.objects--;
		*b = U_FREE;
	}
}

/* The slabs' free objects are not units: colour them free. */
static void mark_free_objects(void)
{
	for (unsigned int id = 0; id < SLAB_MAX_CACHES; id++) {
		struct kmem_cache *s = READ_ONCE(slab_map.caches[id]);

		if (s)
			slab_scan_free_cpu(s, set_free, NULL);
	}
	for (unsigned long idx = 0; idx < kml.nr_pfns && !check_stop_every(idx); idx++) {
		const struct kml_ent *e = ent(idx);
		struct kmem_cache *s;

		if (e->kind != E_SLAB || !(s = READ_ONCE(slab_map.caches[e->cache])))
			continue;
		slab_scan_free_slab(s, kml.ram_start + (idx << PAGE_SHIFT), set_free, NULL);
	}
}

/* ---- marks ---- */

static const char *const mark_names[NR_KMEMLEAK_MARKS] = {
	[KMEMLEAK_NOT_LEAK] = "not_leak",
	[KMEMLEAK_IGNORE] = "ignore",
	[KMEMLEAK_NO_SCAN] = "no_scan",
	[KMEMLEAK_ROOT] = "root",
	[KMEMLEAK_IGNORE_RANGE] = "ignore_range",
	[KMEMLEAK_NO_SCAN_RANGE] = "no_scan_range",
};

const char *kmemleak_mark_name(enum kmemleak_mark_kind kind)
{
	return (unsigned int)kind < NR_KMEMLEAK_MARKS ? mark_names[kind] : "?";
}

static bool object_mark(unsigned int kind)
{
	return kind <= KMEMLEAK_NO_SCAN;
}

/* The owners' allocation time of the block or object holding @x (0: unknown). */
static u64 owner_time(unsigned long x)
{
	struct slab_owner_info o;
	struct po_block b;
	struct page *page;

	if (!pfn_valid(virt_to_pfn((void *)x)))
		return 0;
	page = virt_to_page((void *)x);
	if (page_flag(page, PG_slab))
		return !slab_owner_get((void *)x, &o) && o.live ? o.ts_us : 0;
	while (page_flag(page, PG_tail))
		page = compound_head(page);
	return !page_owner_get_block(page_to_pfn(page), &b) ? b.ts_us : 0;
}

int kmemleak_mark(enum kmemleak_mark_kind kind, unsigned long start, size_t size,
		  bool internal)
{
	unsigned long flags;
	int free_slot = -1, ret = 0;
	u64 ts;

	if ((unsigned int)kind >= NR_KMEMLEAK_MARKS || !size || start + size < start)
		return -EINVAL;
	ts = object_mark(kind) ? owner_time(start) : 0;
	spin_lock_irqsave(&marks_lock, flags);
	for (int i = 0; i < KMEMLEAK_MARKS; i++) {
		if (!marks[i].used) {
			if (free_slot < 0)
				free_slot = i;
		} else if (marks[i].kind == kind && marks[i].start == start) {
			free_slot = i;
			break;
		}
	}
	if (free_slot < 0)
		ret = -ENOSPC;
	else
		marks[free_slot] = (struct kml_mark){ .start = start, .end = start + size,
						      .ts_us = ts, .kind = (u8)kind, .used = true,
						      .internal = internal };
	spin_unlock_irqrestore(&marks_lock, flags);
	return ret;
}

int kmemleak_unmark(unsigned long start)
{
	unsigned long flags;
	int n = 0;

	spin_lock_irqsave(&marks_lock, flags);
	for (int i = 0; i < KMEMLEAK_MARKS; i++)
		if (marks[i].used && !marks[i].internal && marks[i].start == start) {
			marks[i].used = false;
			n++;
		}
	spin_unlock_irqrestore(&marks_lock, flags);
	return n;
}

void kmemleak_show_marks(struct seq_file *m)
{
	unsigned int n = 0;

	for (int i = 0; i < KMEMLEAK_MARKS; i++) {
		const struct kml_mark *k = &marks[i];

		if (!k->used || k->internal)
			continue;
		seq_printf(m, "%-13s 0x%lx", mark_names[k->kind], k->start);
		if (!object_mark(k->kind))
			seq_printf(m, "-0x%lx (%lu bytes)", k->end, k->end - k->start);
		seq_putc(m, '\n');
		n++;
	}
	seq_printf(m, "%u mark%s, %u free\n", n, n == 1 ? "" : "s",
		   KMEMLEAK_MARKS - (unsigned int)({
			   unsigned int used = 0;
			   for (int i = 0; i < KMEMLEAK_MARKS; i++)
				   used += marks[i].used;
			   used;
		   }));
}

void kmemleak_reset(void)
{
	memset(marks, 0, sizeof(marks));
	kml_cleared_us = 0;
}

u64 kmemleak_clear(void)
{
	kml_cleared_us = now_us();
	return kml_cleared_us;
}

void kmemleak_not_leak(const void *ptr)
{
	kmemleak_mark(KMEMLEAK_NOT_LEAK, (unsigned long)ptr, 1, false);
}

void kmemleak_ignore(const void *ptr)
{
	kmemleak_mark(KMEMLEAK_IGNORE, (unsigned long)ptr, 1, false);
}

void kmemleak_no_scan(const void *ptr)
{
	kmemleak_mark(KMEMLEAK_NO_SCAN, (unsigned long)ptr, 1, false);
}

int kmemleak_add_root(const void *start, size_t size)
{
	return kmemleak_mark(KMEMLEAK_ROOT, (unsigned long)start, size, false);
}

int kmemleak_ignore_range(const void *start, size_t size)
{
	return kmemleak_mark(KMEMLEAK_IGNORE_RANGE, (unsigned long)start, size, false);
}

int kmemleak_no_scan_range(const void *start, size_t size)
{
	return kmemleak_mark(KMEMLEAK_NO_SCAN_RANGE, (unsigned long)start, size, false);
}

/* Set @flags on every unit overlapping [start, end). */
static void flag_range(unsigned long start, unsigned long end, u8 flags)
{
	unsigned long a = start;

	while (a < end && a >= start) {
		unsigned long os, oe;
		long u = unit_at(a, &os, &oe);

		if (u >= 0) {
			*unit((unsigned long)u) |= flags;
			a = oe;
		} else {
			a += sizeof(long);
		}
	}
}

static void apply_marks(void)
{
	for (int i = 0; i < KMEMLEAK_MARKS; i++) {
		struct kml_mark *k = &marks[i];
		unsigned long os, oe;
		long u;

		if (!k->used)
			continue;
		switch (k->kind) {
		case KMEMLEAK_IGNORE_RANGE:
			flag_range(k->start, k->end, U_NO_REPORT | U_NO_SCAN);
			break;
		case KMEMLEAK_NO_SCAN_RANGE:
			flag_range(k->start, k->end, U_NO_SCAN);
			break;
		case KMEMLEAK_ROOT:
			break;
		default:
			u = unit_at(k->start, &os, &oe);
			if (u < 0)
				break;
			/* The object was freed and its address given out again. */
			if (k->ts_us && owner_time(k->start) != k->ts_us) {
				k->used = false;
				break;
			}
			*unit((unsigned long)u) |= k->kind == KMEMLEAK_NOT_LEAK ? U_NO_REPORT :
						   k->kind == KMEMLEAK_NO_SCAN ? U_NO_SCAN :
						   U_NO_REPORT | U_NO_SCAN;
		}
	}
}

/* ---- passes and the report ---- */

static void run_pass(bool first)
{
	struct kmemleak_scan *sc = kml.sc;

	for (unsigned long u = 0; u < kml.nr_units; u++) {
		u8 *b = unit(u);

		if (*b & U_COLOUR)
			*b = (u8)((*b & ~U_COLOUR) | U_WHITE);
	}
	kml.nr_grey = 0;
	kml.overflow = false;
	/* not_leak objects are roots (Linux makes them grey for good). */
	for (int i = 0; i < KMEMLEAK_MARKS; i++) {
		unsigned long os, oe;
		long u;

		/* (apply_marks() dropped the stale ones.) */
		if (marks[i].used && marks[i].kind == KMEMLEAK_NOT_LEAK &&
		    (u = unit_at(marks[i].start, &os, &oe)) >= 0)
			mark_unit(u, os, oe);
	}
	for (unsigned int i = 0; i < sc->nr_roots && i < KMEMLEAK_MAX_ROOTS; i++)
		scan_root(sc->roots[i].start, sc->roots[i].end);
	for (int i = 0; i < KMEMLEAK_MARKS; i++)
		if (marks[i].used && marks[i].kind == KMEMLEAK_ROOT)
			scan_root(marks[i].start, marks[i].end);
	drain_grey();
	if (!first || kml.stopped)
		return;
	for (unsigned long u = 0; u < kml.nr_units; u++) {
		u8 *b = unit(u);

		*b = (u8)((*b & ~U_WHITE1) | ((*b & U_COLOUR) == U_WHITE ? U_WHITE1 : 0));
	}
}

/* Fill @o for the block at @idx; false if it is no longer what was indexed. */
static bool describe_block(unsigned long idx, const struct kml_ent *e, struct kmemleak_object *o)
{
	unsigned long pfn = kml.pfn_base + idx;
	const struct page *page = pfn_to_page(pfn);
	u32 f = READ_ONCE(page->flags);
	struct po_block b;

	if (!(f & (1U << PG_head)) || (f & (1U << PG_slab)) || page_order(page) != e->order)
		return false;
	o->addr = kml.ram_start + (idx << PAGE_SHIFT);
	o->size = PAGE_SIZE << e->order;
	o->pfn = pfn;
	o->order = e->order;
	o->large_kmalloc = f & (1U << PG_large_kmalloc);
	o->asked = o->large_kmalloc ? (size_t)READ_ONCE(page->private) : o->size;
	if (!page_owner_get_block(pfn, &b)) {
		if (b.ts_us > kml.sc->start_us)
			return false;	/* freed and allocated again during the scan */
		o->owner = true;
		o->handle = b.handle;
		o->pid = b.pid;
		o->ts_us = b.ts_us;
	}
	return true;
}

static bool describe_object(unsigned long idx, const struct kml_ent *e, unsigned long i,
			    struct kmemleak_object *o)
{
	struct kmem_cache *s = READ_ONCE(slab_map.caches[e->cache]);
	unsigned long head = kml.ram_start + (idx << PAGE_SHIFT);
	struct slab_owner_info so;

	if (!s)
		return false;
	o->addr = head + i * s->size + s->red_left_pad;
	if (!slab_object_live(s, (void *)o->addr))
		return false;
	o->cache = s;
	o->size = s->object_size;
	o->asked = o->size;
	o->pfn = kml.pfn_base + idx;
	o->order = e->order;
	if (!slab_owner_get((void *)o->addr, &so) && so.live) {
		if (so.ts_us > kml.sc->start_us)
			return false;
		o->owner = true;
		o->handle = so.handle;
		o->pid = so.pid;
		o->ts_us = so.ts_us;
		o->asked = so.size;
	}
	return true;
}

static void report(void)
{
	struct kmemleak_scan *sc = kml.sc;

	for (unsigned long idx = 0; idx < kml.nr_pfns && !check_stop_every(idx); idx++) {
		const struct kml_ent *e = ent(idx);
		unsigned long n = units_of(e);

		for (unsigned long i = 0; i < n; i++) {
			u8 b = *unit(e->base + i);
			struct kmemleak_object o = { 0 };

			if ((b & U_COLOUR) != U_WHITE || !(b & U_WHITE1) || (b & U_NO_REPORT))
				continue;
			if (!(e->kind == E_PAGES ? describe_block(idx, e, &o) :
			      describe_object(idx, e, i, &o)))
				continue;
			/* Reported before a `kmemleak clear`: an old suspect. */
			if (o.owner && o.ts_us <= kml_cleared_us) {
				sc->st.cleared++;
				continue;
			}
			if (o.cache) {
				sc->st.leaked_objects++;
				sc->st.leaked_bytes += o.asked;
			} else {
				sc->st.leaked_blocks++;
				sc->st.leaked_pages += 1UL << o.order;
			}
			sc->st.no_owner += !o.owner;
			sc->report(sc->arg, &o);
		}
	}
}

int kmemleak_scan(struct kmemleak_scan *sc)
{
	unsigned long ent_bytes, units;
	int ret = 0;

	memset(&sc->st, 0, sizeof(sc->st));
	if (!max_mapnr)
		return 0;
	if (kml.busy)
		return -EBUSY;
	kml.busy = true;
	kml.sc = sc;
	kml.stopped = false;
	kml.since_check = 0;
	kml.pfn_base = mem_map_pfn_base;
	kml.nr_pfns = max_mapnr;
	kml.ram_start = (unsigned long)page_address(pfn_to_page(mem_map_pfn_base));
	kml.ram_size = max_mapnr << PAGE_SHIFT;
	sc->start_us = now_us();

	/* Size the state with room for what the interrupts allocate meanwhile. */
	units = walk_mem_map(false);
	kml.cap_units = units + units / 8 + 1024;
	ent_bytes = kml.nr_pfns * sizeof(struct kml_ent);
	kml.ent_chunks = (unsigned int)DIV_ROUND_UP(ent_bytes, KML_CHUNK_BYTES);
	kml.nr_units = 0;
	if (check_stop()) {
		ret = -EINTR;
		goto out;
	}
	if (take_chunks(kml.ent_chunks + (unsigned int)DIV_ROUND_UP(kml.cap_units,
								      KML_CHUNK_BYTES))) {
		ret = -ENOMEM;
		goto out;
	}
	sc->st.state_bytes = (unsigned long)kml.nr_chunks * KML_CHUNK_BYTES;
	walk_mem_map(true);
	unindex_chunks();
	mark_free_objects();
	apply_marks();
	run_pass(true);
	run_pass(false);
	if (!kml.stopped)
		report();
	ret = kml.stopped ? -EINTR : 0;
	put_chunks();
out:
	kml.sc = NULL;
	kml.busy = false;
	return ret;
}

/* ---- Linux's report ---- */

static void hex_line(struct seq_file *m, const u8 *p, size_t n)
{
	char hex[16 * 3 + 1], ascii[17];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(hex + len, sizeof(hex) - len, i ? " %02x" : "%02x", p[i]);
		ascii[i] = p[i] >= ' ' && p[i] <= '~' ? (char)p[i] : '.';
	}
	ascii[n] = 0;
	/* Linux's hex_dump_to_buffer(): the ASCII column starts at 16 * 3 + 1. */
	seq_printf(m, "    %-47s  %s\n", hex, ascii);
}

__attribute__((no_sanitize("address")))
void kmemleak_print_object(struct seq_file *m, const struct kmemleak_object *o, u64 now_us)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
	size_t dump = min(o->size, (size_t)32);
	u8 bytes[32];
	unsigned int nr = 0;

	seq_printf(m, "unreferenced object 0x%08lx (size %zu):\n", o->addr, o->size);
	if (o->owner) {
		const struct task_ctx *t = o->pid >= 0 ? task_ctx_get(o->pid) : NULL;
		u64 age = now_us > o->ts_us ? now_us - o->ts_us : 0;

		/* ferret's jiffies are milliseconds (HZ=1000). */
		seq_printf(m, "  comm \"%s\", pid %d, jiffies %llu (age %llu.%03llus)\n",
			   t ? t->comm : "unknown", o->pid, (unsigned long long)(o->ts_us / 1000),
			   (unsigned long long)(age / 1000000),
			   (unsigned long long)(age / 1000 % 1000));
		nr = stack_depot_fetch(o->handle, entries, ARRAY_SIZE(entries));
	}
	memcpy(bytes, (const void *)o->addr, dump);
	seq_printf(m, "  hex dump (first %zu bytes):\n", dump);
	for (size_t i = 0; i < dump; i += 16)
		hex_line(m, bytes + i, min(dump - i, (size_t)16));
	/* Linux's checksum of the whole object: computed here, only for what is printed. */
	seq_printf(m, "  backtrace (crc %x):\n", ostream_crc32(0, (const void *)o->addr, o->size));
	for (unsigned int i = 0; i < nr; i++)
		seq_printf(m, "    %pB\n", (void *)entries[i]);
}
