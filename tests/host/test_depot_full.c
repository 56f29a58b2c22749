// SPDX-License-Identifier: GPL-2.0
/*
 * The stack depot running full through the real paths: page_owner and the
 * object owners record thousands of distinct stacks (real calls, real
 * unwinding) until the depot's pool is exhausted. From then on every record
 * gets the "depot full" handle: the dump and the object owner name the
 * stack_depot_full pseudo frame, leak reports sum those allocations under
 * it, nothing is lost or miscounted, and frees and memtest still work.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <ferret/gfp.h>
#include <ferret/kallsyms.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>

#include "host_kernel.h"
#include "htest.h"

#define RAM_PHYS	0x40000000UL
#define RAM_SIZE	(256UL << 20)
#define MAX_ALLOCS	20000

int main(void);
static char *ram;
static char out[1 << 20];

static void mm_setup(void)
{
	host_quiet = true;
	host_track_stacks();
	CHECK_EQ(host_mm_init(ram, RAM_PHYS, RAM_SIZE, "slab_owner=on"), 0);	/* page_owner too */
	CHECK(page_owner_inited);
}

/* A distinct stack per @bits: each level calls on from one of two sites. */
static __noinline void *fan(unsigned int bits, unsigned int depth, bool page)
{
	void *p;

	if (!depth)
		return page ? (void *)alloc_pages(GFP_KERNEL, 0) : kmalloc(24, GFP_KERNEL);
	if ((bits >> (depth - 1)) & 1) {
		p = fan(bits, depth - 1, page);
		__asm__ __volatile__("nop" ::: "memory");
	} else {
		p = fan(bits, depth - 1, page);
		__asm__ __volatile__("nop; nop" ::: "memory");
	}
	return p;
}

static void *allocs[MAX_ALLOCS];
static bool is_page[MAX_ALLOCS];

static const char *frame0(u32 handle)
{
	unsigned long e[16], size, off;

	if (!stack_depot_fetch(handle, e, 16))
		return "";
	return kallsyms_lookup(e[0], &size, &off) ?: "";
}

static void test_depot_runs_full(void)
{
	struct stack_depot_stats st;
	struct slab_owner_info o;
	struct seq_buf_ctx ctx;
	struct seq_file m;
	unsigned int n = 0, after_full = 0, pages_after = 0, objs_after = 0;
	char want[64];

	mm_setup();
	/* Distinct stacks, pages and objects in turn, until the pool is full and then some. */
	for (unsigned int bits = 0; n < MAX_ALLOCS && after_full <= 200; bits++) {
		stack_depot_get_stats(&st);
		if (st.failures && !after_full++)
			CHECK_EQ(page_owner_checkpoint("full", NULL), 0);	/* from now on: full */
		is_page[n] = bits & 1;
		allocs[n] = fan(bits, 14, is_page[n]);
		CHECK(allocs[n] != NULL);
		if (!allocs[n])
			break;
		if (after_full) {
			pages_after += is_page[n];
			objs_after += !is_page[n];
		}
		n++;
	}
	stack_depot_get_stats(&st);
	CHECK(st.failures > 0);
	CHECK(st.bytes_used <= st.bytes_total);

	/* The last allocations carry the "depot full" handle, page and object alike. */
	for (unsigned int i = n - 1; i > n - 8; i--) {
		if (is_page[i]) {
			struct seq_buf_ctx c2;
			struct seq_file m2;

			seq_init_buf(&m2, &c2, out, sizeof(out));
			CHECK_EQ(page_owner_dump_pfn(&m2, page_to_pfn((struct page *)allocs[i])), 0);
			CHECK(strstr(out, "\n stack_depot_full+0x") != NULL);
		} else {
			CHECK_EQ(slab_owner_get(allocs[i], &o), 0);
			CHECK_EQ(o.handle, STACK_DEPOT_HANDLE_FULL);
			CHECK(!strcmp(frame0(o.handle), "stack_depot_full"));
		}
	}

	/* Leak reports since the depot filled sum them under the pseudo stack, exactly. */
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(page_owner_leaks(&m, "full", 0, PAGE_OWNER_FMT_TEXT), 2);
	snprintf(want, sizeof(want), "%u pages in %u blocks from boot\n stack_depot_full+0x",
		 pages_after, pages_after);
	CHECK(strstr(out, want) != NULL);
	snprintf(want, sizeof(want), "%u bytes in %u objects from boot\n stack_depot_full+0x",
		 objs_after * 24, objs_after);
	CHECK(strstr(out, want) != NULL);
	if (htest_case_failed)
		printf("# %.3000s\n", out);

	/* Everything frees, and every invariant holds. */
	for (unsigned int i = 0; i < n; i++) {
		if (is_page[i])
			__free_pages((struct page *)allocs[i], 0);
		else
			kfree(allocs[i]);
	}
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(mm_check_invariants(&m), 0);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK_EQ(page_owner_leaks(&m, "full", 0, PAGE_OWNER_FMT_TEXT), 0);
}

int main(void)
{
	ram = host_slab_ram(RAM_SIZE);
	if (!ram)
		return 2;
	RUN(test_depot_runs_full);
	return HTEST_DONE();
}
