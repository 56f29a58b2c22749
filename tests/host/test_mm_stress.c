// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the concurrent allocator workload (lib/mm_stress.c) on the
 * real page and object allocators, with owners on: workloads interleaved as
 * cores and their ticks would be, blocks handed between them, then every
 * block given back. Checks the counts exactly, the free pages and objects
 * back where they started, memtest clean, and that a block changed while
 * held is caught and kept out of the allocator.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/mmzone.h>
#include <ferret/mm_stress.h>
#include <ferret/page_owner.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>

#include "host_kernel.h"
#include "htest.h"

#define RAM_PHYS	0x40000000UL
#define RAM_SIZE	(64UL << 20)
#define NR_WORKLOADS	4

static char *ram;
static char out[1 << 16];
static struct mm_stress_exchange xchg;
static struct mm_stress w[NR_WORKLOADS];

static unsigned long free_pages_now(void)
{
	mm_stress_settle();
	return normal_zone.nr_free_pages;
}

static int violations(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, out, sizeof(out));
	return mm_check_invariants(&m) + slab_check_invariants(&m);
}

static void setup(const char *cmdline)
{
	host_quiet = getenv("V") == NULL;
	host_track_stacks();
	slab_param("slab_debug=- slab_owner=off");
	CHECK_EQ(slab_param(cmdline), 0);
	CHECK_EQ(host_mm_init(ram, RAM_PHYS, RAM_SIZE, cmdline), 0);
	memset(&xchg, 0, sizeof(xchg));
	memset(w, 0, sizeof(w));
	for (int i = 0; i < NR_WORKLOADS; i++) {
		w[i].xchg = &xchg;
		w[i].id = i;
		w[i].max_held = i == NR_WORKLOADS - 1 ? 8 : MM_STRESS_SLOTS;	/* the last: a tick */
		w[i].gfp = i == NR_WORKLOADS - 1 ? GFP_ATOMIC : GFP_KERNEL;
		w[i].rng = 0x9e3779b97f4a7c15ULL * (i + 1);
	}
}

/* Round-robin in bursts, as cores sharing the allocator would take turns. */
static void run(unsigned long rounds, unsigned long burst)
{
	for (unsigned long r = 0; r < rounds; r++)
		for (int i = 0; i < NR_WORKLOADS; i++)
			mm_stress_step(&w[i], burst + (r + i) % 7);
}

static void finish(void)
{
	for (int i = 0; i < NR_WORKLOADS; i++)
		mm_stress_release(&w[i]);
	mm_stress_drain_exchange(&w[0]);
}

static void check_balanced(unsigned long free0, unsigned long objs0)
{
	unsigned long remote = 0, ops = 0;

	for (int i = 0; i < NR_WORKLOADS; i++) {
		CHECK_EQ(w[i].corrupt, 0);
		CHECK_EQ(w[i].failures, 0);
		CHECK_EQ(w[i].nr_held, 0);
		remote += w[i].remote_frees;
		ops += mm_stress_ops(&w[i]);
	}
	{
		unsigned long pa = 0, pf = 0, oa = 0, of = 0;

		for (int i = 0; i < NR_WORKLOADS; i++) {
			pa += w[i].page_allocs;
			pf += w[i].page_frees;
			oa += w[i].obj_allocs;
			of += w[i].obj_frees;
		}
		CHECK_EQ(pa, pf);
		CHECK_EQ(oa, of);
		CHECK(pa > ops / 8);	/* a quarter of allocations are pages */
		CHECK(oa > ops / 4);
	}
	CHECK(remote > ops / 200);	/* blocks did move between workloads */
	CHECK_EQ(free_pages_now(), free0);
	CHECK_EQ(mm_stress_active_objects(), objs0);
	CHECK_EQ(violations(), 0);
	if (page_owner_inited)
		CHECK_EQ(mm_stress_owned_pages(), normal_zone.managed_pages - free_pages_now());
	else
		CHECK_EQ(mm_stress_owned_pages(), 0);
}

static void test_interleaved(const char *cmdline)
{
	unsigned long free0, objs0;

	setup(cmdline);
	free0 = free_pages_now();
	objs0 = mm_stress_active_objects();
	run(2000, 20);
	CHECK_EQ(violations(), 0);	/* consistent with blocks held too */
	if (page_owner_inited) {
		unsigned long in_use = normal_zone.managed_pages - free_pages_now();

		CHECK(in_use > 0);
		CHECK_EQ(mm_stress_owned_pages(), in_use);
	}
	finish();
	check_balanced(free0, objs0);
}

static void test_plain(void)
{
	test_interleaved("page_owner=off slab_owner=off");
}

static void test_owners(void)
{
	test_interleaved("page_owner=on slab_owner=on");
}

static void test_debug(void)
{
	test_interleaved("page_owner=on slab_debug=FZPU");
}

/* A block written while held is reported, counted, and not freed. */
static void test_corruption_caught(void)
{
	unsigned long free0;
	u64 *p;

	setup("page_owner=on");
	free0 = free_pages_now();
	w[0].xchg = NULL;
	while (w[0].nr_held < 2)
		mm_stress_step(&w[0], 1);
	p = w[0].held[1];
	host_log_clear();
	p[0] ^= 1;		/* the header's address check */
	mm_stress_release(&w[0]);
	CHECK_EQ(w[0].corrupt, 1);
	CHECK(strstr(host_log, "stress: block ") != NULL);
	CHECK(strstr(host_log, " held by workload 0 changed: header ") != NULL);
	CHECK_EQ(violations(), 0);
	/* The corrupt block stays allocated: a page block or a slab object. */
	CHECK(free_pages_now() <= free0);
}

int main(void)
{
	ram = host_slab_ram(RAM_SIZE);
	if (!ram)
		return 2;
	RUN(test_plain);
	RUN(test_owners);
	RUN(test_debug);
	RUN(test_corruption_caught);
	return HTEST_DONE();
}
