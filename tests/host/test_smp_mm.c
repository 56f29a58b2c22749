// SPDX-License-Identifier: GPL-2.0
/*
 * The memory manager under true concurrency: threads play cores
 * (host_smp_run(), tests/host/shim/host_smp.c), each allocating and freeing
 * pages on its own per-cpu lists at once, handing blocks to each other so
 * that frees land on other cores than the allocation, racing double frees
 * of one block, contending for the zone lock. Afterwards, on one core:
 * memtest's invariants (every core's lists checked and drained), exact free
 * counts and event counters, the zone lock statistics.
 *
 * Built under ASan+UBSan like every host test, and once more under TSan
 * (test_smp_mm_tsan, Makefile) where the host has it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_buddy_harness.h"
#include "htest.h"

#ifdef __SANITIZE_THREAD__
/*
 * Races TSan reports that are meant (docs/LOCKING.md): a refused free's
 * report reads the block as the winning core changes it (the report says
 * what it saw), and cpu_online() reads the shim's online bits plainly.
 */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
	return "race:free_bad_reason\n"
	       "race:find_block_head\n"
	       "race:dump_page_seq\n"
	       "race:cpu_online\n";
}
#endif

#define NCORES		4
#define RAM_BASE	0x40000000UL

static unsigned long initial_free;

static void setup(unsigned long mib)
{
	host_quiet = true;
	CHECK_EQ(h_mm_init_simple(RAM_BASE, mib * MiB), 0);
	initial_free = h_free_pages();
	CHECK(initial_free > 0);
}

/* A cheap per-thread random number generator (xorshift64). */
static u64 rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Blocks handed from one core to another: slot i holds a block's page and order. */
#define NSLOTS	64
static struct handoff {
	struct page *page;
	unsigned int order;
	unsigned int busy;
} slots[NSLOTS];

struct churn {
	unsigned long iters;
	unsigned long allocs[NCORES], frees[NCORES], fails[NCORES], remote[NCORES];
};

