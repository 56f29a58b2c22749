// SPDX-License-Identifier: GPL-2.0
/*
 * Sequences of page and object allocator operations, legal and hostile, on
 * 16 MiB of host "RAM", with the invariant checker (memtest) after every
 * step: allocations of any order and gfp, frees of the right block, double
 * frees, frees with the wrong order, of a tail page, of reserved pages and
 * of pfns outside RAM, references taken and dropped, contiguous ranges,
 * kmalloc and kfree. A hostile free must be refused and change nothing; at
 * the end of each input everything is given back, and memtest still passes.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/gfp.h>
#include <ferret/slab.h>
#include <ferret/page-isolation.h>

#include "../host/test_buddy_harness.h"
#include "fuzz.h"

#define MAX_HELD 64

struct held {
	unsigned long pfn;
	unsigned int order;
	bool contig;		/* order-0 pages from alloc_contig_range, @order counts them */
};

static struct held held[MAX_HELD];
static unsigned int nr_held;
static void *objs[MAX_HELD];

static void check(void)
{
	FUZZ_ASSERT(h_check() == 0);
}

static void drop(unsigned int i)
{
	held[i] = held[--nr_held];
}

static void give_back(unsigned int i)
{
	if (held[i].contig)
		FUZZ_ASSERT(free_contig_range(held[i].pfn, 1UL << held[i].order) == 0);
	else
		FUZZ_ASSERT(free_pages_pfn(held[i].pfn, held[i].order) == 0);
	drop(i);
}

static void hostile_free(struct fuzz_in *in)
{
	unsigned long pfn, head;
	unsigned int order, o;
	enum page_block_state st;

	if (nr_held && fuzz_u8(in) & 1) {
		struct held *h = &held[fuzz_u8(in) % nr_held];

		/* A held block with the wrong order, or by one of its tail pages. */
		o = fuzz_u8(in) % NR_PAGE_ORDERS;
		if (h->contig || o == h->order)
			return;
		pfn = h->pfn + (fuzz_u8(in) % (1UL << h->order));
		FUZZ_ASSERT(free_pages_pfn(pfn, o) < 0);
		return;
	}
	/* Any pfn (RAM, reserved, free, outside) that nobody here holds. */
	pfn = min_low_pfn - 4 + fuzz_ulong(in, 2) % (max_pfn - min_low_pfn + 8);
	order = fuzz_u8(in) % (NR_PAGE_ORDERS + 2);
	st = page_block(pfn, &head, &o);
	if (st == PAGE_BLOCK_ALLOCATED)
		return;		/* ours (a tracked block) or the slab's: not to be touched */
	FUZZ_ASSERT(free_pages_pfn(pfn, order) < 0);
}

static void step(struct fuzz_in *in)
{
	unsigned int op = fuzz_u8(in) % 10, i;
	struct page *p;

	switch (op) {
	case 0: case 1:		/* allocate */
		if (nr_held == MAX_HELD)
			break;
		i = fuzz_u8(in) % NR_PAGE_ORDERS;
		p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | (op ? __GFP_ZERO | __GFP_COMP : 0), i);
		if (p)
			held[nr_held++] = (struct held){ page_to_pfn(p), i, false };
		break;
	case 2: case 3:		/* free one we hold */
		if (nr_held)
			give_back(fuzz_u8(in) % nr_held);
		break;
	case 4:			/* double free */
		if (nr_held && !held[i = fuzz_u8(in) % nr_held].contig) {
			unsigned long pfn = held[i].pfn;
			unsigned int order = held[i].order;

			give_back(i);
			FUZZ_ASSERT(free_pages_pfn(pfn, order) < 0);
		}
		break;
	case 5:
		hostile_free(in);
		break;
	case 6:			/* a second reference, dropped again */
		if (nr_held && !held[i = fuzz_u8(in) % nr_held].contig) {
			p = pfn_to_page(held[i].pfn);
			get_page(p);
			FUZZ_ASSERT(free_pages_pfn(held[i].pfn, held[i].order) == 1);
			FUZZ_ASSERT(page_ref_count(p) == 1);
		}
		break;
	case 7:			/* a contiguous range */
		if (nr_held < MAX_HELD) {
			unsigned int order = fuzz_u8(in) % 10;
			unsigned long start = min_low_pfn + fuzz_ulong(in, 2) % (max_pfn - min_low_pfn);

			start &= ~((1UL << order) - 1);
			if (!__alloc_contig_range(start, start + (1UL << order), GFP_KERNEL, NULL))
				held[nr_held++] = (struct held){ start, order, true };
		}
		break;
	case 8:			/* kmalloc or kfree */
		i = fuzz_u8(in) % MAX_HELD;
		if (objs[i]) {
			kfree(objs[i]);
			objs[i] = NULL;
		} else {
			size_t sz = fuzz_ulong(in, 2) % 20000;

			objs[i] = kmalloc(sz, GFP_KERNEL | __GFP_NOWARN);
			if (objs[i] && sz)
				memset(objs[i], 0xa5, sz);
		}
		break;
	case 9:			/* the dumps read everything: they must not trip */
		buddyinfo_show(h_seq_begin());
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	static bool ready;

	if (!ready) {
		host_quiet = true;
		FUZZ_ASSERT(h_mm_init_simple(0x40000000, 16 * MiB) == 0);
		FUZZ_ASSERT(kmem_cache_init() == 0);
		ready = true;
	}
	for (unsigned int n = 0; in.left && n < 200; n++) {
		step(&in);
		check();
	}
	while (nr_held)
		give_back(0);
	for (unsigned int i = 0; i < MAX_HELD; i++) {
		kfree(objs[i]);
		objs[i] = NULL;
	}
	check();
	host_log_clear();
	return 0;
}