static void slot_lock(struct handoff *h)
{
	while (__atomic_exchange_n(&h->busy, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void slot_unlock(struct handoff *h)
{
	__atomic_store_n(&h->busy, 0, __ATOMIC_RELEASE);
}

/* A page's first word: who allocated it (core + 1), checked when freed. */
static void stamp(struct page *p, unsigned int cpu)
{
	*(unsigned long *)page_address(p) = cpu + 1;
}

static void churn_core(unsigned int cpu, void *arg)
{
	struct churn *c = arg;
	struct { struct page *page; unsigned int order; } live[32];
	unsigned int nlive = 0;
	u64 seed = 0x9e3779b97f4a7c15ULL * (cpu + 1);

	for (unsigned long i = 0; i < c->iters; i++) {
		u64 r = rnd(&seed);

		if (nlive < 32 && (r & 3) != 0) {
			/* Mostly the per-cpu orders, now and then a larger block. */
			unsigned int order = (r >> 8) % 16 == 0 ? 4 + (r >> 12) % 3 : (r >> 8) % 4;
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

			if (!p) {
				c->fails[cpu]++;
				continue;
			}
			stamp(p, cpu);
			c->allocs[cpu] += 1UL << order;
			live[nlive].page = p;
			live[nlive++].order = order;
		} else if (nlive) {
			unsigned int k = (unsigned int)(r >> 16) % nlive;
			struct handoff *h = &slots[(r >> 24) % NSLOTS];
			struct page *p = live[k].page;
			unsigned int order = live[k].order;

			live[k] = live[--nlive];
			/* Swap with a block another core parked: free that one instead. */
			slot_lock(h);
			if (h->page) {
				struct page *q = h->page;
				unsigned int qo = h->order;

				h->page = p;
				h->order = order;
				slot_unlock(h);
				if (*(unsigned long *)page_address(q) != cpu + 1)
					c->remote[cpu]++;
				__free_pages(q, qo);
				c->frees[cpu] += 1UL << qo;
			} else {
				h->page = p;
				h->order = order;
				slot_unlock(h);
			}
		}
	}
	while (nlive) {
		nlive--;
		__free_pages(live[nlive].page, live[nlive].order);
		c->frees[cpu] += 1UL << live[nlive].order;
	}
}

static unsigned long sum(const unsigned long *v)
{
	unsigned long n = 0;

	for (int i = 0; i < NCORES; i++)
		n += v[i];
	return n;
}

/* Pages allocated and freed on 4 cores at once: every count exact afterwards. */
static void test_pages_churn(void)
{
	static struct churn c = { .iters = 40000 };
	struct vm_event_state ev;
	unsigned long alloc_pages_ev = 0, free_pages_ev = 0, parked = 0;

	setup(64);
	memset(slots, 0, sizeof(slots));
	host_smp_run(NCORES, churn_core, &c);
	/* What is still parked in the hand-off slots is freed here, on core 0. */
	for (int i = 0; i < NSLOTS; i++) {
		if (slots[i].page) {
			__free_pages(slots[i].page, slots[i].order);
			parked += 1UL << slots[i].order;
			slots[i].page = NULL;
		}
	}
	CHECK(sum(c.allocs) > 10000);
	CHECK(sum(c.remote) > 0);	/* frees did land on other cores than the allocation */
	CHECK_EQ(sum(c.fails), 0);
	CHECK_EQ(sum(c.allocs), sum(c.frees) + parked);
	/* Each core counted its own events; the sum is exact. */
	ev = vm_events;
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		alloc_pages_ev += ev.pgalloc[o] << o;
		free_pages_ev += ev.pgfree[o] << o;
	}
	CHECK_EQ(alloc_pages_ev, sum(c.allocs));
	CHECK_EQ(free_pages_ev, sum(c.allocs));
	CHECK_EQ(ev.bad_page, 0);
	/* Cores 1-3 left pages on their lists: counted, then memtest drains them. */
	CHECK_EQ(h_free_pages(), initial_free);
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(pcp_count(&normal_zone), 0);
	CHECK_EQ(normal_zone.nr_free_pages, initial_free);
	CHECK_EQ(h_meminfo_field("MemFree:"), initial_free);
	CHECK_EQ(h_buddyinfo_pages(), initial_free);
	CHECK_EQ(host_irq_disable_depth, 0);
}

/* Every core frees the same blocks at once: each block is freed exactly once. */
#define RACE_BLOCKS	256
static struct page *race_pages[RACE_BLOCKS];

static void double_free_core(unsigned int cpu, void *arg)
{
	unsigned long *freed = arg;

	for (int i = 0; i < RACE_BLOCKS; i++) {
		/* Cores walk in different directions, so they meet in the middle. */
		int k = cpu & 1 ? RACE_BLOCKS - 1 - i : i;

		__free_pages(race_pages[k], 0);
	}
	freed[cpu] = 1;
}

static void test_double_free_race(void)
{
	unsigned long done[NCORES] = { 0 };

	/* 1 GiB: high 378 per core, so the winners' blocks stay on their lists meanwhile. */
	setup(1024);
	CHECK_EQ(normal_zone.pcp.high, 378);
	for (int i = 0; i < RACE_BLOCKS; i++) {
		race_pages[i] = alloc_pages(GFP_KERNEL, 0);
		CHECK(race_pages[i] != NULL);
	}
	host_smp_run(NCORES, double_free_core, done);
	CHECK_EQ(sum(done), NCORES);
	/* One free won each block; every other was refused and reported. */
	CHECK_EQ(vm_events.bad_page, (NCORES - 1) * RACE_BLOCKS);
	CHECK_EQ(vm_events.pgfree[0], RACE_BLOCKS);
	CHECK_EQ(h_free_pages(), initial_free);
	CHECK_EQ(h_check(), 0);
	CHECK(h_log_has("BUG: Bad page state"));
}

/* A drain of every core while they run: each drains its own lists, none is lost. */
static void drain_core(unsigned int cpu, void *arg)
{
	unsigned long *drains = arg;

	for (int round = 0; round < 200; round++) {
		struct page *p[8];

		for (int i = 0; i < 8; i++)
			p[i] = alloc_pages(GFP_KERNEL, i & 1);
		for (int i = 0; i < 8; i++)
			__free_pages(p[i], i & 1);
		if (cpu == 0 && round % 20 == 0) {
			drain_all_pages();
			drains[0]++;
		}
	}
}

static void test_drain_all_while_running(void)
{
	unsigned long drains[NCORES] = { 0 };

	setup(32);
	host_smp_run(NCORES, drain_core, drains);
	CHECK_EQ(drains[0], 10);
	CHECK(vm_events.pcp_drain >= 10);
	CHECK_EQ(h_free_pages(), initial_free);
	CHECK_EQ(h_check(), 0);
	drain_all_pages();
	CHECK_EQ(pcp_count(&normal_zone), 0);
}

/* The zone lock's statistics: one take that had to wait is counted as contended. */
static unsigned int lock_step;

static void contend_core(unsigned int cpu, void *arg)
{
	unsigned long flags;

	if (cpu == 0) {
		spin_lock_irqsave(&normal_zone.lock, flags);
		__atomic_store_n(&lock_step, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&lock_step, __ATOMIC_ACQUIRE) != 2)
			sched_yield();
		usleep(20000);	/* core 1 is spinning by now */
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	} else if (cpu == 1) {
		while (__atomic_load_n(&lock_step, __ATOMIC_ACQUIRE) != 1)
			sched_yield();
		__atomic_store_n(&lock_step, 2, __ATOMIC_RELEASE);
		spin_lock_irqsave(&normal_zone.lock, flags);
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	}
}

static void test_zone_lock_stats(void)
{
	struct spin_stats st;

	setup(32);
	zone_lock_stats_reset();
	st = zone_lock_stats();
	CHECK_EQ(st.acquired, 0);
	CHECK_EQ(st.contended, 0);
	CHECK_EQ(st.spins, 0);
	lock_step = 0;
	host_smp_run(2, contend_core, NULL);
	st = zone_lock_stats();
	CHECK_EQ(st.acquired, 2);
	CHECK_EQ(st.contended, 1);
	CHECK(st.spins >= 1);
	/* `vmstat locks` shows them, without counting itself. */
	zone_lock_stats_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "zone_lock_acquired 2\nzone_lock_contended 1\nzone_lock_spins ") == h_seq_buf);
	vmstat_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "zone_lock") == NULL);
	/* An uncontended take counts once, and not as contended. */
	zone_lock_stats_reset();
	{
		unsigned long flags;

		spin_lock_irqsave(&normal_zone.lock, flags);
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	}
	st = zone_lock_stats();
	CHECK_EQ(st.acquired, 1);
	CHECK_EQ(st.contended, 0);
	CHECK_EQ(st.spins, 0);
}

int main(void)
{
	RUN(test_pages_churn);
	RUN(test_double_free_race);
	RUN(test_drain_all_while_running);
	RUN(test_zone_lock_stats);
	return HTEST_DONE();
}
